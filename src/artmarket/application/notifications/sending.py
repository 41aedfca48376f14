"""Sending recorded email deliveries, once each, whoever else tries; what is due is retried."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.notifications.deliveries import (
    EmailDelivery,
)
from artmarket.application.notifications.ports import (
    Mailbox,
    Mailer,
    MailerUnavailable,
    MailRejected,
    OutgoingEmail,
    single_line,
)
from artmarket.application.notifications.rendering import EmailRenderer
from artmarket.application.ports import Clock
from artmarket.application.unit_of_work import UnitOfWork


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
