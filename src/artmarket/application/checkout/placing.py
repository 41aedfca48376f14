"""Buy Now: reserve the artwork for one buyer and open a Paystack checkout, once per request."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Final
from uuid import UUID

from artmarket.application.checkout_details import CheckoutDetails
from artmarket.application.edition_numbers import artwork_holder, reserve_number
from artmarket.application.messages import (
    OrderAwaitingPayment,
)
from artmarket.application.messaging import OutboxMessage
from artmarket.application.payments.ports import (
    CheckoutRequest,
    PaymentGateway,
)
from artmarket.application.payments.records import PayoutAccount
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter, count_or_refuse
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork
from artmarket.domain.delivery import BuyerContact, PostalAddress
from artmarket.domain.errors import InvalidValue, NotFound
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order, PaymentSplit
from artmarket.domain.purchase import (
    OpenOrderLimits,
    ensure_may_buy,
    split_payment,
)


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


class PlaceOrder:
    """Buy Now: reserve the artwork for one buyer and open a Paystack checkout.

    Rules: the artwork is reserved and the order created in one transaction, under the
    artwork's placement turn and guarded by the database (one live order per unique work,
    one order per edition number), so a second buyer gets 409; the same
    Idempotency-Key with the same body returns the first answer, with another body 422;
    a buyer holds at most `max_open_orders` unpaid orders (409 `TooManyOpenOrders`), all
    the accounts behind one client address at most `max_open_orders_per_address` (409
    `TooManyOpenOrdersFromAddress`; both hold under concurrent requests), and order creation
    is rate-limited; the reservation lasts `reservation`; artists cannot buy their own work.
    A physical work needs the buyer's details (full name, E.164 phone; the email defaults
    to the account's) and a delivery address in a country the artist ships to (422 naming
    the field otherwise); the amount is the price plus shipping to that country, and the
    artist's share of the split is their share of the price plus all of the shipping.
    A digital work takes no address. A limited edition hands each order its lowest free
    number under the artwork's placement turn (409 `ArtworkNotAvailable` once none is free);
    a drop answers 409 `NotYetAvailable` before its `available_from` (the rate limit counts
    those attempts too, and the caps hold, so nobody gains by asking early or often).
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
        await count_or_refuse(
            self._limiter,
            f"orders:buyer:{principal.id}",
            self._policy.order_rate,
            "Too many orders in a short time; try again later.",
        )

        now = self._clock.now()
        client_tag = self._policy.client_tag(client_address)
        async with self._uow as uow:
            # Address, then account, then artwork, always: two placements never wait for each
            # other in a circle. The artwork is read after its turn, so its status and a limited
            # edition's numbers are the committed ones.
            holders = (f"address:{client_tag}", f"buyer:{principal.id}", artwork_holder(artwork_id))
            await uow.orders.take_placement_turn(holders, now)
            artwork = await uow.artworks.get(artwork_id)
            if artwork is None or not artwork.is_public:
                raise NotFound("No such artwork.")
            artist = await uow.users.get(artwork.artist_id)
            ensure_may_buy(artwork, principal.id, artist_active=artist is not None and artist.is_active)
            artwork.ensure_on_sale_yet(now)
            address = typed or await self._saved_address(principal, details)
            shipping = self._shipping(artwork, contact, address)
            self._policy.open_order_limits.check(
                open_by_buyer=await uow.orders.count_awaiting_payment(principal.id),
                open_from_address=await uow.orders.count_awaiting_payment_from(client_tag),
            )
            payout = await uow.payout_accounts.get(artwork.artist_id)
            number = await reserve_number(uow, artwork, now) if artwork.edition.is_limited else None
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
                edition_number=number,
            )
            if number is None:
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
                awaiting = OrderAwaitingPayment(order.id)
                if stored.status is OrderStatus.AWAITING_PAYMENT and not await uow.outbox.has_key(
                    awaiting.idempotency_key
                ):
                    uow.outbox.add(OutboxMessage.of(awaiting, self._ids.new_id(), self._clock.now()))
                await uow.commit()
        order.attach_checkout(session.authorization_url)
