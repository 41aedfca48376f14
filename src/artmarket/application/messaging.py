"""The transactional outbox and the task queue it feeds.

State changes and the messages they cause are written in one transaction; a relay then
hands pending messages to the queue at least once, so every handler must be idempotent.
"""

from __future__ import annotations

import enum
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

if TYPE_CHECKING:
    from artmarket.application.messages import Message


class Topic(enum.StrEnum):
    PAYMENT_EVENT_RECEIVED = "payment.event_received"
    #: A `refund.*` event arrived: payload `reference`; the provider is asked what it says.
    REFUND_EVENT_RECEIVED = "payment.refund_event_received"
    ORDER_PAID = "order.paid"
    LATE_PAYMENT_REFUND = "order.late_payment_refund"
    # Facts people are told about by email (payloads carry ids, never secrets).
    USER_REGISTERED = "user.registered"
    #: A signed-in user asked for a new link verifying their address (payload `user_id`, `token_id`).
    VERIFICATION_EMAIL_REQUESTED = "user.verification_email_requested"
    PASSWORD_RESET_REQUESTED = "user.password_reset_requested"  # noqa: S105 - a topic name
    #: Someone asked for a reset link for payload `email` (any address: the handler finds the account).
    PASSWORD_RESET_ASKED = "user.password_reset_asked"  # noqa: S105 - a topic name
    ORDER_AWAITING_PAYMENT = "order.awaiting_payment"
    RESERVATION_EXPIRED = "order.reservation_expired"
    ORDER_REFUNDED = "order.refunded"
    KYC_DECIDED = "kyc.decided"
    #: Written by minting: payload `certificate_id`, `order_id` (and optionally `explorer_url`).
    CERTIFICATE_ISSUED = "certificate.issued"
    #: Delivery of physical works: payload `order_id` (and `reminder`, 1 or 2, for reminders).
    SHIPMENT_SHIPPED = "shipment.shipped"
    SHIPMENT_REMINDER = "shipment.reminder"
    DELIVERY_PROBLEM_REPORTED = "shipment.delivery_problem"
    #: A refunded (or charged-back) order's certificate is to be revoked: payload `order_id`, `reason`.
    CERTIFICATE_REVOCATION_DUE = "certificate.revocation_due"
    #: A certificate ledger task (burn, trail message, transfer, airdrop, cancel) waits to be submitted.
    LEDGER_TASK_QUEUED = "certificate.ledger_task_queued"
    #: A certificate ledger task succeeded on the ledger: payload `task_id`, `certificate_id`, `kind`.
    LEDGER_TASK_SUCCEEDED = "certificate.ledger_task_succeeded"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    FAILED = "failed"


@dataclass(eq=False)
class OutboxMessage:
    """A message written with the state change that caused it; `key` is unique forever."""

    id: UUID
    topic: Topic
    key: str
    payload: dict[str, str]
    created_at: datetime
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    available_at: datetime | None = None
    published_at: datetime | None = None
    last_error: str | None = None
    #: The W3C trace context (`traceparent`, `tracestate`) of the work that wrote the message,
    #: stamped by the outbox when it is added, so the worker's handling continues that trace.
    trace_context: dict[str, str] | None = None
    #: The version of the message class that wrote `payload` (rows from before versions: 1).
    version: int = 1

    @classmethod
    def of(cls, message: Message, message_id: UUID, now: datetime) -> OutboxMessage:
        """The row that carries `message`, under its idempotency key."""
        return cls(
            id=message_id,
            topic=message.topic,
            key=message.idempotency_key,
            payload=message.encode(),
            created_at=now,
            version=message.version,
        )

    def mark_published(self, now: datetime) -> None:
        self.status = OutboxStatus.PUBLISHED
        self.published_at = now
        self.last_error = None

    def retry(self) -> None:
        """An operator sends a failed message again, from a fresh attempt count."""
        self.status = OutboxStatus.PENDING
        self.attempts = 0
        self.available_at = None

    def mark_attempt_failed(self, error: str, now: datetime, *, max_attempts: int) -> None:
        """Back off exponentially; after `max_attempts` the message waits for an operator."""
        self.attempts += 1
        self.last_error = error[:500]
        if self.attempts >= max_attempts:
            self.status = OutboxStatus.FAILED
        else:
            self.available_at = now + timedelta(seconds=min(300, 2**self.attempts))


class OutboxRepository(Protocol):
    """Messages waiting to be relayed; `add` of an existing key is refused at commit."""

    @abstractmethod
    def add(self, message: OutboxMessage) -> None: ...

    @abstractmethod
    async def pending(self, now: datetime, *, limit: int) -> Sequence[OutboxMessage]:
        """Oldest first, only those whose back-off has passed."""

    @abstractmethod
    async def has_key(self, key: str) -> bool: ...

    @abstractmethod
    async def get(self, message_id: UUID) -> OutboxMessage | None: ...

    @abstractmethod
    async def list(self, *, status: OutboxStatus | None, limit: int) -> Sequence[OutboxMessage]:
        """Newest first."""


class TaskQueue(Protocol):
    """Hands a message to the workers; delivery is at least once, with the trace context it is given.

    The message's `version` travels with it, so a worker reads it as the class that wrote it.
    """

    @abstractmethod
    async def enqueue(
        self,
        topic: Topic,
        payload: Mapping[str, str],
        *,
        message_id: UUID,
        version: int = 1,
        trace_context: Mapping[str, str] | None = None,
    ) -> None: ...
