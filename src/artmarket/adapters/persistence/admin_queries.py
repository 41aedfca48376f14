"""Read models of the admin console and the dashboards, in SQLAlchemy Core (rows, no entities)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import String, func, or_, select, tuple_, type_coerce
from sqlalchemy.engine import Row

from artmarket.adapters.persistence.read_model import SqlReadModel
from artmarket.adapters.persistence.repositories import constant, substring_pattern
from artmarket.adapters.persistence.tables.catalog import artworks
from artmarket.adapters.persistence.tables.identity import users
from artmarket.adapters.persistence.tables.orders import orders
from artmarket.adapters.persistence.tables.shipping import shipments
from artmarket.application.admin.ports import OrderFilter, OrderRow
from artmarket.application.dashboards.ports import (
    REVENUE_STATUSES,
    EditionHolder,
    MonthlyRevenue,
    Sale,
    TopWork,
)
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus, RefundStatus
from artmarket.domain.shipments import ShipmentStatus

_ESCAPE = "\\"


def _order_row(row: Row[*tuple[Any, ...]]) -> OrderRow:
    return OrderRow(
        id=row.id,
        reference=row.reference,
        status=OrderStatus(row.status),
        amount=Money(row.amount, row.currency),
        artist_share=Money(row.artist_share_amount, row.currency),
        platform_fee=Money(row.platform_fee_amount, row.currency),
        buyer_id=row.buyer_id,
        buyer_email=str(row.buyer_email),
        buyer_name=str(row.buyer_name),
        artist_id=row.artist_id,
        artwork_id=row.artwork_id,
        artwork_title=row.artwork_title,
        created_at=row.created_at,
        paid_at=row.paid_at,
        refund_status=RefundStatus(row.refund_status) if row.refund_status else None,
        attention=row.attention,
        shipping=Money(row.shipping_amount, row.currency),
        shipment_status=ShipmentStatus(row.shipment_status) if row.shipment_status else None,
        awaiting_shipment_since=row.awaiting_since,
        destination_country=row.ship_to_country,
        edition_number=row.edition_number,
    )


class SqlAdminOrderQueries(SqlReadModel):
    """`AdminOrderQueries` over the database: one keyset query joining buyer and artwork."""

    async def search(
        self, where: OrderFilter, *, before: tuple[datetime, UUID] | None, limit: int
    ) -> Sequence[OrderRow]:
        query = (
            select(
                orders.c.id,
                orders.c.reference,
                orders.c.status,
                orders.c.amount,
                orders.c.currency,
                orders.c.artist_share_amount,
                orders.c.platform_fee_amount,
                orders.c.buyer_id,
                users.c.email.label("buyer_email"),
                users.c.display_name.label("buyer_name"),
                orders.c.artist_id,
                orders.c.artwork_id,
                artworks.c.title.label("artwork_title"),
                orders.c.created_at,
                orders.c.paid_at,
                orders.c.refund_status,
                orders.c.attention,
                orders.c.shipping_amount,
                orders.c.ship_to_country,
                orders.c.edition_number,
                shipments.c.status.label("shipment_status"),
                shipments.c.awaiting_since,
            )
            .select_from(
                orders.join(users, users.c.id == orders.c.buyer_id)
                .join(artworks, artworks.c.id == orders.c.artwork_id)
                .outerjoin(shipments, shipments.c.order_id == orders.c.id)
            )
            .order_by(orders.c.created_at.desc(), orders.c.id.desc())
            .limit(limit)
        )
        if where.shipment_status is not None:
            query = query.where(shipments.c.status == ShipmentStatus(where.shipment_status).value)
        if where.awaiting_shipment_before is not None:
            query = query.where(
                shipments.c.status == constant(ShipmentStatus.AWAITING_SHIPMENT.value),
                shipments.c.awaiting_since < where.awaiting_shipment_before,
                orders.c.status != constant(OrderStatus.REFUNDED.value),
            )
        if where.status is not None:
            query = query.where(orders.c.status == constant(OrderStatus(where.status).value))
        if where.currency is not None:
            query = query.where(orders.c.currency == where.currency)
        if where.created_from is not None:
            query = query.where(orders.c.created_at >= where.created_from)
        if where.created_to is not None:
            query = query.where(orders.c.created_at < where.created_to)
        q = (where.q or "").strip()
        if q:
            pattern = substring_pattern(q)
            query = query.where(
                or_(
                    orders.c.reference.ilike(pattern, escape=_ESCAPE),
                    type_coerce(users.c.email, String).ilike(pattern, escape=_ESCAPE),
                    artworks.c.title.ilike(pattern, escape=_ESCAPE),
                )
            )
        if before is not None:
            query = query.where(tuple_(orders.c.created_at, orders.c.id) < tuple(before))
        rows = await self._rows(query)
        return [_order_row(row) for row in rows]


def month_of(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def monthly(rows: Sequence[tuple[datetime, str, int, int, int]]) -> list[MonthlyRevenue]:
    """(paid at, currency, gross, artist share, shipping) rows summed per month and currency, oldest first."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for paid_at, currency, gross, share, shipping in rows:
        total = sums[(month_of(paid_at), currency)]
        total[0] += gross
        total[1] += share
        total[2] += 1
        total[3] += shipping
    return [
        MonthlyRevenue(month, currency, gross, share, count, shipping)
        for (month, currency), (gross, share, count, shipping) in sorted(sums.items())
    ]


