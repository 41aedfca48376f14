"""Accounts: users, their refresh-token families and the one-time tokens of email links."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
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
    DisplayNameType,
    EmailType,
    RoleSet,
    StrEnumType,
    UtcDateTime,
)
from artmarket.domain.identity import AccountTokenPurpose, UserStatus
from artmarket.domain.languages import Language

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
    # When the owner first proved they read the address (a verification or reset link).
    Column("email_verified_at", UtcDateTime, nullable=True),
    Column("language", StrEnumType(Language, 8), nullable=False, server_default="en"),
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


account_tokens = Table(
    "account_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("purpose", StrEnumType(AccountTokenPurpose, 32), nullable=False),
    # SHA-256 (hex) of the token in the link; the token itself is never stored.
    Column("token_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    # Optimistic lock: a link clicked twice at once is spent by one click only.
    Column("version", Integer, nullable=False),
    UniqueConstraint("token_hash"),
    CheckConstraint(one_of("purpose", AccountTokenPurpose), name="purpose"),
    Index("ix_account_tokens_user_id", "user_id", "purpose", "created_at"),
)
