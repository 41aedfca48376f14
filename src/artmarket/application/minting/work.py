"""What minting and reconciliation share: the policy, the minter's lease, and the steps on a batch's jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.messages import CertificateIssued
from artmarket.application.messaging import OutboxMessage
from artmarket.application.minting.ledger import (
    MAX_BATCH,
    Ledger,
    LedgerError,
    LedgerRejected,
    LedgerUnavailable,
    MintReceipt,
    PreparedMint,
)
from artmarket.application.minting.revocation import revoke_in
from artmarket.application.minting.trail import append_entry
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import (
    MintBatch,
    MintJob,
    MintJobStatus,
)
from artmarket.domain.custody import RevocationReason, new_public_code
from artmarket.domain.errors import NotFound
from artmarket.domain.order_lifecycle import OrderStatus, RefundStatus
from artmarket.domain.provenance import ProvenanceEvent

#: One minter at a time, whatever the number of worker processes.
MINT_LEASE = "minting"


#: The answer that proves a transaction can no longer happen (submitted after its window).
EXPIRED = "TRANSACTION_EXPIRED"
#: Answers that prove a transaction id is spent without minting: its jobs go into a new one.
SPENT_UNMINTED = frozenset({EXPIRED, "THROTTLED_AT_CONSENSUS"})


@dataclass(frozen=True, slots=True)
class MintPolicy:
    """Minting rules from settings.

    `token_id` is the collection minted into (None: minting waits for one). `linger` is
    how long a batch that is not full may wait for more jobs. `recheck` is the pause
    between questions about a transaction whose outcome is unknown. `absence_margin` is
    added to a transaction's `valid_until` before "the ledger has no record" is believed.
    `max_in_flight` is how many TokenMint transactions may await their receipts at once.
    """

    token_id: str | None
    batch_size: int = MAX_BATCH
    max_in_flight: int = 1
    max_attempts: int = 5
    linger: timedelta = timedelta(seconds=1)
    recheck: timedelta = timedelta(seconds=5)
    absence_margin: timedelta = timedelta(seconds=60)
    lease_ttl: timedelta = timedelta(minutes=5)
    description: str = "Certificate of authenticity of an artwork sold on artmarket."

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be 1..{MAX_BATCH}")
        if self.max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")


def rejection(rejected: LedgerRejected) -> str:
    """The ledger's refusal as a job's last error: its status first, where operators look."""
    if rejected.message.startswith(rejected.status) or rejected.status in rejected.message:
        return (
            rejected.message
            if rejected.message.startswith(rejected.status)
            else (f"{rejected.status}: {rejected.message.replace(rejected.status, '').rstrip(': .')}")
        )
    return f"{rejected.status}: {rejected.message}"


async def take_lease(uow: UnitOfWork, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take (or renew) the named lease in its own transaction; False when another holder has it."""
    async with uow:
        taken = await uow.leases.acquire(name, holder, now, ttl)
        try:
            await uow.commit()
        except ConcurrentUpdate:
            return False
    return taken


async def release_lease(uow: UnitOfWork, name: str, holder: str) -> None:
    async with uow:
        await uow.leases.release(name, holder)
        await uow.commit()


