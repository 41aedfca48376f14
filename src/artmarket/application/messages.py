"""The messages the outbox carries: one frozen class per fact, named in the past tense.

Each message knows its topic (stored in outbox rows and queued in Redis, so never renamed),
its version, the idempotency key that makes the outbox refuse a second message for the
same fact, and how it is stored: a flat `dict[str, str]` payload. Rows written before the
messages were typed carry no version; they are read as version 1, which is their shape.
"""

from __future__ import annotations

import types
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, ClassVar, Self, Union, get_args, get_origin, get_type_hints
from uuid import UUID

from artmarket.application.messaging import Topic


class UnknownMessage(ValueError):
    """A stored or queued message whose topic or version no class reads."""


@dataclass(frozen=True, slots=True)
class Message(ABC):
    """A fact the outbox carries; subclasses declare `topic`, `version` and their fields."""

    topic: ClassVar[Topic]
    version: ClassVar[int] = 1

    @property
    @abstractmethod
    def idempotency_key(self) -> str:
        """Unique forever per fact: the outbox refuses a second message with the same key."""

    def encode(self) -> dict[str, str]:
        """The stored payload: every field as text; an absent optional field is left out,
        so a message read from an old row encodes back to exactly that row's payload."""
        return {
            field.name: str(value)
            for field in fields(self)
            if (value := getattr(self, field.name)) is not None
        }

    @classmethod
    def decode(cls, payload: Mapping[str, str], version: int = 1) -> Self:
        """The message stored as `payload` (keys it does not know are ignored)."""
        if version != cls.version:
            raise UnknownMessage(f"{cls.__name__} is version {cls.version}, not {version}.")
        values: dict[str, object] = {}
        for name, parse in _parsers(cls).items():
            if name in payload:
                values[name] = parse(payload[name])
        try:
            return cls(**values)
        except TypeError as error:
            raise UnknownMessage(f"{cls.__name__} cannot be read from {sorted(payload)}.") from error


@cache
def _parsers(cls: type[Message]) -> dict[str, Any]:
    """Per field, the function that reads its text: UUID, int or str (optional or not)."""
    hints = get_type_hints(cls)
    parsers: dict[str, Any] = {}
    for field in fields(cls):
        hint = hints[field.name]
        kinds = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
        parsers[field.name] = UUID if UUID in kinds else int if int in kinds else str
    return parsers


@dataclass(frozen=True, slots=True)
class OrderFact(Message):
    """A fact about one order that happens at most once: its key is `{key_prefix}:{order_id}`."""

    key_prefix: ClassVar[str]
    order_id: UUID

    @property
    def idempotency_key(self) -> str:
        return f"{self.key_prefix}:{self.order_id}"


@dataclass(frozen=True, slots=True)
class ProviderEventReceived(Message):
    """A signed payment-provider event arrived; it only prompts its handler to ask the provider."""

    reference: str
    event: str
    #: The provider event's own key; None only when read from a row written before it was stored.
    event_key: str | None = None

    @property
    def idempotency_key(self) -> str:
        return _key("payment-event", self.event_key)


@dataclass(frozen=True, slots=True)
class PaymentEventReceived(ProviderEventReceived):
    """A `charge.success`: `ConfirmPayment` asks the provider about the payment."""

    topic = Topic.PAYMENT_EVENT_RECEIVED


@dataclass(frozen=True, slots=True)
class RefundEventReceived(ProviderEventReceived):
    """A `refund.*` event: `TrackRefund` asks the provider about the refunds."""

    topic = Topic.REFUND_EVENT_RECEIVED


@dataclass(frozen=True, slots=True)
class OrderPaid(OrderFact):
    topic = Topic.ORDER_PAID
    # A second OrderPaid for one order is impossible: the outbox refuses it.
    key_prefix = "order-paid"


@dataclass(frozen=True, slots=True)
class LatePaymentRefundDue(OrderFact):
    """A payment arrived after its artwork went to someone else: the money goes back."""

    topic = Topic.LATE_PAYMENT_REFUND
    key_prefix = "late-refund"


@dataclass(frozen=True, slots=True)
class UserRegistered(Message):
    topic = Topic.USER_REGISTERED
    user_id: UUID
    token_id: UUID

    @property
    def idempotency_key(self) -> str:
        return f"user-registered:{self.user_id}"


@dataclass(frozen=True, slots=True)
class VerificationEmailRequested(Message):
    """A new email-verification link was issued (the email carrying it is still to be sent)."""

    topic = Topic.VERIFICATION_EMAIL_REQUESTED
    user_id: UUID
    token_id: UUID

    @property
    def idempotency_key(self) -> str:
        # One email per link: each resend issues a new token.
        return f"verification-email:{self.token_id}"


@dataclass(frozen=True, slots=True)
class PasswordResetRequested(Message):
    """A reset link was issued for an account (the email carrying it is still to be sent)."""

    topic = Topic.PASSWORD_RESET_REQUESTED
    user_id: UUID
    token_id: UUID
    #: The `PasswordResetAsked` it answers; None only when read from a row written before it was stored.
    request_id: UUID | None = None

    @property
    def idempotency_key(self) -> str:
        return _key("password-reset", self.request_id)


