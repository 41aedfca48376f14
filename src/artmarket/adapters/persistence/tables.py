"""The database schema as SQLAlchemy Core tables; the migrations must match it exactly.

Constraint names come from the naming convention, so the unit of work can map a violated
constraint to the domain rule it protects (see `errors.CONSTRAINT_TO_ERROR`).
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from artmarket.adapters.persistence.types import (
    DisplayNameType,
    EmailType,
    RoleSet,
    StrEnumType,
    UtcDateTime,
)
from artmarket.domain.identity import UserStatus

NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ix": "ix_%(column_0_label)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", EmailType, nullable=False),
    Column("display_name", DisplayNameType, nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("roles", RoleSet, nullable=False),
    Column("status", StrEnumType(UserStatus, 16), nullable=False),
    Column("status_reason", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # The email is canonical (lower case), so this is the case-insensitive uniqueness rule.
    UniqueConstraint("email"),
    CheckConstraint("status IN ('active', 'suspended')", name="status"),
    Index(None, "created_at"),
)

token_families = Table(
    "token_families",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("current_token_hash", String(64), nullable=False),
    Column("current_expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revoked_reason", Text, nullable=True),
    # Optimistic lock: an UPDATE only applies to the version that was read, so two
    # concurrent rotations of one family cannot both win.
    Column("version", Integer, nullable=False),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    # Every refresh token ever issued (its SHA-256 hex), so a spent one is recognised.
    Column("token_hash", String(64), primary_key=True),
    Column("family_id", Uuid, ForeignKey("token_families.id"), nullable=False, index=True),
)