class SqlDashboardQueries(SqlReadModel):
    """`DashboardQueries` over the database.

    Months are taken in UTC from `paid_at` in Python: the per-month sums are computed from
    one row per paid order of one artist, which stays small, and the month arithmetic is
    then the same on SQLite and PostgreSQL.
    """

    async def artworks_by_status(self, artist_id: UUID) -> Mapping[ArtworkStatus, int]:
        query = (
            select(artworks.c.status, func.count())
            .where(artworks.c.artist_id == artist_id)
            .group_by(artworks.c.status)
        )
        return {ArtworkStatus(row[0]): int(row[1]) for row in await self._rows(query)}

    async def sales(self, artist_id: UUID, *, limit: int) -> Sequence[Sale]:
        query = (
            select(
                orders.c.id,
                orders.c.artwork_id,
                artworks.c.title,
                users.c.display_name,
                orders.c.amount,
                orders.c.currency,
                orders.c.artist_share_amount,
                orders.c.status,
                orders.c.paid_at,
                orders.c.shipping_amount,
            )
            .select_from(
                orders.join(users, users.c.id == orders.c.buyer_id).join(
                    artworks, artworks.c.id == orders.c.artwork_id
                )
            )
            .where(orders.c.artist_id == artist_id, orders.c.paid_at.is_not(None))
            .order_by(orders.c.paid_at.desc(), orders.c.id.desc())
            .limit(limit)
        )
        return [
            Sale(
                order_id=row.id,
                artwork_id=row.artwork_id,
                artwork_title=row.title,
                buyer_name=str(row.display_name),
                amount=Money(row.amount, row.currency),
                artist_share=Money(row.artist_share_amount, row.currency),
                status=OrderStatus(row.status),
                paid_at=row.paid_at,
                shipping=Money(row.shipping_amount, row.currency),
            )
            for row in await self._rows(query)
        ]

    async def revenue_by_month(self, artist_id: UUID) -> Sequence[MonthlyRevenue]:
        query = select(
            orders.c.paid_at,
            orders.c.currency,
            orders.c.amount,
            orders.c.artist_share_amount,
            orders.c.shipping_amount,
        ).where(
            orders.c.artist_id == artist_id,
            orders.c.paid_at.is_not(None),
            orders.c.status.in_([constant(s.value) for s in sorted(REVENUE_STATUSES)]),
        )
        rows = await self._rows(query)
        return monthly(
            [(r.paid_at, str(r.currency), r.amount, r.artist_share_amount, r.shipping_amount) for r in rows]
        )

    async def top_works(self, artist_id: UUID, *, limit: int) -> Sequence[TopWork]:
        query = (
            select(artworks.c.id, artworks.c.title, artworks.c.status, artworks.c.favorites_count)
            .where(artworks.c.artist_id == artist_id)
            .order_by(artworks.c.favorites_count.desc(), artworks.c.created_at.desc(), artworks.c.id.desc())
            .limit(limit)
        )
        return [
            TopWork(row.id, row.title, ArtworkStatus(row.status), int(row.favorites_count))
            for row in await self._rows(query)
        ]

    async def edition_holders(self, artist_id: UUID, artwork_id: UUID) -> Sequence[EditionHolder]:
        query = (
            select(
                orders.c.edition_number,
                orders.c.id,
                orders.c.reference,
                orders.c.status,
                users.c.display_name,
            )
            .select_from(orders.join(users, users.c.id == orders.c.buyer_id))
            .where(
                orders.c.artist_id == artist_id,
                orders.c.artwork_id == artwork_id,
                orders.c.edition_number.is_not(None),
            )
            .order_by(orders.c.edition_number)
        )
        return [
            EditionHolder(row[0], row[1], row[2], OrderStatus(row[3]), str(row[4]))
            for row in await self._rows(query)
        ]
