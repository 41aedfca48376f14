"""The metrics' read port, once per implementation: in memory, SQLite, PostgreSQL.

One snapshot counts orders by status, live reservations, stuck orders, the outbox (and the
age of its oldest pending message), mint jobs and emails by status; every status is
present, zero or not.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from tests.support.persistence import NOW, Storage, a_user, an_artwork, an_order, store

from artmarket.adapters.persistence.operations import SqlOperationsQueries
from artmarket.application.messaging import OutboxMessage, OutboxStatus, Topic
from artmarket.application.notifications.deliveries import DeliveryStatus, EmailDelivery, EmailKind
from artmarket.application.observability import OperationsQueries
from artmarket.domain.certificates import MintJob, MintJobStatus
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order, PaymentEvidence
from artmarket.fakes.persistence import InMemoryOperationsQueries, InMemoryUnitOfWork

STUCK_AFTER = timedelta(minutes=15)


def queries(storage: Storage) -> OperationsQueries:
    if storage.engine is None:
        uow = storage.new_uow()
        assert isinstance(uow, InMemoryUnitOfWork)
        return InMemoryOperationsQueries(uow.db)
    return SqlOperationsQueries(storage.engine)


def paid(order: Order, at: datetime) -> Order:
    evidence = PaymentEvidence(order.reference, True, order.amount, order.amount, at, "success")
    order.confirm_payment(evidence, at)
    return order


def an_email(status: DeliveryStatus) -> EmailDelivery:
    return EmailDelivery(
        id=uuid4(),
        message_id=f"<{uuid4()}@art.example>",
        kind=EmailKind.PAYMENT_RECEIVED,
        recipient="ada@example.com",
        recipient_name="Ada",
        context={},
        created_at=NOW,
        status=status,
    )


async def test_an_empty_marketplace_reports_every_status_at_zero(storage: Storage) -> None:
    snapshot = await queries(storage).snapshot(NOW, stuck_after=STUCK_AFTER)

    assert snapshot.taken_at == NOW
    assert snapshot.orders_by_status == dict.fromkeys(OrderStatus, 0)
    assert snapshot.outbox_by_status == dict.fromkeys(OutboxStatus, 0)
    assert snapshot.mint_jobs_by_status == dict.fromkeys(MintJobStatus, 0)
    assert snapshot.ledger_tasks_by_status == dict.fromkeys(MintJobStatus, 0)  # tasks share the statuses
    assert snapshot.emails_by_status == dict.fromkeys(DeliveryStatus, 0)
    assert (snapshot.reservations_live, snapshot.orders_stuck) == (0, 0)
    assert snapshot.outbox_oldest_pending_age_seconds == 0.0


async def test_orders_reservations_and_stuck_orders_are_counted(storage: Storage) -> None:
    artist, ada = a_user("Kemi Artist"), a_user("Ada Buyer")
    works = [an_artwork(artist, f"Work {n}") for n in range(5)]
    holding = an_order(ada, works[0], at=NOW - timedelta(minutes=5))  # reservation still live
    lapsed = an_order(ada, works[1], at=NOW - timedelta(hours=1))  # 45 min past expiry: stuck
    just_paid = paid(an_order(ada, works[2], at=NOW - timedelta(minutes=3)), NOW - timedelta(minutes=2))
    long_paid = paid(an_order(ada, works[3], at=NOW - timedelta(hours=2)), NOW - timedelta(hours=2))
    cancelled = an_order(ada, works[4], at=NOW - timedelta(hours=3))
    cancelled.cancel(NOW - timedelta(hours=3))
    await store(storage, artist, ada, *works, holding, lapsed, just_paid, long_paid, cancelled)

    snapshot = await queries(storage).snapshot(NOW, stuck_after=STUCK_AFTER)

    assert snapshot.orders_by_status == {
        **dict.fromkeys(OrderStatus, 0),
        OrderStatus.AWAITING_PAYMENT: 2,
        OrderStatus.PAID: 2,
        OrderStatus.CANCELLED: 1,
    }
    assert snapshot.reservations_live == 1
    assert snapshot.orders_stuck == 2  # the lapsed unpaid one and the one paid two hours ago


async def test_the_outbox_lag_is_the_age_of_its_oldest_pending_message(storage: Storage) -> None:
    def message(age: timedelta, status: OutboxStatus) -> OutboxMessage:
        return OutboxMessage(uuid4(), Topic.ORDER_PAID, f"k-{uuid4()}", {"n": "1"}, NOW - age, status=status)

    async with storage.new_uow() as uow:
        uow.outbox.add(message(timedelta(minutes=10), OutboxStatus.PUBLISHED))
        uow.outbox.add(message(timedelta(seconds=90), OutboxStatus.PENDING))
        uow.outbox.add(message(timedelta(seconds=5), OutboxStatus.PENDING))
        uow.outbox.add(message(timedelta(hours=1), OutboxStatus.FAILED))
        await uow.commit()

    snapshot = await queries(storage).snapshot(NOW, stuck_after=STUCK_AFTER)

    assert snapshot.outbox_by_status == {
        OutboxStatus.PENDING: 2,
        OutboxStatus.PUBLISHED: 1,
        OutboxStatus.FAILED: 1,
    }
    assert snapshot.outbox_oldest_pending_age_seconds == pytest.approx(90.0)


async def test_mint_jobs_and_emails_are_counted_by_status(storage: Storage) -> None:
    artist, ada = a_user("Kemi Artist"), a_user("Ada Buyer")
    works = [an_artwork(artist, f"Work {n}") for n in range(3)]
    orders = [paid(an_order(ada, work), NOW) for work in works]
    await store(storage, artist, ada, *works, *orders)
    jobs = [MintJob(uuid4(), order.id, NOW) for order in orders]
    jobs[2].fail("TOKEN_HAS_NO_SUPPLY_KEY", NOW)
    async with storage.new_uow() as uow:
        for job in jobs:
            uow.mint_jobs.add(job)
        uow.email_deliveries.add(an_email(DeliveryStatus.PENDING))
        uow.email_deliveries.add(an_email(DeliveryStatus.FAILED))
        uow.email_deliveries.add(an_email(DeliveryStatus.FAILED))
        await uow.commit()

    snapshot = await queries(storage).snapshot(NOW, stuck_after=STUCK_AFTER)

    assert snapshot.mint_jobs_by_status == {
        **dict.fromkeys(MintJobStatus, 0),
        MintJobStatus.QUEUED: 2,
        MintJobStatus.FAILED: 1,
    }
    assert snapshot.emails_by_status == {
        DeliveryStatus.PENDING: 1,
        DeliveryStatus.SENT: 0,
        DeliveryStatus.FAILED: 2,
    }
