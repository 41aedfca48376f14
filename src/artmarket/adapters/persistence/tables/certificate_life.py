"""A certificate's later life: its provenance trail and the ledger tasks that burn, record and move it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from artmarket.adapters.persistence.tables.schema import metadata, one_of
from artmarket.adapters.persistence.types import StrEnumType, UtcDateTime
from artmarket.application.minting.certificate_transactions import TransactionKind
from artmarket.domain.ledger_tasks import LedgerTaskKind, TaskStatus
from artmarket.domain.provenance import ProvenanceEvent

provenance_entries = Table(
    "provenance_entries",
    metadata,
    # Also the id of the RECORD ledger task that puts the entry on the topic.
    Column("id", Uuid, primary_key=True),
    Column("certificate_id", Uuid, ForeignKey("certificates.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("event", StrEnumType(ProvenanceEvent, 16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # The canonical topic message, fixed when the entry is written (holders hashed).
    Column("message", LargeBinary, nullable=False),
    # Two writers of one certificate's next entry: the second is refused (ConcurrentUpdate).
    UniqueConstraint("certificate_id", "position"),
    CheckConstraint(one_of("event", ProvenanceEvent), name="event"),
    CheckConstraint("position > 0", name="position_positive"),
)

ledger_tasks = Table(
    "ledger_tasks",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("certificate_id", Uuid, ForeignKey("certificates.id"), nullable=False),
    Column("kind", StrEnumType(LedgerTaskKind, 16), nullable=False),
    # What makes the task unique ("burn:<certificate>", "record:<entry>", …): a second
    # delivery of one message cannot queue a second burn.
    Column("dedupe_key", String(128), nullable=False),
    Column("account_id", String(32), nullable=True),
    Column("status", StrEnumType(TaskStatus, 16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    # The transaction, chosen and stored before it is sent (its signed bytes: ledger_transactions).
    Column("transaction_id", String(64), nullable=True),
    Column("transaction_valid_until", UtcDateTime, nullable=True),
    Column("consensus_timestamp", String(32), nullable=True),
    Column("sequence_number", BigInteger, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    # Optimistic lock: two workers cannot both submit (or settle) one task.
    Column("version", Integer, nullable=False),
    UniqueConstraint("dedupe_key"),
    CheckConstraint(one_of("kind", LedgerTaskKind), name="kind"),
    CheckConstraint(one_of("status", TaskStatus), name="status"),
    CheckConstraint("attempts >= 0", name="attempts"),
    # The worker's "due tasks of a status, oldest first" and the admin's list of failed ones.
    Index("ix_ledger_tasks_status", "status", "created_at", "id"),
    Index(None, "certificate_id"),
    Index(None, "transaction_id"),
)

ledger_transactions = Table(
    "ledger_transactions",
    metadata,
    # One signed certificate transaction: resubmitting `signed_bytes` as they are is always safe.
    Column("transaction_id", String(64), primary_key=True),
    Column("task_id", Uuid, ForeignKey("ledger_tasks.id"), nullable=False),
    Column("kind", StrEnumType(TransactionKind, 16), nullable=False),
    Column("valid_until", UtcDateTime, nullable=False),
    Column("signed_bytes", LargeBinary, nullable=False),
    CheckConstraint(one_of("kind", TransactionKind), name="kind"),
    Index(None, "task_id"),
)
