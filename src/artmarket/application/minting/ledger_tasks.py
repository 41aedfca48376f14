"""The certificate ledger-task worker: burns, trail messages and custody moves, each exactly once.

The discipline of mints (ADR 0007): a task's transaction is prepared (id chosen, signed),
stored with the task marked submitted in one commit, and only then submitted; it is settled
only by what the ledger says about that id. A crash anywhere is settled by the reconciler,
which asks the ledger about the stored id and resubmits the same bytes while they may still
be valid: never a second burn, never a second trail message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.messages import LedgerTaskQueued, LedgerTaskSucceeded
from artmarket.application.messaging import OutboxMessage
from artmarket.application.minting.certificate_transactions import (
    CertificateLedger,
    PreparedTransaction,
    TransactionOutcome,
)
from artmarket.application.minting.ledger import LedgerRejected, LedgerUnavailable
from artmarket.application.minting.work import EXPIRED, rejection, release_lease, take_lease
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import Certificate
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind, TaskStatus

#: One submitter of ledger tasks at a time, whatever the number of worker processes.
LEDGER_TASK_LEASE = "ledger-tasks"


@dataclass(frozen=True, slots=True)
class LedgerTaskPolicy:
    """Ledger-task rules from settings.

    `topic_id` is the collection's provenance topic (None: trail messages wait, queued and
    visible, until one is configured). The rest as for mints (`MintPolicy`).
    """

    topic_id: str | None
    max_attempts: int = 5
    recheck: timedelta = timedelta(seconds=5)
    absence_margin: timedelta = timedelta(seconds=60)
    lease_ttl: timedelta = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class TaskRunOutcome:
    """What one run did: tasks that succeeded, are still unknown, were queued again, or failed."""

    succeeded: int = 0
    unknown: int = 0
    requeued: int = 0
    failed: int = 0
    #: Another worker held the lease: nothing was looked at.
    busy: bool = False

    def __add__(self, other: TaskRunOutcome) -> TaskRunOutcome:
        return TaskRunOutcome(
            self.succeeded + other.succeeded,
            self.unknown + other.unknown,
            self.requeued + other.requeued,
            self.failed + other.failed,
            self.busy or other.busy,
        )


_SUCCEEDED, _UNKNOWN, _REQUEUED, _FAILED = (
    TaskRunOutcome(succeeded=1),
    TaskRunOutcome(unknown=1),
    TaskRunOutcome(requeued=1),
    TaskRunOutcome(failed=1),
)


class LedgerTaskWork:
    """What submitting and reconciling share: the lease, and settling a task by the ledger's answer."""

    def __init__(
        self,
        uow: UnitOfWork,
        ledger: CertificateLedger,
        ids: IdGenerator,
        clock: Clock,
        policy: LedgerTaskPolicy,
    ) -> None:
        self._uow = uow
        self._ledger = ledger
        self._ids = ids
        self._clock = clock
        self._policy = policy

    async def _leased(self, run: Callable[[], Awaitable[TaskRunOutcome]]) -> TaskRunOutcome:
        holder = str(self._ids.new_id())
        if not await take_lease(
            self._uow, LEDGER_TASK_LEASE, holder, self._clock.now(), self._policy.lease_ttl
        ):
            return TaskRunOutcome(busy=True)
        try:
            return await run()
        finally:
            await release_lease(self._uow, LEDGER_TASK_LEASE, holder)

    async def _submit(self, task_id: UUID, prepared: PreparedTransaction) -> TaskRunOutcome:
        """Submit a stored transaction and settle the task by the answer."""
        try:
            outcome = await self._ledger.submit(prepared)
        except LedgerUnavailable as error:
            return await self._settle(
                task_id, prepared.transaction_id, wait=f"outcome unknown: {error.message}"
            )
        except LedgerRejected as rejected:
            return await self._settle(task_id, prepared.transaction_id, reject=rejected)
        return await self._settle(task_id, prepared.transaction_id, outcome=outcome)

    async def _settle(
        self,
        task_id: UUID,
        transaction_id: str,
        *,
        outcome: TransactionOutcome | None = None,
        wait: str | None = None,
        reject: LedgerRejected | None = None,
        absent: str | None = None,
    ) -> TaskRunOutcome:
        """Record what the ledger said about the task's transaction (once: a settled task is left)."""
        now = self._clock.now()
        async with self._uow as uow:
            task = await uow.ledger_tasks.get(task_id)
            if (
                task is None
                or task.status is not TaskStatus.SUBMITTED
                or task.transaction_id != transaction_id
            ):
                return TaskRunOutcome()  # settled already (another worker did)
            result = _SUCCEEDED
            if outcome is not None:
                task.succeed(
                    now,
                    consensus_timestamp=outcome.consensus_timestamp,
                    sequence_number=outcome.topic_sequence_number,
                )
                succeeded = LedgerTaskSucceeded(task.id, task.certificate_id, task.kind.value)
                uow.outbox.add(OutboxMessage.of(succeeded, self._ids.new_id(), now))
            elif wait is not None:
                task.await_outcome(wait, now, self._policy.recheck)
                result = _UNKNOWN
            elif reject is not None and reject.status != EXPIRED:
                task.fail(rejection(reject), now)
                result = _FAILED
            else:
                reason = absent or f"{EXPIRED}: {reject.message if reject else 'expired'}"
                task.abandon_transaction(now, error=reason, max_attempts=self._policy.max_attempts)
                result = _FAILED if task.can_be_retried else _REQUEUED  # failed after its last attempt
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return TaskRunOutcome()
        return result


