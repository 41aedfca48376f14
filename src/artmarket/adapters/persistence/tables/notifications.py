"""Emails: one row per email to send, with its delivery state."""

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
)

from artmarket.adapters.persistence.tables.schema import metadata, one_of
from artmarket.adapters.persistence.types import (
    StrEnumType,
    UtcDateTime,
)
from artmarket.application.notifications.deliveries import DeliveryStatus, EmailKind

email_deliveries = Table(
    "email_deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    # Derived from the event and the kind of email: one delivery per (event, kind), ever.
    Column("message_id", String(255), nullable=False),
    # No CHECK on the kind: new emails come with new features, not with migrations.
    Column("kind", StrEnumType(EmailKind, 64), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("recipient_name", String(200), nullable=True),
    # What the templates show: plain strings, never a token (only a token's id).
    Column("context", JSON, nullable=False),
    Column("status", StrEnumType(DeliveryStatus, 16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    # A sender holds the delivery until then; nobody else may send it meanwhile.
    Column("claimed_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    # Optimistic lock: of two senders claiming one delivery, one wins.
    Column("version", Integer, nullable=False),
    UniqueConstraint("message_id"),
    CheckConstraint(one_of("status", DeliveryStatus), name="status"),
    # The sender's "pending and due, oldest first" and the operator's list by status.
    Index("ix_email_deliveries_status", "status", "next_attempt_at", "created_at"),
    Index(None, "created_at"),
)
