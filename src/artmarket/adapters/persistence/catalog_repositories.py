"""SQLAlchemy repositories of the catalog: artist profiles, KYC cases, artworks, favourites."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.repositories import insert_if_absent
from artmarket.adapters.persistence.tables.catalog import artist_profiles, artworks, favorites, kyc_cases
from artmarket.domain.artists import ArtistProfile, KycCase, KycStatus
from artmarket.domain.catalog import Artwork, ArtworkStatus


class SqlAlchemyArtistProfileRepository:
    """Artist profiles by the artist's user id."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, profile: ArtistProfile) -> None:
        self._session.add(profile)

    async def get(self, user_id: UUID) -> ArtistProfile | None:
        with translated_errors():
            return await self._session.get(ArtistProfile, user_id)

    async def slug_taken(self, slug: str) -> bool:
        with translated_errors():
            found = await self._session.scalar(
                select(artist_profiles.c.user_id).where(artist_profiles.c.slug == slug)
            )
        return found is not None


class SqlAlchemyKycCaseRepository:
    """KYC cases; a decision on a case read before someone else decided it is refused."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, case: KycCase) -> None:
        self._session.add(case)

    async def get(self, case_id: UUID) -> KycCase | None:
        with translated_errors():
            return await self._session.get(KycCase, case_id)

    async def latest_for_artist(self, artist_id: UUID) -> KycCase | None:
        found = await self.list_for_artist(artist_id, limit=1)
        return found[0] if found else None

    async def list_for_artist(self, artist_id: UUID, *, limit: int | None = None) -> Sequence[KycCase]:
        query = (
            select(KycCase)
            .where(kyc_cases.c.artist_id == artist_id)
            .order_by(kyc_cases.c.submitted_at.desc(), kyc_cases.c.id.desc())
            .limit(limit)
        )
        with translated_errors():
            return (await self._session.scalars(query)).all()

    async def list(self, *, status: KycStatus | None, limit: int) -> Sequence[KycCase]:
        query = select(KycCase).order_by(kyc_cases.c.submitted_at, kyc_cases.c.id).limit(limit)
        if status is not None:
            query = query.where(kyc_cases.c.status == status)
        with translated_errors():
            return (await self._session.scalars(query)).all()


class SqlAlchemyArtworkRepository:
    """Artworks with their images (loaded eagerly); concurrent changes lose with ConcurrentUpdate."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, artwork: Artwork) -> None:
        self._session.add(artwork)

    async def get(self, artwork_id: UUID) -> Artwork | None:
        with translated_errors():
            return await self._session.get(Artwork, artwork_id)

    async def list_for_artist(
        self, artist_id: UUID, *, status: ArtworkStatus | None = None
    ) -> Sequence[Artwork]:
        query = (
            select(Artwork)
            .where(artworks.c.artist_id == artist_id)
            .order_by(artworks.c.created_at.desc(), artworks.c.id.desc())
        )
        if status is not None:
            query = query.where(artworks.c.status == status)
        with translated_errors():
            return (await self._session.scalars(query)).all()

    async def rename_artist(self, artist_id: UUID, artist_name: str) -> None:
        # One UPDATE for all the artist's works; it is not a change of any one artwork,
        # so it neither checks nor bumps their versions.
        statement = update(artworks).where(artworks.c.artist_id == artist_id).values(artist_name=artist_name)
        with translated_errors():
            await self._session.flush()
            await self._session.execute(statement)
        for loaded in list(self._session.identity_map.values()):
            if isinstance(loaded, Artwork) and loaded.artist_id == artist_id:
                set_committed_value(loaded, "artist_name", artist_name)

    async def mark_artist_suspended(self, artist_id: UUID, suspended: bool) -> None:
        # Like `rename_artist`: one UPDATE, neither checking nor bumping versions.
        statement = (
            update(artworks).where(artworks.c.artist_id == artist_id).values(artist_suspended=suspended)
        )
        with translated_errors():
            await self._session.flush()
            await self._session.execute(statement)
        for loaded in list(self._session.identity_map.values()):
            if isinstance(loaded, Artwork) and loaded.artist_id == artist_id:
                set_committed_value(loaded, "artist_suspended", suspended)


class SqlAlchemyFavoriteRepository:
    """Favourites; each one that is added or removed moves `artworks.favorites_count` by one."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user_id: UUID, artwork_id: UUID, now: datetime) -> bool:
        row = {"user_id": user_id, "artwork_id": artwork_id, "created_at": now}
        with translated_errors():
            await self._session.flush()  # the user and the artwork may be new in this transaction
            added = await insert_if_absent(self._session, favorites, row, key=("user_id", "artwork_id"))
            if added:
                await self._count(artwork_id, +1)
        return added

    async def remove(self, user_id: UUID, artwork_id: UUID) -> bool:
        statement = favorites.delete().where(
            favorites.c.user_id == user_id, favorites.c.artwork_id == artwork_id
        )
        with translated_errors():
            await self._session.flush()
            # A DELETE answers a CursorResult (with its rowcount); the session types every answer as Result.
            result: CursorResult[Any] = await self._session.execute(statement)  # type: ignore[assignment]
            removed = result.rowcount == 1
            if removed:
                await self._count(artwork_id, -1)
        return removed

    async def artwork_ids_for_user(self, user_id: UUID, *, limit: int) -> Sequence[UUID]:
        query = (
            select(favorites.c.artwork_id)
            .where(favorites.c.user_id == user_id)
            .order_by(favorites.c.created_at.desc(), favorites.c.artwork_id.desc())
            .limit(limit)
        )
        with translated_errors():
            await self._session.flush()
            return (await self._session.scalars(query)).all()

    async def _count(self, artwork_id: UUID, step: int) -> None:
        # Relative to the stored value, so concurrent favourites never lose a count; it is
        # not a change of the artwork itself, so its version is left alone.
        statement = (
            update(artworks)
            .where(artworks.c.id == artwork_id)
            .values(favorites_count=artworks.c.favorites_count + step)
            .returning(artworks.c.favorites_count)
        )
        count = (await self._session.execute(statement)).scalar_one_or_none()
        loaded = self._session.identity_map.get(self._session.identity_key(Artwork, artwork_id))
        if loaded is not None and count is not None:
            set_committed_value(loaded, "favorites_count", count)
