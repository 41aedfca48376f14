"""What the system sends out, emails and relayed events, as operators list and retry it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from artmarket.application.audit import Actor, record_audit
from artmarket.application.messaging import OutboxMessage, OutboxStatus
from artmarket.application.notifications.deliveries import (
    DeliveryNotRetryable,
    DeliveryStatus,
    EmailDelivery,
)
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.audit import AuditAction
from artmarket.domain.errors import NotFound

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
