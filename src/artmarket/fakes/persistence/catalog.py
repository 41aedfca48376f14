"""In-memory repositories of the catalogue: artist profiles, KYC cases, artworks, favourites."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from artmarket.application.errors import StorageUnavailable
from artmarket.domain.artists import ArtistProfile, KycCase, KycStatus
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.fakes.persistence.database import (
    Workspace,
    newest_first,
)


class InMemoryArtistProfileRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, profile: ArtistProfile) -> None:
        self._work.artist_profiles.add(profile.user_id, profile)

    async def get(self, user_id: UUID) -> ArtistProfile | None:
        return self._work.artist_profiles.get(user_id)

    async def slug_taken(self, slug: str) -> bool:
        return bool(self._work.artist_profiles.select(lambda profile: profile.slug == slug))


class InMemoryKycCaseRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, case: KycCase) -> None:
        self._work.kyc_cases.add(case.id, case)

    async def get(self, case_id: UUID) -> KycCase | None:
        return self._work.kyc_cases.get(case_id)

    async def latest_for_artist(self, artist_id: UUID) -> KycCase | None:
        return next(iter(await self.list_for_artist(artist_id)), None)

    async def list_for_artist(self, artist_id: UUID) -> Sequence[KycCase]:
        found = self._work.kyc_cases.select(lambda case: case.artist_id == artist_id)
        return newest_first(found, "submitted_at", "id")

    async def list(self, *, status: KycStatus | None, limit: int) -> Sequence[KycCase]:
        found = self._work.kyc_cases.select(lambda case: status is None or case.status == status)
        return sorted(found, key=lambda case: (case.submitted_at, case.id))[:limit]


class InMemoryArtworkRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, artwork: Artwork) -> None:
        self._work.artworks.add(artwork.id, artwork)

    async def get(self, artwork_id: UUID) -> Artwork | None:
        return self._work.artworks.get(artwork_id)

    async def list_for_artist(
        self, artist_id: UUID, *, status: ArtworkStatus | None = None
    ) -> Sequence[Artwork]:
        found = self._work.artworks.select(
            lambda artwork: artwork.artist_id == artist_id and (status is None or artwork.status == status)
        )
        return newest_first(found, "created_at", "id")

    async def rename_artist(self, artist_id: UUID, artist_name: str) -> None:
        for artwork in self._work.artworks.select(lambda artwork: artwork.artist_id == artist_id):
            artwork.artist_name = artist_name
        self._work.renamed_artists[artist_id] = artist_name

    async def mark_artist_suspended(self, artist_id: UUID, suspended: bool) -> None:
        for artwork in self._work.artworks.select(lambda artwork: artwork.artist_id == artist_id):
            artwork.artist_suspended = suspended
        self._work.suspended_artists[artist_id] = suspended


class InMemoryFavoriteRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    async def add(self, user_id: UUID, artwork_id: UUID, now: datetime) -> bool:
        artwork = self._referenced_artwork(user_id, artwork_id)
        if (user_id, artwork_id) in self._work.favorites:
            return False
        self._work.favorites[(user_id, artwork_id)] = now
        artwork.favorites_count += 1
        return True

    async def remove(self, user_id: UUID, artwork_id: UUID) -> bool:
        if self._work.favorites.pop((user_id, artwork_id), None) is None:
            return False
        artwork = self._work.artworks.get(artwork_id)
        if artwork is not None:
            artwork.favorites_count -= 1
        return True

    async def artwork_ids_for_user(self, user_id: UUID, *, limit: int) -> Sequence[UUID]:
        mine = [
            (at, artwork_id) for (user, artwork_id), at in self._work.favorites.items() if user == user_id
        ]
        return [artwork_id for _, artwork_id in sorted(mine, reverse=True)[:limit]]

    def _referenced_artwork(self, user_id: UUID, artwork_id: UUID) -> Artwork:
        artwork = self._work.artworks.get(artwork_id)
        if artwork is None or self._work.users.get(user_id) is None:
            raise StorageUnavailable()  # foreign key, as in SQL
        return artwork
