"""Delivery of email from outbox events, on the in-memory fakes: each email is recorded once
per event, sent once whoever tries, waits while the mail server is down, and gives up into
the operator's hands after its retries."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from litestar.stores.memory import MemoryStore
from tests.support.minting import OPERATOR
from tests.support.persistence import NOW, a_user, an_artwork, an_order

from artmarket.adapters.ratelimit.store import StoreRateLimiter
from artmarket.adapters.security.clock import Uuid7Ids
from artmarket.adapters.security.password_strength import ZxcvbnPasswordStrength
from artmarket.application.account_tokens import AccountTokenCodec
from artmarket.application.identity.passwords import (
    ConfirmPasswordReset,
    PasswordResetPolicy,
    RequestPasswordReset,
    SendPasswordResetLink,
)
from artmarket.application.identity.registration import RegisterUser, RegistrationPolicy, VerifyEmail
from artmarket.application.messages import (
    CertificateIssued,
    KycDecided,
    OrderAwaitingPayment,
    OrderPaid,
    OrderRefunded,
    PasswordResetAsked,
    PaymentEventReceived,
    ReservationExpired,
    decode_message,
)
from artmarket.application.messaging import Topic
from artmarket.application.notifications.deliveries import DeliveryNotRetryable, DeliveryStatus, EmailDelivery
from artmarket.application.notifications.event_emails import NotifyByEmail
from artmarket.application.notifications.outbox import ListOutbox, RetryOutbox
from artmarket.application.notifications.ports import Mailbox
from artmarket.application.notifications.rendering import EmailRenderer
from artmarket.application.notifications.sending import DeliverEmail, NotificationPolicy, SendDueEmails
from artmarket.application.ports import Limit
from artmarket.domain.artists import KycCase
from artmarket.domain.identity import AccountTokenInvalid, Role, TokenFamily, User
from artmarket.domain.orders import Order, PaymentEvidence
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.mailer import InMemoryMailer
from artmarket.fakes.passwords import FakePasswordHasher
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork

BASE = "https://art.example"
LINK = re.compile(r"https://art\.example/account/[a-z-]+\?token=[A-Za-z0-9_-]+")


class Harness:
    """The notification use cases over one in-memory database, a fixed clock and a fake mailer."""

    def __init__(self, *, max_attempts: int = 3) -> None:
        self.db = InMemoryDatabase()
        self.clock = FixedClock(NOW)
        self.mailer = InMemoryMailer()
        self.codec = AccountTokenCodec(b"k" * 32)
        self.ids = Uuid7Ids()
        self.policy = NotificationPolicy(
            sender=Mailbox("no-reply@art.example", "artmarket"),
            public_base_url=BASE,
            max_attempts=max_attempts,
            lease=timedelta(minutes=1),
        )
        self.renderer = EmailRenderer(BASE, self.codec)

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.db)

    def deliver(self) -> DeliverEmail:
        return DeliverEmail(self.uow(), self.mailer, self.renderer, self.clock, self.policy)

    def notify(self) -> NotifyByEmail:
        return NotifyByEmail(self.uow(), self.deliver(), self.ids, self.clock, self.policy)

    def send_due(self) -> SendDueEmails:
        return SendDueEmails(self.uow(), self.deliver(), self.clock)

    async def handle_outbox(self) -> None:
        """What the relay and the worker do: every outbox message reaches the email handler."""
        for message in list(self.db.outbox.values()):
            await self.notify().handle(decode_message(message.topic, message.payload, message.version))

    async def store(self, *entities: object) -> None:
        async with self.uow() as uow:
            for entity in entities:
                getattr(uow, _REPOSITORY[type(entity).__name__]).add(entity)
            await uow.commit()

    def deliveries(self) -> list[EmailDelivery]:
        return list(self.db.email_deliveries.values())


_REPOSITORY = {
    "User": "users",
    "Artwork": "artworks",
    "Order": "orders",
    "KycCase": "kyc_cases",
    "OutboxMessage": "outbox",
    "TokenFamily": "token_families",
}


async def a_paid_order(h: Harness) -> tuple[User, User, Order]:
    artist, buyer = a_user("Ada <b>Obi</b>", role=Role.ARTIST), a_user("Bola Ade")
    artwork = an_artwork(artist, "Harmattan <Light>")
    order = an_order(buyer, artwork)
    evidence = PaymentEvidence(order.reference, True, order.amount, order.amount, NOW, "success")
    order.confirm_payment(evidence, NOW)
    await h.store(artist, buyer, artwork, order)
    return artist, buyer, order


async def test_a_paid_order_emails_the_buyer_and_the_artist_once_however_often_the_event_comes() -> None:
    h = Harness()
    artist, buyer, order = await a_paid_order(h)
    paid = OrderPaid(order.id)

    assert await h.notify().handle(paid) == 2
    assert await h.notify().handle(paid) == 0
    assert await h.notify().handle(OrderPaid(order.id)) == 0

    assert [(e.to.address, e.to.name) for e in h.mailer.sent] == [
        (str(buyer.email), "Bola Ade"),
        (str(artist.email), "Ada <b>Obi</b>"),
    ]
    received, sold = h.mailer.sent
    assert received.subject == "Payment received for “Harmattan <Light>”"
    assert "₦25,000" in received.text
    assert f"{BASE}/orders/{order.id}" in received.text
    assert "Harmattan &lt;Light&gt;" in sold.html
    assert "Ada &lt;b&gt;Obi&lt;/b&gt;" in sold.html
    assert "₦22,500" in sold.text  # the artist's share after 10 %
    assert re.fullmatch(r"<[0-9a-f-]{36}\.payment_received@art\.example>", received.message_id)
    assert sold.message_id.endswith(".artwork_sold@art.example>")
    assert len(h.deliveries()) == 2


async def test_while_the_mail_server_is_down_the_email_waits_and_then_arrives_exactly_once() -> None:
    h = Harness(max_attempts=5)
    _, buyer, order = await a_paid_order(h)
    issued = CertificateIssued(uuid4(), order.id)
    h.mailer.available = False

    assert await h.notify().handle(issued) == 0
    assert await h.notify().handle(issued) == 0  # the event came twice
    assert await h.send_due()() == 0
    (waiting,) = h.deliveries()
    assert (waiting.status, waiting.attempts) == (DeliveryStatus.PENDING, 1)
    assert waiting.next_attempt_at == NOW + timedelta(seconds=30)
    assert waiting.last_error == "unavailable: the fake mail server is down"

    h.mailer.available = True
    assert await h.send_due()() == 0  # the back-off has not passed
    h.clock.advance(timedelta(seconds=30))
    assert await h.send_due()() == 1
    assert await h.send_due()() == 0
    assert await h.notify().handle(issued) == 0

    assert [e.to.address for e in h.mailer.sent] == [str(buyer.email)]
    assert f"{BASE}/certificates/{issued.certificate_id}" in h.mailer.sent[0].text
    (sent,) = h.deliveries()
    assert (sent.status, sent.attempts, sent.sent_at) == (DeliveryStatus.SENT, 2, NOW + timedelta(seconds=30))


async def test_after_its_retries_an_email_waits_for_an_operator_who_can_send_it_again() -> None:
    h = Harness(max_attempts=3)
    _, _, order = await a_paid_order(h)
    h.mailer.available = False
    await h.notify().handle(OrderRefunded(order.id))
    for backoff in (30, 60):
        h.clock.advance(timedelta(seconds=backoff))
        assert await h.send_due()() == 0
    (failed,) = h.deliveries()
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 3)
    h.clock.advance(timedelta(days=1))
    assert await h.send_due()() == 0
    listed = await ListOutbox(h.uow())(status="failed")
    assert [(e.id, e.channel, e.name) for e in listed] == [(failed.id, "email", "order_refunded")]

    h.mailer.available = True
    retried = await RetryOutbox(h.uow(), h.ids, h.clock)(OPERATOR, failed.id)
    assert (retried.status, retried.attempts) == ("pending", 0)
    assert await h.send_due()() == 1
    with pytest.raises(DeliveryNotRetryable):
        await RetryOutbox(h.uow(), h.ids, h.clock)(OPERATOR, failed.id)
    assert len(h.mailer.sent) == 1


async def test_a_recipient_the_server_refuses_fails_at_once() -> None:
    h = Harness(max_attempts=10)
    _, buyer, order = await a_paid_order(h)
    h.mailer.refused.add(str(buyer.email))

    await h.notify().handle(ReservationExpired(order.id))

    (failed,) = h.deliveries()
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 1)
    assert failed.last_error is not None
    assert failed.last_error.startswith("rejected: 550")


async def test_a_delivery_someone_else_holds_is_not_sent_again() -> None:
    h = Harness()
    _, _, order = await a_paid_order(h)
    h.mailer.available = False
    await h.notify().handle(OrderRefunded(order.id))
    (delivery,) = h.deliveries()
    h.clock.advance(timedelta(seconds=30))
    async with h.uow() as uow:  # another worker claims it and is still sending
        held = await uow.email_deliveries.get(delivery.id)
        assert held is not None
        assert held.claim(h.clock.now(), timedelta(minutes=1))
        await uow.commit()
    h.mailer.available = True

    assert await h.deliver()(delivery.id) is False
    assert await h.send_due()() == 0
    assert h.mailer.sent == []


async def test_registration_sends_a_verification_link_that_works_once() -> None:
    h = Harness()
    register = RegisterUser(
        h.uow(),
        FakePasswordHasher(),
        ZxcvbnPasswordStrength(),
        h.ids,
        h.clock,
        h.codec,
        StoreRateLimiter(MemoryStore()),
        RegistrationPolicy(Limit(10, timedelta(hours=1))),
    )
    user = await register(
        email="Ada@Example.com",
        password="violet kettle under snow",
        display_name="Ada",
        role=Role.BUYER,
        client_address="192.0.2.1",
    )
    await h.handle_outbox()

    (welcome,) = h.mailer.sent
    assert welcome.to.address == "ada@example.com"
    link = LINK.search(welcome.text)
    assert link is not None
    assert link.group(0).startswith(f"{BASE}/account/verify-email?token=")
    token = link.group(0).rsplit("=", 1)[1]
    assert all(token not in str(row.context) for row in h.db.email_deliveries.values())
    assert all(token not in str(message.payload) for message in h.db.outbox.values())

    verified = await VerifyEmail(h.uow(), h.clock)(token)
    assert verified.id == user.id
    assert verified.email_verified_at == NOW
    with pytest.raises(AccountTokenInvalid):
        await VerifyEmail(h.uow(), h.clock)(token)
    with pytest.raises(AccountTokenInvalid):
        await VerifyEmail(h.uow(), h.clock)("made-up")


async def test_a_reset_for_an_unknown_email_does_what_a_known_one_does_minus_the_email() -> None:
    h = Harness()
    user = a_user("Ada")
    family = TokenFamily.start(
        id=uuid4(), user_id=user.id, first_token_hash="f" * 64, now=NOW, ttl=timedelta(days=1)
    )
    await h.store(user, family)
    limiter = StoreRateLimiter(MemoryStore())
    request = RequestPasswordReset(
        h.uow(), h.ids, h.clock, limiter, PasswordResetPolicy(Limit(2, timedelta(hours=1)))
    )
    send_link = SendPasswordResetLink(h.uow(), h.ids, h.clock, h.codec)

    async def handle_reset_requests() -> None:
        """What the worker does with each request: look the address up, off the request."""
        for message in list(h.db.outbox.values()):
            asked = decode_message(message.topic, message.payload, message.version)
            if isinstance(asked, PasswordResetAsked):
                await send_link.handle(asked)

    await request("nobody@example.com")
    await request("not an email")
    await handle_reset_requests()
    assert [m.topic for m in h.db.outbox.values()] == [Topic.PASSWORD_RESET_ASKED]
    await request(str(user.email).upper())
    await handle_reset_requests()
    await handle_reset_requests()  # a redelivered request sends no second link
    await h.handle_outbox()
    (reset,) = h.mailer.sent
    link = LINK.search(reset.text)
    assert link is not None
    token = link.group(0).rsplit("=", 1)[1]

    confirm = ConfirmPasswordReset(h.uow(), FakePasswordHasher(), ZxcvbnPasswordStrength(), h.clock)
    await confirm(token, "a brand new password")
    assert h.db.users[user.id].password_hash == FakePasswordHasher.digest("a brand new password")
    assert h.db.token_families[family.id].is_revoked
    with pytest.raises(AccountTokenInvalid):
        await confirm(token, "another new password")

    await request(str(user.email))  # the second within the hour
    await request(str(user.email))  # over the limit: silently dropped
    assert len([m for m in h.db.outbox.values() if m.topic is Topic.PASSWORD_RESET_ASKED]) == 3


async def test_kyc_decisions_reach_the_artist_with_the_reason() -> None:
    h = Harness()
    artist = a_user("Ada", role=Role.ARTIST)
    case = KycCase.submit(
        id=uuid4(),
        artist_id=artist.id,
        legal_name="Ada Obi",
        country="NG",
        document_key="k",
        document_content_type="application/pdf",
        now=NOW,
        previous=None,
    )
    case.reject(reviewer_id=artist.id, now=NOW, reason="The <photo> is blurred")
    await h.store(artist, case)

    await h.notify().handle(KycDecided(case.id))

    (email,) = h.mailer.sent
    assert email.subject == "We could not verify your identity"
    assert "Reason: The <photo> is blurred" in email.text
    assert "The &lt;photo&gt; is blurred" in email.html


async def test_an_order_awaiting_payment_links_back_to_the_payment_page() -> None:
    h = Harness()
    artist, buyer = a_user("Ada", role=Role.ARTIST), a_user("Bola")
    artwork = an_artwork(artist)
    order = an_order(buyer, artwork)
    order.attach_checkout("https://checkout.paystack.com/xyz")
    await h.store(artist, buyer, artwork, order)

    await h.notify().handle(OrderAwaitingPayment(order.id))

    (email,) = h.mailer.sent
    assert "https://checkout.paystack.com/xyz" in email.text
    assert "1 Mar 2026, 09:45 UTC" in email.text  # the reservation's end


async def test_events_that_concern_nobody_by_email_send_nothing() -> None:
    h = Harness()
    assert await h.notify().handle(PaymentEventReceived("am-1", "charge.success", "evt-1")) == 0
    assert await h.notify().handle(OrderPaid(UUID(int=1))) == 0
    assert h.deliveries() == []
