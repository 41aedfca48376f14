"""SQLAlchemy repositories of checkout: orders, payment events, payout accounts, the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_attribute

from artmarket.adapters.observability.tracing import current_trace_context
from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.repositories import (
    constant,
    insert_if_absent,
    newest_first,
    record_of,
    row_of,
    upsert,
)
from artmarket.adapters.persistence.tables.messaging import outbox_messages
from artmarket.adapters.persistence.tables.orders import (
    orders,
    payment_events,
    payout_accounts,
    placement_locks,
)
from artmarket.application.messaging import OutboxMessage, OutboxStatus
from artmarket.application.payments.records import PaymentEventRecord, PayoutAccount
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order

_AWAITING_PAYMENT = constant(OrderStatus.AWAITING_PAYMENT.value)
_PAID = constant(OrderStatus.PAID.value)


class SqlAlchemyOrderRepository:
    """Orders with their history. Two transactions changing one order: the second to commit
    gets ConcurrentUpdate (optimistic version, no row locks); a second live order for one
    artwork is refused at commit with ArtworkNotAvailable (a partial unique index)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, order: Order) -> None:
        self._session.add(order)

    async def get(self, order_id: UUID) -> Order | None:
        with translated_errors():
            return await self._session.get(Order, order_id)

    async def get_by_reference(self, reference: str) -> Order | None:
        return await self._one(select(Order).where(orders.c.reference == reference))

    async def get_by_idempotency_key(self, buyer_id: UUID, key: str) -> tuple[Order, str] | None:
        query = select(Order, orders.c.request_fingerprint).where(
            orders.c.buyer_id == buyer_id, orders.c.idempotency_key == key
        )
        with translated_errors():
            row = (await self._session.execute(query)).one_or_none()
        return None if row is None else (row[0], row[1])

    def remember_idempotency_key(self, order: Order, key: str, fingerprint: str) -> None:
        set_attribute(order, "_idempotency_key", key)
        set_attribute(order, "_request_fingerprint", fingerprint)

    async def take_placement_turn(self, holders: Sequence[str], now: datetime) -> None:
        # A write, not a SELECT ... FOR UPDATE: it takes PostgreSQL's row lock (the row is
        # created on first use) and SQLite's write lock alike, and both are held to the end
        # of the transaction, so the counts read after it are the committed ones.
        with translated_errors():
            for holder in holders:
                values = {"holder": holder, "last_placed_at": now}
                await upsert(self._session, placement_locks, values, key=("holder",))

    async def edition_holdings(self, artwork_id: UUID) -> Sequence[tuple[int, OrderStatus]]:
        query = select(orders.c.edition_number, orders.c.status).where(
            orders.c.artwork_id == artwork_id, orders.c.edition_number.is_not(None)
        )
        with translated_errors():
            rows = (await self._session.execute(query)).all()
        return [(int(number), OrderStatus(status)) for number, status in rows]

    async def count_awaiting_payment(self, buyer_id: UUID) -> int:
        return await self._count_awaiting(orders.c.buyer_id == buyer_id)

    async def count_awaiting_payment_from(self, client_tag: str) -> int:
        return await self._count_awaiting(orders.c.client_tag == client_tag)

    async def _count_awaiting(self, whose: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(orders).where(whose, orders.c.status == _AWAITING_PAYMENT)
        with translated_errors():
            return int((await self._session.scalar(query)) or 0)

    async def list_for_buyer(
        self, buyer_id: UUID, *, status: OrderStatus | None, limit: int, before: tuple[datetime, UUID] | None
    ) -> Sequence[Order]:
        query = newest_first(Order, orders, limit=limit, status=status, before=before)
        return await self._all(query.where(orders.c.buyer_id == buyer_id))

    async def lapsed(self, now: datetime, *, limit: int) -> Sequence[Order]:
        return await self._oldest(_AWAITING_PAYMENT, orders.c.expires_at, orders.c.expires_at <= now, limit)

    async def awaiting_since(self, before: datetime, *, limit: int) -> Sequence[Order]:
        return await self._oldest(_AWAITING_PAYMENT, orders.c.created_at, orders.c.created_at < before, limit)

    async def paid_before(self, before: datetime, *, limit: int) -> Sequence[Order]:
        return await self._oldest(_PAID, orders.c.paid_at, orders.c.paid_at < before, limit)

    async def _oldest(self, status: Any, key: Any, bound: ColumnElement[bool], limit: int) -> Sequence[Order]:
        """The sweepers' queries: orders in `status` within `bound`, oldest `key` first (a partial index)."""
        query = select(Order).where(orders.c.status == status, bound).order_by(key, orders.c.id).limit(limit)
        return await self._all(query)

    async def _one(self, query: Any) -> Order | None:
        with translated_errors():
            return (await self._session.scalars(query)).one_or_none()

    async def _all(self, query: Any) -> Sequence[Order]:
        with translated_errors():
            return (await self._session.scalars(query)).all()


class SqlAlchemyPaymentEventRepository:
    """Provider events, one row per event key, whatever the redeliveries."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_new(self, record: PaymentEventRecord) -> bool:
        row = row_of(record, payload=dict(record.payload))
        with translated_errors():
            return await insert_if_absent(self._session, payment_events, row, key=("key",))

    async def list_for_reference(self, reference: str) -> Sequence[PaymentEventRecord]:
        query = (
            select(payment_events)
            .where(payment_events.c.reference == reference)
            .order_by(payment_events.c.received_at, payment_events.c.key)
        )
        with translated_errors():
            rows = (await self._session.execute(query)).all()
        return [record_of(PaymentEventRecord, row) for row in rows]


class SqlAlchemyPayoutAccountRepository:
    """One payout account per artist; saving replaces the previous one."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, artist_id: UUID) -> PayoutAccount | None:
        query = select(payout_accounts).where(payout_accounts.c.artist_id == artist_id)
        with translated_errors():
            row = (await self._session.execute(query)).one_or_none()
        return None if row is None else record_of(PayoutAccount, row)

    async def save(self, account: PayoutAccount) -> None:
        row = row_of(account)
        with translated_errors():
            await self._session.flush()  # the artist may be new in this transaction
            await upsert(self._session, payout_accounts, row, key=("artist_id",))


class SqlAlchemyOutboxRepository:
    """The transactional outbox; a second message with an existing key is refused at commit
    (ConcurrentUpdate: another transaction already did the same work)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, message: OutboxMessage) -> None:
        if message.trace_context is None:
            message.trace_context = current_trace_context() or None
        self._session.add(message)

    async def pending(self, now: datetime, *, limit: int) -> Sequence[OutboxMessage]:
        query = (
            select(OutboxMessage)
            .where(
                outbox_messages.c.status == constant(OutboxStatus.PENDING.value),
                or_(outbox_messages.c.available_at.is_(None), outbox_messages.c.available_at <= now),
            )
            .order_by(outbox_messages.c.created_at, outbox_messages.c.id)
            .limit(limit)
            # PostgreSQL: the batch stays locked until this transaction ends, and a second
            # relay skips it instead of publishing it again. SQLite renders no locking
            # clause; its single writer serialises the relays' commits anyway.
            .with_for_update(skip_locked=True)
        )
        with translated_errors():
            return (await self._session.scalars(query)).all()

    async def has_key(self, key: str) -> bool:
        query = select(func.count()).select_from(OutboxMessage).where(outbox_messages.c.key == key)
        with translated_errors():
            return bool(await self._session.scalar(query))

    async def get(self, message_id: UUID) -> OutboxMessage | None:
        with translated_errors():
            return await self._session.get(OutboxMessage, message_id)

    async def list(self, *, status: OutboxStatus | None, limit: int) -> Sequence[OutboxMessage]:
        query = newest_first(OutboxMessage, outbox_messages, limit=limit, status=status)
        with translated_errors():
            return (await self._session.scalars(query)).all()
