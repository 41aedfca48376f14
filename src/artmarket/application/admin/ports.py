"""Ports of the admin console: the orders table read model."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus, RefundStatus
from artmarket.domain.shipments import ShipmentStatus
from artmarket.domain.text import check_text


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """What the orders table shows. `created_from` is inclusive, `created_to` exclusive;
    `q` matches the payment reference, the buyer's email or the artwork's title
    (case-insensitive substring). `shipment_status` keeps orders whose shipment is in that
    status; `awaiting_shipment_days` those awaiting shipment for more than that many days,
    which the use case turns into `awaiting_shipment_before` (what the queries read)."""

    status: OrderStatus | None = None
    currency: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str | None = None
    shipment_status: ShipmentStatus | None = None
    awaiting_shipment_days: int | None = None
    awaiting_shipment_before: datetime | None = None

    def __post_init__(self) -> None:
        # The search reaches the SQL text; PostgreSQL refuses NUL (a 503), SQLite does not.
        if self.q is not None:
            check_text(self.q, field="q")


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One order as the admin console lists it, with its buyer and artwork."""

    id: UUID
    reference: str
    status: OrderStatus
    amount: Money
    artist_share: Money
    platform_fee: Money
    buyer_id: UUID
    buyer_email: str
    buyer_name: str
    artist_id: UUID
    artwork_id: UUID
    artwork_title: str
    created_at: datetime
    paid_at: datetime | None
    refund_status: RefundStatus | None
    attention: str | None
    #: The shipping part of `amount` (None when unknown: zero).
    shipping: Money | None = None
    shipment_status: ShipmentStatus | None = None
    awaiting_shipment_since: datetime | None = None
    #: Where a physical work goes (the country only: admins never see the address).
    destination_country: str | None = None
    #: The print of a limited edition the order holds (None: a unique work, or given back).
    edition_number: int | None = None


class AdminOrderQueries(Protocol):
    """The orders table: keyset pages newest first (created_at, then id), no entities loaded."""

    @abstractmethod
    async def search(
        self, where: OrderFilter, *, before: tuple[datetime, UUID] | None, limit: int
    ) -> Sequence[OrderRow]:
        """Up to `limit` rows strictly before `before` in (created_at, id) descending order."""
