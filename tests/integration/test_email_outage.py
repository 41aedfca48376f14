"""The acceptance case of notifications, on the real pipeline (SQLite, the outbox relay, the
in-process queue, the SMTP mailer) against a real SMTP server: while the server is down a
certificate is issued and its email waits; once the server is back exactly one copy
arrives, although the delivery ran again and again, and two senders raced for it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

from taskiq import InMemoryBroker
from tests.support.api import FixedClockProvider, app_settings
from tests.support.persistence import NOW, a_user, an_artwork, an_order
from tests.support.smtp_server import SmtpServer

from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.application.messaging import OutboxMessage, Topic
from artmarket.application.notifications.deliveries import DeliveryStatus
from artmarket.application.notifications.use_cases import SendDueEmails
from artmarket.application.relay import MessageHandlers, RelayOutbox
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.bootstrap import make_container, start_messaging, upgrade_database
from artmarket.domain.identity import Role
from artmarket.fakes.clock import FixedClock


async def test_a_certificate_email_waits_out_an_smtp_outage_and_arrives_exactly_once(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    settings = app_settings(
        tmp_path,
        mailer="smtp",
        smtp_host="127.0.0.1",
        smtp_port=str(smtp_server.port),
        smtp_tls="none",
        smtp_timeout_seconds="2",
        mail_from="artmarket <no-reply@art.example>",
        public_base_url="https://art.example",
    )
    await asyncio.to_thread(upgrade_database, settings)
    clock = FixedClock(NOW)
    container = make_container(settings, FixedClockProvider(clock))
    broker = await start_messaging(container)
    assert isinstance(broker, InMemoryBroker)  # the embedded profile runs tasks in-process
    start_mappers()  # before the entities below are made, so the session can track them
    artist, buyer = a_user("Ada Obi", role=Role.ARTIST), a_user("Bola Ade")
    artwork = an_artwork(artist, "Harmattan Light")
    order = an_order(buyer, artwork)
    certificate_id = uuid4()
    payload = {
        "certificate_id": str(certificate_id),
        "order_id": str(order.id),
        "explorer_url": "https://hashscan.io/testnet/transaction/0.0.5-1700000000-000000001",
    }
    try:
        smtp_server.stop()
        # What minting writes when a certificate is issued (its code is elsewhere).
        async with container() as scope:
            uow = await scope.get(UnitOfWork)
            async with uow:
                for entity in (artist, buyer):
                    uow.users.add(entity)
                uow.artworks.add(artwork)
                uow.orders.add(order)
                uow.outbox.add(
                    OutboxMessage(
                        uuid4(), Topic.CERTIFICATE_ISSUED, f"certificate:{certificate_id}", payload, NOW
                    )
                )
                await uow.commit()

        async with container() as scope:
            assert await (await scope.get(RelayOutbox))() == 1
        await broker.wait_all()  # the worker ran the email handler: it tried, and failed
        async with container() as scope:  # the queue delivers the message a second time
            await (await scope.get(MessageHandlers)).handle(Topic.CERTIFICATE_ISSUED, payload)
        for _ in range(2):  # the periodic job, once the back-off has passed, still down
            clock.advance(timedelta(minutes=5))
            async with container() as scope:
                assert await (await scope.get(SendDueEmails))() == 0
        assert smtp_server.received == []
        async with container() as scope:
            uow = await scope.get(UnitOfWork)
            async with uow:
                (waiting,) = await uow.email_deliveries.list(status=None, limit=10)
        assert (waiting.status, waiting.attempts) == (DeliveryStatus.PENDING, 3)
        assert waiting.last_error is not None
        assert waiting.last_error.startswith("unavailable:")

        smtp_server.start()
        clock.advance(timedelta(minutes=5))

        async def send_due() -> int:
            async with container() as scope:
                return await (await scope.get(SendDueEmails))()

        sent = await asyncio.gather(send_due(), send_due(), send_due())
        async with container() as scope:
            await (await scope.get(MessageHandlers)).handle(Topic.CERTIFICATE_ISSUED, payload)
        assert await send_due() == 0
    finally:
        smtp_server.stop()
        await broker.shutdown()
        await container.close()

    assert sorted(sent) == [0, 0, 1]
    (arrived,) = smtp_server.received
    assert arrived.rcpt_tos == [str(buyer.email)]
    assert arrived.message["Message-ID"] == waiting.message_id
    assert arrived.message["Subject"] == "Your certificate of authenticity for “Harmattan Light”"
    text = arrived.part("plain")
    assert f"https://art.example/certificates/{certificate_id}" in text
    assert payload["explorer_url"] in arrived.part("html")
    assert "Hello Bola Ade," in text
