"""Outbox rows written by the code before typed messages are still delivered after the upgrade.

A database at the revision before outbox versions gets one pending row per topic, inserted
with exactly the columns and payload shapes the old code wrote; after `0011_outbox_versions`
the real wiring (relay, in-process queue, worker task, subscription table) delivers them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import MetaData, Table, insert
from taskiq import InMemoryBroker
from tests.support.api import FixedClockProvider, app_settings
from tests.support.persistence import NOW, a_user, an_artwork, an_order

from artmarket.adapters.persistence import migrate
from artmarket.adapters.persistence.database import create_engine
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.tables.messaging import outbox_messages
from artmarket.application.messages import MESSAGE_TYPES, decode_message
from artmarket.application.messaging import OutboxStatus, Topic
from artmarket.application.notifications.deliveries import EmailKind
from artmarket.application.relay import RelayOutbox
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.bootstrap import make_container, start_messaging
from artmarket.domain.identity import Role
from artmarket.domain.orders import PaymentEvidence
from artmarket.fakes.clock import FixedClock

BEFORE_VERSIONS = "0010_reservation_caps"
URL_FIXTURES = {"sqlite": "sqlite_url", "postgresql": "postgres_url"}
#: Topics that came after outbox versions: no row of the old code can carry them.
NEWER_TOPICS = frozenset(
    {
        Topic.CERTIFICATE_REVOCATION_DUE,
        Topic.LEDGER_TASK_QUEUED,
        Topic.LEDGER_TASK_SUCCEEDED,
        Topic.VERIFICATION_EMAIL_REQUESTED,
    }
)

#: The outbox table as the code before typed messages knew it: no `version` column.
OLD_OUTBOX = Table(
    "outbox_messages",
    MetaData(),
    *(column._copy() for column in outbox_messages.columns if column.name != "version"),
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(URL_FIXTURES[request.param]))


def old_rows(order_id: UUID, email: str) -> list[tuple[Topic, str, dict[str, str]]]:
    """One row per topic: (topic, key, payload) exactly as the old use cases built them."""
    missing = str(uuid4())  # the rows whose delivery is not checked here name nothing that exists
    request_id, certificate_id = str(uuid4()), str(uuid4())
    return [
        (
            Topic.PAYMENT_EVENT_RECEIVED,
            "payment-event:evt-1",
            {"reference": "am-x", "event": "charge.success"},
        ),
        (
            Topic.REFUND_EVENT_RECEIVED,
            "payment-event:evt-2",
            {"reference": "am-x", "event": "refund.processed"},
        ),
        (Topic.ORDER_PAID, f"order-paid:{order_id}", {"order_id": str(order_id)}),
        (Topic.LATE_PAYMENT_REFUND, f"late-refund:{missing}", {"order_id": missing}),
        (Topic.USER_REGISTERED, f"user-registered:{missing}", {"user_id": missing, "token_id": missing}),
        (
            Topic.PASSWORD_RESET_REQUESTED,
            f"password-reset:{uuid4()}",
            {"user_id": missing, "token_id": missing},
        ),
        (
            Topic.PASSWORD_RESET_ASKED,
            f"password-reset-asked:{request_id}",
            {"email": email, "request_id": request_id},
        ),
        (Topic.ORDER_AWAITING_PAYMENT, f"order-awaiting-payment:{missing}", {"order_id": missing}),
        (Topic.RESERVATION_EXPIRED, f"reservation-expired:{order_id}", {"order_id": str(order_id)}),
        (Topic.ORDER_REFUNDED, f"order-refunded:{missing}", {"order_id": missing}),
        (Topic.KYC_DECIDED, f"kyc-decided:{missing}", {"case_id": missing}),
        (
            Topic.CERTIFICATE_ISSUED,
            f"certificate-issued:{certificate_id}",
            {"certificate_id": certificate_id, "order_id": str(order_id)},
        ),
        (Topic.SHIPMENT_SHIPPED, f"shipment-shipped:{missing}", {"order_id": missing}),
        (Topic.SHIPMENT_REMINDER, f"shipment-reminder:{missing}:1", {"order_id": missing, "reminder": "1"}),
        (Topic.DELIVERY_PROBLEM_REPORTED, f"delivery-problem:{missing}", {"order_id": missing}),
    ]


async def insert_old_rows(url: str, rows: list[tuple[Topic, str, dict[str, str]]]) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(OLD_OUTBOX),
                [
                    {
                        "id": uuid4(),
                        "topic": topic,
                        "key": key,
                        "payload": payload,
                        "status": OutboxStatus.PENDING,
                        "attempts": 0,
                        "created_at": NOW,
                    }
                    for topic, key, payload in rows
                ],
            )
    finally:
        await engine.dispose()


async def test_old_outbox_rows_are_delivered_after_the_upgrade(
    empty_database_url: str, tmp_path: Path
) -> None:
    start_mappers()  # before the entities below are made, so the session can track them
    artist, buyer = a_user("Ada Obi", role=Role.ARTIST), a_user("Bola Ade")
    artwork = an_artwork(artist, "Harmattan Light")
    order = an_order(buyer, artwork)
    order.confirm_payment(
        PaymentEvidence(order.reference, True, order.amount, order.amount, NOW, "success"), NOW
    )
    rows = old_rows(order.id, str(buyer.email))
    assert {topic for topic, _, _ in rows} == set(Topic) - NEWER_TOPICS

    await asyncio.to_thread(migrate.upgrade, empty_database_url, BEFORE_VERSIONS)
    await insert_old_rows(empty_database_url, rows)
    await asyncio.to_thread(migrate.upgrade, empty_database_url)

    settings = app_settings(tmp_path, database_url=empty_database_url)
    container = make_container(settings, FixedClockProvider(FixedClock(NOW)))
    broker = await start_messaging(container)
    assert isinstance(broker, InMemoryBroker)  # the embedded profile's in-process queue
    try:
        async with container() as scope:
            uow = await scope.get(UnitOfWork)
            async with uow:
                stored = await uow.outbox.pending(NOW, limit=100)
                # Every old row reads as its typed message, version 1, and encodes back to itself.
                for message in stored:
                    assert message.version == 1
                    typed = decode_message(message.topic, message.payload, message.version)
                    assert type(typed) is MESSAGE_TYPES[message.topic]
                    assert typed.encode() == message.payload
                for entity in (artist, buyer):
                    uow.users.add(entity)
                uow.artworks.add(artwork)
                uow.orders.add(order)
                await uow.commit()
        assert len(stored) == len(rows)

        for _ in range(2):  # the reset request's handler writes a message of its own: relay it too
            async with container() as scope:
                await (await scope.get(RelayOutbox))()
            await broker.wait_all()

        async with container() as scope:
            uow = await scope.get(UnitOfWork)
            async with uow:
                messages = await uow.outbox.list(status=None, limit=100)
                deliveries = await uow.email_deliveries.list(status=None, limit=100)
                job = await uow.mint_jobs.get_for_order(order.id)
    finally:
        await broker.shutdown()
        await container.close()

    assert {m.status for m in messages} == {OutboxStatus.PUBLISHED}
    assert len(messages) == len(rows) + 1  # the reset link's PasswordResetRequested
    assert job is not None  # ORDER_PAID: the order's mint job is queued
    emailed = {(d.kind, d.recipient) for d in deliveries}
    assert {
        (EmailKind.PAYMENT_RECEIVED, str(buyer.email)),  # ORDER_PAID
        (EmailKind.ARTWORK_SOLD, str(artist.email)),  # ORDER_PAID
        (EmailKind.CERTIFICATE_ISSUED, str(buyer.email)),  # CERTIFICATE_ISSUED
        (EmailKind.RESERVATION_EXPIRED, str(buyer.email)),  # RESERVATION_EXPIRED
        (EmailKind.PASSWORD_RESET, str(buyer.email)),  # PASSWORD_RESET_ASKED, then REQUESTED
    } <= emailed
