"""A signed-in user's favourite works."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from artmarket.application.ports import Clock
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import (
    Artwork,
)
from artmarket.domain.errors import NotFound


class ToggleFavorite:
    """A signed-in user favourites or unfavourites a public work (idempotent both ways)."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, artwork_id: UUID, *, favorite: bool) -> None:
        async with self._uow as uow:
            artwork = await uow.artworks.get(artwork_id)
            if artwork is None or not artwork.is_public:
                raise NotFound("No such artwork.")
            if favorite:
                await uow.favorites.add(principal.id, artwork_id, self._clock.now())
            else:
                await uow.favorites.remove(principal.id, artwork_id)
            await uow.commit()


class ListFavorites:
    """The caller's favourite works that are still public, most recent first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, *, limit: int = 100) -> Sequence[Artwork]:
        async with self._uow as uow:
            ids = await uow.favorites.artwork_ids_for_user(principal.id, limit=limit)
            works = [await uow.artworks.get(artwork_id) for artwork_id in ids]
        return [w for w in works if w is not None and w.is_public]


class ListFavoriteIds:
    """Which works the caller has favourited (to mark them in listings), most recent first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, *, limit: int = 500) -> frozenset[UUID]:
        async with self._uow as uow:
            return frozenset(await uow.favorites.artwork_ids_for_user(principal.id, limit=limit))
