"""Minting in tests and the benchmark: paid orders in a database, and the mint use cases wired
to a ledger, a content-addressed store and a media store, as the composition root wires them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from artmarket.adapters.security.clock import Uuid7Ids
from artmarket.application.audit import Actor
from artmarket.application.media import ContentStore
from artmarket.application.messages import OrderPaid
from artmarket.application.messaging import OutboxMessage
from artmarket.application.minting.batches import MintQueuedJobs
from artmarket.application.minting.jobs import RetryFailedMintJobs, RetryMintJob, StartMinting
from artmarket.application.minting.ledger import Ledger
from artmarket.application.minting.reconciliation import ReconcileSubmittedJobs
from artmarket.application.minting.work import MintPolicy
from artmarket.application.ports import Clock
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.audit import AuditChannel
from artmarket.domain.certificates import Certificate, MintJob, MintJobStatus
from artmarket.domain.editions import Edition, EditionStock
from artmarket.domain.identity import Role
from artmarket.domain.orders import Order, PaymentEvidence
from artmarket.fakes.ipfs_store import InMemoryBlockStore
from artmarket.fakes.media_store import InMemoryMediaStore
from tests.support.images import png_bytes
from tests.support.persistence import a_user, an_artwork, an_order

#: The admin who retries jobs in these tests, as the audit log records them.
OPERATOR = Actor(
    UUID("00000000-0000-7000-8000-00000000a0a0"), "ops@example.com", AuditChannel.CLI, "cli-test"
)


@dataclass
class Minting:
    """The mint use cases over one database, one ledger and one clock."""

    new_uow: Callable[[], UnitOfWork]
    ledger: Ledger
    clock: Clock
    policy: MintPolicy
    content: InMemoryBlockStore = field(default_factory=InMemoryBlockStore)
    media: ContentStore = field(default_factory=InMemoryMediaStore)
    ids: Uuid7Ids = field(default_factory=Uuid7Ids)

    def start(self) -> StartMinting:
        return StartMinting(self.new_uow(), self.ids, self.clock)

    def mint(self) -> MintQueuedJobs:
        return MintQueuedJobs(
            self.new_uow(), self.ledger, self.content, self.media, self.ids, self.clock, self.policy
        )

    def reconcile(self) -> ReconcileSubmittedJobs:
        return ReconcileSubmittedJobs(self.new_uow(), self.ledger, self.ids, self.clock, self.policy)

    def retry(self) -> RetryMintJob:
        return RetryMintJob(self.new_uow(), self.ids, self.clock)

    def retry_failed(self) -> RetryFailedMintJobs:
        return RetryFailedMintJobs(self.new_uow(), self.ids, self.clock)

    async def paid_orders(self, count: int, *, at: datetime | None = None) -> list[Order]:
        """`count` orders of distinct artworks by one artist, each paid, with its OrderPaid message."""
        now = at or self.clock.now()
        artist = a_user("Ada Obi", role=Role.ARTIST, at=now)
        orders = []
        async with self.new_uow() as uow:
            uow.users.add(artist)
            for n in range(count):
                buyer = a_user(f"Buyer {n}", at=now)
                artwork = an_artwork(artist, f"Harmattan Light {n}", at=now, published_at=now)
                for image in artwork.images:
                    await self.media.put(image.display_key, png_bytes(8 + n % 5, 8), "image/png", public=True)
                order = an_order(buyer, artwork, at=now)
                artwork.reserve(now)
                order.confirm_payment(
                    PaymentEvidence(order.reference, True, order.amount, order.amount, now, "success"), now
                )
                artwork.sell(now)
                uow.users.add(buyer)
                uow.artworks.add(artwork)
                uow.orders.add(order)
                uow.outbox.add(OutboxMessage.of(OrderPaid(order.id), self.ids.new_id(), now))
                orders.append(order)
            await uow.commit()
        return orders

    async def paid_edition_orders(
        self, count: int, *, at: datetime | None = None, announce: bool = True
    ) -> list[Order]:
        """A limited edition of `count` sold out in a drop: `count` paid orders, numbers 1..count,
        each with its OrderPaid message (`announce=False`: without, for a caller that starts the
        mint jobs itself)."""
        now = at or self.clock.now()
        artist = a_user("Ada Obi", role=Role.ARTIST, at=now)
        artwork = an_artwork(
            artist, "Harmattan Light", at=now, published_at=now, edition=Edition.limited(count, 0)
        )
        for image in artwork.images:
            await self.media.put(image.display_key, png_bytes(8, 8), "image/png", public=True)
        stock = EditionStock.of(artwork.edition, [])
        orders = []
        async with self.new_uow() as uow:
            uow.users.add(artist)
            uow.artworks.add(artwork)  # its counts are stored at the commit, after the last sale
            for n in range(count):
                buyer = a_user(f"Buyer {n}", at=now)
                number = artwork.take_number(stock, now)
                stock = stock.taking(number)
                order = an_order(buyer, artwork, at=now, edition_number=number)
                order.confirm_payment(
                    PaymentEvidence(order.reference, True, order.amount, order.amount, now, "success"), now
                )
                uow.users.add(buyer)
                uow.orders.add(order)
                if announce:
                    uow.outbox.add(OutboxMessage.of(OrderPaid(order.id), self.ids.new_id(), now))
                orders.append(order)
            holdings = [(order.edition_number or 0, order.status) for order in orders]
            artwork.follow_stock(EditionStock.of(artwork.edition, holdings), now)
            await uow.commit()
        return orders

    async def jobs(self) -> list[MintJob]:
        async with self.new_uow() as uow:
            return list(await uow.mint_jobs.list(status=None, limit=10_000))

    async def statuses(self) -> dict[MintJobStatus, int]:
        async with self.new_uow() as uow:
            counts = await uow.mint_jobs.count_by_status()
        return {status: n for status, n in counts.items() if n}

    async def certificates(self, orders: Sequence[Order]) -> list[Certificate]:
        found = []
        async with self.new_uow() as uow:
            for order in orders:
                stored = await uow.orders.get(order.id)
                if stored is not None and stored.certificate_id is not None:
                    certificate = await uow.certificates.get(stored.certificate_id)
                    if certificate is not None:
                        found.append(certificate)
        return found

    async def order(self, order_id: UUID) -> Order:
        async with self.new_uow() as uow:
            order = await uow.orders.get(order_id)
        assert order is not None
        return order


def policy(token_id: str, **changes: object) -> MintPolicy:
    """Minting with no linger and no waits, so a test decides when things happen."""
    options: dict[str, object] = {
        "token_id": token_id,
        "linger": timedelta(0),
        "recheck": timedelta(0),
        "absence_margin": timedelta(seconds=30),
        **changes,
    }
    return MintPolicy(**options)  # type: ignore[arg-type]
