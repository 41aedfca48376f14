"""Reading the audit log of admin actions."""

from __future__ import annotations

from typing import Final

from artmarket.application.audit import AuditFilter
from artmarket.application.cursor import CursorCodec
from artmarket.application.pages import Page, decode_position, page_of
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.audit import AuditEntry

AUDIT_LISTING: Final = "audit-log"


class ReadAuditLog:
    """The audit log, newest first, optionally of one action, actor or target; signed cursors."""

    def __init__(self, uow: UnitOfWork, cursors: CursorCodec) -> None:
        self._uow = uow
        self._cursors = cursors

    async def __call__(self, where: AuditFilter, *, cursor: str | None, limit: int) -> Page[AuditEntry]:
        before = decode_position(self._cursors, cursor, AUDIT_LISTING)
        async with self._uow as uow:
            found = await uow.audit_log.list(where, before=before, limit=limit + 1)
        return page_of(found, limit, self._cursors, AUDIT_LISTING, lambda row: (row.at, row.id))
