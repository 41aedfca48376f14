"""Ports of the dashboards: what an artist's sales and works add up to."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol
from uuid import UUID

from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import PAID_STATUSES, OrderStatus

#: Orders whose money the artist keeps: refunded (and never-paid) orders are not revenue.
REVENUE_STATUSES: Final = PAID_STATUSES


@dataclass(frozen=True, slots=True)
class Sale:
    """A paid order of one of the artist's works (refunded ones included, with their status)."""

    order_id: UUID
    artwork_id: UUID
    artwork_title: str
    buyer_name: str
    amount: Money
    artist_share: Money
    status: OrderStatus
    paid_at: datetime
    #: The shipping part of `amount` (None: zero).
    shipping: Money | None = None

    @property
    def price(self) -> Money:
        """What the artwork itself sold for."""
        return self.amount - self.shipping if self.shipping is not None else self.amount


@dataclass(frozen=True, slots=True)
class MonthlyRevenue:
    """Revenue of one calendar month (UTC, by payment time) in one currency; `gross` is
    artwork revenue plus `shipping` (what buyers paid to have works shipped)."""

    month: str
    currency: str
    gross: int
    artist_share: int
    orders: int
    shipping: int = 0

    @property
    def artwork(self) -> int:
        return self.gross - self.shipping


@dataclass(frozen=True, slots=True)
class TopWork:
    artwork_id: UUID
    title: str
    status: ArtworkStatus
    favorites_count: int


@dataclass(frozen=True, slots=True)
class EditionHolder:
    """An order holding one number of a limited edition: awaiting payment, paid, or refunded."""

    number: int
    order_id: UUID
    reference: str
    status: OrderStatus
    buyer_name: str


class DashboardQueries(Protocol):
    """Read-only aggregates for the artist dashboard (no entities loaded)."""

    @abstractmethod
    async def artworks_by_status(self, artist_id: UUID) -> Mapping[ArtworkStatus, int]:
        """How many of the artist's works are in each status (absent statuses: none)."""

    @abstractmethod
    async def sales(self, artist_id: UUID, *, limit: int) -> Sequence[Sale]:
        """Orders of the artist's works that were paid, newest payment first."""

    @abstractmethod
    async def revenue_by_month(self, artist_id: UUID) -> Sequence[MonthlyRevenue]:
        """Sums of orders in `REVENUE_STATUSES`, per month and currency, oldest month first."""

    @abstractmethod
    async def top_works(self, artist_id: UUID, *, limit: int) -> Sequence[TopWork]:
        """The artist's works with the most favourites (ties: newest first)."""

    @abstractmethod
    async def edition_holders(self, artist_id: UUID, artwork_id: UUID) -> Sequence[EditionHolder]:
        """The orders holding a number of this artist's work, by number (none for another's work)."""
