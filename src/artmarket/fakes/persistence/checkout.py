"""In-memory repositories of checkout: orders, payment events, payout accounts, the outbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from artmarket.adapters.observability.tracing import current_trace_context
from artmarket.application.messaging import OutboxMessage, OutboxStatus
from artmarket.application.payments.records import PaymentEventRecord, PayoutAccount
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order
from artmarket.fakes.persistence.database import (
    Workspace,
    newest_first,
)


class InMemoryOrderRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, order: Order) -> None:
        self._work.orders.add(order.id, order)

    async def get(self, order_id: UUID) -> Order | None:
        return self._work.orders.get(order_id)

    async def get_by_reference(self, reference: str) -> Order | None:
        return next(iter(self._work.orders.select(lambda order: order.reference == reference)), None)

    async def get_by_idempotency_key(self, buyer_id: UUID, key: str) -> tuple[Order, str] | None:
        found = self._work.idempotency_keys.get((buyer_id, key))
        if found is None:
            return None
        order = self._work.orders.get(found[0])
        return None if order is None else (order, found[1])

    def remember_idempotency_key(self, order: Order, key: str, fingerprint: str) -> None:
        self._work.idempotency_keys[(order.buyer_id, key)] = (order.id, fingerprint)
        self._work.added_idempotency_keys[(order.buyer_id, key)] = (order.id, fingerprint)

    async def take_placement_turn(self, holders: Sequence[str], now: datetime) -> None:
        """Nothing to wait for: the fast tests place their orders one after another (the
        database repositories are the ones proven under concurrent placements)."""

    async def edition_holdings(self, artwork_id: UUID) -> Sequence[tuple[int, OrderStatus]]:
        found = self._work.orders.select(
            lambda order: order.artwork_id == artwork_id and order.edition_number is not None
        )
        return [(order.edition_number, order.status) for order in found if order.edition_number is not None]

    async def count_awaiting_payment(self, buyer_id: UUID) -> int:
        return len(self._awaiting(lambda order: order.buyer_id == buyer_id))

    async def count_awaiting_payment_from(self, client_tag: str) -> int:
        return len(self._awaiting(lambda order: order.client_tag == client_tag))

    async def list_for_buyer(
        self, buyer_id: UUID, *, status: OrderStatus | None, limit: int, before: tuple[datetime, UUID] | None
    ) -> Sequence[Order]:
        found = self._work.orders.select(
            lambda order: (
                order.buyer_id == buyer_id
                and (status is None or order.status == status)
                and (before is None or (order.created_at, order.id) < before)
            )
        )
        return newest_first(found, "created_at", "id")[:limit]

    async def lapsed(self, now: datetime, *, limit: int) -> Sequence[Order]:
        found = self._awaiting(lambda order: order.expires_at <= now)
        return sorted(found, key=lambda order: (order.expires_at, order.id))[:limit]

    async def awaiting_since(self, before: datetime, *, limit: int) -> Sequence[Order]:
        found = self._awaiting(lambda order: order.created_at < before)
        return sorted(found, key=lambda order: (order.created_at, order.id))[:limit]

    async def paid_before(self, before: datetime, *, limit: int) -> Sequence[Order]:
        found = self._work.orders.select(
            lambda order: (
                order.status is OrderStatus.PAID and order.paid_at is not None and order.paid_at < before
            )
        )
        return sorted(found, key=lambda order: (order.paid_at, order.id))[:limit]

    def _awaiting(self, matches: Callable[[Order], bool]) -> list[Order]:
        return self._work.orders.select(
            lambda order: order.status is OrderStatus.AWAITING_PAYMENT and matches(order)
        )


class InMemoryPaymentEventRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    async def add_if_new(self, record: PaymentEventRecord) -> bool:
        if record.key in self._work.payment_events or record.key in self._work.added_payment_events:
            return False
        self._work.added_payment_events[record.key] = replace(record, payload=dict(record.payload))
        return True

    async def list_for_reference(self, reference: str) -> Sequence[PaymentEventRecord]:
        events = {**self._work.payment_events, **self._work.added_payment_events}.values()
        found = [event for event in events if event.reference == reference]
        return sorted(found, key=lambda event: (event.received_at, event.key))


class InMemoryPayoutAccountRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    async def get(self, artist_id: UUID) -> PayoutAccount | None:
        saved = self._work.saved_payout_accounts.get(artist_id)
        return saved if saved is not None else self._work.payout_accounts.get(artist_id)

    async def save(self, account: PayoutAccount) -> None:
        self._work.saved_payout_accounts[account.artist_id] = account


class InMemoryOutboxRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, message: OutboxMessage) -> None:
        if message.trace_context is None:
            message.trace_context = current_trace_context() or None
        self._work.outbox.add(message.id, message)

    async def pending(self, now: datetime, *, limit: int) -> Sequence[OutboxMessage]:
        found = self._work.outbox.select(
            lambda m: m.status is OutboxStatus.PENDING and (m.available_at is None or m.available_at <= now)
        )
        return sorted(found, key=lambda message: (message.created_at, message.id))[:limit]

    async def has_key(self, key: str) -> bool:
        return bool(self._work.outbox.select(lambda message: message.key == key))

    async def get(self, message_id: UUID) -> OutboxMessage | None:
        return self._work.outbox.get(message_id)

    async def list(self, *, status: OutboxStatus | None, limit: int) -> Sequence[OutboxMessage]:
        found = self._work.outbox.select(lambda message: status is None or message.status == status)
        return newest_first(found, "created_at", "id")[:limit]
