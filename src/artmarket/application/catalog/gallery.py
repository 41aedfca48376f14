"""The public gallery: filtered, sorted cursor pages of works on sale or sold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from artmarket.application.catalog.artworks import CatalogPolicy
from artmarket.application.catalog.ports import GalleryCard, GalleryFilter, GalleryQueries, GallerySort
from artmarket.application.cursor import CursorCodec, GalleryPosition
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.errors import InvalidValue
from artmarket.domain.listing import InvalidPrice

GALLERY_LISTING = "gallery"


class InvalidPriceRange(InvalidValue):
    default_message = "min_price cannot be greater than max_price."
    field = "min_price"


class CurrencyRequired(InvalidValue):
    default_message = "Give a currency with min_price or max_price."
    field = "currency"


@dataclass(frozen=True, slots=True)
class GalleryPage:
    items: Sequence[GalleryCard]
    next_cursor: str | None


class BrowseGallery:
    """The public gallery: filters, sorts and cursor pages that never skip or repeat a work.

    Rules: only published (default) or sold works; a price range needs a currency and
    min ≤ max; a cursor is valid only for the sort it came from.
    """

    def __init__(self, queries: GalleryQueries, cursors: CursorCodec, policy: CatalogPolicy) -> None:
        self._queries = queries
        self._cursors = cursors
        self._policy = policy

    async def __call__(
        self, where: GalleryFilter, sort: GallerySort, cursor: str | None, limit: int
    ) -> GalleryPage:
        if where.status not in (ArtworkStatus.PUBLISHED, ArtworkStatus.SOLD):
            raise InvalidValue("The gallery shows published or sold works.")
        if (where.min_price is not None or where.max_price is not None) and where.currency is None:
            raise CurrencyRequired()
        if where.currency is not None and where.currency not in self._policy.currencies:
            raise InvalidPrice("We do not sell in {currency}.", currency=where.currency)
        if where.min_price is not None and where.max_price is not None and where.min_price > where.max_price:
            raise InvalidPriceRange()
        after = self._cursors.decode(cursor, GALLERY_LISTING, sort) if cursor else None
        cards = await self._queries.search(where, sort, after, limit + 1)
        page, more = cards[:limit], len(cards) > limit
        next_cursor = None
        if more and page:
            last = page[-1]
            next_cursor = self._cursors.encode(
                GALLERY_LISTING, sort, GalleryPosition(last.sort_key(sort), last.id)
            )
        return GalleryPage(page, next_cursor)