class MintWork:
    """What the worker and the reconciler share: the lease, and settling a transaction."""

    def __init__(
        self,
        uow: UnitOfWork,
        ledger: Ledger,
        ids: IdGenerator,
        clock: Clock,
        policy: MintPolicy,
    ) -> None:
        self._uow = uow
        self._ledger = ledger
        self._ids = ids
        self._clock = clock
        self._policy = policy

    async def _lease(self, holder: str) -> bool:
        return await take_lease(self._uow, MINT_LEASE, holder, self._clock.now(), self._policy.lease_ttl)

    async def _release(self, holder: str) -> None:
        await release_lease(self._uow, MINT_LEASE, holder)

    async def _jobs_of(self, uow: UnitOfWork, batch: MintBatch) -> list[MintJob]:
        jobs = []
        for job_id in batch.job_ids:
            job = await uow.mint_jobs.get(job_id)
            if job is None:
                raise NotFound(
                    "Mint job {job} of transaction {transaction} is missing.",
                    job=job_id,
                    transaction=batch.transaction_id,
                )
            jobs.append(job)
        return jobs

    async def _issue(self, receipt: MintReceipt) -> int:
        """The transaction succeeded: certificates with their issued trail entries (revoked at once when
        the order was refunded meanwhile), completed orders and messages, in one transaction."""
        now = self._clock.now()
        async with self._uow as uow:
            batch = await uow.mint_jobs.get_batch(receipt.transaction_id)
            if batch is None:
                raise NotFound(
                    "No mint batch has transaction {transaction}.", transaction=receipt.transaction_id
                )
            jobs = await self._jobs_of(uow, batch)
            if len(receipt.serials) != len(jobs):
                raise LedgerError(
                    "Transaction {transaction} minted {serials} NFTs for {jobs} jobs.",
                    transaction=receipt.transaction_id,
                    serials=len(receipt.serials),
                    jobs=len(jobs),
                )
            issued = 0
            for job, serial in zip(jobs, receipt.serials, strict=True):
                if job.status is not MintJobStatus.SUBMITTED or job.transaction_id != receipt.transaction_id:
                    continue  # settled already (another worker issued it)
                job.succeed(serial, now)
                order = await uow.orders.get(job.order_id)
                if order is None:
                    raise NotFound("The order of mint job {job} is missing.", job=job.id)
                certificate = job.certificate(
                    owner_id=order.buyer_id,
                    network=self._ledger.network,
                    issued_at=now,
                    public_code=new_public_code(),
                )
                uow.certificates.add(certificate)
                await append_entry(
                    uow,
                    certificate,
                    ProvenanceEvent.ISSUED,
                    order_reference=order.reference,
                    ids=self._ids,
                    now=now,
                    holder_after=str(certificate.owner_id),
                    position=1,
                )
                if order.status is OrderStatus.MINTING:
                    order.complete(certificate.id, now)
                if order.status is OrderStatus.REFUNDED or order.refund_status is RefundStatus.PROCESSED:
                    # Refunded while it was minting (at the provider): never a valid certificate.
                    await revoke_in(
                        uow,
                        certificate,
                        RevocationReason.REFUNDED,
                        order_reference=order.reference,
                        ids=self._ids,
                        now=now,
                        position=2,  # after the issued entry above
                    )
                uow.outbox.add(
                    OutboxMessage.of(
                        CertificateIssued(certificate.id, certificate.order_id), self._ids.new_id(), now
                    )
                )
                issued += 1
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return 0  # someone else settled this transaction first
        return issued

    async def _settle(
        self,
        transaction_id: str,
        *,
        wait: str | None = None,
        reject: LedgerRejected | None = None,
        absent: str | None = None,
    ) -> None:
        """Record what is known about a transaction that issued nothing."""
        now = self._clock.now()
        async with self._uow as uow:
            batch = await uow.mint_jobs.get_batch(transaction_id)
            if batch is None:
                return
            for job in await self._jobs_of(uow, batch):
                if job.status is not MintJobStatus.SUBMITTED or job.transaction_id != transaction_id:
                    continue
                if wait is not None:
                    job.await_outcome(wait, now, self._policy.recheck)
                elif reject is not None and reject.status not in SPENT_UNMINTED:
                    job.fail(rejection(reject), now)
                else:
                    spent = f"{reject.status}: {reject.message}" if reject else f"{EXPIRED}: expired"
                    attempts = self._policy.max_attempts
                    job.abandon_transaction(now, error=absent or spent, max_attempts=attempts)
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return

    async def _send(self, prepared: PreparedMint) -> tuple[str, MintReceipt | LedgerError]:
        """Submit a stored batch and wait for its receipt. Only the ledger is used, never the unit
        of work, so several batches may be in flight at once; `_record` settles each outcome."""
        try:
            return prepared.transaction_id, await self._ledger.submit_mint(prepared)
        except (LedgerUnavailable, LedgerRejected) as error:
            return prepared.transaction_id, error

    async def _record(self, transaction_id: str, outcome: MintReceipt | LedgerError) -> int:
        """Certificates issued by one transaction's outcome (its receipt, or what the ledger said)."""
        if isinstance(outcome, LedgerRejected):
            await self._settle(transaction_id, reject=outcome)
            return 0
        if isinstance(outcome, LedgerError):
            await self._settle(transaction_id, wait=f"outcome unknown: {outcome.message}")
            return 0
        return await self._issue(outcome)
