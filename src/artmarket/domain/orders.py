"""Orders: one buyer's purchase of one artwork, from reservation to certificate."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from artmarket.domain.delivery import BuyerContact, PostalAddress
from artmarket.domain.errors import Conflict, InvalidValue
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import (
    LAPSED_STATUSES,
    LIVE_STATUSES,
    PAID_STATUSES,
    REFUND_PROGRESS,
    REFUNDABLE_STATUSES,
    TRANSITIONS,
    OrderEvent,
    OrderStatus,
    RefundStatus,
)

_REFERENCE: Final = re.compile(r"^[A-Za-z0-9.=-]{1,100}$")


class OrderStateConflict(Conflict):
    default_message = "The order's current status does not allow this."


class OrderNotCancellable(Conflict):
    default_message = "Only an order awaiting payment can be cancelled."


class OrderAlreadyRefunded(Conflict):
    default_message = "This order is already refunded or has a refund in progress."


class OrderNotRefundable(Conflict):
    default_message = "Only a paid or completed order can be refunded."


class InvalidReference(InvalidValue):
    default_message = "A payment reference has 1 to 100 letters, digits, '-', '.' or '='."
    field = "reference"


class PaymentOutcome(enum.StrEnum):
    """What `Order.confirm_payment` did with a verified payment."""

    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    NOT_SUCCESSFUL = "not_successful"
    MISMATCH = "mismatch"
    LATE = "late"


@dataclass(frozen=True, slots=True)
class PaymentEvidence:
    """What the payment provider's verification said about one reference."""

    reference: str
    successful: bool
    charged: Money | None
    requested: Money | None
    paid_at: datetime | None
    provider_status: str

    @property
    def declined(self) -> bool:
        """The provider declined the charge (the buyer may try again while the reservation lasts)."""
        return not self.successful and self.provider_status == "failed"


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: OrderStatus
    at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentSplit:
    """How the amount divides between the artist and the platform (Paystack subaccount split)."""

    artist_share: Money
    platform_fee: Money
    subaccount: str | None


def payment_reference(value: str) -> str:
    if not isinstance(value, str) or not _REFERENCE.fullmatch(value):
        raise InvalidReference()
    return value


