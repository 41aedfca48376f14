"""Notification use cases: events become email deliveries, deliveries are sent once, operators repair."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from artmarket.application.account_tokens import RESET_PASSWORD_TTL, VERIFY_EMAIL_TTL
from artmarket.application.audit import Actor, record_audit
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.messaging import OutboxMessage, OutboxStatus, Topic
from artmarket.application.notifications.deliveries import (
    DeliveryNotRetryable,
    DeliveryStatus,
    EmailDelivery,
    EmailKind,
    event_id,
    message_id_for,
)
from artmarket.application.notifications.ports import (
    Mailbox,
    Mailer,
    MailerUnavailable,
    MailRejected,
    OutgoingEmail,
    single_line,
)
from artmarket.application.notifications.rendering import TOKEN_ID, EmailRenderer, format_money, format_time
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import KycStatus
from artmarket.domain.audit import AuditAction
from artmarket.domain.errors import NotFound
from artmarket.domain.identity import Role, User, UserStatus
from artmarket.domain.orders import Order, OrderStatus
from artmarket.domain.shipments import ShipmentStatus

_URL = re.compile(r"^https?://[^\s<>\"']+$")


@dataclass(frozen=True, slots=True)
class NotificationPolicy:
    """Who emails come from, where their links lead, how often a delivery is tried.

    `lease` is how long a sender holds a delivery: longer than one attempt can last (the
    mailer's timeouts), so nobody else takes it over while it is in flight.
    """

    sender: Mailbox
    public_base_url: str
    max_attempts: int
    lease: timedelta

    def url(self, path: str) -> str:
        return f"{self.public_base_url.rstrip('/')}{path}"


@dataclass(frozen=True, slots=True)
class EmailRequest:
    """One email an event causes: its kind, its recipient and what the templates show."""

    kind: EmailKind
    to: User
    context: dict[str, str]
    #: Tells apart recipients of one kind of email for one event (see `message_id_for`).
    recipient_key: str | None = None


class DeliverEmail:
    """Send one delivery if it is due and nobody else holds it.

    Rules: the claim (which counts as an attempt) is committed before the mail server is
    called, so two senders never send one delivery at once; the delivery is marked sent
    only after the server accepted it; a temporary failure backs off exponentially, and
    after `max_attempts`, or at once on a permanent refusal, the delivery is failed and
    waits for an operator. A crash between the server's acceptance and the record costs
    at most one repeat after the lease, with the same Message-ID.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        mailer: Mailer,
        renderer: EmailRenderer,
        clock: Clock,
        policy: NotificationPolicy,
    ) -> None:
        self._uow = uow
        self._mailer = mailer
        self._renderer = renderer
        self._clock = clock
        self._policy = policy

    async def __call__(self, delivery_id: UUID) -> bool:
        """True when this call sent the email."""
        delivery = await self._claim(delivery_id)
        if delivery is None:
            return False
        error: str | None = None
        permanent = False
        try:
            email = self._compose(delivery)
        except Exception as failure:  # a template or a stored address that cannot work: retrying won't help
            error, permanent = f"cannot render: {type(failure).__name__}: {failure}", True
        else:
            try:
                await self._mailer.send(email)
            except MailRejected as failure:
                error, permanent = f"rejected: {failure.message}", True
            except MailerUnavailable as failure:
                error = f"unavailable: {failure.message}"
            except Exception as failure:  # an adapter's unexpected error: try again later
                error = f"{type(failure).__name__}: {failure}"
        await self._record(delivery_id, error, permanent)
        return error is None

    async def _claim(self, delivery_id: UUID) -> EmailDelivery | None:
        try:
            async with self._uow as uow:
                delivery = await uow.email_deliveries.get(delivery_id)
                if delivery is None or not delivery.claim(self._clock.now(), self._policy.lease):
                    return None
                await uow.commit()
        except ConcurrentUpdate:
            return None  # another sender claimed it first
        return delivery

    def _compose(self, delivery: EmailDelivery) -> OutgoingEmail:
        rendered = self._renderer.render(delivery.kind, delivery.context)
        return OutgoingEmail(
            message_id=delivery.message_id,
            sender=self._policy.sender,
            to=Mailbox(delivery.recipient, single_line(delivery.recipient_name or "") or None),
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
        )

    async def _record(self, delivery_id: UUID, error: str | None, permanent: bool) -> None:
        async with self._uow as uow:
            delivery = await uow.email_deliveries.get(delivery_id)
            if delivery is None:
                return
            now = self._clock.now()
            if error is None:
                delivery.mark_sent(now)
            else:
                delivery.mark_attempt_failed(
                    error, now, max_attempts=self._policy.max_attempts, permanent=permanent
                )
            await uow.commit()


