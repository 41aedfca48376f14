"""A shop selling limited editions, for the edition tests: the checkout use cases over one
unit-of-work factory (in memory or SQL), each call on a unit of work of its own, so callers may
race them; and what the tests read back (an edition's stock as its orders hold it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from litestar.stores.memory import MemoryStore

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.adapters.ratelimit.store import StoreRateLimiter
from artmarket.adapters.security.clock import Uuid7Ids
from artmarket.application.admin.refunds import RefundOrder
from artmarket.application.audit import Actor
from artmarket.application.checkout.payments import ConfirmPayment, RefundLatePayment, TrackRefund
from artmarket.application.checkout.placing import CheckoutPolicy, PlacedOrder, PlaceOrder
from artmarket.application.checkout.reservations import CancelOrder, ExpireReservations
from artmarket.application.payments.ports import ProviderRefundStatus, RefundResult
from artmarket.application.ports import Limit
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.audit import AuditChannel
from artmarket.domain.catalog import Artwork
from artmarket.domain.editions import Edition, EditionStock
from artmarket.domain.identity import DisplayName, Email, Role, User
from artmarket.domain.listing import ArtworkImage, Medium
from artmarket.domain.money import Money
from artmarket.domain.orders import Order
from artmarket.fakes.clock import FixedClock

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PRICE = Money.of(2_500_000, "NGN")

#: Caps and rates far above what the tests place: only the edition decides who gets a number
#: (the caps and the rate limit are proven in tests/security/test_reservation_caps.py).
POLICY = CheckoutPolicy(
    reservation=timedelta(minutes=15),
    max_open_orders=1_000,
    commission_percent=10,
    order_rate=Limit(10_000, timedelta(minutes=1)),
    callback_url="http://shop.test/callback",
    max_open_orders_per_address=1_000,
    client_tag_key=b"edition tests' client tags",
)


def a_user(role: Role = Role.BUYER) -> User:
    email, name = Email(f"{uuid4().hex[:10]}@example.com"), DisplayName("Someone")
    if role is Role.ADMIN:
        return User.create_admin(id=uuid4(), email=email, display_name=name, password_hash="x", now=START)
    return User.register(id=uuid4(), email=email, display_name=name, password_hash="x", role=role, now=START)


def an_edition(artist: User, size: int, *, available_from: datetime | None = None) -> Artwork:
    """A published limited edition of `size` numbers (a drop opening at `available_from`)."""
    artwork = Artwork.draft(
        id=uuid4(),
        artist_id=artist.id,
        artist_name="Ada",
        title="Harbour, print",
        description="Giclée print.",
        medium=Medium.PHOTOGRAPHY,
        price=PRICE,
        year=None,
        dimensions=None,
        now=START,
        edition=Edition.limited(size, 2),
        available_from=available_from,
    )
    artwork.add_image(ArtworkImage(uuid4(), "d.webp", "t.webp", "o.png", 10, 10, 0, START), START)
    artwork.publish(kyc_approved=True, now=START)
    return artwork


@dataclass
class EditionShop:
    """One artist's works and the checkout use cases, each call on a fresh unit of work."""

    new_uow: Callable[[], UnitOfWork]
    clock: FixedClock = field(default_factory=lambda: FixedClock(START))
    ids: Uuid7Ids = field(default_factory=Uuid7Ids)
    artist: User = field(default_factory=lambda: a_user(Role.ARTIST))
    admin: User = field(default_factory=lambda: a_user(Role.ADMIN))
    policy: CheckoutPolicy = POLICY

    def __post_init__(self) -> None:
        self.gateway = SandboxPaymentGateway(
            "sk_test_editions", checkout_base_url="http://shop.test", clock=self.clock
        )
        self.limiter = StoreRateLimiter(MemoryStore())

    async def open(self) -> None:
        await self.add(self.artist, self.admin)

    async def add(self, *entities: User | Artwork) -> None:
        async with self.new_uow() as uow:
            for entity in entities:
                if isinstance(entity, User):
                    uow.users.add(entity)
                else:
                    uow.artworks.add(entity)
            await uow.commit()

    async def buyers(self, count: int) -> list[Principal]:
        users = [a_user() for _ in range(count)]
        await self.add(*users)
        return [Principal(user, uuid4()) for user in users]

    async def place(self, buyer: Principal, artwork_id: UUID, client_address: str) -> PlacedOrder:
        place = PlaceOrder(self.new_uow(), self.gateway, self.ids, self.clock, self.limiter, self.policy)
        return await place(buyer, artwork_id, idempotency_key=None, client_address=client_address)

    async def pay(self, reference: str) -> Order:
        """The buyer pays in full and comes back (the payment confirmed as the callback does)."""
        self.gateway.complete(reference, outcome="success")
        return await ConfirmPayment(self.new_uow(), self.gateway, self.ids, self.clock)(reference)

    async def expire(self) -> int:
        return await ExpireReservations(self.new_uow(), self.ids, self.clock)()

    async def cancel(self, buyer: Principal, order_id: UUID) -> Order:
        return await CancelOrder(self.new_uow(), self.clock)(buyer, order_id)

    async def refund(self, order_id: UUID) -> Order:
        """An admin refunds the order through the payment provider."""
        actor = Actor(self.admin.id, str(self.admin.email), AuditChannel.CLI)
        refund = RefundOrder(self.new_uow(), self.gateway, self.ids, self.clock)
        return await refund(actor, order_id, reason="The print arrived damaged.")

    async def refund_at_the_provider(self, order: Order) -> Order | None:
        """Someone refunds the payment in the provider's dashboard; its `refund.processed` is tracked."""
        refund = RefundResult("3000099", order.reference, ProviderRefundStatus.PROCESSED, order.amount)
        self.gateway.refunds.append(refund)
        return await TrackRefund(self.new_uow(), self.gateway, self.ids, self.clock)(order.reference)

    async def refund_late_payment(self, order_id: UUID) -> Order:
        """The worker refunds a payment that came after its number went to someone else."""
        return await RefundLatePayment(self.new_uow(), self.gateway, self.ids, self.clock)(order_id)

    async def artwork(self, artwork_id: UUID) -> Artwork:
        async with self.new_uow() as uow:
            artwork = await uow.artworks.get(artwork_id)
        assert artwork is not None
        return artwork

    async def orders(self, order_ids: Sequence[UUID]) -> list[Order]:
        async with self.new_uow() as uow:
            found = [await uow.orders.get(order_id) for order_id in order_ids]
        return [order for order in found if order is not None]

    async def stock(self, artwork: Artwork) -> EditionStock:
        """The edition's numbers as its orders hold them now."""
        async with self.new_uow() as uow:
            return EditionStock.of(artwork.edition, await uow.orders.edition_holdings(artwork.id))
