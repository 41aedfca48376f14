"""In-memory repositories of a certificate's later life (trail, ledger tasks) and their commit rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from artmarket.application.errors import ConcurrentUpdate, StorageUnavailable
from artmarket.application.minting.certificate_transactions import PreparedTransaction
from artmarket.domain.certificates import Certificate
from artmarket.domain.ledger_tasks import LedgerTask, TaskStatus
from artmarket.domain.provenance import ProvenanceEntry
from artmarket.fakes.persistence.database import InMemoryDatabase, Workspace


class InMemoryProvenanceRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, entry: ProvenanceEntry) -> None:
        self._work.provenance.add(entry.id, entry)

    async def trail(self, certificate_id: UUID) -> Sequence[tuple[ProvenanceEntry, LedgerTask]]:
        entries = self._work.provenance.select(lambda entry: entry.certificate_id == certificate_id)
        pairs = []
        for entry in sorted(entries, key=lambda entry: entry.position):
            task = self._work.ledger_tasks.get(entry.id)
            if task is not None:  # an inner join, as in SQL
                pairs.append((entry, task))
        return pairs


class InMemoryLedgerTaskRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, task: LedgerTask, *, dedupe_key: str) -> None:
        self._work.ledger_tasks.add(task.id, task)
        self._work.added_task_keys[task.id] = dedupe_key

    async def get(self, task_id: UUID) -> LedgerTask | None:
        return self._work.ledger_tasks.get(task_id)

    async def for_certificate(self, certificate_id: UUID) -> Sequence[LedgerTask]:
        found = self._work.ledger_tasks.select(lambda task: task.certificate_id == certificate_id)
        return sorted(found, key=lambda task: (task.created_at, task.id))

    async def due(self, status: TaskStatus, now: datetime | None, *, limit: int) -> Sequence[LedgerTask]:
        found = self._work.ledger_tasks.select(
            lambda task: (
                task.status is status
                and (now is None or task.next_attempt_at is None or task.next_attempt_at <= now)
            )
        )
        return sorted(found, key=lambda task: (task.created_at, task.id))[:limit]

    async def count_by_status(self) -> dict[TaskStatus, int]:
        counts = dict.fromkeys(TaskStatus, 0)
        for task in self._work.ledger_tasks.select(lambda task: True):
            counts[task.status] += 1
        return counts

    def add_transaction(self, task_id: UUID, prepared: PreparedTransaction) -> None:
        self._work.added_transactions[prepared.transaction_id] = (task_id, prepared)

    async def get_transaction(self, transaction_id: str) -> PreparedTransaction | None:
        found = self._work.added_transactions.get(transaction_id) or self._work.ledger_transactions.get(
            transaction_id
        )
        return None if found is None else found[1]


def publish_certificate_life(
    db: InMemoryDatabase, work: Workspace, certificates: dict[UUID, Certificate]
) -> tuple[Any, ...]:
    """Check the trail's and the tasks' rules against the committed state; the state to publish."""
    if any(key in db.provenance for key in work.provenance.added):
        raise ConcurrentUpdate()  # pk_provenance_entries: another delivery wrote it first
    entries, _ = work.provenance.merged(db.provenance, None, StorageUnavailable)
    if any(entry.certificate_id not in certificates for entry in entries.values()):
        raise StorageUnavailable()  # foreign key, as in SQL
    if len({(e.certificate_id, e.position) for e in entries.values()}) != len(entries):
        raise ConcurrentUpdate()  # uq_provenance_entries_certificate_id
    if any(key in db.ledger_tasks for key in work.ledger_tasks.added):
        raise ConcurrentUpdate()  # pk_ledger_tasks
    tasks, versions = work.ledger_tasks.merged(db.ledger_tasks, db.ledger_task_versions, ConcurrentUpdate)
    if any(task.certificate_id not in certificates for task in tasks.values()):
        raise StorageUnavailable()  # foreign key, as in SQL
    keys = {**db.ledger_task_keys, **work.added_task_keys}
    if len(set(keys.values())) != len(keys):
        raise ConcurrentUpdate()  # uq_ledger_tasks_dedupe_key: this task was queued already
    transactions = dict(db.ledger_transactions)
    for transaction_id, stored in work.added_transactions.items():
        if transaction_id in transactions:
            raise ConcurrentUpdate()  # pk_ledger_transactions
        if stored[0] not in tasks:
            raise StorageUnavailable()  # foreign key, as in SQL
        transactions[transaction_id] = stored
    return entries, tasks, versions, keys, transactions
