"""The shared schema: one `MetaData` with the naming convention, and the helpers every table uses.

Constraint names come from the naming convention, so the unit of work can map a violated
constraint to the domain rule it protects (see `errors.CONSTRAINT_TO_ERROR`).
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
    text,
)

from artmarket.adapters.persistence.types import StrEnumType, UtcDateTime

NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ix": "ix_%(column_0_label)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, values: type[enum.StrEnum] | frozenset[Any]) -> str:
    """`column IN ('a', 'b')` for a CHECK constraint or a partial-index predicate (sorted, stable)."""
    return f"{column} IN ({', '.join(repr(str(v.value)) for v in sorted(values, key=lambda v: v.value))})"


def where(predicate: str) -> dict[str, Any]:
    """The same partial-index predicate on PostgreSQL and SQLite (both support partial indexes)."""
    return {"postgresql_where": text(predicate), "sqlite_where": text(predicate)}


def status_history(name: str, parent_id: str, status: type[enum.StrEnum]) -> Table:
    """The table of a status history: the n-th step (status, when, note) of the row `parent_id`
    names (`"orders.id"`), keyed by the parent's id and the step's position."""
    return Table(
        name,
        metadata,
        Column("order_id", Uuid, ForeignKey(parent_id), nullable=False),
        Column("position", Integer, nullable=False),
        Column("status", StrEnumType(status, 32), nullable=False),
        Column("at", UtcDateTime, nullable=False),
        Column("note", Text, nullable=True),
        PrimaryKeyConstraint("order_id", "position"),
        CheckConstraint(one_of("status", status), name="status"),
    )


#: A stored `PostalAddress`, part by part (`value_columns.ADDRESS_PARTS` order): the column's
#: length, and whether an address needs it.
_ADDRESS_PARTS: tuple[tuple[str, int, bool], ...] = (
    ("name", 200, True),
    ("line1", 200, True),
    ("line2", 200, False),
    ("city", 100, True),
    ("region", 100, False),
    ("postal_code", 16, False),
    ("country", 2, True),
)


def postal_address(prefix: str = "", *, optional: bool = False) -> list[Column[str]]:
    """The columns of a stored `PostalAddress`, named `prefix` + part, the same wherever one is
    kept; `optional`: all NULL when there is no address."""
    return [
        Column(f"{prefix}{part}", String(length), nullable=optional or not required)
        for part, length, required in _ADDRESS_PARTS
    ]
