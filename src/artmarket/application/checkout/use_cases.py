"""Checkout use cases: from Buy Now to a paid order, exactly once, whatever arrives twice."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from artmarket.application.checkout_details import CheckoutDetails
from artmarket.application.errors import ConcurrentUpdate, RateLimited
from artmarket.application.messaging import OutboxMessage, Topic
from artmarket.application.order_views import OrderView, order_view
from artmarket.application.payments.ports import (
    CheckoutRequest,
    PaymentGateway,
    PaymentVerification,
    TransactionStatus,
)
from artmarket.application.payments.records import PaymentEventRecord, PayoutAccount
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.delivery import BuyerContact, PostalAddress
from artmarket.domain.errors import InvalidValue, NotFound
from artmarket.domain.identity import Role
from artmarket.domain.money import Money
from artmarket.domain.orders import (
    REFUND_PROGRESS,
    Order,
    OrderStatus,
    PaymentEvidence,
    PaymentOutcome,
    PaymentSplit,
)
from artmarket.domain.purchase import (
    OpenOrderLimits,
    ensure_may_buy,
    split_payment,
)
from artmarket.domain.shipments import Shipment


class IdempotencyKeyReused(InvalidValue):
    default_message = "This Idempotency-Key was used for a different request."
    field = "Idempotency-Key"


class BuyerDetailsRequired(InvalidValue):
    default_message = "A physical work needs the buyer's full name and phone number."
    field = "buyer"


class DeliveryAddressRequired(InvalidValue):
    default_message = "A physical work needs a delivery address (or the id of a saved one)."
    field = "delivery_address"


class NoAddressForDigitalWork(InvalidValue):
    default_message = "This work is delivered digitally, with its certificate; it needs no delivery address."
    field = "delivery_address"


class UnknownSavedAddress(InvalidValue):
    default_message = "You have no saved address with this id."
    field = "delivery_address_id"


@dataclass(frozen=True, slots=True)
class CheckoutPolicy:
    """Checkout rules from settings."""

    reservation: timedelta
    max_open_orders: int
    commission_percent: int
    order_rate: Limit
    callback_url: str
    #: Unpaid orders all accounts behind one client address may hold at once.
    max_open_orders_per_address: int
    #: Keys the client tags: orders keep `client_tag(address)`, never the address itself.
    client_tag_key: bytes

    @property
    def open_order_limits(self) -> OpenOrderLimits:
        return OpenOrderLimits(per_buyer=self.max_open_orders, per_address=self.max_open_orders_per_address)

    def client_tag(self, client_address: str) -> str:
        """The same opaque 32-character tag for the same address (HMAC-SHA256, keyed)."""
        return hmac.new(self.client_tag_key, client_address.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    order: Order
    artwork: Artwork
    replayed: bool


#: The references artmarket issues: `am-<order id>-<128 random bits>` (hex), or `am-<order id>`
#: for orders placed before references carried a random part (they keep theirs).
ISSUED_REFERENCE: Final = re.compile(r"am-[0-9a-f]{32}(?:-[0-9a-f]{32})?")


def payment_reference_for(order_id: UUID) -> str:
    """A new order's payment reference: its id (support finds the order from the provider's
    dashboard) and a random part, so nobody derives it from the public order id."""
    return f"am-{order_id.hex}-{secrets.token_hex(16)}"


def evidence_from(verification: PaymentVerification) -> PaymentEvidence:
    return PaymentEvidence(
        reference=verification.reference,
        successful=verification.status is TransactionStatus.SUCCESS,
        charged=verification.amount,
        requested=verification.requested_amount,
        paid_at=verification.paid_at,
        provider_status=verification.status.value,
    )


def order_paid_message(order: Order, message_id: UUID, now: datetime) -> OutboxMessage:
    # The key makes a second OrderPaid for one order impossible: the outbox refuses it.
    return OutboxMessage(
        id=message_id,
        topic=Topic.ORDER_PAID,
        key=f"order-paid:{order.id}",
        payload={"order_id": str(order.id)},
        created_at=now,
    )


def start_shipment(uow: UnitOfWork, order: Order, now: datetime) -> None:
    """A paid order of a physical work: the artist now has something to ship."""
    if order.needs_shipping:
        uow.shipments.add(
            Shipment.start(order_id=order.id, artist_id=order.artist_id, buyer_id=order.buyer_id, now=now)
        )


def order_refunded_message(order: Order, message_id: UUID, now: datetime) -> OutboxMessage:
    # An order is refunded at most once (refunded is final), so its key is unique forever.
    return OutboxMessage(
        message_id, Topic.ORDER_REFUNDED, f"order-refunded:{order.id}", {"order_id": str(order.id)}, now
    )


class PlaceOrder:
    """Buy Now: reserve the artwork for one buyer and open a Paystack checkout.

    Rules: the artwork is reserved and the order created in one transaction, guarded by
    the database (one live order per artwork), so a second buyer gets 409; the same
    Idempotency-Key with the same body returns the first answer, with another body 422;
    a buyer holds at most `max_open_orders` unpaid orders (409 `TooManyOpenOrders`), all
    the accounts behind one client address at most `max_open_orders_per_address` (409
    `TooManyOpenOrdersFromAddress`; both hold under concurrent requests), and order creation
    is rate-limited; the reservation lasts `reservation`; artists cannot buy their own work.
    A physical work needs the buyer's details (full name, E.164 phone; the email defaults
    to the account's) and a delivery address in a country the artist ships to (422 naming
    the field otherwise); the amount is the price plus shipping to that country, and the
    artist's share of the split is their share of the price plus all of the shipping.
    A digital work takes no address.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        gateway: PaymentGateway,
        ids: IdGenerator,
        clock: Clock,
        limiter: RateLimiter,
        policy: CheckoutPolicy,
    ) -> None:
        self._uow = uow
        self._gateway = gateway
        self._ids = ids
        self._clock = clock
        self._limiter = limiter
        self._policy = policy

    async def __call__(
        self,
        principal: Principal,
        artwork_id: UUID,
        *,
        idempotency_key: str | None,
        client_address: str,
        details: CheckoutDetails | None = None,
    ) -> PlacedOrder:
        details = details or CheckoutDetails()
        request = f"POST /orders {artwork_id}"
        if not details.is_empty:
            request += f" {details.canonical()}"
        fingerprint = hashlib.sha256(request.encode()).hexdigest()
        # Checked before anything happens: bad input changes nothing.
        contact = details.buyer.to_contact(principal.user.email) if details.buyer else None
        typed = details.delivery_address.to_address("delivery_address") if details.delivery_address else None
        if idempotency_key is not None:
            replay = await self._replay(principal, idempotency_key, fingerprint)
            if replay is not None:
                return replay
        rate_key = f"orders:buyer:{principal.id}"
        wait = await self._limiter.retry_after(rate_key, self._policy.order_rate)
        if wait is not None:
            raise RateLimited(wait, "Too many orders in a short time; try again later.")
        await self._limiter.hit(rate_key, self._policy.order_rate)

        now = self._clock.now()
        async with self._uow as uow:
            artwork = await uow.artworks.get(artwork_id)
            if artwork is None or not artwork.is_public:
                raise NotFound("No such artwork.")
            artist = await uow.users.get(artwork.artist_id)
            ensure_may_buy(artwork, principal.id, artist_active=artist is not None and artist.is_active)
            address = typed or await self._saved_address(principal, details)
            shipping = self._shipping(artwork, contact, address)
            client_tag = self._policy.client_tag(client_address)
            # Addresses before accounts, always: two placements never wait for each other in a circle.
            await uow.orders.take_placement_turn((f"address:{client_tag}", f"buyer:{principal.id}"), now)
            self._policy.open_order_limits.check(
                open_by_buyer=await uow.orders.count_awaiting_payment(principal.id),
                open_from_address=await uow.orders.count_awaiting_payment_from(client_tag),
            )
            payout = await uow.payout_accounts.get(artwork.artist_id)
            order_id = self._ids.new_id()
            order = Order.place(
                id=order_id,
                buyer_id=principal.id,
                artwork_id=artwork.id,
                artist_id=artwork.artist_id,
                amount=artwork.price + shipping,
                reference=payment_reference_for(order_id),
                split=self._split(artwork.price, shipping, payout),
                now=now,
                reservation=self._policy.reservation,
                shipping=shipping,
                buyer_contact=contact,
                delivery_address=address,
                client_tag=client_tag,
            )
            artwork.reserve(now)
            uow.orders.add(order)
            if idempotency_key is not None:
                uow.orders.remember_idempotency_key(order, idempotency_key, fingerprint)
            await uow.commit()
        await self._open_checkout(order, principal)
        return PlacedOrder(order, artwork, replayed=False)

    async def _saved_address(self, principal: Principal, details: CheckoutDetails) -> PostalAddress | None:
        if details.delivery_address_id is None:
            return None
        saved = await self._uow.saved_addresses.get(details.delivery_address_id)
        if saved is None or saved.buyer_id != principal.id:
            raise UnknownSavedAddress()
        return saved.address

    @staticmethod
    def _shipping(artwork: Artwork, contact: BuyerContact | None, address: PostalAddress | None) -> Money:
        """What shipping this work to `address` costs (zero for a digital work)."""
        if not artwork.delivery.is_physical:
            if address is not None:
                raise NoAddressForDigitalWork()
            return Money(0, artwork.price.currency)
        if contact is None:
            raise BuyerDetailsRequired()
        if address is None:
            raise DeliveryAddressRequired()
        return artwork.delivery.shipping_to(address.country)

    def _split(self, price: Money, shipping: Money, payout: PayoutAccount | None) -> PaymentSplit:
        """The artist's own commission when their payout account has one, else the platform's."""
        return split_payment(
            price,
            shipping,
            commission_percent=payout.commission_percent if payout else self._policy.commission_percent,
            subaccount=payout.subaccount_code if payout else None,
        )

    async def _replay(self, principal: Principal, key: str, fingerprint: str) -> PlacedOrder | None:
        async with self._uow as uow:
            found = await uow.orders.get_by_idempotency_key(principal.id, key)
            if found is None:
                return None
            order, first_fingerprint = found
            if first_fingerprint != fingerprint:
                raise IdempotencyKeyReused()
            artwork = await uow.artworks.get(order.artwork_id)
        if artwork is None:
            raise NotFound("No such artwork.")
        if order.authorization_url is None and order.status is OrderStatus.AWAITING_PAYMENT:
            await self._open_checkout(order, principal)
        return PlacedOrder(order, artwork, replayed=True)

    async def _open_checkout(self, order: Order, principal: Principal) -> None:
        """Initialize the provider's transaction; on failure the reservation stays until it lapses."""
        session = await self._gateway.initialize(
            CheckoutRequest(
                reference=order.reference,
                email=str(principal.user.email),
                amount=order.amount,
                callback_url=self._policy.callback_url,
                metadata={"order_id": str(order.id), "artwork_id": str(order.artwork_id)},
                subaccount=order.split.subaccount,
                transaction_charge=order.split.platform_fee.amount if order.split.subaccount else None,
            )
        )
        async with self._uow as uow:
            stored = await uow.orders.get(order.id)
            if stored is not None:
                stored.attach_checkout(session.authorization_url)
                # The buyer is told how to pay once there is somewhere to pay (once per order).
                key = f"order-awaiting-payment:{order.id}"
                if stored.status is OrderStatus.AWAITING_PAYMENT and not await uow.outbox.has_key(key):
                    uow.outbox.add(
                        OutboxMessage(
                            self._ids.new_id(),
                            Topic.ORDER_AWAITING_PAYMENT,
                            key,
                            {"order_id": str(order.id)},
                            self._clock.now(),
                        )
                    )
                await uow.commit()
        order.attach_checkout(session.authorization_url)


