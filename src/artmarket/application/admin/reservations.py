"""Who holds the catalogue's reservations: unpaid orders grouped by the client address that
placed them, so an admin sees a few fresh accounts working together from one address."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class LiveReservation:
    """One order awaiting payment, with its buyer and artwork; `client_tag` is the keyed tag of
    the address it was placed from (None for orders placed before addresses were tagged)."""

    order_id: UUID
    reference: str
    buyer_id: UUID
    buyer_email: str
    buyer_name: str
    artwork_id: UUID
    artwork_title: str
    created_at: datetime
    expires_at: datetime
    client_tag: str | None


class ReservationQueries(Protocol):
    """Orders awaiting payment (what the reservation caps count), oldest first."""

    @abstractmethod
    async def awaiting_payment(self, *, limit: int) -> Sequence[LiveReservation]: ...


@dataclass(frozen=True, slots=True)
class ReservationHolder:
    """The reservations placed from one client address, by however many accounts."""

    client_tag: str | None
    reservations: tuple[LiveReservation, ...]

    @property
    def buyers(self) -> list[tuple[UUID, str, str]]:
        """(id, email, display name) of each account holding some of them, in first-order order."""
        seen: dict[UUID, tuple[UUID, str, str]] = {}
        for r in self.reservations:
            seen.setdefault(r.buyer_id, (r.buyer_id, r.buyer_email, r.buyer_name))
        return list(seen.values())


class ListReservationHolders:
    """Live reservations grouped by the client address that placed them, the biggest holder
    first (admins only). Addresses are shown as their keyed tags: enough to see which accounts
    act together, without keeping anyone's address."""

    def __init__(self, queries: ReservationQueries) -> None:
        self._queries = queries

    async def __call__(self, *, limit: int = 1000) -> list[ReservationHolder]:
        groups: dict[str | None, list[LiveReservation]] = {}
        for reservation in await self._queries.awaiting_payment(limit=limit):
            groups.setdefault(reservation.client_tag, []).append(reservation)
        holders = [ReservationHolder(tag, tuple(found)) for tag, found in groups.items()]
        return sorted(holders, key=lambda h: (-len(h.reservations), h.reservations[0].created_at))
