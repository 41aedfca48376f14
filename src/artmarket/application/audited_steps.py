"""An administrator's audited step: one transaction that makes a change, logs it, and commits.

Every admin action follows the same shape: open the unit of work, load and change the
target, append the audit entry (who, what, to which target, why) and commit both together.
`AuditedSteps` holds that shape so each use case writes only its change.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from uuid import UUID

from artmarket.application.audit import Actor, record_audit
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.audit import AuditAction


class AuditedStep:
    """The open transaction of one audited step: make the change through `uow`, then `commit()`."""

    def __init__(
        self,
        uow: UnitOfWork,
        ids: IdGenerator,
        now: datetime,
        *,
        actor: Actor,
        action: AuditAction,
        target: tuple[str, UUID],
        reason: str | None,
    ) -> None:
        self.uow = uow
        #: The step's one moment: the change and its audit entry carry the same time.
        self.now = now
        self._ids = ids
        self._actor = actor
        self._action = action
        self._target = target
        self._reason = reason

    async def commit(self, *, reason: str | None = None) -> None:
        """Append the audit entry and commit it with the change; `reason` replaces the given
        one when the change words it itself (a default or a trimmed text)."""
        record_audit(
            self.uow.audit_log,
            self._actor,
            self._action,
            self._target,
            reason=self._reason if reason is None else reason,
            ids=self._ids,
            now=self.now,
        )
        await self.uow.commit()


class AuditedSteps:
    """Opens the transaction of an admin's audited step; nothing is kept unless it commits."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    @asynccontextmanager
    async def begin(
        self, actor: Actor, action: AuditAction, target: tuple[str, UUID], *, reason: str | None
    ) -> AsyncIterator[AuditedStep]:
        """A step by `actor` doing `action` to `target` (its type and id), for `reason`."""
        now = self._clock.now()
        async with self._uow as uow:
            yield AuditedStep(uow, self._ids, now, actor=actor, action=action, target=target, reason=reason)
