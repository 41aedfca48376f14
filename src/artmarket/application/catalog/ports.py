"""Ports of the catalog use cases: write-side repositories and the gallery read model."""

from __future__ import annotations

import enum
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from artmarket.application.cursor import GalleryPosition
from artmarket.domain.artists import ArtistProfile, KycCase, KycStatus
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.editions import UNIQUE, Edition
from artmarket.domain.listing import Dimensions, Medium
from artmarket.domain.money import Money


class ArtistProfileRepository(Protocol):
    """Artist profiles by the artist's user id."""

    @abstractmethod
    def add(self, profile: ArtistProfile) -> None: ...

    @abstractmethod
    async def get(self, user_id: UUID) -> ArtistProfile | None: ...

    @abstractmethod
    async def slug_taken(self, slug: str) -> bool:
        """Some profile already has this slug (slugs are unique)."""


class KycCaseRepository(Protocol):
    """KYC cases; an artist's latest case decides whether they may publish."""

    @abstractmethod
    def add(self, case: KycCase) -> None: ...

    @abstractmethod
    async def get(self, case_id: UUID) -> KycCase | None: ...

    @abstractmethod
    async def latest_for_artist(self, artist_id: UUID) -> KycCase | None: ...

    @abstractmethod
    async def list_for_artist(self, artist_id: UUID) -> Sequence[KycCase]:
        """Newest first."""

    @abstractmethod
    async def list(self, *, status: KycStatus | None, limit: int) -> Sequence[KycCase]:
        """Oldest submission first, so the queue is worked in order."""


class ArtworkRepository(Protocol):
    """Artworks with their images; `get` returns any status (visibility is the caller's rule)."""

    @abstractmethod
    def add(self, artwork: Artwork) -> None: ...

    @abstractmethod
    async def get(self, artwork_id: UUID) -> Artwork | None: ...

    @abstractmethod
    async def list_for_artist(
        self, artist_id: UUID, *, status: ArtworkStatus | None = None
    ) -> Sequence[Artwork]:
        """Newest first."""

    @abstractmethod
    async def rename_artist(self, artist_id: UUID, artist_name: str) -> None:
        """Copy an artist's new display name onto their works (it is searched and shown)."""

    @abstractmethod
    async def mark_artist_suspended(self, artist_id: UUID, suspended: bool) -> None:
        """Copy an artist's suspension onto all their works (hidden from the gallery while set)."""


class FavoriteRepository(Protocol):
    """Who favourited what; the artwork's counter moves with it in the same transaction."""

    @abstractmethod
    async def add(self, user_id: UUID, artwork_id: UUID, now: datetime) -> bool:
        """Favourite once; False when it already was."""

    @abstractmethod
    async def remove(self, user_id: UUID, artwork_id: UUID) -> bool:
        """Unfavourite; False when it was not."""

    @abstractmethod
    async def artwork_ids_for_user(self, user_id: UUID, *, limit: int) -> Sequence[UUID]:
        """Most recently favourited first."""


class GallerySort(enum.StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    POPULAR = "popular"


@dataclass(frozen=True, slots=True)
class GalleryFilter:
    """What the gallery shows: public works only (published, or sold)."""

    status: ArtworkStatus = ArtworkStatus.PUBLISHED
    q: str | None = None
    medium: Medium | None = None
    artist_id: UUID | None = None
    currency: str | None = None
    min_price: int | None = None
    max_price: int | None = None


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__,
# ten times slower, and every gallery page builds 25 of these (bench/gallery.py).
@dataclass(slots=True)
class GalleryCard:
    """One artwork as the gallery lists it (a read model: nothing changes it after the query)."""

    id: UUID
    title: str
    artist_id: UUID
    artist_name: str
    medium: Medium
    price: Money
    status: ArtworkStatus
    year: int | None
    thumbnail_key: str | None
    thumbnail_width: int | None
    thumbnail_height: int | None
    favorites_count: int
    published_at: datetime
    #: Unique, or a limited edition with its free and sold numbers (None for a unique work).
    edition: Edition = UNIQUE
    edition_available: int | None = None
    edition_sold: int | None = None
    #: A drop: listed now, on sale from this time.
    available_from: datetime | None = None
    #: Height by width (by depth) as the artist gave them; None when not given.
    dimensions: Dimensions | None = None
    #: A physical work ships from `ships_from` (the artist's country); a digital one is the certificate alone.
    physical: bool = False
    ships_from: str | None = None

    def sort_key(self, sort: GallerySort) -> int | str:
        if sort in (GallerySort.PRICE_ASC, GallerySort.PRICE_DESC):
            return self.price.amount
        if sort is GallerySort.POPULAR:
            return self.favorites_count
        return self.published_at.isoformat()


@dataclass(frozen=True, slots=True)
class ArtistSummary:
    id: UUID
    display_name: str
    bio: str
    country: str | None
    website: str | None
    published_works: int
    #: None until the artist saves a profile (their page is then addressed by id).
    slug: str | None = None
    #: Their identity was approved (KYC): pages show "Verified artist".
    verified: bool = False
    #: Their photo's public file (ContentStore key), if they uploaded one.
    photo_key: str | None = None


class GalleryQueries(Protocol):
    """The read side of the catalog: fast, keyset-paginated listings (no entities loaded)."""

    @abstractmethod
    async def search(
        self, where: GalleryFilter, sort: GallerySort, after: GalleryPosition | None, limit: int
    ) -> Sequence[GalleryCard]:
        """Up to `limit` cards strictly after `after` in `sort` order (ties broken by id)."""

    @abstractmethod
    async def artists(self, *, limit: int, after: UUID | None) -> Sequence[ArtistSummary]:
        """Artists with at least one public work, ordered by id."""

    @abstractmethod
    async def artist(self, artist_id: UUID) -> ArtistSummary | None: ...

    @abstractmethod
    async def artist_by_slug(self, slug: str) -> ArtistSummary | None:
        """The artist whose profile has `slug`, if they have a public work."""
