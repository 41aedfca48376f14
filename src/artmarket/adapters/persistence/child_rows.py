"""Lists of frozen value objects an aggregate owns (`Artwork.images`, `Order.history`, `Shipment.history`).

They cannot be mapped themselves (slotted, frozen): each is stored as private row objects
in a child table, read into the domain's list the first time the list is used after a
load, and written back from it before every flush (see `sync_children`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.orm import (
    InstanceState,
    Session,
    UOWTransaction,
)

from artmarket.domain.catalog import Artwork
from artmarket.domain.listing import ArtworkImage
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order, StatusChange
from artmarket.domain.shipments import Shipment, ShipmentStatus, ShipmentStep

V = TypeVar("V")
R = TypeVar("R")


@dataclass(eq=False)
class StoredImage:
    """A row of `artwork_images`: one `ArtworkImage` of an artwork (persistence detail only)."""

    id: UUID
    position: int
    display_key: str
    thumbnail_key: str
    original_key: str
    width: int
    height: int
    created_at: datetime

    @classmethod
    def of(cls, image: ArtworkImage) -> StoredImage:
        row = cls(image.id, 0, "", "", "", 0, 0, image.created_at)
        row.match(image)
        return row

    def match(self, image: ArtworkImage) -> None:
        # Assigning an equal value records no change, so an unchanged image costs no UPDATE.
        self.position = image.position
        self.display_key = image.display_key
        self.thumbnail_key = image.thumbnail_key
        self.original_key = image.original_key
        self.width = image.width
        self.height = image.height
        self.created_at = image.created_at

    def value(self) -> ArtworkImage:
        return ArtworkImage(
            id=self.id,
            display_key=self.display_key,
            thumbnail_key=self.thumbnail_key,
            original_key=self.original_key,
            width=self.width,
            height=self.height,
            position=self.position,
            created_at=self.created_at,
        )


Step = TypeVar("Step", StatusChange, ShipmentStep)


@dataclass(eq=False)
class _StoredStep(Generic[Step]):
    """A row of a history table: the n-th step (status, when, note) of an aggregate's history."""

    position: int
    status: Any
    at: datetime
    note: str | None

    @classmethod
    def of(cls, position: int, step: Step) -> Self:
        return cls(position, step.status, step.at, step.note)

    def match(self, step: Step) -> None:
        self.status, self.at, self.note = step.status, step.at, step.note


class StoredStatusChange(_StoredStep[StatusChange]):
    """A row of `order_status_changes`: the n-th `StatusChange` of an order's history."""

    status: OrderStatus

    def value(self) -> StatusChange:
        return StatusChange(self.status, self.at, self.note)


class StoredShipmentStep(_StoredStep[ShipmentStep]):
    """A row of `shipment_steps`: the n-th `ShipmentStep` of a shipment's history."""

    status: ShipmentStatus

    def value(self) -> ShipmentStep:
        return ShipmentStep(self.status, self.at, self.note)


class _ReadFromRows(Generic[R, V]):
    """Fills a domain list from its row objects on first use after a load.

    A non-data descriptor on the domain class: an instance that has the list in its
    `__dict__` (built by the domain, or already read) never reaches it. Eagerly loaded
    rows (`selectin`) are complete once the query returns, so no IO happens here.
    """

    def __init__(self, name: str, rows: str, value_of: Callable[[R], V]) -> None:
        self.name, self.rows, self.value_of = name, rows, value_of

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        values = [self.value_of(row) for row in getattr(instance, self.rows)]
        instance.__dict__[self.name] = values
        return values


def _sync_images(artwork: Artwork) -> None:
    """Make `artwork._stored_images` match `artwork.images` (matched by image id)."""
    rows: list[StoredImage] = artwork._stored_images  # type: ignore[attr-defined]
    by_id = {row.id: row for row in rows}
    wanted = []
    for image in artwork.images:
        row = by_id.get(image.id)
        if row is None:
            row = StoredImage.of(image)
        else:
            row.match(image)
        wanted.append(row)
    _replace_if_changed(artwork, "_stored_images", rows, wanted)
    # The gallery's copy of the cover (see `tables.artworks`); equal values write nothing.
    cover = artwork.cover
    artwork._cover_thumbnail_key = cover.thumbnail_key if cover else None  # type: ignore[attr-defined]
    artwork._cover_width = cover.width if cover else None  # type: ignore[attr-defined]
    artwork._cover_height = cover.height if cover else None  # type: ignore[attr-defined]


def _sync_steps(owner: object, key: str, history: Sequence[Step], row: type[_StoredStep[Step]]) -> None:
    """Make the rows under `owner.<key>` match `history` (matched by position)."""
    rows: list[_StoredStep[Step]] = getattr(owner, key)
    wanted = []
    for position, step in enumerate(history):
        if position < len(rows):
            rows[position].match(step)
            wanted.append(rows[position])
        else:
            wanted.append(row.of(position, step))
    _replace_if_changed(owner, key, rows, wanted)


def _sync_history(order: Order) -> None:
    _sync_steps(order, "_stored_history", order.history, StoredStatusChange)


def _sync_shipment_steps(shipment: Shipment) -> None:
    _sync_steps(shipment, "_stored_steps", shipment.history, StoredShipmentStep)


def _replace_if_changed(owner: object, key: str, rows: Sequence[object], wanted: list[Any]) -> None:
    if len(rows) != len(wanted) or any(a is not b for a, b in zip(rows, wanted, strict=True)):
        # The cascade adds new rows to the session; rows left out are deleted (orphans).
        setattr(owner, key, wanted)


_CHILD_LISTS: dict[type, tuple[str, Callable[[Any], None]]] = {
    Artwork: ("images", _sync_images),
    Order: ("history", _sync_history),
    Shipment: ("history", _sync_shipment_steps),
}


def sync_children(session: Session, flush_context: UOWTransaction, instances: object) -> None:
    """Before each flush, write the domain's lists into their row objects."""
    for instance in (*session.new, *session.identity_map.values()):
        entry = _CHILD_LISTS.get(type(instance))
        # A list never read since the load cannot have changed: nothing to write.
        if entry is not None and entry[0] in instance.__dict__:
            entry[1](instance)


def attach_child_list(cls: type, name: str, rows: str, value_of: Callable[[Any], Any]) -> None:
    setattr(cls, name, _ReadFromRows(name, rows, value_of))

    def forget(state: InstanceState[Any], *args: Any) -> None:
        attributes = args[-1] if args else None
        if attributes is None or rows in attributes:
            # `state.dict`, not the object: a rollback may expire an object that is being
            # garbage-collected (its state then has an empty dict).
            state.dict.pop(name, None)

    # A rollback expires the rows: the list is read again from what the database kept.
    event.listen(cls, "expire", forget, raw=True)
    event.listen(cls, "refresh", forget, raw=True)
