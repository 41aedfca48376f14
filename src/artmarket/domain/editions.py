"""Editions: a unique work, or a limited edition of numbered prints sold once each; and drops."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from artmarket.domain.errors import Conflict, InvalidValue
from artmarket.domain.order_lifecycle import PAID_STATUSES, OrderStatus

#: The largest limited edition the shop sells (numbers 1..MAX_EDITION_SIZE).
MAX_EDITION_SIZE: Final = 10_000


class EditionKind(enum.StrEnum):
    UNIQUE = "unique"
    LIMITED = "limited"


class InvalidEdition(InvalidValue):
    default_message = (
        f"A limited edition has a size of 2 to {MAX_EDITION_SIZE} and 0 to size artist proofs; "
        "a unique work has neither."
    )
    field = "edition"


class EditionLocked(Conflict):
    default_message = "The edition cannot change once a number has been reserved or sold."


class NotYetAvailable(Conflict):
    """A drop: the work is listed but cannot be bought before its `available_from` time."""

    default_message = "This work is not on sale yet."


@dataclass(frozen=True, slots=True)
class Edition:
    """How many of the work exist: one (unique), or `size` numbered prints plus artist proofs.

    Artist proofs are the artist's own; the shop sells numbers 1..size only.
    """

    kind: EditionKind = EditionKind.UNIQUE
    size: int = 1
    artist_proofs: int = 0

    def __post_init__(self) -> None:
        for value in (self.size, self.artist_proofs):
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidEdition()
        if self.kind is EditionKind.UNIQUE:
            if self.size != 1 or self.artist_proofs != 0:
                raise InvalidEdition()
        elif not 2 <= self.size <= MAX_EDITION_SIZE or not 0 <= self.artist_proofs <= self.size:
            raise InvalidEdition()

    @classmethod
    def limited(cls, size: int, artist_proofs: int = 0) -> Edition:
        return cls(EditionKind.LIMITED, size, artist_proofs)

    @property
    def is_limited(self) -> bool:
        return self.kind is EditionKind.LIMITED

    def label(self, number: int | None) -> str:
        """How a certificate prints its number: "7/25", or "1/1" for a unique work."""
        return edition_label(number, self.size if self.is_limited else None)


UNIQUE: Final = Edition()


def edition_label(number: int | None, size: int | None) -> str:
    """Number over size ("7/25"); "1/1" for a unique work (no number)."""
    return f"{number}/{size}" if number is not None and size is not None else "1/1"


class NumberState(enum.StrEnum):
    """Where one edition number is: held for a buyer who has not paid, sold, or retired by a refund."""

    RESERVED = "reserved"
    SOLD = "sold"
    RETIRED = "retired"


def number_state(status: OrderStatus) -> NumberState:
    """What an order holding a number says of it. An order that lapsed holds none (it gave its
    number back); a refunded one keeps it, retired: the number is never sold again."""
    if status is OrderStatus.AWAITING_PAYMENT:
        return NumberState.RESERVED
    if status in PAID_STATUSES:
        return NumberState.SOLD
    if status is OrderStatus.REFUNDED:
        return NumberState.RETIRED
    raise ValueError(f"A {status.value} order holds no edition number.")


@dataclass(frozen=True, slots=True)
class EditionStock:
    """The numbers of one limited edition and who holds them: read under the artwork's placement
    turn, so the lowest free number is handed to one order only."""

    size: int
    held: Mapping[int, NumberState]

    @classmethod
    def of(cls, edition: Edition, holdings: Iterable[tuple[int, OrderStatus]]) -> EditionStock:
        """The stock from the (number, order status) of every order that holds a number."""
        held: dict[int, NumberState] = {}
        for number, status in holdings:
            if number in held:
                raise ValueError(f"Edition number {number} is held twice.")
            held[number] = number_state(status)
        return cls(edition.size, held)

    def taking(self, number: int) -> EditionStock:
        """The stock once `number` is reserved for a buyer."""
        if number in self.held or not 1 <= number <= self.size:
            raise ValueError(f"Edition number {number} is not free.")
        return EditionStock(self.size, {**self.held, number: NumberState.RESERVED})

    def _count(self, state: NumberState) -> int:
        return sum(1 for held in self.held.values() if held is state)

    @property
    def lowest_free(self) -> int | None:
        """The number the next buyer gets: the lowest that no order holds."""
        return next((n for n in range(1, self.size + 1) if n not in self.held), None)

    @property
    def available(self) -> int:
        return self.size - len(self.held)

    @property
    def sold(self) -> int:
        return self._count(NumberState.SOLD)

    @property
    def reserved(self) -> int:
        return self._count(NumberState.RESERVED)

    @property
    def retired(self) -> int:
        return self._count(NumberState.RETIRED)


def on_sale_yet(available_from: datetime | None, now: datetime) -> bool:
    """A drop opens at `available_from`; a work without one is on sale when published."""
    return available_from is None or now >= available_from
