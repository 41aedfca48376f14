"""The audit log on SQL: rows are inserted in the action's transaction and never updated or deleted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.repositories import record_of
from artmarket.adapters.persistence.tables.audit import audit_log
from artmarket.application.audit import AuditFilter
from artmarket.domain.audit import AuditChannel, AuditEntry


class SqlAlchemyAuditLog:
    """Append-only: there is no update or delete here, and database triggers refuse both."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._staged: list[AuditEntry] = []

    def add(self, entry: AuditEntry) -> None:
        # Written with the session's next flush (at the latest on commit), in its transaction.
        self._staged.append(entry)

    async def flush(self) -> None:
        """Insert what was staged; the unit of work calls this before committing."""
        if not self._staged:
            return
        rows = [
            {
                "id": e.id,
                "at": e.at,
                "actor_id": e.actor_id,
                "actor_email": e.actor_email,
                "action": e.action,
                "target_type": e.target_type,
                "target_id": e.target_id,
                "reason": e.reason,
                "request_id": e.request_id,
                "channel": e.channel.value,
            }
            for e in self._staged
        ]
        self._staged = []
        with translated_errors():
            await self._session.execute(insert(audit_log), rows)

    async def list(
        self, where: AuditFilter, *, before: tuple[datetime, UUID] | None, limit: int
    ) -> Sequence[AuditEntry]:
        query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
        if where.action is not None:
            query = query.where(audit_log.c.action == where.action)
        if where.actor_id is not None:
            query = query.where(audit_log.c.actor_id == where.actor_id)
        if where.target_type is not None:
            query = query.where(audit_log.c.target_type == where.target_type)
        if where.target_id is not None:
            query = query.where(audit_log.c.target_id == where.target_id)
        if before is not None:
            query = query.where(tuple_(audit_log.c.at, audit_log.c.id) < tuple(before))
        with translated_errors():
            rows = (await self._session.execute(query)).all()
        return [record_of(AuditEntry, row, channel=AuditChannel(row.channel)) for row in rows]