class ConfirmPayment:
    """Confirm a payment by reference, exactly once, whoever asks (webhook, callback, sweeper).

    Rules: a reference that names no order is 404 before the provider is asked anything;
    the provider's verify API decides, never the caller; only `success` for the
    order's exact amount and currency pays the order; a mismatch is flagged for an admin
    and never paid; a payment after the reservation lapsed is accepted when the artwork
    can be reserved again, otherwise refunded; the order is paid, the shipment of a
    physical work started (awaiting shipment) and the `OrderPaid` message written in one
    transaction, and a repeat is a no-op.
    """

    def __init__(self, uow: UnitOfWork, gateway: PaymentGateway, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._gateway = gateway
        self._ids = ids
        self._clock = clock

    async def __call__(self, reference: str) -> Order:
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
                return await self._apply(reference, evidence)
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
            outcome = order.confirm_payment(evidence, now)
            if outcome is PaymentOutcome.CONFIRMED:
                await self._sell(order, now)
            elif outcome is PaymentOutcome.LATE:
                await self._late(order, evidence, now)
            await uow.commit()
        return order

    async def _sell(self, order: Order, now: datetime) -> None:
        artwork = await self._uow.artworks.get(order.artwork_id)
        if artwork is None:
            raise NotFound("No such artwork.")
        artwork.sell(now)
        start_shipment(self._uow, order, now)
        self._uow.outbox.add(order_paid_message(order, self._ids.new_id(), now))

    async def _late(self, order: Order, evidence: PaymentEvidence, now: datetime) -> None:
        artwork = await self._uow.artworks.get(order.artwork_id)
        if artwork is not None and artwork.status is ArtworkStatus.PUBLISHED:
            artwork.reserve(now)
            order.accept_late_payment(evidence, now)
            artwork.sell(now)
            start_shipment(self._uow, order, now)
            self._uow.outbox.add(order_paid_message(order, self._ids.new_id(), now))
            return
        # Someone else holds or bought the work: give the money back (the worker calls Paystack).
        key = f"late-refund:{order.id}"
        if not await self._uow.outbox.has_key(key):
            self._uow.outbox.add(
                OutboxMessage(
                    self._ids.new_id(), Topic.LATE_PAYMENT_REFUND, key, {"order_id": str(order.id)}, now
                )
            )


class RefundLatePayment:
    """Refund a payment that arrived after its artwork went to someone else (worker task).

    The buyer is told by email (an outbox message written with the refund).
    """

    def __init__(self, uow: UnitOfWork, gateway: PaymentGateway, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._gateway = gateway
        self._ids = ids
        self._clock = clock

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
                order.refund(reason, now)
                uow.outbox.add(order_refunded_message(order, self._ids.new_id(), now))
                await uow.commit()
        return order


#: Provider events that are only prompts: the handler of each topic asks the provider itself.
EVENTS_TO_VERIFY: Final = {
    "charge.success": Topic.PAYMENT_EVENT_RECEIVED,
    **dict.fromkeys(
        (
            "refund.pending",
            "refund.processing",
            "refund.needs-attention",
            "refund.failed",
            "refund.processed",
        ),
        Topic.REFUND_EVENT_RECEIVED,
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
            topic = EVENTS_TO_VERIFY.get(event.event)
            if topic is not None and event.reference:
                uow.outbox.add(
                    OutboxMessage(
                        self._ids.new_id(),
                        topic,
                        f"payment-event:{event.key}",
                        {"reference": event.reference, "event": event.event},
                        now,
                    )
                )
            await uow.commit()
        return True


class TrackRefund:
    """Re-verify a `refund.*` event: the order's refund moves to what the provider reports.

    Rules: the event only prompts the question, so a signed event the provider does not
    confirm moves nothing; only an order of ours is asked about; the most advanced state of
    the provider's refunds of the transaction is applied, forward only (`Order.track_refund`),
    and a repeat is a no-op.
    """

    def __init__(self, uow: UnitOfWork, gateway: PaymentGateway, clock: Clock) -> None:
        self._uow = uow
        self._gateway = gateway
        self._clock = clock

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
                    if order is not None and order.track_refund(furthest, self._clock.now()):
                        await uow.commit()
                return order
            except ConcurrentUpdate:
                # Minting or another report changed the order meanwhile: apply to the new state.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


class ExpireReservations:
    """Periodic: lapsed reservations expire and their artworks go back on sale; buyers are told."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, *, limit: int = 100) -> int:
        now = self._clock.now()
        async with self._uow as uow:
            lapsed = await uow.orders.lapsed(now, limit=limit)
            for order in lapsed:
                order.expire(now)
                # An order expires at most once (expired never returns to awaiting payment).
                uow.outbox.add(
                    OutboxMessage(
                        self._ids.new_id(),
                        Topic.RESERVATION_EXPIRED,
                        f"reservation-expired:{order.id}",
                        {"order_id": str(order.id)},
                        now,
                    )
                )
                artwork = await uow.artworks.get(order.artwork_id)
                if artwork is not None and artwork.status is ArtworkStatus.RESERVED:
                    artwork.release(now)
            await uow.commit()
        return len(lapsed)


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


class CancelOrder:
    """The buyer cancels an order while it awaits payment; the artwork goes back on sale."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, order_id: UUID) -> Order:
        now = self._clock.now()
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None or order.buyer_id != principal.id:
                raise NotFound("No such order.")
            order.cancel(now)
            artwork = await uow.artworks.get(order.artwork_id)
            if artwork is not None and artwork.status is ArtworkStatus.RESERVED:
                artwork.release(now)
            await uow.commit()
        return order


class GetOrder:
    """An order for its buyer, the selling artist or an admin; anyone else gets 404.

    The buyer's phone and the delivery address are shown to the buyer, and to the artist
    from payment until 30 days after delivery; never to anyone else.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, order_id: UUID) -> OrderView:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None or not (
                principal.id in (order.buyer_id, order.artist_id) or principal.has_role(Role.ADMIN)
            ):
                raise NotFound("No such order.")
            return await order_view(uow, order, principal.id, self._clock.now())


class ListMyOrders:
    """The buyer's orders, newest first, optionally of one status, each with its artwork and shipment."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self,
        principal: Principal,
        *,
        status: OrderStatus | None,
        limit: int,
        before: tuple[datetime, UUID] | None,
    ) -> Sequence[OrderView]:
        now = self._clock.now()
        async with self._uow as uow:
            orders = await uow.orders.list_for_buyer(principal.id, status=status, limit=limit, before=before)
            # A few lookups per order, bounded by the page size (at most 100).
            return [await order_view(uow, order, principal.id, now) for order in orders]


class SavePayoutAccount:
    """An artist registers the bank account their share settles to (a Paystack subaccount).

    Rules: the platform's commission comes from settings; the full account number is sent
    to the provider and only its last four digits are kept.
    """

    def __init__(
        self, uow: UnitOfWork, gateway: PaymentGateway, clock: Clock, policy: CheckoutPolicy
    ) -> None:
        self._uow = uow
        self._gateway = gateway
        self._clock = clock
        self._policy = policy

    async def __call__(self, principal: Principal, *, bank_code: str, account_number: str) -> PayoutAccount:
        if not bank_code.isdigit() or not account_number.isdigit() or not 6 <= len(account_number) <= 20:
            raise InvalidValue("Bank code and account number are digits (account number: 6 to 20).")
        subaccount = await self._gateway.create_subaccount(
            business_name=str(principal.user.display_name),
            bank_code=bank_code,
            account_number=account_number,
            commission_percent=self._policy.commission_percent,
        )
        account = PayoutAccount(
            artist_id=principal.id,
            bank_code=bank_code,
            account_number_last4=account_number[-4:],
            subaccount_code=subaccount.code,
            commission_percent=self._policy.commission_percent,
            updated_at=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.payout_accounts.save(account)
            await uow.commit()
        return account


class GetPayoutAccount:
    """The caller's payout account, if any."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal) -> PayoutAccount | None:
        async with self._uow as uow:
            return await uow.payout_accounts.get(principal.id)


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
