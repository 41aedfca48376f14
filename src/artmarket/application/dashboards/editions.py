"""An artist's sales per edition number: where each print of a limited edition is."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from artmarket.application.dashboards.ports import DashboardQueries, EditionHolder
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.editions import Edition, number_state
from artmarket.domain.errors import NotFound


class PrintState(enum.StrEnum):
    """A number free to buy, held by a buyer who has not paid, sold, or retired by a refund."""

    FREE = "free"
    RESERVED = "reserved"
    SOLD = "sold"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class EditionPrint:
    """One number of the edition and, unless it is free, the order holding it and its buyer."""

    number: int
    state: PrintState
    order_id: UUID | None = None
    order_reference: str | None = None
    buyer_name: str | None = None

    @classmethod
    def held_by(cls, holder: EditionHolder) -> EditionPrint:
        state = PrintState(number_state(holder.status).value)
        return cls(holder.number, state, holder.order_id, holder.reference, holder.buyer_name)


@dataclass(frozen=True, slots=True)
class EditionSales:
    """Every number 1..size of one limited edition, in order."""

    artwork_id: UUID
    title: str
    edition: Edition
    prints: Sequence[EditionPrint]

    def count(self, state: PrintState) -> int:
        return sum(1 for p in self.prints if p.state is state)


class ShowEditionSales:
    """The caller's limited edition, number by number: free, reserved (awaiting payment), sold
    to a buyer, or retired (refunded: never sold again). None for a unique work; another
    artist's work is reported missing."""

    def __init__(self, uow: UnitOfWork, queries: DashboardQueries) -> None:
        self._uow = uow
        self._queries = queries

    async def __call__(self, principal: Principal, artwork_id: UUID) -> EditionSales | None:
        async with self._uow as uow:
            artwork = await uow.artworks.get(artwork_id)
        if artwork is None or artwork.artist_id != principal.id:
            raise NotFound("No such artwork.")
        if not artwork.edition.is_limited:
            return None
        held = {
            h.number: EditionPrint.held_by(h)
            for h in await self._queries.edition_holders(principal.id, artwork_id)
        }
        prints = [held.get(n) or EditionPrint(n, PrintState.FREE) for n in range(1, artwork.edition.size + 1)]
        return EditionSales(artwork.id, artwork.title, artwork.edition, prints)
