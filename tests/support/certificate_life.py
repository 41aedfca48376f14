"""A certificate's later life in tests: minting wired to a ledger that loses answers, plus the
revocation, trail and ledger-task use cases over the same database and clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from artmarket.application.minting.ledger_task_admin import ListLedgerTasks, RetryLedgerTasks
from artmarket.application.minting.ledger_tasks import (
    LedgerTaskPolicy,
    ReconcileLedgerTasks,
    SubmitLedgerTasks,
)
from artmarket.application.minting.revocation import (
    BurnAfterCancelledAirdrop,
    RevokeCertificate,
    RevokeCertificateByAdmin,
)
from artmarket.domain.certificates import Certificate
from artmarket.domain.ledger_tasks import LedgerTask
from artmarket.domain.provenance import ProvenanceEntry
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork
from tests.support.ledgers import DroppingLedger
from tests.support.minting import Minting, policy

NOW = datetime(2026, 7, 1, 12, tzinfo=UTC)


@dataclass
class Life:
    """Minting and the certificate's later life over one in-memory database and simulated ledger."""

    minting: Minting
    ledger: DroppingLedger
    clock: FixedClock
    tasks_policy: LedgerTaskPolicy

    @property
    def topic_id(self) -> str | None:
        return self.tasks_policy.topic_id

    def submit(self) -> SubmitLedgerTasks:
        m = self.minting
        return SubmitLedgerTasks(m.new_uow(), self.ledger, m.ids, self.clock, self.tasks_policy)

    def reconcile(self) -> ReconcileLedgerTasks:
        m = self.minting
        return ReconcileLedgerTasks(m.new_uow(), self.ledger, m.ids, self.clock, self.tasks_policy)

    def revoke(self) -> RevokeCertificate:
        return RevokeCertificate(self.minting.new_uow(), self.minting.ids, self.clock)

    def revoke_by_admin(self) -> RevokeCertificateByAdmin:
        return RevokeCertificateByAdmin(self.minting.new_uow(), self.minting.ids, self.clock)

    def burn_after_cancel(self) -> BurnAfterCancelledAirdrop:
        return BurnAfterCancelledAirdrop(self.minting.new_uow(), self.minting.ids, self.clock)

    def list_tasks(self) -> ListLedgerTasks:
        return ListLedgerTasks(self.minting.new_uow())

    def retry(self) -> RetryLedgerTasks:
        return RetryLedgerTasks(self.minting.new_uow(), self.minting.ids, self.clock)

    async def issued(self, count: int = 1) -> list[Certificate]:
        """Certificates of `count` paid orders, minted (their trail messages not yet submitted)."""
        orders = await self.minting.paid_orders(count)
        for order in orders:
            await self.minting.start()(order.id)
        await self.minting.mint()()
        return await self.minting.certificates(orders)

    async def certificate(self, certificate_id: UUID) -> Certificate:
        async with self.minting.new_uow() as uow:
            found = await uow.certificates.get(certificate_id)
        assert found is not None
        return found

    async def trail(self, certificate_id: UUID) -> list[tuple[ProvenanceEntry, LedgerTask]]:
        async with self.minting.new_uow() as uow:
            return list(await uow.provenance.trail(certificate_id))

    async def tasks(self, certificate_id: UUID) -> list[LedgerTask]:
        async with self.minting.new_uow() as uow:
            return list(await uow.ledger_tasks.for_certificate(certificate_id))


async def a_life(*, with_topic: bool = True) -> Life:
    clock = FixedClock(NOW)
    ledger = DroppingLedger(clock=clock)
    token_id = await ledger.default_collection()
    topic_id = await ledger.default_topic() if with_topic else None
    db = InMemoryDatabase()
    minting = Minting(lambda: InMemoryUnitOfWork(db), ledger, clock, policy(token_id))
    tasks_policy = LedgerTaskPolicy(
        topic_id=topic_id, recheck=timedelta(0), absence_margin=timedelta(seconds=30)
    )
    return Life(minting, ledger, clock, tasks_policy)
