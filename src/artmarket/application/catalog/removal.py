"""Whether a work was taken down: its public page then says it was removed (410), not that it never was."""

from __future__ import annotations

from uuid import UUID

from artmarket.application.unit_of_work import UnitOfWork


class WasTakenDown:
    """Whether an administrator took the work down (it stays withdrawn; its page shows nothing of it)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, artwork_id: UUID) -> bool:
        async with self._uow as uow:
            artwork = await uow.artworks.get(artwork_id)
        return artwork is not None and artwork.taken_down_reason is not None and not artwork.is_public
