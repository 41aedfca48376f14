"""Dashboard use cases: what an artist sees of their works, sales and revenue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from artmarket.application.dashboards.ports import DashboardQueries, MonthlyRevenue, Sale, TopWork
from artmarket.application.payments.records import PayoutAccount
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import ArtworkStatus


@dataclass(frozen=True, slots=True)
class CurrencyRevenue:
    """Everything earned in one currency: sums are never taken across currencies."""

    currency: str
    gross: int
    artist_share: int
    orders: int
    by_month: Sequence[MonthlyRevenue]
    #: Of `gross`, what buyers paid for shipping; the rest is artwork revenue.
    shipping: int = 0

    @property
    def artwork(self) -> int:
        return self.gross - self.shipping


@dataclass(frozen=True, slots=True)
class ArtistDashboard:
    artworks_by_status: Mapping[ArtworkStatus, int]
    sales: Sequence[Sale]
    revenue: Sequence[CurrencyRevenue]
    top_works: Sequence[TopWork]
    payout_account: PayoutAccount | None


class ShowArtistDashboard:
    """The caller's works by status, latest sales, revenue per currency and month, top works, payouts.

    Rules: only the caller's own works and sales; revenue counts orders that are paid,
    minting or completed (refunded orders appear in the sales with their status but earn
    nothing), by the month (UTC) of payment, per currency, never summed across currencies;
    artwork revenue and shipping revenue are shown apart.
    """

    def __init__(self, queries: DashboardQueries, uow: UnitOfWork) -> None:
        self._queries = queries
        self._uow = uow

    async def __call__(self, principal: Principal, *, sales_limit: int = 50, top: int = 5) -> ArtistDashboard:
        artist_id = principal.id
        counts = await self._queries.artworks_by_status(artist_id)
        months = await self._queries.revenue_by_month(artist_id)
        revenue = []
        for currency in sorted({m.currency for m in months}):
            mine = [m for m in months if m.currency == currency]
            revenue.append(
                CurrencyRevenue(
                    currency=currency,
                    gross=sum(m.gross for m in mine),
                    artist_share=sum(m.artist_share for m in mine),
                    orders=sum(m.orders for m in mine),
                    by_month=mine,
                    shipping=sum(m.shipping for m in mine),
                )
            )
        async with self._uow as uow:
            payout = await uow.payout_accounts.get(artist_id)
        return ArtistDashboard(
            artworks_by_status={status: counts.get(status, 0) for status in ArtworkStatus},
            sales=await self._queries.sales(artist_id, limit=sales_limit),
            revenue=revenue,
            top_works=await self._queries.top_works(artist_id, limit=top),
            payout_account=payout,
        )
