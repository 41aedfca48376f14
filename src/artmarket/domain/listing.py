"""What an artwork listing is made of: its medium, dimensions, images, and the checks on its text."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from artmarket.domain.errors import InvalidValue

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10_000
EARLIEST_YEAR = 1000


class Medium(enum.StrEnum):
    PAINTING = "painting"
    DRAWING = "drawing"
    PHOTOGRAPHY = "photography"
    SCULPTURE = "sculpture"
    DIGITAL = "digital"
    PRINT = "print"
    MIXED_MEDIA = "mixed_media"
    TEXTILE = "textile"
    OTHER = "other"


class PublishNeed(enum.StrEnum):
    """One thing a work still needs before it can be published (an item of the publish checklist)."""

    IDENTITY_REVIEW = "an approved identity review"
    TITLE = "a title"
    PRICE = "a price"
    IMAGE = "an image"


class InvalidTitle(InvalidValue):
    default_message = f"A title has 1 to {TITLE_MAX_LENGTH} characters."
    field = "title"


class InvalidDescription(InvalidValue):
    default_message = f"A description has at most {DESCRIPTION_MAX_LENGTH} characters."
    field = "description"


class InvalidYear(InvalidValue):
    default_message = "The year must lie between 1000 and next year."
    field = "year"


class InvalidDimensions(InvalidValue):
    default_message = "Dimensions are whole millimetres between 1 and 100000."
    field = "dimensions"


class InvalidPrice(InvalidValue):
    default_message = "The price must be a positive amount in a currency the marketplace sells in."
    field = "price"


@dataclass(frozen=True, slots=True)
class Dimensions:
    """Height by width (by depth for objects), in millimetres."""

    height_mm: int
    width_mm: int
    depth_mm: int | None = None

    def __post_init__(self) -> None:
        for value in (self.height_mm, self.width_mm, self.depth_mm):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
                raise InvalidDimensions()


@dataclass(frozen=True, slots=True)
class ArtworkImage:
    """One uploaded image: a public display size and thumbnail, and the private original."""

    id: UUID
    display_key: str
    thumbnail_key: str
    original_key: str
    width: int
    height: int
    position: int
    created_at: datetime


def title_text(value: str) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not 1 <= len(text) <= TITLE_MAX_LENGTH:
        raise InvalidTitle()
    return text


def description_text(value: str) -> str:
    if not isinstance(value, str) or len(value) > DESCRIPTION_MAX_LENGTH:
        raise InvalidDescription()
    return value.strip()


def checked_year(value: int | None, now: datetime) -> int | None:
    if value is not None and not EARLIEST_YEAR <= value <= now.year + 1:
        raise InvalidYear()
    return value