class SendDueEmails:
    """Periodic: send every pending email whose next attempt is due (oldest first)."""

    def __init__(self, uow: UnitOfWork, deliver: DeliverEmail, clock: Clock) -> None:
        self._uow = uow
        self._deliver = deliver
        self._clock = clock

    async def __call__(self, *, limit: int = 50) -> int:
        async with self._uow as uow:
            due = [delivery.id for delivery in await uow.email_deliveries.due(self._clock.now(), limit=limit)]
        sent = 0
        for delivery_id in due:
            if await self._deliver(delivery_id):
                sent += 1
        return sent


class NotifyByEmail:
    """Turn one outbox event into the emails it causes, record each once, and try to send them now.

    Rules: one delivery per event and kind of email, under a Message-ID derived from the
    event, so an event delivered twice adds nothing the second time; the deliveries are
    then sent by `DeliverEmail` (once, whoever else tries); what cannot be sent now is
    sent later by `SendDueEmails`. Emails show names and titles as data, never markup.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        deliver: DeliverEmail,
        ids: IdGenerator,
        clock: Clock,
        policy: NotificationPolicy,
    ) -> None:
        self._uow = uow
        self._deliver = deliver
        self._ids = ids
        self._clock = clock
        self._policy = policy

    async def __call__(self, topic: Topic, payload: Mapping[str, str]) -> int:
        """How many emails this call sent."""
        async with self._uow as uow:
            requests = await self._requests(uow, Topic(topic), payload)
        if not requests:
            return 0
        delivery_ids = await self._record(event_id(topic, payload), requests)
        sent = 0
        for delivery_id in delivery_ids:
            if await self._deliver(delivery_id):
                sent += 1
        return sent

    async def _record(self, event: UUID, requests: Sequence[EmailRequest]) -> list[UUID]:
        for attempt in range(2):
            try:
                return await self._record_once(event, requests)
            except ConcurrentUpdate:
                if attempt == 1:  # the concurrent writer recorded them; the retry found them
                    raise
        raise AssertionError("unreachable")

    async def _record_once(self, event: UUID, requests: Sequence[EmailRequest]) -> list[UUID]:
        now = self._clock.now()
        found: list[UUID] = []
        async with self._uow as uow:
            for request in requests:
                message_id = message_id_for(
                    event, request.kind, self._policy.sender.domain, request.recipient_key
                )
                existing = await uow.email_deliveries.get_by_message_id(message_id)
                if existing is not None:
                    found.append(existing.id)
                    continue
                name = single_line(str(request.to.display_name))
                delivery = EmailDelivery(
                    id=self._ids.new_id(),
                    message_id=message_id,
                    kind=request.kind,
                    recipient=str(request.to.email),
                    recipient_name=name or None,
                    context={"recipient_name": name, **request.context},
                    created_at=now,
                    next_attempt_at=now,
                )
                uow.email_deliveries.add(delivery)
                found.append(delivery.id)
            await uow.commit()
        return found

    async def _requests(
        self, uow: UnitOfWork, topic: Topic, payload: Mapping[str, str]
    ) -> list[EmailRequest]:
        if topic in (Topic.USER_REGISTERED, Topic.PASSWORD_RESET_REQUESTED):
            return await self._account(uow, topic, payload)
        if topic is Topic.KYC_DECIDED:
            return await self._kyc(uow, UUID(payload["case_id"]))
        if topic in _ORDER_TOPICS:
            return await self._order(uow, topic, payload)
        return []

    async def _account(self, uow: UnitOfWork, topic: Topic, payload: Mapping[str, str]) -> list[EmailRequest]:
        user = await uow.users.get(UUID(payload["user_id"]))
        token = await uow.account_tokens.get(UUID(payload["token_id"]))
        if user is None or token is None or token.user_id != user.id:
            return []
        if topic is Topic.USER_REGISTERED:
            hours = str(int(VERIFY_EMAIL_TTL.total_seconds() // 3600))
            return [
                EmailRequest(EmailKind.WELCOME_VERIFY, user, {TOKEN_ID: str(token.id), "valid_hours": hours})
            ]
        if not token.is_live(self._clock.now()):
            return []  # already used, withdrawn or expired: a link that cannot work helps nobody
        minutes = str(int(RESET_PASSWORD_TTL.total_seconds() // 60))
        return [
            EmailRequest(EmailKind.PASSWORD_RESET, user, {TOKEN_ID: str(token.id), "valid_minutes": minutes})
        ]

    async def _kyc(self, uow: UnitOfWork, case_id: UUID) -> list[EmailRequest]:
        case = await uow.kyc_cases.get(case_id)
        artist = None if case is None else await uow.users.get(case.artist_id)
        if case is None or artist is None:
            return []
        if case.status is KycStatus.APPROVED:
            return [
                EmailRequest(EmailKind.KYC_APPROVED, artist, {"artworks_url": self._policy.url("/artist")})
            ]
        if case.status is KycStatus.REJECTED:
            context = {"reason": case.reason or "", "kyc_url": self._policy.url("/me/kyc")}
            return [EmailRequest(EmailKind.KYC_REJECTED, artist, context)]
        return []

    async def _order(self, uow: UnitOfWork, topic: Topic, payload: Mapping[str, str]) -> list[EmailRequest]:
        order = await uow.orders.get(UUID(payload["order_id"]))
        if order is None:
            return []
        artwork = await uow.artworks.get(order.artwork_id)
        buyer = await uow.users.get(order.buyer_id)
        if artwork is None or buyer is None:
            return []
        common = {
            "artwork_title": single_line(artwork.title),
            "amount": format_money(order.amount),
            "order_id": str(order.id),
            "order_url": self._policy.url(f"/orders/{order.id}"),
        }
        if topic is Topic.ORDER_AWAITING_PAYMENT:
            if order.authorization_url is None or not _URL.fullmatch(order.authorization_url):
                return []
            context = {
                **common,
                "pay_url": order.authorization_url,
                "expires_at": format_time(order.expires_at),
            }
            return [EmailRequest(EmailKind.ORDER_AWAITING_PAYMENT, buyer, context)]
        if topic is Topic.ORDER_PAID:
            return await self._paid(uow, order, buyer, common)
        if topic is Topic.CERTIFICATE_ISSUED:
            context = {
                **common,
                "certificate_url": self._policy.url(f"/certificates/{UUID(payload['certificate_id'])}"),
            }
            explorer = payload.get("explorer_url")
            if explorer and _URL.fullmatch(explorer):
                context["explorer_url"] = explorer
            return [EmailRequest(EmailKind.CERTIFICATE_ISSUED, buyer, context)]
        if topic is Topic.RESERVATION_EXPIRED:
            context = {**common, "artwork_url": self._policy.url(f"/artworks/{artwork.id}")}
            return [EmailRequest(EmailKind.RESERVATION_EXPIRED, buyer, context)]
        if topic is Topic.ORDER_REFUNDED:
            context = {**common, "reason": single_line(order.refund_reason or "")}
            return [EmailRequest(EmailKind.ORDER_REFUNDED, buyer, context)]
        if topic in _SHIPMENT_TOPICS:
            return await self._shipment(uow, topic, payload, order, buyer, common)
        return []

    async def _shipment(
        self,
        uow: UnitOfWork,
        topic: Topic,
        payload: Mapping[str, str],
        order: Order,
        buyer: User,
        common: dict[str, str],
    ) -> list[EmailRequest]:
        shipment = await uow.shipments.get(order.id)
        if shipment is None:
            return []
        if topic is Topic.SHIPMENT_SHIPPED:
            context = {
                **common,
                "carrier": single_line(shipment.carrier or ""),
                "tracking_number": single_line(shipment.tracking_number or ""),
                "tracking_url": shipment.tracking_url or "",
            }
            return [EmailRequest(EmailKind.ARTWORK_SHIPPED, buyer, context)]
        if topic is Topic.SHIPMENT_REMINDER:
            artist = await uow.users.get(order.artist_id)
            if artist is None or shipment.status is not ShipmentStatus.AWAITING_SHIPMENT:
                return []  # shipped since the reminder was due: nothing to remind
            if order.status is OrderStatus.REFUNDED:
                return []
            days = (self._clock.now() - shipment.awaiting_since).days
            context = {
                **common,
                "days_waiting": str(max(days, 1)),
                "shipments_url": self._policy.url("/me/shipments"),
            }
            return [EmailRequest(EmailKind.SHIPPING_REMINDER, artist, context)]
        if topic is Topic.DELIVERY_PROBLEM_REPORTED:
            admins = await uow.users.list(role=Role.ADMIN, status=UserStatus.ACTIVE, limit=100)
            context = {
                **common,
                "problem": shipment.problem or "",
                "admin_order_url": self._policy.url(f"/admin/orders/{order.id}"),
            }
            return [
                EmailRequest(EmailKind.DELIVERY_PROBLEM_ALERT, admin, context, recipient_key=str(admin.id))
                for admin in admins
            ]
        return []

    async def _paid(
        self, uow: UnitOfWork, order: Order, buyer: User, common: dict[str, str]
    ) -> list[EmailRequest]:
        requests = [EmailRequest(EmailKind.PAYMENT_RECEIVED, buyer, {**common, "reference": order.reference})]
        artist = await uow.users.get(order.artist_id)
        if artist is not None:
            context = {**common, "artist_share": format_money(order.split.artist_share)}
            requests.append(EmailRequest(EmailKind.ARTWORK_SOLD, artist, context))
            ship = self._ship_this(order, common)
            if ship is not None and await uow.shipments.get(order.id) is not None:
                requests.append(EmailRequest(EmailKind.SHIP_ARTWORK, artist, ship))
        return requests

    def _ship_this(self, order: Order, common: dict[str, str]) -> dict[str, str] | None:
        """What the artist needs to ship the work: the recipient, their phone and the address."""
        address, contact = order.delivery_address, order.buyer_contact
        if address is None or contact is None:
            return None
        lines = [address.name, *address.lines, address.city]
        if address.region:
            lines.append(address.region)
        if address.postal_code:
            lines.append(address.postal_code)
        lines.append(address.country)
        return {
            **common,
            "shipping": format_money(order.shipping_fee),
            "recipient_phone": contact.phone,
            "address": "\n".join(single_line(line) for line in lines),
            "shipments_url": self._policy.url("/me/shipments"),
        }


_SHIPMENT_TOPICS = frozenset(
    {Topic.SHIPMENT_SHIPPED, Topic.SHIPMENT_REMINDER, Topic.DELIVERY_PROBLEM_REPORTED}
)
_ORDER_TOPICS = frozenset(
    {
        Topic.ORDER_AWAITING_PAYMENT,
        Topic.ORDER_PAID,
        Topic.CERTIFICATE_ISSUED,
        Topic.RESERVATION_EXPIRED,
        Topic.ORDER_REFUNDED,
        *_SHIPMENT_TOPICS,
    }
)


Channel = Literal["email", "event"]


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One thing waiting to leave the system, or that left it: an email or a relayed event."""

    id: UUID
    channel: Channel
    name: str
    recipient: str | None
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    done_at: datetime | None
    message_id: str | None

    @classmethod
    def of_email(cls, delivery: EmailDelivery) -> OutboxEntry:
        return cls(
            id=delivery.id,
            channel="email",
            name=delivery.kind.value,
            recipient=delivery.recipient,
            status=delivery.status.value,
            attempts=delivery.attempts,
            last_error=delivery.last_error,
            created_at=delivery.created_at,
            next_attempt_at=delivery.next_attempt_at if delivery.status is DeliveryStatus.PENDING else None,
            done_at=delivery.sent_at,
            message_id=delivery.message_id,
        )

    @classmethod
    def of_event(cls, message: OutboxMessage) -> OutboxEntry:
        return cls(
            id=message.id,
            channel="event",
            name=message.topic.value,
            recipient=None,
            status=message.status.value,
            attempts=message.attempts,
            last_error=message.last_error,
            created_at=message.created_at,
            next_attempt_at=message.available_at if message.status is OutboxStatus.PENDING else None,
            done_at=message.published_at,
            message_id=None,
        )


