"""Newest-first pages behind signed (time, id) cursors: the admin console's lists, a buyer's orders and
shipments, certificates and mint jobs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from artmarket.application.cursor import CursorCodec, GalleryPosition
from artmarket.domain.errors import InvalidValue

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


def decode_position(cursors: CursorCodec, cursor: str | None, listing: str) -> tuple[datetime, UUID] | None:
    """The (time, id) a signed cursor of `listing` points after; None for the first page."""
    if not cursor:
        return None
    position = cursors.decode(cursor, listing, "newest")
    try:
        moment = datetime.fromisoformat(str(position.key))
    except ValueError as error:
        raise InvalidValue("The cursor is not valid for this listing; start again without it.") from error
    return moment, position.id


def next_page_cursor(cursors: CursorCodec, listing: str, last: tuple[datetime, UUID] | None) -> str | None:
    if last is None:
        return None
    return cursors.encode(listing, "newest", GalleryPosition(last[0].isoformat(), last[1]))


def page_of(
    found: Sequence[T],
    limit: int,
    cursors: CursorCodec,
    listing: str,
    position: Callable[[T], tuple[datetime, UUID]],
) -> Page[T]:
    """The first `limit` rows of `found` (asked for one more than `limit`, to know whether more
    follow) and, when more follow, the cursor after the last row; `position` is a row's (time, id)."""
    items = list(found[:limit])
    last = position(items[-1]) if len(found) > limit and items else None
    return Page(items, next_page_cursor(cursors, listing, last))
