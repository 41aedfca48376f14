"""The append-only audit log of staff actions."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Index,
    String,
    Table,
    Text,
    Uuid,
)

from artmarket.adapters.persistence.tables.schema import metadata
from artmarket.adapters.persistence.types import (
    UtcDateTime,
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    # No foreign key: the record must outlive anything it names.
    Column("actor_id", Uuid, nullable=False),
    Column("actor_email", String(254), nullable=False),
    # No CHECK on the action: new actions come with new features, not with migrations.
    Column("action", String(64), nullable=False),
    Column("target_type", String(32), nullable=False),
    Column("target_id", String(64), nullable=False),
    Column("reason", Text, nullable=True),
    Column("request_id", String(128), nullable=True),
    Column("channel", String(8), nullable=False),
    # Append-only: migration 0006 adds triggers that refuse UPDATE and DELETE on both databases.
    Index("ix_audit_log_at", "at", "id"),
    Index("ix_audit_log_target", "target_type", "target_id", "at"),
    Index("ix_audit_log_actor_id", "actor_id", "at"),
)
