"""Checkout as a state machine: whatever arrives, in any order, any number of times.

Never two live orders for one artwork; never a paid order without a verified payment of
the exact amount; never two OrderPaid messages for one order; never a paid order lost.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from litestar.stores.memory import MemoryStore

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.adapters.ratelimit.store import StoreRateLimiter
from artmarket.adapters.security.clock import Uuid7Ids
from artmarket.application.checkout.payments import ConfirmPayment, ReceivePaymentWebhook, RefundLatePayment
from artmarket.application.checkout.placing import CheckoutPolicy, PlaceOrder
from artmarket.application.checkout.reservations import CancelOrder, ExpireReservations
from artmarket.application.messages import LatePaymentRefundDue, PaymentEventReceived
from artmarket.application.messaging import Topic
from artmarket.application.payments.ports import TransactionStatus
from artmarket.application.ports import Limit
from artmarket.application.principal import Principal
from artmarket.application.relay import MessageHandlers, RelayOutbox
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import DisplayName, Email, Role, User
from artmarket.domain.listing import ArtworkImage, Medium
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import LIVE_STATUSES, OrderStatus
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork
from artmarket.fakes.queue import RecordingQueue

PRICE = Money.of(2_500_000, "NGN")
START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@settings(
    max_examples=40, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
class Checkout(RuleBasedStateMachine):
    @initialize()
    def open_the_shop(self) -> None:
        self.db = InMemoryDatabase()
        self.clock = FixedClock(START)
        ids = Uuid7Ids()
        self.gateway = SandboxPaymentGateway(
            "sk_test_state_machine", checkout_base_url="http://shop.test", clock=self.clock
        )
        self.queue = RecordingQueue()
        uow = InMemoryUnitOfWork(self.db)
        policy = CheckoutPolicy(
            reservation=timedelta(minutes=15),
            max_open_orders=3,
            commission_percent=10,
            order_rate=Limit(10_000, timedelta(minutes=1)),
            callback_url="http://shop.test/callback",
            # The per-address cap is proven in tests/security/test_reservation_caps.py.
            max_open_orders_per_address=10_000,
            client_tag_key=b"unit-test client tags",
        )
        self.place = PlaceOrder(uow, self.gateway, ids, self.clock, StoreRateLimiter(MemoryStore()), policy)
        self.confirm = ConfirmPayment(uow, self.gateway, ids, self.clock)
        self.receive = ReceivePaymentWebhook(uow, self.gateway, ids, self.clock)
        self.expire = ExpireReservations(uow, ids, self.clock)
        self.cancel_order = CancelOrder(uow, self.clock)
        self.relay = RelayOutbox(uow, self.queue, self.clock)
        refund_late = RefundLatePayment(uow, self.gateway, ids, self.clock)
        self.handlers = MessageHandlers(
            {PaymentEventReceived: [self.confirm.handle], LatePaymentRefundDue: [refund_late.handle]}
        )
        self.uow = uow
        artist = self._user(Role.ARTIST)
        self.buyers = [Principal(self._user(Role.BUYER), uuid4()) for _ in range(3)]
        self.artworks: list[UUID] = []
        for n in range(2):
            artwork = Artwork.draft(
                id=uuid4(),
                artist_id=artist.id,
                artist_name="Ada",
                title=f"Work {n}",
                description="",
                medium=Medium.PAINTING,
                price=PRICE,
                year=None,
                dimensions=None,
                now=START,
            )
            artwork.add_image(ArtworkImage(uuid4(), "d", "t", "o", 10, 10, 0, START), START)
            artwork.publish(kyc_approved=True, now=START)
            run(self._add(artwork))
            self.artworks.append(artwork.id)
        self.orders: list[tuple[UUID, str]] = []
        self.ever_paid: set[UUID] = set()

    def _user(self, role: Role) -> User:
        user = User.register(
            id=uuid4(),
            email=Email(f"{uuid4().hex[:8]}@example.com"),
            display_name=DisplayName("Someone"),
            password_hash="x",
            role=role,
            now=START,
        )
        run(self._add(user))
        return user

    async def _add(self, entity: Any) -> None:
        async with self.uow as uow:
            (uow.users if isinstance(entity, User) else uow.artworks).add(entity)
            await uow.commit()

    @rule(buyer=st.integers(0, 2), artwork=st.integers(0, 1))
    def buy_now(self, buyer: int, artwork: int) -> None:
        try:
            placed = run(
                self.place(
                    self.buyers[buyer],
                    self.artworks[artwork],
                    idempotency_key=None,
                    client_address="192.0.2.1",
                )
            )
        except DomainError:
            return
        self.orders.append((placed.order.id, placed.order.reference))

    @precondition(lambda self: self.orders)
    @rule(
        data=st.data(),
        outcome=st.sampled_from(["success", "success", "failed", "abandoned"]),
        wrong_amount=st.booleans(),
    )
    def customer_pays(self, data: st.DataObject, outcome: str, wrong_amount: bool) -> None:
        _, reference = data.draw(st.sampled_from(self.orders))
        amount = Money.of(1_000, "NGN") if wrong_amount else None
        # A paid transaction cannot fail afterwards, as on Paystack.
        with contextlib.suppress(ValueError):
            self.gateway.complete(reference, outcome=outcome, amount=amount)  # type: ignore[arg-type]

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), times=st.integers(1, 3))
    def paystack_sends_the_webhook(self, data: st.DataObject, times: int) -> None:
        _, reference = data.draw(st.sampled_from(self.orders))
        if self.gateway.checkout_request(reference) is None:
            return
        if run(self.gateway.verify(reference)).status is not TransactionStatus.SUCCESS:
            return
        raw, signature = self.gateway.webhook_for(reference)
        for _ in range(times):
            run(self.receive(raw, signature))

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def the_browser_returns(self, data: st.DataObject) -> None:
        _, reference = data.draw(st.sampled_from(self.orders))
        run(self.confirm(reference))

    @rule(redeliver=st.booleans())
    def the_worker_runs(self, redeliver: bool) -> None:
        run(self.relay())
        for message in self.queue.take() * (2 if redeliver else 1):
            with contextlib.suppress(DomainError):
                run(self.handlers.handle(message.topic, message.payload, message.version))

    @rule(minutes=st.integers(1, 20))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))
        run(self.expire())

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def the_buyer_cancels(self, data: st.DataObject) -> None:
        order_id, _ = data.draw(st.sampled_from(self.orders))

        async def cancel() -> None:
            async with self.uow as uow:
                order = await uow.orders.get(order_id)
            assert order is not None
            buyer = next(b for b in self.buyers if b.id == order.buyer_id)
            await self.cancel_order(buyer, order_id)

        with contextlib.suppress(DomainError):
            run(cancel())

    async def _snapshot(self) -> tuple[list[Any], list[Any], list[Any]]:
        async with self.uow as uow:
            orders = [await uow.orders.get(order_id) for order_id, _ in self.orders]
            artworks = [await uow.artworks.get(a) for a in self.artworks]
            messages = await uow.outbox.list(status=None, limit=10_000)
        return orders, artworks, list(messages)

    @invariant()
    def never_two_live_orders_for_one_artwork(self) -> None:
        if not hasattr(self, "uow"):
            return
        orders, _, _ = run(self._snapshot())
        live = [o.artwork_id for o in orders if o.status in LIVE_STATUSES]
        assert len(live) == len(set(live))

    @invariant()
    def every_paid_order_has_a_verified_payment_of_the_exact_amount(self) -> None:
        if not hasattr(self, "uow"):
            return
        orders, artworks, _ = run(self._snapshot())
        for order in orders:
            if order.is_paid:
                verification = run(self.gateway.verify(order.reference))
                assert verification.status is TransactionStatus.SUCCESS
                assert verification.requested_amount == order.amount
                self.ever_paid.add(order.id)
                artwork = next(a for a in artworks if a.id == order.artwork_id)
                assert artwork.status is ArtworkStatus.SOLD

    @invariant()
    def never_two_order_paid_messages_for_one_order(self) -> None:
        if not hasattr(self, "uow"):
            return
        _, _, messages = run(self._snapshot())
        paid = [m.payload["order_id"] for m in messages if m.topic is Topic.ORDER_PAID]
        assert len(paid) == len(set(paid))

    @invariant()
    def a_paid_order_is_never_lost(self) -> None:
        if not hasattr(self, "uow"):
            return
        orders, _, _ = run(self._snapshot())
        by_id = {o.id: o for o in orders}
        for order_id in self.ever_paid:
            assert by_id[order_id].status in (
                OrderStatus.PAID,
                OrderStatus.MINTING,
                OrderStatus.COMPLETED,
                OrderStatus.REFUNDED,
            )


TestCheckout = Checkout.TestCase
