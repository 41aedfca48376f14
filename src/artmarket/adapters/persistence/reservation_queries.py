"""`ReservationQueries` in SQLAlchemy Core: orders awaiting payment with buyer and artwork."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from artmarket.adapters.persistence.read_model import SqlReadModel
from artmarket.adapters.persistence.repositories import constant
from artmarket.adapters.persistence.tables.catalog import artworks
from artmarket.adapters.persistence.tables.identity import users
from artmarket.adapters.persistence.tables.orders import orders
from artmarket.application.admin.reservations import LiveReservation
from artmarket.domain.order_lifecycle import OrderStatus


class SqlReservationQueries(SqlReadModel):
    """One query over the partial index of orders awaiting payment."""

    async def awaiting_payment(self, *, limit: int) -> Sequence[LiveReservation]:
        query = (
            select(
                orders.c.id,
                orders.c.reference,
                orders.c.buyer_id,
                users.c.email,
                users.c.display_name,
                orders.c.artwork_id,
                artworks.c.title,
                orders.c.created_at,
                orders.c.expires_at,
                orders.c.client_tag,
            )
            .select_from(
                orders.join(users, users.c.id == orders.c.buyer_id).join(
                    artworks, artworks.c.id == orders.c.artwork_id
                )
            )
            .where(orders.c.status == constant(OrderStatus.AWAITING_PAYMENT.value))
            .order_by(orders.c.created_at, orders.c.id)
            .limit(limit)
        )
        rows = await self._rows(query)
        return [
            LiveReservation(
                order_id=row.id,
                reference=row.reference,
                buyer_id=row.buyer_id,
                buyer_email=str(row.email),
                buyer_name=str(row.display_name),
                artwork_id=row.artwork_id,
                artwork_title=row.title,
                created_at=row.created_at,
                expires_at=row.expires_at,
                client_tag=row.client_tag,
            )
            for row in rows
        ]
