"""Email deliveries: one record per (event, kind of message), sent at most once by whoever holds it."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid5

from artmarket.domain.errors import Conflict

#: Names the events whose ids are derived from their topic and payload (see `event_id`).
EVENT_NAMESPACE = UUID("6f1d1f0e-5a3b-4c52-9a55-0c7e3b9d4a10")
#: Back-off after the n-th failed attempt: 30 s, 1 min, 2 min, ... at most one hour.
FIRST_BACKOFF_SECONDS = 30
MAX_BACKOFF_SECONDS = 3600


class EmailKind(enum.StrEnum):
    """Every message we send; each is a set of templates named after it."""

    WELCOME_VERIFY = "welcome_verify"
    VERIFY_EMAIL = "verify_email"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a template name
    ORDER_AWAITING_PAYMENT = "order_awaiting_payment"
    PAYMENT_RECEIVED = "payment_received"
    CERTIFICATE_ISSUED = "certificate_issued"
    RESERVATION_EXPIRED = "reservation_expired"
    ORDER_REFUNDED = "order_refunded"
    ARTWORK_SOLD = "artwork_sold"
    KYC_APPROVED = "kyc_approved"
    KYC_REJECTED = "kyc_rejected"
    SHIP_ARTWORK = "ship_artwork"
    ARTWORK_SHIPPED = "artwork_shipped"
    SHIPPING_REMINDER = "shipping_reminder"
    DELIVERY_PROBLEM_ALERT = "delivery_problem_alert"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class DeliveryNotRetryable(Conflict):
    default_message = "Only a message that failed can be sent again."


def event_id(topic: str, payload: Mapping[str, str]) -> UUID:
    """A stable id of one event: the same topic and payload always give the same id.

    Every outbox message states one fact under a key unique forever, and its payload
    names that fact (an order paid, a token issued), so a redelivered message gets the
    id of its first delivery.
    """
    return uuid5(EVENT_NAMESPACE, topic + "\n" + json.dumps(dict(payload), sort_keys=True))


def message_id_for(event: UUID, kind: EmailKind, domain: str, recipient_key: str | None = None) -> str:
    """The Message-ID header of the `kind` email caused by `event`: the same on every attempt.

    An event that sends one kind of email to several people (an alert to every admin)
    names each recipient with `recipient_key`.
    """
    if recipient_key is not None:
        return f"<{event}.{kind.value}.{recipient_key}@{domain}>"
    return f"<{event}.{kind.value}@{domain}>"


@dataclass(eq=False)
class EmailDelivery:
    """One email to one recipient, rendered from `kind` and `context` when it is sent.

    pending → sent; pending → failed after `max_attempts`; failed → pending by an
    operator. A sender first claims the delivery for a lease (counted as an attempt),
    so two workers never hold it at once; it is marked sent only after the mail server
    accepted it.
    """

    id: UUID
    message_id: str
    kind: EmailKind
    recipient: str
    recipient_name: str | None
    context: dict[str, str]
    created_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    claimed_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None

    def is_due(self, now: datetime) -> bool:
        return (
            self.status is DeliveryStatus.PENDING
            and (self.next_attempt_at is None or self.next_attempt_at <= now)
            and (self.claimed_until is None or self.claimed_until <= now)
        )

    def claim(self, now: datetime, lease: timedelta) -> bool:
        """Hold the delivery for `lease` and count an attempt; False when it is not due."""
        if not self.is_due(now):
            return False
        self.claimed_until = now + lease
        self.attempts += 1
        return True

    def mark_sent(self, now: datetime) -> None:
        self.status = DeliveryStatus.SENT
        self.sent_at = now
        self.claimed_until = None
        self.last_error = None

    def mark_attempt_failed(
        self, error: str, now: datetime, *, max_attempts: int, permanent: bool = False
    ) -> None:
        """Back off exponentially; after `max_attempts` (or a permanent refusal) wait for an operator."""
        self.claimed_until = None
        self.last_error = error[:500]
        if permanent or self.attempts >= max_attempts:
            self.status = DeliveryStatus.FAILED
            self.next_attempt_at = None
            return
        backoff = min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** max(0, self.attempts - 1))
        self.next_attempt_at = now + timedelta(seconds=backoff)

    def retry(self, now: datetime) -> None:
        """An operator sends a failed message again, from a fresh attempt count."""
        if self.status is not DeliveryStatus.FAILED:
            raise DeliveryNotRetryable()
        self.status = DeliveryStatus.PENDING
        self.attempts = 0
        self.next_attempt_at = now
        self.claimed_until = None
