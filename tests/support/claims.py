"""Claims in tests: a minted certificate on the simulated ledger, the claim use cases wired to
it, and a stand-in for the ledger-task worker that submits custody tasks and reports success."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.application.messages import LedgerTaskSucceeded
from artmarket.application.minting.claim_outcomes import SettleClaim, SettlePendingClaims
from artmarket.application.minting.claims import ClaimCertificate, ClaimPolicy, DescribeClaim
from artmarket.application.minting.ledger import LedgerRejected
from artmarket.domain.certificates import Certificate
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind, TaskStatus
from artmarket.domain.orders import Order
from artmarket.domain.provenance import ProvenanceEntry
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork
from tests.support.minting import Minting, policy

NOW = datetime(2026, 7, 1, 12, tzinfo=UTC)
CLAIMS = ClaimPolicy(wait=timedelta(days=14), pending_for=timedelta(days=30))
_CUSTODY_KINDS = (LedgerTaskKind.TRANSFER, LedgerTaskKind.AIRDROP, LedgerTaskKind.CANCEL_AIRDROP)


@dataclass
class Claims:
    """One minted digital certificate and the claim use cases over the same database and ledger."""

    minting: Minting
    ledger: SimulatedLedger
    clock: FixedClock
    order: Order
    certificate: Certificate

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

    async def run_custody_tasks(self) -> list[LedgerTask]:
        """What the ledger-task worker does with queued transfers, airdrops and cancellations:
        prepare, store, submit, record the outcome, then deliver LedgerTaskSucceeded."""
        done = []
        for task in await self.tasks():
            if task.kind not in _CUSTODY_KINDS or task.status is not TaskStatus.QUEUED:
                continue
            assert task.account_id is not None
            c = self.certificate
            prepare = {
                LedgerTaskKind.TRANSFER: self.ledger.prepare_transfer,
                LedgerTaskKind.AIRDROP: self.ledger.prepare_airdrop,
                LedgerTaskKind.CANCEL_AIRDROP: self.ledger.prepare_cancel_airdrop,
            }[task.kind]
            prepared = await prepare(c.token_id, c.serial, task.account_id)
            async with self.minting.new_uow() as uow:
                stored = await uow.ledger_tasks.get(task.id)
                assert stored is not None
                uow.ledger_tasks.add_transaction(stored.id, prepared)
                stored.submit(prepared.transaction_id, prepared.valid_until, self.clock.now())
                try:
                    outcome = await self.ledger.submit(prepared)
                except LedgerRejected as rejected:
                    stored.fail(rejected.status, self.clock.now())
                else:
                    stored.succeed(
                        self.clock.now(),
                        consensus_timestamp=outcome.consensus_timestamp,
                        sequence_number=None,
                    )
                await uow.commit()
            if stored.status is TaskStatus.SUCCEEDED:
                await self.settle().handle(LedgerTaskSucceeded(stored.id, c.id, stored.kind.value))
            done.append(stored)
        return done


async def a_claimable_certificate(*, age: timedelta = timedelta(days=15)) -> Claims:
    """A digital work's certificate minted `age` ago on a fresh simulated ledger; the clock is now."""
    clock = FixedClock(NOW - age)
    ledger = SimulatedLedger(clock=clock)
    token_id = await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=100)
    db = InMemoryDatabase()
    minting = Minting(lambda: InMemoryUnitOfWork(db), ledger, clock, policy(token_id))
    (order,) = await minting.paid_orders(1)
    await minting.start()(order.id)
    await minting.mint()()
    (certificate,) = await minting.certificates([order])
    clock.advance(age)
    return Claims(minting, ledger, clock, order, certificate)
