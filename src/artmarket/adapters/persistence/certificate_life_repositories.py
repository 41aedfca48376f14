"""SQLAlchemy repositories of a certificate's later life: its provenance trail and ledger tasks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.tables.certificate_life import (
    ledger_tasks,
    ledger_transactions,
    provenance_entries,
)
from artmarket.application.minting.certificate_transactions import PreparedTransaction, TransactionKind
from artmarket.domain.ledger_tasks import LedgerTask, TaskStatus
from artmarket.domain.provenance import ProvenanceEntry


class SqlAlchemyProvenanceRepository:
    """Provenance entries; a second entry at one position of a certificate is refused at commit."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, entry: ProvenanceEntry) -> None:
        self._session.add(entry)

    async def trail(self, certificate_id: UUID) -> Sequence[tuple[ProvenanceEntry, LedgerTask]]:
        query = (
            select(ProvenanceEntry, LedgerTask)
            .join(LedgerTask, ledger_tasks.c.id == provenance_entries.c.id)
            .where(provenance_entries.c.certificate_id == certificate_id)
            .order_by(provenance_entries.c.position)
        )
        with translated_errors():
            rows = (await self._session.execute(query)).all()
        return [(entry, task) for entry, task in rows]


class SqlAlchemyLedgerTaskRepository:
    """Ledger tasks (optimistic version; a second task with one dedupe key is refused at commit
    with ConcurrentUpdate) and their signed transactions, written on the commit's flush."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._staged: dict[str, tuple[UUID, PreparedTransaction]] = {}

    def add(self, task: LedgerTask, *, dedupe_key: str) -> None:
        task._dedupe_key = dedupe_key  # type: ignore[attr-defined]  # a mapped column only
        self._session.add(task)

    async def get(self, task_id: UUID) -> LedgerTask | None:
        with translated_errors():
            return await self._session.get(LedgerTask, task_id)

    async def for_certificate(self, certificate_id: UUID) -> Sequence[LedgerTask]:
        query = (
            select(LedgerTask)
            .where(ledger_tasks.c.certificate_id == certificate_id)
            .order_by(ledger_tasks.c.created_at, ledger_tasks.c.id)
        )
        with translated_errors():
            return (await self._session.scalars(query)).all()

    async def due(self, status: TaskStatus, now: datetime | None, *, limit: int) -> Sequence[LedgerTask]:
        query = (
            select(LedgerTask)
            .where(ledger_tasks.c.status == status)
            .order_by(ledger_tasks.c.created_at, ledger_tasks.c.id)
            .limit(limit)
        )
        if now is not None:
            query = query.where(
                or_(ledger_tasks.c.next_attempt_at.is_(None), ledger_tasks.c.next_attempt_at <= now)
            )
        with translated_errors():
            return (await self._session.scalars(query)).all()

    async def count_by_status(self) -> dict[TaskStatus, int]:
        query = select(ledger_tasks.c.status, func.count()).group_by(ledger_tasks.c.status)
        with translated_errors():
            rows = (await self._session.execute(query)).all()
        counts = dict.fromkeys(TaskStatus, 0)
        counts.update({TaskStatus(status): int(count) for status, count in rows})
        return counts

    def add_transaction(self, task_id: UUID, prepared: PreparedTransaction) -> None:
        # Written on the commit's flush, after the task's own row (its foreign key).
        self._staged[prepared.transaction_id] = (task_id, prepared)

    async def flush(self) -> None:
        """Insert the staged transactions; the unit of work calls this before committing."""
        if not self._staged:
            return
        rows = [
            {
                "transaction_id": prepared.transaction_id,
                "task_id": task_id,
                "kind": prepared.kind,
                "valid_until": prepared.valid_until,
                "signed_bytes": prepared.signed_bytes,
            }
            for task_id, prepared in self._staged.values()
        ]
        self._staged = {}
        await self._session.flush()
        await self._session.execute(insert(ledger_transactions), rows)

    async def get_transaction(self, transaction_id: str) -> PreparedTransaction | None:
        if transaction_id in self._staged:
            return self._staged[transaction_id][1]
        query = select(
            ledger_transactions.c.kind, ledger_transactions.c.valid_until, ledger_transactions.c.signed_bytes
        ).where(ledger_transactions.c.transaction_id == transaction_id)
        with translated_errors():
            row = (await self._session.execute(query)).one_or_none()
        if row is None:
            return None
        return PreparedTransaction(
            transaction_id, TransactionKind(row.kind), row.valid_until, row.signed_bytes
        )
