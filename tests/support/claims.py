"""Claims in tests: a minted certificate on the simulated ledger, the claim use cases wired to
it, and the ledger-task worker with the subscribers of what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Generic, Protocol, TypeVar
from uuid import UUID

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.application.messages import LedgerTaskSucceeded, decode_message
from artmarket.application.messaging import Topic
from artmarket.application.minting.certificate_transactions import CertificateLedger
from artmarket.application.minting.claim_outcomes import SettleClaim, SettlePendingClaims
from artmarket.application.minting.claims import ClaimCertificate, ClaimPolicy, DescribeClaim
from artmarket.application.minting.ledger import Ledger, NftRecord
from artmarket.application.minting.ledger_tasks import (
    LedgerTaskPolicy,
    ReconcileLedgerTasks,
    SubmitLedgerTasks,
)
from artmarket.application.minting.revocation import BurnAfterCancelledAirdrop
from artmarket.domain.certificates import Certificate
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind
from artmarket.domain.orders import Order
from artmarket.domain.provenance import ProvenanceEntry
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork
from tests.support.minting import Minting, policy

NOW = datetime(2026, 7, 1, 12, tzinfo=UTC)
CLAIMS = ClaimPolicy(wait=timedelta(days=14), pending_for=timedelta(days=30))


class BothLedgers(Ledger, CertificateLedger, Protocol):
    """A ledger adapter: it mints, and it burns, records and moves certificates."""


L = TypeVar("L", bound=BothLedgers)


@dataclass
class Claims(Generic[L]):
    """One minted digital certificate and the claim use cases over the same database and ledger."""

    minting: Minting
    ledger: L
    clock: FixedClock
    order: Order
    certificate: Certificate
    #: The collection's provenance topic.
    topic_id: str
    #: The outbox rows already delivered to subscribers.
    delivered: set[UUID] = field(default_factory=set)

    def claim(self) -> ClaimCertificate:
        m = self.minting
        return ClaimCertificate(m.new_uow(), self.ledger, m.ids, self.clock, CLAIMS)

    def describe(self) -> DescribeClaim:
        return DescribeClaim(self.minting.new_uow(), self.ledger, self.clock, CLAIMS)

    def settle_pending(self) -> SettlePendingClaims:
        m = self.minting
        return SettlePendingClaims(m.new_uow(), self.ledger, m.ids, self.clock, CLAIMS)

    def settle(self) -> SettleClaim:
        m = self.minting
        return SettleClaim(m.new_uow(), self.ledger, m.ids, self.clock)

    async def current(self) -> Certificate:
        async with self.minting.new_uow() as uow:
            found = await uow.certificates.get(self.certificate.id)
        assert found is not None
        return found

    async def tasks(self) -> list[LedgerTask]:
        async with self.minting.new_uow() as uow:
            return list(await uow.ledger_tasks.for_certificate(self.certificate.id))

    async def trail(self) -> list[ProvenanceEntry]:
        async with self.minting.new_uow() as uow:
            return [entry for entry, _ in await uow.provenance.trail(self.certificate.id)]

    async def run_ledger_tasks(self, *, reconcile: bool = False) -> list[LedgerTask]:
        """Run the ledger-task worker once (or, with `reconcile`, the reconciler of submitted
        tasks), then deliver the LedgerTaskSucceeded messages it wrote to their subscribers
        (each once); returns the custody tasks whose status changed."""
        before = {task.id: task.status for task in await self.tasks()}
        m = self.minting
        work = ReconcileLedgerTasks if reconcile else SubmitLedgerTasks
        runner = work(m.new_uow(), self.ledger, m.ids, self.clock, LedgerTaskPolicy(topic_id=self.topic_id))
        await (runner(force=True) if isinstance(runner, ReconcileLedgerTasks) else runner())
        async with m.new_uow() as uow:
            written = await uow.outbox.list(status=None, limit=10_000)
        for row in written:
            if row.topic is Topic.LEDGER_TASK_SUCCEEDED and row.id not in self.delivered:
                self.delivered.add(row.id)
                message = decode_message(row.topic, row.payload, row.version)
                assert isinstance(message, LedgerTaskSucceeded)
                await self.settle().handle(message)
                await BurnAfterCancelledAirdrop(m.new_uow(), m.ids, self.clock).handle(message)
        return [
            task
            for task in await self.tasks()
            if task.kind is not LedgerTaskKind.RECORD
            and task.id in before
            and before[task.id] is not task.status
        ]

    async def custody_tasks(self) -> list[LedgerTask]:
        """The certificate's transfers, airdrops and cancellations (not its trail messages)."""
        return [task for task in await self.tasks() if task.kind is not LedgerTaskKind.RECORD]


class LaggingMirror(SimulatedLedger):
    """A simulated ledger whose NFT lookups lag, as a mirror node can behind consensus:
    while `lagging`, every NFT still shows the treasury as its holder."""

    lagging = False

    async def nft(self, token_id: str, serial: int) -> NftRecord | None:
        found = await super().nft(token_id, serial)
        if found is None or not self.lagging:
            return found
        return replace(found, owner_account=self.treasury_account)


async def a_claimable_certificate(*, age: timedelta = timedelta(days=15)) -> Claims[LaggingMirror]:
    """A digital work's certificate minted `age` ago on a fresh simulated ledger; the clock is now."""
    clock = FixedClock(NOW - age)
    return await claimable_on(LaggingMirror(clock=clock), clock, age=age)


async def claimable_on(ledger: L, clock: FixedClock, *, age: timedelta) -> Claims[L]:
    """A digital work's certificate minted on `ledger` when `clock` says, then `age` later."""
    token_id = await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=100)
    db = InMemoryDatabase()
    minting = Minting(lambda: InMemoryUnitOfWork(db), ledger, clock, policy(token_id))
    (order,) = await minting.paid_orders(1)
    await minting.start()(order.id)
    await minting.mint()()
    (certificate,) = await minting.certificates([order])
    clock.advance(age)
    topic_id = await ledger.create_topic(memo="artmarket provenance")
    return Claims(minting, ledger, clock, order, certificate, topic_id)
