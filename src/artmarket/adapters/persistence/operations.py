"""The business state behind the metrics: aggregates in SQLAlchemy Core."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.repositories import constant
from artmarket.adapters.persistence.tables.certificate_life import ledger_tasks
from artmarket.adapters.persistence.tables.messaging import outbox_messages
from artmarket.adapters.persistence.tables.minting import mint_jobs
from artmarket.adapters.persistence.tables.notifications import email_deliveries
from artmarket.adapters.persistence.tables.orders import orders
from artmarket.application.messaging import OutboxStatus
from artmarket.application.notifications.deliveries import DeliveryStatus
from artmarket.application.observability import OperationsSnapshot
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.ledger_tasks import TaskStatus
from artmarket.domain.order_lifecycle import OrderStatus

#: Paid but not yet completed: such an order is stuck when it stays so too long.
IN_FULFILMENT = (OrderStatus.PAID, OrderStatus.MINTING)


class SqlOperationsQueries:
    """`OperationsQueries` over the database: a handful of grouped counts on one connection."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def snapshot(self, now: datetime, *, stuck_after: timedelta) -> OperationsSnapshot:
        with translated_errors():
            async with self._engine.connect() as connection:
                orders_by_status = await _grouped(connection, orders.c.status, OrderStatus)
                reservations_live = await connection.scalar(
                    select(func.count())
                    .select_from(orders)
                    .where(
                        orders.c.status == constant(OrderStatus.AWAITING_PAYMENT.value),
                        orders.c.expires_at > now,
                    )
                )
                cutoff = now - stuck_after
                stuck = await connection.scalar(
                    select(func.count())
                    .select_from(orders)
                    .where(
                        or_(
                            and_(
                                orders.c.status.in_([status.value for status in IN_FULFILMENT]),
                                func.coalesce(orders.c.paid_at, orders.c.created_at) < cutoff,
                            ),
                            and_(
                                orders.c.status == constant(OrderStatus.AWAITING_PAYMENT.value),
                                orders.c.expires_at < cutoff,
                            ),
                        )
                    )
                )
                outbox_by_status = await _grouped(connection, outbox_messages.c.status, OutboxStatus)
                oldest_pending = await connection.scalar(
                    select(func.min(outbox_messages.c.created_at)).where(
                        outbox_messages.c.status == constant(OutboxStatus.PENDING.value)
                    )
                )
                mint_jobs_by_status = await _grouped(connection, mint_jobs.c.status, MintJobStatus)
                ledger_tasks_by_status = await _grouped(connection, ledger_tasks.c.status, TaskStatus)
                emails_by_status = await _grouped(connection, email_deliveries.c.status, DeliveryStatus)
        return OperationsSnapshot(
            taken_at=now,
            orders_by_status=orders_by_status,
            reservations_live=int(reservations_live or 0),
            orders_stuck=int(stuck or 0),
            outbox_by_status=outbox_by_status,
            outbox_oldest_pending_age_seconds=age(now, oldest_pending),
            mint_jobs_by_status=mint_jobs_by_status,
            emails_by_status=emails_by_status,
            ledger_tasks_by_status=ledger_tasks_by_status,
        )


async def _grouped(connection: AsyncConnection, column: Any, statuses: Any) -> dict[Any, int]:
    rows = await connection.execute(select(column, func.count()).group_by(column))
    counts = {statuses(status): int(count) for status, count in rows}
    return {status: counts.get(status, 0) for status in statuses}


def age(now: datetime, since: datetime | None) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0