@dataclass(eq=False)
class Order:
    """A buyer's purchase of one artwork.

    awaiting_payment → paid → minting → completed; awaiting_payment → payment_failed |
    expired | cancelled; paid | completed → refunded. A payment is accepted only when
    the provider verified it as successful for exactly the order's amount and currency;
    every transition is recorded with its time.

    The amount is the artwork's price plus `shipping` (zero for a digital work); an order
    of a physical work carries the buyer's contact and the delivery address.
    """

    id: UUID
    buyer_id: UUID
    artwork_id: UUID
    artist_id: UUID
    amount: Money
    reference: str
    created_at: datetime
    expires_at: datetime
    split: PaymentSplit
    status: OrderStatus = OrderStatus.AWAITING_PAYMENT
    paid_at: datetime | None = None
    certificate_id: UUID | None = None
    attention: str | None = None
    refund_reason: str | None = None
    refund_status: RefundStatus | None = None
    authorization_url: str | None = None
    history: list[StatusChange] = field(default_factory=list)
    #: The shipping part of `amount` (None is read as zero, in the order's currency).
    shipping: Money | None = None
    buyer_contact: BuyerContact | None = None
    delivery_address: PostalAddress | None = None
    #: Who placed the order, as an opaque tag of the client address (for the per-address cap).
    client_tag: str | None = None
    #: The print of a limited edition this order holds (None: a unique work, or a number given back).
    edition_number: int | None = None

    def __post_init__(self) -> None:
        if self.shipping is None:
            self.shipping = Money(0, self.amount.currency)

    @classmethod
    def place(
        cls,
        *,
        id: UUID,
        buyer_id: UUID,
        artwork_id: UUID,
        artist_id: UUID,
        amount: Money,
        reference: str,
        split: PaymentSplit,
        now: datetime,
        reservation: timedelta,
        shipping: Money | None = None,
        buyer_contact: BuyerContact | None = None,
        delivery_address: PostalAddress | None = None,
        client_tag: str | None = None,
        edition_number: int | None = None,
    ) -> Order:
        """`amount` includes `shipping`; only an order with an address is shipped; an order of a
        limited edition holds the `edition_number` it was given."""
        if shipping is not None and not shipping <= amount:
            raise InvalidValue("Shipping is part of the amount.")
        if delivery_address is not None and buyer_contact is None:
            raise InvalidValue("An order that is shipped needs the buyer's contact details.", field="buyer")
        order = cls(
            id=id,
            buyer_id=buyer_id,
            artwork_id=artwork_id,
            artist_id=artist_id,
            amount=amount,
            reference=payment_reference(reference),
            created_at=now,
            expires_at=now + reservation,
            split=split,
            shipping=shipping,
            buyer_contact=buyer_contact,
            delivery_address=delivery_address,
            client_tag=client_tag,
            edition_number=edition_number,
        )
        order.history.append(StatusChange(OrderStatus.AWAITING_PAYMENT, now))
        return order

    def attach_checkout(self, authorization_url: str) -> None:
        """Where the buyer pays: the provider's checkout page for this order's reference."""
        self.authorization_url = authorization_url

    @property
    def shipping_fee(self) -> Money:
        """What the buyer pays for shipping (zero for a digital work)."""
        return self.shipping if self.shipping is not None else Money(0, self.amount.currency)

    @property
    def price(self) -> Money:
        """What the buyer pays for the artwork itself."""
        return self.amount - self.shipping_fee

    @property
    def needs_shipping(self) -> bool:
        """A physical work: delivered to `delivery_address`, tracked by a `Shipment`."""
        return self.delivery_address is not None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_paid(self) -> bool:
        """The payment was accepted and not given back (paid, minting or completed)."""
        return self.status in PAID_STATUSES

    @property
    def can_be_refunded(self) -> bool:
        """An admin may ask for a refund now: `request_refund` accepts exactly these orders."""
        return self.status in REFUNDABLE_STATUSES and self.refund_status is None

    @property
    def refunded_at(self) -> datetime | None:
        """When the order was refunded (None: it was not)."""
        return next((c.at for c in reversed(self.history) if c.status is OrderStatus.REFUNDED), None)

    def reservation_lapsed(self, now: datetime) -> bool:
        return self.status is OrderStatus.AWAITING_PAYMENT and now >= self.expires_at

    def can_be_paid(self, now: datetime) -> bool:
        """The buyer may still go and pay: awaiting payment within the reservation."""
        return self.status is OrderStatus.AWAITING_PAYMENT and not self.reservation_lapsed(now)

    def _apply(self, event: OrderEvent, now: datetime, note: str | None = None) -> None:
        target = TRANSITIONS.get((self.status, event))
        if target is None:
            raise OrderStateConflict(
                "A {status} order cannot {event}.",
                status=self.status.value,
                event=event.value.replace("_", " "),
            )
        self.status = target
        self.history.append(StatusChange(target, now, note))

    def check_payment(self, evidence: PaymentEvidence) -> PaymentOutcome:
        """Judge a verification without changing anything (see `confirm_payment`)."""
        if evidence.reference != self.reference:
            return PaymentOutcome.MISMATCH
        if not evidence.successful:
            return PaymentOutcome.NOT_SUCCESSFUL
        if self.is_paid or self.status is OrderStatus.REFUNDED:
            return PaymentOutcome.ALREADY_CONFIRMED
        asked = evidence.requested or evidence.charged
        # Paystack reports `requested_amount` beside `amount` when fees are passed to the
        # customer: what matters is that the amount the order asked for was paid in full.
        if (
            asked is None
            or evidence.charged is None
            or asked != self.amount
            or evidence.charged.currency != self.amount.currency
            or evidence.charged.amount < self.amount.amount
        ):
            return PaymentOutcome.MISMATCH
        if self.status in LAPSED_STATUSES:
            return PaymentOutcome.LATE
        return PaymentOutcome.CONFIRMED

    def confirm_payment(self, evidence: PaymentEvidence, now: datetime) -> PaymentOutcome:
        """Accept a verified payment once: a no-op when already confirmed.

        A lapsed order is not paid here: the caller first re-reserves the artwork and then
        calls `accept_late_payment`, or refunds.
        """
        outcome = self.check_payment(evidence)
        if outcome is PaymentOutcome.CONFIRMED:
            self._apply(OrderEvent.PAY, now)
            self.paid_at = evidence.paid_at or now
        elif outcome is PaymentOutcome.MISMATCH and self.attention is None:
            self.attention = (
                f"Payment {evidence.reference} verified as {evidence.provider_status} for "
                f"{evidence.charged} (requested {evidence.requested}); the order asked {self.amount}."
            )
        return outcome

    def accept_late_payment(
        self, evidence: PaymentEvidence, now: datetime, *, edition_number: int | None = None
    ) -> None:
        """A lapsed order whose artwork was reserved again is paid after all (with the edition
        number it was given again, for a limited edition)."""
        if self.check_payment(evidence) is not PaymentOutcome.LATE:
            raise OrderStateConflict("Only a lapsed order with a matching payment can be paid late.")
        self._apply(OrderEvent.PAY, now, "payment arrived after the reservation lapsed")
        self.paid_at = evidence.paid_at or now
        self.edition_number = edition_number

    def _lapse(self, event: OrderEvent, now: datetime, note: str | None = None) -> None:
        """The reservation ends unpaid: an edition number it held is free for the next buyer."""
        if self.edition_number is not None:
            note = f"{note}; " if note else ""
            note += f"edition number {self.edition_number} given back"
        self._apply(event, now, note)
        self.edition_number = None

    def mark_payment_failed(self, provider_status: str, now: datetime) -> None:
        self._lapse(OrderEvent.FAIL, now, f"payment {provider_status}")

    def expire(self, now: datetime) -> None:
        """awaiting_payment → expired: the reservation lapsed without a payment."""
        self._lapse(OrderEvent.EXPIRE, now)

    def cancel(self, now: datetime) -> None:
        """awaiting_payment → cancelled, by the buyer."""
        if self.status is not OrderStatus.AWAITING_PAYMENT:
            raise OrderNotCancellable()
        self._lapse(OrderEvent.CANCEL, now)

    def start_minting(self, now: datetime) -> None:
        self._apply(OrderEvent.START_MINTING, now)

    def complete(self, certificate_id: UUID, now: datetime) -> None:
        self._apply(OrderEvent.COMPLETE, now)
        self.certificate_id = certificate_id

    def request_refund(self, reason: str, now: datetime) -> None:
        """An admin asks for a refund of a paid or completed order; claimed before the provider is called.

        The claim (`refund_status` requested) is what makes a second request a conflict,
        however fast it follows: only one request ever reaches the provider. A minting
        order is refused until its mint settles.
        """
        if self.status is OrderStatus.REFUNDED or self.refund_status is not None:
            raise OrderAlreadyRefunded()
        if self.status not in REFUNDABLE_STATUSES:
            raise OrderNotRefundable("A {status} order cannot be refunded.", status=self.status.value)
        self.refund_reason = reason
        self.refund_status = RefundStatus.REQUESTED

    def refund_request_failed(self, problem: str) -> None:
        """The provider refused the requested refund: the claim is dropped and the order flagged."""
        if self.refund_status is RefundStatus.REQUESTED:
            self.refund_status = None
            self.refund_reason = None
        self.attention = f"Refund refused by the payment provider: {problem}"

    def flag(self, note: str) -> None:
        """Ask an admin to look at the order."""
        self.attention = note

    def refund(self, reason: str, now: datetime) -> None:
        """paid | completed | a lapsed order that was paid late → refunded; the provider was asked."""
        self._apply(OrderEvent.REFUND, now, reason)
        self.refund_reason = reason
        if self.refund_status is None or self.refund_status is RefundStatus.REQUESTED:
            self.refund_status = RefundStatus.PENDING

    def track_refund(self, status: RefundStatus, now: datetime) -> bool:
        """The provider reports a refund's progress; False when the report is stale or repeated.

        A refund processed for an order we had not refunded (one made in the provider's
        dashboard) refunds the order and flags it: the artwork may already be gone.
        A failed or stuck refund flags the order for an admin.
        """
        if self.refund_status is not None and REFUND_PROGRESS[status] <= REFUND_PROGRESS[self.refund_status]:
            return False
        requested = self.refund_status is RefundStatus.REQUESTED
        self.refund_status = status
        if requested and self.status is not OrderStatus.REFUNDED and status is not RefundStatus.REQUESTED:
            # Our own refund, reported before the request's answer was recorded.
            self._apply(OrderEvent.REFUND, now, self.refund_reason)
            if status in (RefundStatus.FAILED, RefundStatus.NEEDS_ATTENTION):
                self.attention = f"The refund is {status.value.replace('_', ' ')} at the payment provider."
            return True
        if status is RefundStatus.PROCESSED and self.status is not OrderStatus.REFUNDED:
            if (self.status, OrderEvent.REFUND) in TRANSITIONS:
                self._apply(OrderEvent.REFUND, now, "refunded at the payment provider")
                self.refund_reason = "Refunded at the payment provider."
            self.attention = "Refunded outside artmarket: check the artwork and its certificate."
        elif status in (RefundStatus.FAILED, RefundStatus.NEEDS_ATTENTION):
            self.attention = f"The refund is {status.value.replace('_', ' ')} at the payment provider."
        return True
