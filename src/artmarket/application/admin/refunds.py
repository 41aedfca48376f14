"""An admin refunds an order through the payment provider; audited."""

from __future__ import annotations

from uuid import UUID

from artmarket.application.audit import Actor
from artmarket.application.audited_steps import AuditedSteps
from artmarket.application.edition_numbers import refund_keeping_number
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.messages import CertificateRevocationDue, OrderRefunded
from artmarket.application.messaging import OutboxMessage
from artmarket.application.payments.ports import PaymentGateway, PaymentRequestRejected
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import reason_text
from artmarket.domain.audit import AuditAction
from artmarket.domain.errors import Conflict, NotFound
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order


class RefundOrder:
    """An admin refunds a paid or completed order in full through the payment provider.

    Rules: a reason is required; the refund is claimed on the order (and audited) in one
    transaction before the provider is called, so a second request — however fast — is a
    409 and never reaches the provider; the provider is called outside any transaction;
    its acceptance refunds the order (refund status `pending`, then moved by `refund.*`
    webhooks until Paystack reports it processed) and emails the buyer, once; a refusal
    drops the claim and flags the order; when the provider cannot be reached the claim
    stays (the outcome is unknown, and a refund webhook settles it) and the order is
    flagged. The artwork stays sold (a limited edition's number stays retired, never sold
    again, and its counts follow) and the certificate is left as it is.
    """

    def __init__(self, uow: UnitOfWork, gateway: PaymentGateway, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._gateway = gateway
        self._ids = ids
        self._clock = clock
        self._steps = AuditedSteps(uow, ids, clock)

    async def __call__(self, actor: Actor, order_id: UUID, *, reason: str) -> Order:
        reason = reason_text(reason)
        async with self._steps.begin(
            actor, AuditAction.ORDER_REFUND, ("order", order_id), reason=reason
        ) as step:
            order = await step.uow.orders.get(order_id)
            if order is None:
                raise NotFound("No such order.")
            order.request_refund(reason, step.now)
            try:
                await step.commit()
            except ConcurrentUpdate:
                raise Conflict(
                    "Someone else changed this order at the same time; look at it again."
                ) from None
        try:
            await self._gateway.refund(order.reference, amount=order.amount, reason=reason)
        except PaymentRequestRejected as error:
            await self._record_refusal(actor, order_id, error.message)
            raise
        except Exception:
            await self._flag(order_id, "The refund request's outcome is unknown; check the payment provider.")
            raise
        for _ in range(3):
            try:
                return await self._refunded(order_id, reason)
            except ConcurrentUpdate:
                continue  # a refund webhook moved the order meanwhile: read it again
        return await self._refunded(order_id, reason)

    async def _refunded(self, order_id: UUID, reason: str) -> Order:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None:
                raise NotFound("No such order.")
            if order.status is not OrderStatus.REFUNDED:
                now = self._clock.now()
                await refund_keeping_number(uow, order, reason, now)
                # The certificate goes with the refund, and the buyer is told now that the provider
                # accepted it (a webhook that refunded the order first writes the same, once).
                uow.outbox.add(OutboxMessage.of(CertificateRevocationDue(order.id), self._ids.new_id(), now))
                uow.outbox.add(OutboxMessage.of(OrderRefunded(order.id), self._ids.new_id(), now))
                await uow.commit()
        return order

    async def _record_refusal(self, actor: Actor, order_id: UUID, problem: str) -> None:
        target = ("order", order_id)
        async with self._steps.begin(actor, AuditAction.ORDER_REFUND_FAILED, target, reason=problem) as step:
            order = await step.uow.orders.get(order_id)
            if order is None:
                return
            order.refund_request_failed(problem)
            await step.commit()

    async def _flag(self, order_id: UUID, note: str) -> None:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is not None:
                order.flag(note)
                await uow.commit()