@dataclass(frozen=True, slots=True)
class PasswordResetAsked(Message):
    """Someone asked for a reset link for `email` (any address: the handler finds the account)."""

    topic = Topic.PASSWORD_RESET_ASKED
    email: str
    request_id: UUID

    @property
    def idempotency_key(self) -> str:
        return f"password-reset-asked:{self.request_id}"


@dataclass(frozen=True, slots=True)
class OrderAwaitingPayment(OrderFact):
    topic = Topic.ORDER_AWAITING_PAYMENT
    key_prefix = "order-awaiting-payment"


@dataclass(frozen=True, slots=True)
class ReservationExpired(OrderFact):
    topic = Topic.RESERVATION_EXPIRED
    # An order expires at most once (expired never returns to awaiting payment).
    key_prefix = "reservation-expired"


@dataclass(frozen=True, slots=True)
class OrderRefunded(OrderFact):
    topic = Topic.ORDER_REFUNDED
    # An order is refunded at most once (refunded is final).
    key_prefix = "order-refunded"


@dataclass(frozen=True, slots=True)
class KycDecided(Message):
    topic = Topic.KYC_DECIDED
    case_id: UUID

    @property
    def idempotency_key(self) -> str:
        # A case is decided once (only a pending case can be).
        return f"kyc-decided:{self.case_id}"


@dataclass(frozen=True, slots=True)
class CertificateIssued(Message):
    topic = Topic.CERTIFICATE_ISSUED
    certificate_id: UUID
    order_id: UUID
    explorer_url: str | None = None

    @property
    def idempotency_key(self) -> str:
        return f"certificate-issued:{self.certificate_id}"


@dataclass(frozen=True, slots=True)
class ShipmentShipped(OrderFact):
    topic = Topic.SHIPMENT_SHIPPED
    # Shipped happens once per shipment.
    key_prefix = "shipment-shipped"


@dataclass(frozen=True, slots=True)
class ShipmentReminderDue(Message):
    """The artist has not shipped yet: reminder 1 or 2."""

    topic = Topic.SHIPMENT_REMINDER
    order_id: UUID
    reminder: int

    @property
    def idempotency_key(self) -> str:
        return f"shipment-reminder:{self.order_id}:{self.reminder}"


@dataclass(frozen=True, slots=True)
class DeliveryProblemReported(OrderFact):
    topic = Topic.DELIVERY_PROBLEM_REPORTED
    # A shipment enters delivery_problem at most once.
    key_prefix = "delivery-problem"


@dataclass(frozen=True, slots=True)
class CertificateRevocationDue(OrderFact):
    """The order was refunded (or its chargeback lost): its certificate, if any, is revoked."""

    topic = Topic.CERTIFICATE_REVOCATION_DUE
    # A certificate is revoked once, whichever way the refund was recorded.
    key_prefix = "certificate-revocation"
    #: The public reason category (`RevocationReason`).
    reason: str = "refunded"


@dataclass(frozen=True, slots=True)
class LedgerTaskQueued(Message):
    """A certificate ledger task was queued: submit it now rather than at the next periodic run."""

    topic = Topic.LEDGER_TASK_QUEUED
    task_id: UUID

    @property
    def idempotency_key(self) -> str:
        return f"ledger-task-queued:{self.task_id}"


@dataclass(frozen=True, slots=True)
class LedgerTaskSucceeded(Message):
    """A certificate ledger task succeeded: what follows from it (custody, the trail) happens now."""

    topic = Topic.LEDGER_TASK_SUCCEEDED
    task_id: UUID
    certificate_id: UUID
    #: The `LedgerTaskKind`.
    kind: str

    @property
    def idempotency_key(self) -> str:
        return f"ledger-task-succeeded:{self.task_id}"


def _key(prefix: str, part: object | None) -> str:
    if part is None:
        # Only a message read from an old row lacks it, and such a message is never written again.
        raise UnknownMessage(f"A {prefix} message read from an old row has no key of its own.")
    return f"{prefix}:{part}"


#: Every message class by its topic: what a stored or queued message is read as.
MESSAGE_TYPES: Mapping[Topic, type[Message]] = {
    message.topic: message
    for message in (
        PaymentEventReceived,
        RefundEventReceived,
        OrderPaid,
        LatePaymentRefundDue,
        UserRegistered,
        VerificationEmailRequested,
        PasswordResetRequested,
        PasswordResetAsked,
        OrderAwaitingPayment,
        ReservationExpired,
        OrderRefunded,
        KycDecided,
        CertificateIssued,
        ShipmentShipped,
        ShipmentReminderDue,
        DeliveryProblemReported,
        CertificateRevocationDue,
        LedgerTaskQueued,
        LedgerTaskSucceeded,
    )
}


def decode_message(topic: str, payload: Mapping[str, str], version: int = 1) -> Message:
    """The typed message stored or queued as `topic`, `payload` and `version`."""
    try:
        message_type = MESSAGE_TYPES[Topic(topic)]
    except (ValueError, KeyError) as error:
        raise UnknownMessage(f"No message has topic {topic!r}.") from error
    return message_type.decode(payload, version)