class SubmitLedgerTasks(LedgerTaskWork):
    """Worker: submit queued ledger tasks, oldest first, under the ledger-task lease.

    Rules: each task's transaction is prepared by kind and stored, with the task submitted,
    in one commit before it is sent; a failure to prepare (ledger away) backs off and fails
    after `max_attempts`; a refusal fails the task (visible, retried by an operator); an
    unknown outcome is left to the reconciler. Trail messages wait while no topic is set.
    """

    async def handle(self, message: LedgerTaskQueued) -> TaskRunOutcome:
        """A task was queued: submit whatever is due now."""
        return await self()

    async def __call__(self, *, limit: int = 100) -> TaskRunOutcome:
        async def run() -> TaskRunOutcome:
            async with self._uow as uow:
                due = await uow.ledger_tasks.due(TaskStatus.QUEUED, self._clock.now(), limit=limit)
            total = TaskRunOutcome()
            for task in due:
                total += await self._one(task.id)
            return total

        return await self._leased(run)

    async def _one(self, task_id: UUID) -> TaskRunOutcome:
        async with self._uow as uow:
            task = await uow.ledger_tasks.get(task_id)
            certificate = await uow.certificates.get(task.certificate_id) if task else None
            message = await _message_of(uow, task) if task else None
        if task is None or certificate is None or task.status is not TaskStatus.QUEUED:
            return TaskRunOutcome()
        if task.kind is LedgerTaskKind.RECORD and self._policy.topic_id is None:
            return TaskRunOutcome()  # waits, queued and visible, for a topic
        try:
            prepared = await self._prepare(task, certificate, message)
        except LedgerUnavailable as error:
            return await self._not_prepared(task_id, f"ledger: {error.message}", permanent=False)
        except LedgerRejected as rejected:
            return await self._not_prepared(task_id, rejection(rejected), permanent=True)
        now = self._clock.now()
        async with self._uow as uow:
            stored = await uow.ledger_tasks.get(task_id)
            if stored is None or stored.status is not TaskStatus.QUEUED:
                return TaskRunOutcome()
            uow.ledger_tasks.add_transaction(stored.id, prepared)
            stored.submit(prepared.transaction_id, prepared.valid_until, now)
            try:
                await uow.commit()  # stored before it is sent
            except ConcurrentUpdate:
                return TaskRunOutcome()
        return await self._submit(task_id, prepared)

    async def _prepare(
        self, task: LedgerTask, certificate: Certificate, message: bytes | None
    ) -> PreparedTransaction:
        token, serial, account = certificate.token_id, certificate.serial, task.account_id or ""
        match task.kind:
            case LedgerTaskKind.BURN:
                return await self._ledger.prepare_burn(token, serial)
            case LedgerTaskKind.RECORD:
                if message is None or self._policy.topic_id is None:
                    raise LedgerRejected("INVALID_TOPIC_MESSAGE", "The trail entry of this task is missing.")
                return await self._ledger.prepare_topic_message(self._policy.topic_id, message)
            case LedgerTaskKind.TRANSFER:
                return await self._ledger.prepare_transfer(token, serial, account)
            case LedgerTaskKind.AIRDROP:
                return await self._ledger.prepare_airdrop(token, serial, account)
            case LedgerTaskKind.CANCEL_AIRDROP:
                return await self._ledger.prepare_cancel_airdrop(token, serial, account)

    async def _not_prepared(self, task_id: UUID, error: str, *, permanent: bool) -> TaskRunOutcome:
        now = self._clock.now()
        async with self._uow as uow:
            task = await uow.ledger_tasks.get(task_id)
            if task is None or task.status is not TaskStatus.QUEUED:
                return TaskRunOutcome()
            if permanent:
                task.fail(error, now)
            else:
                task.back_off(error, now, max_attempts=self._policy.max_attempts)
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return TaskRunOutcome()
        return _FAILED if task.can_be_retried else _REQUEUED  # can_be_retried: it failed