EntryStatus = Literal["pending", "failed", "sent", "published"]
_EMAIL_STATUS: dict[str, DeliveryStatus | None] = {
    "pending": DeliveryStatus.PENDING,
    "failed": DeliveryStatus.FAILED,
    "sent": DeliveryStatus.SENT,
}
_EVENT_STATUS: dict[str, OutboxStatus | None] = {
    "pending": OutboxStatus.PENDING,
    "failed": OutboxStatus.FAILED,
    "published": OutboxStatus.PUBLISHED,
}


class ListOutbox:
    """What the system sends out, newest first: emails, and the events the relay hands to workers.

    `status="failed"` lists what exhausted its retries and waits for an operator; emails
    end `sent`, events end `published`.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, *, status: EntryStatus | None = None, channel: Channel | None = None, limit: int = 50
    ) -> list[OutboxEntry]:
        entries: list[OutboxEntry] = []
        async with self._uow as uow:
            if channel in (None, "email") and (status is None or status in _EMAIL_STATUS):
                email_status = None if status is None else _EMAIL_STATUS[status]
                deliveries = await uow.email_deliveries.list(status=email_status, limit=limit)
                entries += [OutboxEntry.of_email(delivery) for delivery in deliveries]
            if channel in (None, "event") and (status is None or status in _EVENT_STATUS):
                event_status = None if status is None else _EVENT_STATUS[status]
                messages = await uow.outbox.list(status=event_status, limit=limit)
                entries += [OutboxEntry.of_event(message) for message in messages]
        entries.sort(key=lambda entry: (entry.created_at, entry.id), reverse=True)
        return entries[:limit]


class RetryOutbox:
    """An operator sends a failed email or event again, from a fresh attempt count.

    Rules: only what failed can be retried (409 otherwise), so an email that was sent is
    never sent again from here; an unknown id is 404. Every retry is audited.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, entry_id: UUID) -> OutboxEntry:
        now = self._clock.now()
        async with self._uow as uow:
            delivery = await uow.email_deliveries.get(entry_id)
            if delivery is not None:
                delivery.retry(now)
                entry = OutboxEntry.of_email(delivery)
            else:
                message = await uow.outbox.get(entry_id)
                if message is None:
                    raise NotFound("No such outbox message.")
                if message.status is not OutboxStatus.FAILED:
                    raise DeliveryNotRetryable()
                message.retry()
                entry = OutboxEntry.of_event(message)
            self._audit(uow, actor, entry, now)
            await uow.commit()
        return entry

    async def all_failed(self, actor: Actor, *, limit: int = 1000) -> int:
        """Retry every failed email and event; how many."""
        now = self._clock.now()
        async with self._uow as uow:
            deliveries = await uow.email_deliveries.list(status=DeliveryStatus.FAILED, limit=limit)
            messages = await uow.outbox.list(status=OutboxStatus.FAILED, limit=limit)
            for delivery in deliveries:
                delivery.retry(now)
                self._audit(uow, actor, OutboxEntry.of_email(delivery), now)
            for message in messages:
                message.retry()
                self._audit(uow, actor, OutboxEntry.of_event(message), now)
            await uow.commit()
        return len(deliveries) + len(messages)

    def _audit(self, uow: UnitOfWork, actor: Actor, entry: OutboxEntry, now: datetime) -> None:
        record_audit(
            uow.audit_log,
            actor,
            AuditAction.OUTBOX_RETRY,
            (f"outbox_{entry.channel}", entry.id),
            reason=entry.name,
            ids=self._ids,
            now=now,
        )
