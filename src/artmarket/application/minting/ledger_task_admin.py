"""Ledger tasks as operators see them: listed by status, failed ones retried (audited), the topic made."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from artmarket.application.audit import Actor, record_audit
from artmarket.application.minting.certificate_transactions import CertificateLedger
from artmarket.application.minting.ledger_tasks import LedgerTaskPolicy
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.audit import AuditAction
from artmarket.domain.errors import Conflict, NotFound
from artmarket.domain.ledger_tasks import LedgerTask, TaskStatus

#: The provenance topic's memo: what anyone reading the topic on a mirror node sees.
TOPIC_MEMO = "artmarket certificate provenance"


class TopicAlreadyConfigured(Conflict):
    default_message = (
        "A provenance topic is configured already (ARTMARKET_HEDERA_TOPIC_ID); force to make another."
    )


class ListLedgerTasks:
    """Ledger tasks of one status, oldest first, with attempts and last error."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, *, status: TaskStatus, limit: int = 100) -> Sequence[LedgerTask]:
        async with self._uow as uow:
            return await uow.ledger_tasks.due(status, None, limit=limit)


class RetryLedgerTasks:
    """An operator retries one failed ledger task, or every failed one: queued again, attempts from
    zero, each audited (a task that is not failed is a 409: a submitted one may still settle)."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(
        self, actor: Actor, task_id: UUID | None = None, *, limit: int = 1000
    ) -> Sequence[LedgerTask]:
        now = self._clock.now()
        async with self._uow as uow:
            if task_id is None:
                tasks = list(await uow.ledger_tasks.due(TaskStatus.FAILED, None, limit=limit))
            else:
                task = await uow.ledger_tasks.get(task_id)
                if task is None:
                    raise NotFound("No such ledger task.")
                tasks = [task]
            for task in tasks:
                # No LedgerTaskQueued again (its key is the task's): the periodic run submits it.
                task.retry(now)
                record_audit(
                    uow.audit_log,
                    actor,
                    AuditAction.LEDGER_TASK_RETRY,
                    ("ledger_task", task.id),
                    reason=None if task_id else "all failed tasks",
                    ids=self._ids,
                    now=now,
                )
            await uow.commit()
        return tasks


class CreateProvenanceTopic:
    """An operator creates the collection's provenance topic; its id goes in settings.

    Refused while one is configured, unless forced (a second topic splits the trail).
    """

    def __init__(self, ledger: CertificateLedger, policy: LedgerTaskPolicy) -> None:
        self._ledger = ledger
        self._policy = policy

    async def __call__(self, *, force: bool = False) -> str:
        if self._policy.topic_id is not None and not force:
            raise TopicAlreadyConfigured()
        return await self._ledger.create_topic(memo=TOPIC_MEMO)
