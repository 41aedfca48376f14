"""Gallery cards straight from rows: the columns a listing selects and the positional row-to-card mapping.

Kept apart from the listing queries (`gallery.py`): this is the hot loop of every gallery page.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from artmarket.adapters.persistence.tables.catalog import artist_profiles, artworks
from artmarket.application.catalog.ports import GalleryCard
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.delivery import DeliveryKind
from artmarket.domain.editions import UNIQUE, Edition, EditionKind
from artmarket.domain.listing import Dimensions, Medium
from artmarket.domain.money import Currency, Money

CARD_COLUMNS = (
    artworks.c.id,
    artworks.c.title,
    artworks.c.artist_id,
    artworks.c.artist_name,
    artworks.c.medium,
    artworks.c.price_amount,
    artworks.c.price_currency,
    artworks.c.status,
    artworks.c.year,
    artworks.c.cover_thumbnail_key.label("thumbnail_key"),
    artworks.c.cover_width.label("thumbnail_width"),
    artworks.c.cover_height.label("thumbnail_height"),
    artworks.c.favorites_count,
    artworks.c.published_at,
    artworks.c.edition_kind,
    artworks.c.edition_size,
    artworks.c.edition_artist_proofs,
    artworks.c.edition_available,
    artworks.c.edition_sold,
    artworks.c.available_from,
    artworks.c.height_mm,
    artworks.c.width_mm,
    artworks.c.depth_mm,
    artworks.c.delivery_kind,
    # Where a physical work ships from: the artist's country (no origin of its own is stored).
    artist_profiles.c.country,
)
CARD_SOURCE = artworks.outerjoin(artist_profiles, artist_profiles.c.user_id == artworks.c.artist_id)


# Lookups instead of enum calls: a page builds 24 cards, each with two enums.
_MEDIA = {medium.value: medium for medium in Medium}
_STATUSES = {status.value: status for status in ArtworkStatus}
_EDITION_KINDS = {kind.value: kind for kind in EditionKind}
# psycopg rows hold the text, SQLAlchemy rows the enum (a StrEnum: equal to its text either way).
_PHYSICAL = DeliveryKind.PHYSICAL


@functools.lru_cache(maxsize=1024)
def _edition(kind: str, size: int, artist_proofs: int) -> Edition:
    # Most cards are unique works (one shared value); editions repeat across pages.
    edition_kind = _EDITION_KINDS[kind]
    return UNIQUE if edition_kind is EditionKind.UNIQUE else Edition(edition_kind, size, artist_proofs)


@functools.cache
def _currency(code: str | Currency) -> Currency:
    # A few codes only; the cache spares a validation per card (SQLAlchemy rows hold Currency).
    return code if isinstance(code, Currency) else Currency(code)


def card_of_row(row: Sequence[Any]) -> GalleryCard:
    """A card from a row of `CARD_COLUMNS`, raw (psycopg) or typed (SQLAlchemy); positional: the hot loop."""
    return GalleryCard(
        row[0],
        row[1],
        row[2],
        row[3],
        _MEDIA[row[4]],
        Money(row[5], _currency(row[6])),
        _STATUSES[row[7]],
        row[8],
        row[9],
        row[10],
        row[11],
        row[12],
        row[13].astimezone(UTC),
        _edition(row[14], row[15], row[16]),
        row[17],
        row[18],
        None if row[19] is None else row[19].astimezone(UTC),
        None if row[20] is None or row[21] is None else Dimensions(row[20], row[21], row[22]),
        row[23] == _PHYSICAL,
        row[24],
    )
