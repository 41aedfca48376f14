"""The audit log port and the actor of an administrative action (from HTTP or the CLI)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from artmarket.application.ports import IdGenerator
from artmarket.domain.audit import AuditAction, AuditChannel, AuditEntry


@dataclass(frozen=True, slots=True)
class Actor:
    """Who performs an administrative action, and through which request or command."""

    user_id: UUID
    email: str
    channel: AuditChannel
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class AuditFilter:
    action: str | None = None
    actor_id: UUID | None = None
    target_type: str | None = None
    target_id: str | None = None


class AuditLog(Protocol):
    """Append-only: entries are added inside the action's transaction and never changed or removed."""

    @abstractmethod
    def add(self, entry: AuditEntry) -> None: ...

    @abstractmethod
    async def list(
        self, where: AuditFilter, *, before: tuple[datetime, UUID] | None, limit: int
    ) -> Sequence[AuditEntry]:
        """Newest first, strictly before the given (at, id) position."""


def record_audit(
    log: AuditLog,
    actor: Actor,
    action: AuditAction,
    target: tuple[str, object],
    *,
    reason: str | None,
    ids: IdGenerator,
    now: datetime,
) -> None:
    """Append to `log` that `actor` did `action` to `target` (its type and id), and why."""
    target_type, target_id = target
    log.add(
        AuditEntry(
            id=ids.new_id(),
            at=now,
            actor_id=actor.user_id,
            actor_email=actor.email,
            action=action.value,
            target_type=target_type,
            target_id=str(target_id),
            reason=reason,
            request_id=actor.request_id,
            channel=actor.channel,
        )
    )
