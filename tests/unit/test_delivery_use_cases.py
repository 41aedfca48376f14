"""Delivery use cases on the in-memory unit of work: what Paystack is asked to charge and split,
Idempotency-Keys bound to the address, the shipment started with the payment exactly once,
and the emails each step writes."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import uuid4

import pytest
from litestar.stores.memory import MemoryStore
from tests.support.persistence import ships_to

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.adapters.ratelimit.store import StoreRateLimiter
from artmarket.adapters.security.clock import Uuid7Ids
from artmarket.application.checkout.payments import ConfirmPayment
from artmarket.application.checkout.placing import CheckoutPolicy, IdempotencyKeyReused, PlaceOrder
from artmarket.application.checkout_details import AddressInput, BuyerInput, CheckoutDetails
from artmarket.application.messaging import Topic
from artmarket.application.payments.records import PayoutAccount
from artmarket.application.ports import Limit
from artmarket.application.principal import Principal
from artmarket.application.shipping.use_cases import (
    ConfirmDelivery,
    MarkShipped,
    ReportDeliveryProblem,
)
from artmarket.domain.catalog import Artwork
from artmarket.domain.errors import InvalidValue, NotFound
from artmarket.domain.identity import DisplayName, Email, Role, User
from artmarket.domain.listing import ArtworkImage, Medium
from artmarket.domain.money import Money
from artmarket.domain.shipments import RefundedOrderNotShipped, ShipmentStatus
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork

T = TypeVar("T")
START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
LAGOS = AddressInput("Bola Ade", ["12 Allen Avenue"], "Ikeja", "NG", "Lagos", None)
DETAILS = CheckoutDetails(BuyerInput("Bola Ade", "+2348031234567"), LAGOS)


class Shop:
    def __init__(self) -> None:
        self.db = InMemoryDatabase()
        self.uow = InMemoryUnitOfWork(self.db)
        self.clock = FixedClock(START)
        self.ids = Uuid7Ids()
        self.gateway = SandboxPaymentGateway(
            "sk_test_unit", checkout_base_url="http://shop.test", clock=self.clock
        )
        policy = CheckoutPolicy(
            reservation=timedelta(minutes=15),
            max_open_orders=5,
            commission_percent=10,
            order_rate=Limit(1000, timedelta(minutes=1)),
            callback_url="http://shop.test/callback",
            # The per-address cap is proven in tests/security/test_reservation_caps.py.
            max_open_orders_per_address=10_000,
            client_tag_key=b"unit-test client tags",
        )
        self.place = PlaceOrder(
            self.uow, self.gateway, self.ids, self.clock, StoreRateLimiter(MemoryStore()), policy
        )
        self.confirm = ConfirmPayment(self.uow, self.gateway, self.ids, self.clock)
        self.artist = self.user(Role.ARTIST)
        self.buyer = Principal(self.user(Role.BUYER), uuid4())

    def user(self, role: Role) -> User:
        user = User.register(
            id=uuid4(),
            email=Email(f"{uuid4().hex[:8]}@example.com"),
            display_name=DisplayName("Someone"),
            password_hash="x",
            role=role,
            now=START,
        )
        self.run(self._add(user))
        return user

    async def _add(self, *entities: Any) -> None:
        async with self.uow as uow:
            for entity in entities:
                if isinstance(entity, User):
                    uow.users.add(entity)
                elif isinstance(entity, Artwork):
                    uow.artworks.add(entity)
                else:
                    await uow.payout_accounts.save(entity)
            await uow.commit()

    def artwork(self) -> Artwork:
        artwork = Artwork.draft(
            id=uuid4(),
            artist_id=self.artist.id,
            artist_name="Ada",
            title="Bronze",
            description="",
            medium=Medium.SCULPTURE,
            price=Money.of(2_500_000, "NGN"),
            year=None,
            dimensions=None,
            now=START,
            delivery=ships_to((("NG",), 250_000), (("GH",), 900_000)),
        )
        artwork.add_image(ArtworkImage(uuid4(), "d", "t", "o", 10, 10, 0, START), START)
        artwork.publish(kyc_approved=True, now=START)
        self.run(self._add(artwork))
        return artwork

    @staticmethod
    def run(coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run(coroutine)


@pytest.fixture
def shop() -> Shop:
    return Shop()


def test_paystack_is_asked_for_price_plus_shipping_and_the_subaccount_gets_both_shares(shop: Shop) -> None:
    payout = PayoutAccount(shop.artist.id, "058", "1234", "ACCT_ada", 10, START)
    shop.run(shop._add(payout))
    work = shop.artwork()
    placed = shop.run(
        shop.place(shop.buyer, work.id, idempotency_key=None, client_address="192.0.2.1", details=DETAILS)
    )
    (request,) = shop.gateway.initialized
    assert request.amount == Money.of(2_750_000, "NGN")
    assert request.subaccount == "ACCT_ada"
    # Paystack gives the main account exactly `transaction_charge`; the rest settles to the artist.
    assert request.transaction_charge == 250_000
    assert placed.order.split.artist_share == Money.of(2_500_000, "NGN")
    assert request.amount.amount - request.transaction_charge == placed.order.split.artist_share.amount
    assert "Allen" not in repr(request.metadata)
    assert str(placed.order.buyer_contact.email) == str(shop.buyer.user.email)  # type: ignore[union-attr]


def test_an_idempotency_key_is_bound_to_the_address_too(shop: Shop) -> None:
    work = shop.artwork()
    first = shop.run(
        shop.place(shop.buyer, work.id, idempotency_key="k", client_address="192.0.2.1", details=DETAILS)
    )
    again = shop.run(
        shop.place(shop.buyer, work.id, idempotency_key="k", client_address="192.0.2.1", details=DETAILS)
    )
    assert (again.replayed, again.order.id) == (True, first.order.id)
    elsewhere = CheckoutDetails(DETAILS.buyer, AddressInput("Kofi", ["7 Oxford St"], "Accra", "GH"))
    with pytest.raises(IdempotencyKeyReused):
        shop.run(
            shop.place(
                shop.buyer, work.id, idempotency_key="k", client_address="192.0.2.1", details=elsewhere
            )
        )


def test_both_an_address_and_a_saved_one_is_refused() -> None:
    with pytest.raises(InvalidValue) as error:
        CheckoutDetails(DETAILS.buyer, LAGOS, uuid4())
    assert error.value.location == "delivery_address_id"


def test_the_shipment_starts_with_the_payment_once_and_each_step_writes_its_message(shop: Shop) -> None:
    work = shop.artwork()
    placed = shop.run(
        shop.place(shop.buyer, work.id, idempotency_key=None, client_address="192.0.2.1", details=DETAILS)
    )
    order = placed.order
    shop.gateway.complete(order.reference, outcome="success")
    for _ in range(3):  # webhook, callback and sweeper all confirm
        shop.run(shop.confirm(order.reference))

    async def state() -> Any:
        async with shop.uow as uow:
            return await uow.shipments.get(order.id)

    shipment = shop.run(state())
    assert shipment is not None
    assert [step.status for step in shipment.history] == [ShipmentStatus.AWAITING_SHIPMENT]
    artist = Principal(shop.artist, uuid4())
    ship = MarkShipped(shop.uow, shop.ids, shop.clock)
    with pytest.raises(NotFound):
        shop.run(ship(shop.buyer, order.id, carrier="DHL", tracking_number="1", tracking_url=None))
    shop.run(ship(artist, order.id, carrier="DHL", tracking_number="1", tracking_url=None))
    with pytest.raises(NotFound):  # the artist cannot confirm for the buyer
        shop.run(ConfirmDelivery(shop.uow, shop.clock)(artist, order.id))
    shop.run(ReportDeliveryProblem(shop.uow, shop.ids, shop.clock)(shop.buyer, order.id, message="Broken"))
    topics = [m.topic for m in sorted(shop.db.outbox.values(), key=lambda m: m.created_at)]
    assert topics.count(Topic.ORDER_PAID) == 1
    assert topics.count(Topic.SHIPMENT_SHIPPED) == 1
    assert topics.count(Topic.DELIVERY_PROBLEM_REPORTED) == 1


def test_a_refunded_order_is_not_shipped(shop: Shop) -> None:
    work = shop.artwork()
    order = shop.run(
        shop.place(shop.buyer, work.id, idempotency_key=None, client_address="192.0.2.1", details=DETAILS)
    ).order
    shop.gateway.complete(order.reference, outcome="success")
    shop.run(shop.confirm(order.reference))

    async def refund() -> None:
        async with shop.uow as uow:
            stored = await uow.orders.get(order.id)
            assert stored is not None
            stored.refund("artist cannot ship", START)
            await uow.commit()

    shop.run(refund())
    with pytest.raises(RefundedOrderNotShipped):
        shop.run(
            MarkShipped(shop.uow, shop.ids, shop.clock)(
                Principal(shop.artist, uuid4()),
                order.id,
                carrier="DHL",
                tracking_number="1",
                tracking_url=None,
            )
        )
