"""The in-memory audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from artmarket.application.audit import AuditFilter
from artmarket.domain.audit import AuditEntry
from artmarket.fakes.persistence.database import (
    Workspace,
    newest_first,
)


class InMemoryAuditLog:
    """Append-only, like the table: no update or delete exists."""

    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, entry: AuditEntry) -> None:
        self._work.added_audit.append(entry)

    async def list(
        self, where: AuditFilter, *, before: tuple[datetime, UUID] | None, limit: int
    ) -> Sequence[AuditEntry]:
        found = [
            entry
            for entry in (*self._work.audit_log, *self._work.added_audit)
            if (where.action is None or entry.action == where.action)
            and (where.actor_id is None or entry.actor_id == where.actor_id)
            and (where.target_type is None or entry.target_type == where.target_type)
            and (where.target_id is None or entry.target_id == where.target_id)
            and (before is None or (entry.at, entry.id) < before)
        ]
        return newest_first(found, "at", "id")[:limit]
