"""Payments confirmed exactly once, whoever asks; refunds tracked; provider events verified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from artmarket.application.checkout.placing import ISSUED_REFERENCE
from artmarket.application.edition_numbers import (
    recount,
    refund_keeping_number,
    stock_of,
    take_artwork_turns,
    turn_for_number,
)
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.messages import (
    CertificateRevocationDue,
    LatePaymentRefundDue,
    OrderPaid,
    OrderRefunded,
    PaymentEventReceived,
    ProviderEventReceived,
    RefundEventReceived,
)
from artmarket.application.messaging import OutboxMessage
from artmarket.application.payments.ports import (
    PaymentGateway,
    PaymentVerification,
    TransactionStatus,
)
from artmarket.application.payments.records import PaymentEventRecord
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.errors import NotFound
from artmarket.domain.order_lifecycle import REFUND_PROGRESS, OrderStatus
from artmarket.domain.orders import Order, PaymentEvidence, PaymentOutcome
from artmarket.domain.shipments import Shipment


def evidence_from(verification: PaymentVerification) -> PaymentEvidence:
    return PaymentEvidence(
        reference=verification.reference,
        successful=verification.status is TransactionStatus.SUCCESS,
        charged=verification.amount,
        requested=verification.requested_amount,
        paid_at=verification.paid_at,
        provider_status=verification.status.value,
    )


def start_shipment(uow: UnitOfWork, order: Order, now: datetime) -> None:
    """A paid order of a physical work: the artist now has something to ship."""
    if order.needs_shipping:
        uow.shipments.add(
            Shipment.start(order_id=order.id, artist_id=order.artist_id, buyer_id=order.buyer_id, now=now)
        )


class ConfirmPayment:
    """Confirm a payment by reference, exactly once, whoever asks (webhook, callback, sweeper).

    Rules: a reference that names no order is 404 before the provider is asked anything;
    the provider's verify API decides, never the caller; only `success` for the
    order's exact amount and currency pays the order; a mismatch is flagged for an admin
    and never paid; a payment after the reservation lapsed is accepted when the artwork
    can be reserved again (a limited edition: when a number is free; the order takes the
    lowest), otherwise refunded; a limited edition is sold out once every number is sold;
    the order is paid, the shipment of a physical work started (awaiting shipment) and the
    `OrderPaid` message written in one transaction, and a repeat is a no-op.
    """

    def __init__(self, uow: UnitOfWork, gateway: PaymentGateway, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._gateway = gateway
        self._ids = ids
        self._clock = clock

    async def handle(self, message: PaymentEventReceived) -> Order:
        """A `charge.success` event only prompts the question: confirm what the provider says."""
        return await self(message.reference)

    async def __call__(self, reference: str) -> Order:
        return (await self.confirm(reference))[0]

    async def confirm(self, reference: str) -> tuple[Order, PaymentEvidence]:
        """The order after confirming, and what the provider said (the return page tells a decline)."""
        # Only a reference of ours names an order, and the provider hears only of real orders.
        async with self._uow as uow:
            if (
                not ISSUED_REFERENCE.fullmatch(reference)
                or await uow.orders.get_by_reference(reference) is None
            ):
                raise NotFound("No order has this payment reference.")
        evidence = evidence_from(await self._gateway.verify(reference))
        for attempt in range(3):
            try:
                return await self._apply(reference, evidence), evidence
            except ConcurrentUpdate:
                # The webhook and the browser's return raced; the winner's work stands,
                # and the next attempt sees it as already confirmed.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _apply(self, reference: str, evidence: PaymentEvidence) -> Order:
        now = self._clock.now()
        async with self._uow as uow:
            order = await uow.orders.get_by_reference(reference)
            if order is None:
                raise NotFound("No order has this payment reference.")
            judged = order.check_payment(evidence)
            if judged is PaymentOutcome.LATE or (
                judged is PaymentOutcome.CONFIRMED and order.edition_number is not None
            ):
                # A payment that sells an edition number, or may take one again: under the
                # artwork's turn, taken before the order changes (see application.edition_numbers).
                await take_artwork_turns(uow, (order.artwork_id,), now)
            outcome = order.confirm_payment(evidence, now)
            if outcome is PaymentOutcome.CONFIRMED:
                await self._sell(order, now)
            elif outcome is PaymentOutcome.LATE:
                await self._late(order, evidence, now)
            await uow.commit()
        return order

    async def _sell(self, order: Order, now: datetime) -> None:
        if order.edition_number is not None:
            await recount(self._uow, order.artwork_id, now)  # sold out once every number is sold
        else:
            artwork = await self._uow.artworks.get(order.artwork_id)
            if artwork is None:
                raise NotFound("No such artwork.")
            artwork.sell(now)
        self._paid(order, now)

    def _paid(self, order: Order, now: datetime) -> None:
        start_shipment(self._uow, order, now)
        self._uow.outbox.add(OutboxMessage.of(OrderPaid(order.id), self._ids.new_id(), now))

    async def _late(self, order: Order, evidence: PaymentEvidence, now: datetime) -> None:
        if await self._take_again(order, evidence, now):
            self._paid(order, now)
            return
        # Someone else holds or bought the work: give the money back (the worker calls Paystack).
        refund = LatePaymentRefundDue(order.id)
        if not await self._uow.outbox.has_key(refund.idempotency_key):
            self._uow.outbox.add(OutboxMessage.of(refund, self._ids.new_id(), now))

    async def _take_again(self, order: Order, evidence: PaymentEvidence, now: datetime) -> bool:
        """A lapsed order is paid after all when its work is on sale: a unique work reserved and
        sold again, or a limited edition's lowest free number (under the artwork's turn)."""
        artwork = await self._uow.artworks.get(order.artwork_id)
        if artwork is None or artwork.status is not ArtworkStatus.PUBLISHED:
            return False
        if not artwork.edition.is_limited:
            artwork.reserve(now)
            order.accept_late_payment(evidence, now)
            artwork.sell(now)
            return True
        stock = await stock_of(self._uow, artwork)
        if stock.lowest_free is None:
            return False
        number = artwork.take_number(stock, now)
        order.accept_late_payment(evidence, now, edition_number=number)
        await recount(self._uow, artwork.id, now)
        return True


class RefundLatePayment:
    """Refund a payment that arrived after its artwork went to someone else (worker task).

    The buyer is told by email (an outbox message written with the refund).
    """

    def __init__(self, uow: UnitOfWork, gateway: PaymentGateway, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._gateway = gateway
        self._ids = ids
        self._clock = clock

    async def handle(self, message: LatePaymentRefundDue) -> Order:
        return await self(message.order_id)

    async def __call__(self, order_id: UUID) -> Order:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
        if order is None:
            raise NotFound("No such order.")
        if order.status is OrderStatus.REFUNDED:
            return order
        reason = "payment arrived after the reservation lapsed and the artwork was no longer available"
        await self._gateway.refund(order.reference, amount=order.amount, reason=reason)
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None:
                raise NotFound("No such order.")
            if order.status is not OrderStatus.REFUNDED:
                now = self._clock.now()
                await refund_keeping_number(uow, order, reason, now)
                uow.outbox.add(OutboxMessage.of(OrderRefunded(order.id), self._ids.new_id(), now))
                # A late payment never had a certificate; written anyway, so every refund revokes.
                uow.outbox.add(OutboxMessage.of(CertificateRevocationDue(order.id), self._ids.new_id(), now))
                await uow.commit()
        return order


#: Provider events that are only prompts: the handler of each message asks the provider itself.
EVENTS_TO_VERIFY: Final[dict[str, type[ProviderEventReceived]]] = {
    "charge.success": PaymentEventReceived,
    **dict.fromkeys(
        (
            "refund.pending",
            "refund.processing",
            "refund.needs-attention",
            "refund.failed",
            "refund.processed",
        ),
        RefundEventReceived,
    ),
}


class ReceivePaymentWebhook:
    """Store an authenticated provider event once and queue its processing.

    Rules: the signature is checked over the raw body before parsing (401 otherwise, and
    nothing is stored); a duplicate is acknowledged and ignored; unknown events are kept;
    neither `charge.success` nor a `refund.*` event is believed as sent: each queues a
    message whose handler asks the provider (`ConfirmPayment`, `TrackRefund`).
    """

    def __init__(self, uow: UnitOfWork, gateway: PaymentGateway, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._gateway = gateway
        self._ids = ids
        self._clock = clock

    async def __call__(self, raw_body: bytes, signature: str | None) -> bool:
        event = self._gateway.authenticate_webhook(raw_body, signature)
        now = self._clock.now()
        async with self._uow as uow:
            record = PaymentEventRecord(
                key=event.key,
                provider=self._gateway.provider,
                event=event.event,
                reference=event.reference,
                payload=event.payload,
                received_at=now,
            )
            if not await uow.payment_events.add_if_new(record):
                return False
            message_type = EVENTS_TO_VERIFY.get(event.event)
            if message_type is not None and event.reference:
                message = message_type(event.reference, event.event, event.key)
                uow.outbox.add(OutboxMessage.of(message, self._ids.new_id(), now))
            await uow.commit()
        return True


class TrackRefund:
    """Re-verify a `refund.*` event: the order's refund moves to what the provider reports.

    Rules: the event only prompts the question, so a signed event the provider does not
    confirm moves nothing; only an order of ours is asked about; the most advanced state of
    the provider's refunds of the transaction is applied, forward only (`Order.track_refund`),
    and a repeat is a no-op.
    """

    def __init__(self, uow: UnitOfWork, gateway: PaymentGateway, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._gateway = gateway
        self._ids = ids
        self._clock = clock

    async def handle(self, message: RefundEventReceived) -> Order | None:
        return await self(message.reference)

    async def __call__(self, reference: str) -> Order | None:
        async with self._uow as uow:
            order = await uow.orders.get_by_reference(reference)
        if order is None:
            return None
        reported = [refund.status.on_order for refund in await self._gateway.refunds_of(reference)]
        if not reported:
            return order
        furthest = max(reported, key=REFUND_PROGRESS.__getitem__)
        for attempt in range(3):
            try:
                async with self._uow as uow:
                    order = await uow.orders.get_by_reference(reference)
                    was_refunded = order is not None and order.status is OrderStatus.REFUNDED
                    now = self._clock.now()
                    # A report that may refund an edition order: under its artwork's turn.
                    numbered = (
                        order is not None and not was_refunded and await turn_for_number(uow, order, now)
                    )
                    if order is not None and order.track_refund(furthest, now):
                        if not was_refunded and order.status is OrderStatus.REFUNDED:
                            if numbered:
                                await recount(uow, order.artwork_id, now)  # its number stays retired
                            # Refunded by this report (a dashboard refund, or ours reported
                            # first): the certificate goes with it and the buyer is told, once.
                            for message in (CertificateRevocationDue(order.id), OrderRefunded(order.id)):
                                uow.outbox.add(OutboxMessage.of(message, self._ids.new_id(), now))
                        await uow.commit()
                return order
            except ConcurrentUpdate:
                # Minting or another report changed the order meanwhile: apply to the new state.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


class ReverifyStaleOrders:
    """Periodic: ask the provider about orders still awaiting payment, in case a webhook was lost."""

    def __init__(self, uow: UnitOfWork, confirm: ConfirmPayment, clock: Clock) -> None:
        self._uow = uow
        self._confirm = confirm
        self._clock = clock

    async def __call__(self, *, older_than: timedelta = timedelta(minutes=2), limit: int = 50) -> int:
        async with self._uow as uow:
            stale = await uow.orders.awaiting_since(self._clock.now() - older_than, limit=limit)
        confirmed = 0
        for order in stale:
            if (await self._confirm(order.reference)).is_paid:
                confirmed += 1
        return confirmed


@dataclass(frozen=True, slots=True)
class CheckoutProgress:
    """What the page after payment may show anyone holding the reference: no personal data."""

    order_id: UUID
    status: OrderStatus
    artwork_title: str | None
    certificate_id: UUID | None


class TrackCheckout:
    """The status of the order behind a payment reference, for the page the buyer returns to."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, reference: str) -> CheckoutProgress:
        async with self._uow as uow:
            order = await uow.orders.get_by_reference(reference)
            if order is None:
                raise NotFound("No order has this payment reference.")
            artwork = await uow.artworks.get(order.artwork_id)
        return CheckoutProgress(
            order.id, order.status, artwork.title if artwork else None, order.certificate_id
        )
