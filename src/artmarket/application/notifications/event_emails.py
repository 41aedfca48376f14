"""Outbox events become the email deliveries they cause, each recorded once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from artmarket.application.account_tokens import RESET_PASSWORD_TTL, VERIFY_EMAIL_TTL
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.local_formats import money, time_text
from artmarket.application.messages import (
    CertificateIssued,
    DeliveryProblemReported,
    KycDecided,
    Message,
    OrderAwaitingPayment,
    OrderPaid,
    OrderRefunded,
    PasswordResetRequested,
    ReservationExpired,
    ShipmentReminderDue,
    ShipmentShipped,
    UserRegistered,
    VerificationEmailRequested,
)
from artmarket.application.notifications.deliveries import (
    EmailDelivery,
    EmailKind,
    event_id,
    message_id_for,
)
from artmarket.application.notifications.ports import (
    single_line,
)
from artmarket.application.notifications.rendering import LANGUAGE, TOKEN_ID
from artmarket.application.notifications.sending import DeliverEmail, NotificationPolicy
from artmarket.application.order_views import stage_of
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import KycStatus
from artmarket.domain.identity import Role, User, UserStatus
from artmarket.domain.languages import Language
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order
from artmarket.domain.shipments import ShipmentStatus

_URL = re.compile(r"^https?://[^\s<>\"']+$")

#: What an email shows: text as it is, amounts and times written in the recipient's language.
ContextValue = str | Money | datetime


def written_in(language: Language, context: Mapping[str, ContextValue]) -> dict[str, str]:
    """The context as the delivery stores it: amounts and times as `language` writes them (`25 000 ₦`)."""
    return {key: _written(value, language) for key, value in context.items()}


def _written(value: ContextValue, language: Language) -> str:
    if isinstance(value, Money):
        return money(value, language.value)
    if isinstance(value, datetime):
        return time_text(value, language)
    return value


@dataclass(frozen=True, slots=True)
class EmailRequest:
    """One email an event causes: its kind, its recipient and what the templates show."""

    kind: EmailKind
    to: User
    context: Mapping[str, ContextValue]
    #: Tells apart recipients of one kind of email for one event (see `message_id_for`).
    recipient_key: str | None = None


class NotifyByEmail:
    """Turn one outbox event into the emails it causes, record each once, and try to send them now.

    Rules: one delivery per event and kind of email, under a Message-ID derived from the
    event, so an event delivered twice adds nothing the second time; the deliveries are
    then sent by `DeliverEmail` (once, whoever else tries); what cannot be sent now is
    sent later by `SendDueEmails`. Emails show names and titles as data, never markup.
    Each recipient reads their email in their own language (`User.language`), its amounts
    and times written as that language writes them when the delivery is recorded.
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

    async def handle(self, message: Message) -> int:
        """How many emails this call sent."""
        async with self._uow as uow:
            requests = await self._requests(uow, message)
        if not requests:
            return 0
        delivery_ids = await self._record(event_id(message.topic, message.encode()), requests)
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
                    context={
                        "recipient_name": name,
                        LANGUAGE: request.to.language.value,
                        **written_in(request.to.language, request.context),
                    },
                    created_at=now,
                    next_attempt_at=now,
                )
                uow.email_deliveries.add(delivery)
                found.append(delivery.id)
            await uow.commit()
        return found

    async def _requests(self, uow: UnitOfWork, message: Message) -> list[EmailRequest]:
        if isinstance(message, UserRegistered | VerificationEmailRequested | PasswordResetRequested):
            return await self._account(uow, message)
        if isinstance(message, KycDecided):
            return await self._kyc(uow, message.case_id)
        if isinstance(message, _ORDER_MESSAGES):
            return await self._order(uow, message)
        return []

    async def _account(
        self, uow: UnitOfWork, message: UserRegistered | VerificationEmailRequested | PasswordResetRequested
    ) -> list[EmailRequest]:
        user = await uow.users.get(message.user_id)
        token = await uow.account_tokens.get(message.token_id)
        if user is None or token is None or token.user_id != user.id:
            return []
        if isinstance(message, UserRegistered | VerificationEmailRequested):
            hours = str(int(VERIFY_EMAIL_TTL.total_seconds() // 3600))
            kind = EmailKind.WELCOME_VERIFY if isinstance(message, UserRegistered) else EmailKind.VERIFY_EMAIL
            return [EmailRequest(kind, user, {TOKEN_ID: str(token.id), "valid_hours": hours})]
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
            context = {"reason": case.reason or "", "kyc_url": self._policy.url("/artist/kyc")}
            return [EmailRequest(EmailKind.KYC_REJECTED, artist, context)]
        return []

    async def _order(self, uow: UnitOfWork, message: OrderMessage) -> list[EmailRequest]:
        order = await uow.orders.get(message.order_id)
        if order is None:
            return []
        artwork = await uow.artworks.get(order.artwork_id)
        buyer = await uow.users.get(order.buyer_id)
        if artwork is None or buyer is None:
            return []
        common: dict[str, ContextValue] = {
            "artwork_title": single_line(artwork.title),
            "amount": order.amount,
            "order_id": str(order.id),
            "order_url": self._policy.url(f"/orders/{order.id}"),
        }
        if isinstance(message, OrderAwaitingPayment):
            if order.authorization_url is None or not _URL.fullmatch(order.authorization_url):
                return []
            context = {
                **common,
                "pay_url": order.authorization_url,
                "expires_at": order.expires_at,
            }
            return [EmailRequest(EmailKind.ORDER_AWAITING_PAYMENT, buyer, context)]
        if isinstance(message, OrderPaid):
            return await self._paid(uow, order, buyer, common)
        if isinstance(message, CertificateIssued):
            shipment = await uow.shipments.get(order.id) if order.needs_shipping else None
            context = {
                **common,
                "certificate_url": self._policy.url(f"/certificates/{message.certificate_id}"),
                "stage": stage_of(order, shipment).text,
            }
            explorer = message.explorer_url
            if explorer and _URL.fullmatch(explorer):
                context["explorer_url"] = explorer
            return [EmailRequest(EmailKind.CERTIFICATE_ISSUED, buyer, context)]
        if isinstance(message, ReservationExpired):
            context = {**common, "artwork_url": self._policy.url(f"/artworks/{artwork.id}")}
            return [EmailRequest(EmailKind.RESERVATION_EXPIRED, buyer, context)]
        if isinstance(message, OrderRefunded):
            context = {
                **common,
                "reason": single_line(order.refund_reason or ""),
                "refunded_at": order.refunded_at or self._clock.now(),
            }
            return [EmailRequest(EmailKind.ORDER_REFUNDED, buyer, context)]
        return await self._shipment(uow, message, order, buyer, common)

    async def _shipment(
        self,
        uow: UnitOfWork,
        message: ShipmentShipped | ShipmentReminderDue | DeliveryProblemReported,
        order: Order,
        buyer: User,
        common: dict[str, ContextValue],
    ) -> list[EmailRequest]:
        shipment = await uow.shipments.get(order.id)
        if shipment is None:
            return []
        if isinstance(message, ShipmentShipped):
            context = {
                **common,
                "carrier": single_line(shipment.carrier or ""),
                "tracking_number": single_line(shipment.tracking_number or ""),
                "tracking_url": shipment.tracking_url or "",
            }
            return [EmailRequest(EmailKind.ARTWORK_SHIPPED, buyer, context)]
        if isinstance(message, ShipmentReminderDue):
            artist = await uow.users.get(order.artist_id)
            if artist is None or shipment.status is not ShipmentStatus.AWAITING_SHIPMENT:
                return []  # shipped since the reminder was due: nothing to remind
            if order.status is OrderStatus.REFUNDED:
                return []
            days = (self._clock.now() - shipment.awaiting_since).days
            context = {**self._for_artist(order, common), "days_waiting": str(max(days, 1))}
            return [EmailRequest(EmailKind.SHIPPING_REMINDER, artist, context)]
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

    async def _paid(
        self, uow: UnitOfWork, order: Order, buyer: User, common: dict[str, ContextValue]
    ) -> list[EmailRequest]:
        paid = {**common, "reference": order.reference, "ships": "yes" if order.needs_shipping else ""}
        requests = [EmailRequest(EmailKind.PAYMENT_RECEIVED, buyer, paid)]
        artist = await uow.users.get(order.artist_id)
        if artist is not None:
            context = {
                **self._for_artist(order, common),
                "artist_share": order.split.artist_share,
            }
            requests.append(EmailRequest(EmailKind.ARTWORK_SOLD, artist, context))
            ship = self._ship_this(order, common)
            if ship is not None and await uow.shipments.get(order.id) is not None:
                requests.append(EmailRequest(EmailKind.SHIP_ARTWORK, artist, ship))
        return requests

    def _for_artist(self, order: Order, common: dict[str, ContextValue]) -> dict[str, ContextValue]:
        """The order's facts with the artist's own page of the sale as `order_url` (never the buyer's
        order page): the shipment to send for a physical work, the studio's page of a digital one."""
        if order.needs_shipping:
            sale = self._policy.url(f"/artist/shipments/{order.id}")
            return {**common, "order_url": sale, "shipments_url": sale}
        return {**common, "order_url": self._policy.url(f"/artist/artworks/{order.artwork_id}")}

    def _ship_this(self, order: Order, common: dict[str, ContextValue]) -> dict[str, ContextValue] | None:
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
            **self._for_artist(order, common),
            "shipping": order.shipping_fee,
            "recipient_phone": contact.phone,
            "address": "\n".join(single_line(line) for line in lines),
        }


#: The messages about one order whose buyer, artist or admins are told by email.
OrderMessage = (
    OrderAwaitingPayment
    | OrderPaid
    | CertificateIssued
    | ReservationExpired
    | OrderRefunded
    | ShipmentShipped
    | ShipmentReminderDue
    | DeliveryProblemReported
)


_ORDER_MESSAGES = (
    OrderAwaitingPayment,
    OrderPaid,
    CertificateIssued,
    ReservationExpired,
    OrderRefunded,
    ShipmentShipped,
    ShipmentReminderDue,
    DeliveryProblemReported,
)
