"""The transactional outbox: messages written with the change they announce, published by the relay."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from artmarket.adapters.persistence.tables.schema import metadata, one_of
from artmarket.adapters.persistence.types import (
    StrEnumType,
    UtcDateTime,
)
from artmarket.application.messaging import OutboxStatus, Topic

outbox_messages = Table(
    "outbox_messages",
    metadata,
    Column("id", Uuid, primary_key=True),
    # No CHECK on the topic: new topics come with new features, not with migrations.
    Column("topic", StrEnumType(Topic, 64), nullable=False),
    # Unique forever: a second message for the same fact is refused (ConcurrentUpdate).
    Column("key", String(255), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", StrEnumType(OutboxStatus, 16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("available_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    # The W3C trace context of the work that wrote it (`traceparent`, `tracestate`).
    Column("trace_context", JSON, nullable=True),
    # The version of the message class that wrote the payload; rows from before versions are 1.
    Column("version", Integer, nullable=False, server_default=text("1")),
    UniqueConstraint("key"),
    CheckConstraint(one_of("status", OutboxStatus), name="status"),
    # The relay's "pending, oldest first" and the admin's list by status, newest first.
    Index("ix_outbox_messages_status", "status", "created_at", "id"),
    Index(None, "created_at"),
)
