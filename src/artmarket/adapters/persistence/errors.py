"""Translate database failures into the domain and application errors use cases understand.

A violated constraint is recognised by its name (PostgreSQL reports it; for SQLite it is
found in `tables.metadata` from the table and columns in the message). A failed optimistic
version check is recognised by its table. Anything else the database raises means the
storage is unavailable (503), never a business answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Index, PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError

from artmarket.adapters.persistence.tables import metadata
from artmarket.application.errors import ConcurrentUpdate, StorageUnavailable
from artmarket.domain.catalog import ArtworkNotAvailable
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import EmailAlreadyRegistered, RefreshTokenRejected

#: The domain rule each named constraint protects.
CONSTRAINT_TO_ERROR: dict[str, type[DomainError]] = {
    "uq_users_email": EmailAlreadyRegistered,
    # A second live order for one artwork: someone else reserved or bought it first.
    "uq_orders_live_artwork": ArtworkNotAvailable,
    # A second order for one number of a limited edition (numbers are handed out under the
    # artwork's placement turn, so only a bug or a hand-written row meets this).
    "uq_orders_edition_number": ArtworkNotAvailable,
    # Another transaction already wrote the same message (e.g. OrderPaid for this order):
    # the work was done concurrently; a retry sees it and does nothing.
    "uq_outbox_messages_key": ConcurrentUpdate,
    # Two requests with one Idempotency-Key raced; a retry replays the winner's answer.
    "uq_orders_idempotency_key": ConcurrentUpdate,
    # Two workers recorded the emails of one event at once; a retry finds the winner's.
    "uq_email_deliveries_message_id": ConcurrentUpdate,
    # A second mint job or certificate for one order: another delivery of OrderPaid, or
    # another worker settling the same transaction, did it first.
    "uq_mint_jobs_order_id": ConcurrentUpdate,
    "uq_certificates_order_id": ConcurrentUpdate,
    "pk_certificates": ConcurrentUpdate,
    "pk_mint_batches": ConcurrentUpdate,
    # A certificate's next trail entry, its burn, or the record of one entry written twice
    # (another delivery of the message did it first), or one signed transaction stored twice.
    "uq_provenance_entries_certificate_id": ConcurrentUpdate,
    "uq_ledger_tasks_dedupe_key": ConcurrentUpdate,
    "pk_ledger_tasks": ConcurrentUpdate,
    "pk_provenance_entries": ConcurrentUpdate,
    "pk_ledger_transactions": ConcurrentUpdate,
    # A second shipment for one paid order: another delivery of the payment started it first.
    "pk_shipments": ConcurrentUpdate,
}

#: What losing an optimistic-lock race means, per versioned table (default: ConcurrentUpdate).
STALE_TABLE_TO_ERROR: dict[str, type[DomainError]] = {
    # Two refreshes of one session raced: the loser's token was already spent.
    "token_families": RefreshTokenRejected,
}

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)$")
_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '(?P<name>[^']+)'")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)$")
_STALE_TABLE = re.compile(r"on table '(?P<table>[^']+)'")


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the violated constraint, when the driver lets us know it."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:  # psycopg
        name = getattr(diag, "constraint_name", None)
        return str(name) if name else None
    message = str(error.orig)
    if match := _SQLITE_INDEX.search(message):
        return match["name"]
    if match := _SQLITE_CHECK.search(message):
        return match["name"]
    if match := _SQLITE_UNIQUE.search(message):
        return _sqlite_unique_constraint(match["columns"])
    return None


def _sqlite_unique_constraint(qualified_columns: str) -> str | None:
    """Find the unique constraint of "users.email" (or "t.a, t.b") in the metadata."""
    pairs = [part.strip().split(".", 1) for part in qualified_columns.split(",")]
    if any(len(pair) != 2 for pair in pairs) or len({table for table, _ in pairs}) != 1:
        return None
    table = metadata.tables.get(pairs[0][0])
    if table is None:
        return None
    columns = {column for _, column in pairs}
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint) and (
            {column.name for column in constraint.columns} == columns
        ):
            return str(constraint.name)
    for index in table.indexes:
        if isinstance(index, Index) and index.unique and {c.name for c in index.columns} == columns:
            return str(index.name)
    return None


def translate(error: Exception) -> Exception:
    """The error to raise instead of `error`; `error` itself when it is not a storage failure."""
    if isinstance(error, StaleDataError):
        match = _STALE_TABLE.search(str(error))
        table = match["table"] if match else ""
        return STALE_TABLE_TO_ERROR.get(table, ConcurrentUpdate)()
    if isinstance(error, IntegrityError):
        name = constraint_name(error)
        if name in CONSTRAINT_TO_ERROR:
            return CONSTRAINT_TO_ERROR[name]()
        # A constraint without a business meaning was broken: a bug, reported as unavailable.
        return StorageUnavailable()
    if isinstance(error, DBAPIError | PoolTimeoutError):
        return StorageUnavailable()
    return error


@contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raise storage failures inside the block as domain or application errors."""
    try:
        yield
    except (StaleDataError, DBAPIError, PoolTimeoutError) as error:
        raise translate(error) from error