class ReconcileLedgerTasks(LedgerTaskWork):
    """Worker and `artmarket mint reconcile`: settle tasks found `submitted` (a crash, a timeout).

    Rules: the ledger is asked about the stored transaction id; its outcome settles the
    task; no record while the transaction may still be valid resubmits the very same signed
    bytes (the ledger accepts an id once); no record after `valid_until` + `absence_margin`
    proves it never happened, and only then is the task queued for a new transaction.
    `force` ignores the back-off.
    """

    async def __call__(self, *, force: bool = False, limit: int = 100) -> TaskRunOutcome:
        async def run() -> TaskRunOutcome:
            async with self._uow as uow:
                due = await uow.ledger_tasks.due(
                    TaskStatus.SUBMITTED, None if force else self._clock.now(), limit=limit
                )
            total = TaskRunOutcome()
            for task in due:
                total += await self._reconcile(task)
            return total

        return await self._leased(run)

    async def _reconcile(self, task: LedgerTask) -> TaskRunOutcome:
        task_id, transaction_id, valid_until = task.id, task.transaction_id, task.transaction_valid_until
        if transaction_id is None or valid_until is None:
            return TaskRunOutcome()  # a submitted task always has both
        async with self._uow as uow:
            prepared = await uow.ledger_tasks.get_transaction(transaction_id)
        try:
            outcome = await self._ledger.transaction_outcome(transaction_id)
        except LedgerUnavailable as error:
            return await self._settle(task_id, transaction_id, wait=f"outcome unknown: {error.message}")
        except LedgerRejected as rejected:
            return await self._settle(task_id, transaction_id, reject=rejected)
        if outcome is not None:
            return await self._settle(task_id, transaction_id, outcome=outcome)
        if self._clock.now() <= valid_until + self._policy.absence_margin:
            if prepared is None:  # never: the bytes are stored with the submission
                return await self._settle(task_id, transaction_id, wait="no stored transaction to resubmit")
            return await self._submit(task_id, prepared)
        absent = "The ledger has no record of the transaction after it expired."
        return await self._settle(task_id, transaction_id, absent=absent)


async def _message_of(uow: UnitOfWork, task: LedgerTask) -> bytes | None:
    """The trail message a RECORD task submits (the entry with the task's id)."""
    if task.kind is not LedgerTaskKind.RECORD:
        return None
    for entry, _ in await uow.provenance.trail(task.certificate_id):
        if entry.id == task.id:
            return entry.message
    return None
