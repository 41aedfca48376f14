"""The database schema as SQLAlchemy Core tables; the migrations must match it exactly.

Constraint names come from the naming convention, so the unit of work can map a violated
constraint to the domain rule it protects (see `errors.CONSTRAINT_TO_ERROR`).
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import DDLCompiler, SQLCompiler
from sqlalchemy.sql.expression import ColumnElement

from artmarket.adapters.persistence.types import (
    ArtworkSnapshotType,
    CurrencyType,
    DisplayNameType,
    EmailType,
    RoleSet,
    ShippingRatesType,
    StrEnumType,
    UtcDateTime,
    UuidList,
)
from artmarket.application.messaging import OutboxStatus, Topic
from artmarket.application.notifications.deliveries import DeliveryStatus, EmailKind
from artmarket.domain.artists import KycStatus
from artmarket.domain.catalog import ArtworkStatus, Medium
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.delivery import DeliveryKind
from artmarket.domain.identity import AccountTokenPurpose, UserStatus
from artmarket.domain.orders import LIVE_STATUSES, OrderStatus, RefundStatus
from artmarket.domain.shipments import DeliveryConfirmer, ShipmentStatus

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
    # When the owner first proved they read the address (a verification or reset link).
    Column("email_verified_at", UtcDateTime, nullable=True),
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


def one_of(column: str, values: type[enum.StrEnum] | frozenset[Any]) -> str:
    """`column IN ('a', 'b')` for a CHECK constraint or a partial-index predicate (sorted, stable)."""
    return f"{column} IN ({', '.join(repr(str(v.value)) for v in sorted(values, key=lambda v: v.value))})"


def _where(predicate: str) -> dict[str, Any]:
    """The same partial-index predicate on PostgreSQL and SQLite (both support partial indexes)."""
    return {"postgresql_where": text(predicate), "sqlite_where": text(predicate)}


#: The gallery lists published works; its partial indexes hold only those rows. Queries
#: must render this constant as a literal, or a generic plan cannot match the predicate.
PUBLISHED = f"status = '{ArtworkStatus.PUBLISHED.value}'"
#: Orders that hold their artwork (`LIVE_STATUSES`): at most one per artwork.
LIVE_ORDER = one_of("status", LIVE_STATUSES)
AWAITING_PAYMENT = f"status = '{OrderStatus.AWAITING_PAYMENT.value}'"
PAID = f"status = '{OrderStatus.PAID.value}'"


class SearchDocument(ColumnElement[Any]):
    """What the gallery's `q` searches: title, description and artist name of a work.

    PostgreSQL: a `tsvector` ('simple' configuration: lower-cased words, no stemming),
    stored and GIN-indexed. SQLite: the three texts joined by U+001F (so a match never
    spans two of them), a VIRTUAL column searched with LIKE (nothing stored).
    """

    inherit_cache = True


@compiles(SearchDocument, "postgresql")
def _search_document_postgresql(element: SearchDocument, compiler: SQLCompiler, **kw: Any) -> str:
    return "to_tsvector('simple'::regconfig, title || ' ' || description || ' ' || artist_name)"


@compiles(SearchDocument)
def _search_document_default(element: SearchDocument, compiler: SQLCompiler, **kw: Any) -> str:
    return "title || char(31) || description || char(31) || artist_name"


class StoredOnPostgreSQL(Computed):
    """A generated column: STORED on PostgreSQL (before 18 it has no other kind), VIRTUAL
    (computed when read, nothing stored) on SQLite."""


@compiles(StoredOnPostgreSQL, "postgresql")
def _stored_on_postgresql(element: StoredOnPostgreSQL, compiler: DDLCompiler, **kw: Any) -> str:
    expression = compiler.sql_compiler.process(element.sqltext, include_table=False, literal_binds=True)
    return f"GENERATED ALWAYS AS ({expression}) STORED"


artist_profiles = Table(
    "artist_profiles",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id"), primary_key=True),
    Column("display_name", String(80), nullable=False),
    Column("bio", Text, nullable=False),
    Column("country", String(2), nullable=False),
    Column("website", String(300), nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

kyc_cases = Table(
    "kyc_cases",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("artist_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("legal_name", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("document_key", String(500), nullable=False),
    Column("document_content_type", String(100), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("status", StrEnumType(KycStatus, 16), nullable=False),
    Column("reviewer_id", Uuid, ForeignKey("users.id"), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("reason", Text, nullable=True),
    # Optimistic lock: two admins deciding one case at once cannot both win.
    Column("version", Integer, nullable=False),
    CheckConstraint(one_of("status", KycStatus), name="status"),
    # An artist's latest case, and the review queue oldest first.
    Index("ix_kyc_cases_artist_id", "artist_id", "submitted_at"),
    Index("ix_kyc_cases_status", "status", "submitted_at"),
    Index(None, "reviewer_id"),
)

artworks = Table(
    "artworks",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("artist_id", Uuid, ForeignKey("users.id"), nullable=False),
    # A copy of the artist's display name: the gallery shows and searches it without a join.
    Column("artist_name", String(80), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("medium", StrEnumType(Medium, 16), nullable=False),
    Column("price_amount", BigInteger, nullable=False),
    Column("price_currency", CurrencyType, nullable=False),
    Column("year", Integer, nullable=True),
    # Dimensions: all NULL when the work has none (height NULL means "no dimensions").
    Column("height_mm", Integer, nullable=True),
    Column("width_mm", Integer, nullable=True),
    Column("depth_mm", Integer, nullable=True),
    Column("status", StrEnumType(ArtworkStatus, 16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
    # Moved only by `UPDATE ... SET favorites_count = favorites_count ± 1` with the favourite.
    Column("favorites_count", Integer, nullable=False, server_default=text("0")),
    # A copy of the artist's suspension, set for all their works at once: the gallery
    # hides them without a join.
    Column("artist_suspended", Boolean, nullable=False, server_default=false()),
    # A copy of the first image's thumbnail (`artwork_images` position 0), written with the
    # images: a gallery card needs no join, which kept listings at 100k works slower than at 1k.
    Column("cover_thumbnail_key", String(500), nullable=True),
    Column("cover_width", Integer, nullable=True),
    Column("cover_height", Integer, nullable=True),
    # Why an administrator took the work down (the artist cannot publish it again).
    Column("taken_down_reason", Text, nullable=True),
    # How the work reaches its buyer: digital (the default), or physical with a weight and
    # shipping zones `[{"countries": [...], "amount": minor units, "currency": ...}]`.
    Column(
        "delivery_kind",
        StrEnumType(DeliveryKind, 16),
        nullable=False,
        server_default=text(f"'{DeliveryKind.DIGITAL.value}'"),
    ),
    Column("weight_grams", Integer, nullable=True),
    Column("shipping_rates", ShippingRatesType, nullable=True),
    # Optimistic lock: an UPDATE only applies to the version that was read.
    Column("version", Integer, nullable=False),
    Column(
        "search_vector", Text().with_variant(TSVECTOR(), "postgresql"), StoredOnPostgreSQL(SearchDocument())
    ),
    CheckConstraint(one_of("status", ArtworkStatus), name="status"),
    CheckConstraint(one_of("medium", Medium), name="medium"),
    CheckConstraint("price_amount > 0", name="price_positive"),
    CheckConstraint("favorites_count >= 0", name="favorites_count"),
    # The gallery: one partial index per sort, holding published works only, with the id as
    # tiebreaker so keyset pagination (`(key, id) < (:key, :id)`) is a single index range.
    Index("ix_artworks_published_newest", "published_at", "id", **_where(PUBLISHED)),
    Index("ix_artworks_published_price", "price_amount", "id", **_where(PUBLISHED)),
    Index(
        "ix_artworks_published_currency_price", "price_currency", "price_amount", "id", **_where(PUBLISHED)
    ),
    Index("ix_artworks_published_popular", "favorites_count", "id", **_where(PUBLISHED)),
    # An artist's works (and the foreign key), and listings of sold works.
    Index("ix_artworks_artist_id", "artist_id", "published_at", "id"),
    Index("ix_artworks_status", "status", "published_at", "id"),
    # Full-text search on PostgreSQL. LIKE '%…%' cannot use a B-tree, so on SQLite the
    # index is kept empty (WHERE 0): it exists on both only so both schemas match this module.
    # No fast-update pending list: every search would scan it, and the planner, costing
    # that in, walked the whole table for a rare word instead of the index.
    Index(
        "ix_artworks_search_vector",
        "search_vector",
        postgresql_using="gin",
        postgresql_with={"fastupdate": "off"},
        sqlite_where=text("0"),
    ),
)

artwork_images = Table(
    "artwork_images",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("artwork_id", Uuid, ForeignKey("artworks.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("display_key", String(500), nullable=False),
    Column("thumbnail_key", String(500), nullable=False),
    Column("original_key", String(500), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # One image per place; position 0 is the gallery's thumbnail.
    UniqueConstraint("artwork_id", "position"),
)

favorites = Table(
    "favorites",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("artwork_id", Uuid, ForeignKey("artworks.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "artwork_id"),
    Index("ix_favorites_user_id", "user_id", "created_at"),
    Index(None, "artwork_id"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("buyer_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("artwork_id", Uuid, ForeignKey("artworks.id"), nullable=False),
    Column("artist_id", Uuid, ForeignKey("users.id"), nullable=False),
    # Money in minor units; the split is in the order's currency.
    Column("amount", BigInteger, nullable=False),
    Column("currency", CurrencyType, nullable=False),
    Column("artist_share_amount", BigInteger, nullable=False),
    Column("platform_fee_amount", BigInteger, nullable=False),
    Column("subaccount", String(100), nullable=True),
    Column("reference", String(100), nullable=False),
    Column("status", StrEnumType(OrderStatus, 32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("paid_at", UtcDateTime, nullable=True),
    # The certificate minted for the order (its table comes with minting).
    Column("certificate_id", Uuid, nullable=True),
    Column("attention", Text, nullable=True),
    Column("refund_reason", Text, nullable=True),
    # How far the provider is with the refund (refund.* webhooks move it forward).
    Column("refund_status", StrEnumType(RefundStatus, 32), nullable=True),
    Column("authorization_url", Text, nullable=True),
    # The buyer's Idempotency-Key and a fingerprint of the request that first used it.
    Column("idempotency_key", String(255), nullable=True),
    Column("request_fingerprint", String(64), nullable=True),
    # Optimistic lock: the webhook and the buyer's return cannot both pay one order.
    Column("version", Integer, nullable=False),
    # The shipping part of `amount` (the artwork's price is the rest); 0 for digital works.
    Column("shipping_amount", BigInteger, nullable=False, server_default=text("0")),
    # The buyer's contact details, given at checkout (required for physical works).
    Column("buyer_full_name", String(200), nullable=True),
    Column("buyer_phone", String(16), nullable=True),
    Column("buyer_email", EmailType, nullable=True),
    # Where a physical work is delivered: all NULL for digital works.
    Column("ship_to_name", String(200), nullable=True),
    Column("ship_to_line1", String(200), nullable=True),
    Column("ship_to_line2", String(200), nullable=True),
    Column("ship_to_city", String(100), nullable=True),
    Column("ship_to_region", String(100), nullable=True),
    Column("ship_to_postal_code", String(16), nullable=True),
    Column("ship_to_country", String(2), nullable=True),
    # Who placed it, as a keyed hash of the client address (never the address itself): live
    # reservations are capped per address as well as per account. NULL for older orders.
    Column("client_tag", String(32), nullable=True),
    UniqueConstraint("reference"),
    UniqueConstraint("buyer_id", "idempotency_key", name="uq_orders_idempotency_key"),
    CheckConstraint(one_of("status", OrderStatus), name="status"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint(
        "artist_share_amount >= 0 AND platform_fee_amount >= 0"
        " AND artist_share_amount + platform_fee_amount = amount",
        name="split",
    ),
    CheckConstraint("shipping_amount >= 0 AND shipping_amount <= amount", name="shipping"),
    # THE rule of checkout: at most one live order per artwork, whoever races for it.
    Index("uq_orders_live_artwork", "artwork_id", unique=True, **_where(LIVE_ORDER)),
    Index("ix_orders_buyer_id", "buyer_id", "created_at", "id"),
    # The admin console's orders table, newest first, and the artist's sales.
    Index("ix_orders_created_at", "created_at", "id"),
    Index(None, "artist_id"),
    Index(None, "artwork_id"),
    # Sweepers: reservations that lapsed, and payments whose webhook may have been lost.
    Index("ix_orders_awaiting_expires_at", "expires_at", **_where(AWAITING_PAYMENT)),
    Index("ix_orders_awaiting_created_at", "created_at", **_where(AWAITING_PAYMENT)),
    Index("ix_orders_awaiting_client_tag", "client_tag", **_where(AWAITING_PAYMENT)),
    # Minting's sweeper: paid orders whose OrderPaid message was lost.
    Index("ix_orders_paid_paid_at", "paid_at", **_where(PAID)),
)

order_status_changes = Table(
    "order_status_changes",
    metadata,
    Column("order_id", Uuid, ForeignKey("orders.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("status", StrEnumType(OrderStatus, 32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("note", Text, nullable=True),
    PrimaryKeyConstraint("order_id", "position"),
    CheckConstraint(one_of("status", OrderStatus), name="status"),
)

payment_events = Table(
    "payment_events",
    metadata,
    # The provider's event key: a redelivered event finds its row and is ignored.
    Column("key", String(255), primary_key=True),
    Column("provider", String(32), nullable=False),
    Column("event", String(100), nullable=False),
    Column("reference", String(100), nullable=True, index=True),
    Column("payload", JSON, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)

payout_accounts = Table(
    "payout_accounts",
    metadata,
    Column("artist_id", Uuid, ForeignKey("users.id"), primary_key=True),
    Column("bank_code", String(20), nullable=False),
    Column("account_number_last4", String(4), nullable=False),
    Column("subaccount_code", String(100), nullable=False),
    Column("commission_percent", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("commission_percent BETWEEN 0 AND 100", name="commission_percent"),
)

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

mint_jobs = Table(
    "mint_jobs",
    metadata,
    # Also the id of the certificate the job issues.
    Column("id", Uuid, primary_key=True),
    # At most one job, hence one certificate, per order, whatever delivers OrderPaid twice.
    Column("order_id", Uuid, ForeignKey("orders.id"), nullable=False),
    Column("status", StrEnumType(MintJobStatus, 16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    # What is certified and its exact HIP-412 bytes, fixed before the first submission.
    Column("artwork", ArtworkSnapshotType, nullable=True),
    Column("metadata_uri", String(100), nullable=True),
    Column("metadata_document", LargeBinary, nullable=True),
    # The transaction, chosen and stored before it is sent (its signed bytes: mint_batches).
    Column("token_id", String(32), nullable=True),
    Column("transaction_id", String(64), nullable=True),
    Column("transaction_valid_until", UtcDateTime, nullable=True),
    Column("serial", BigInteger, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    # Optimistic lock: two workers cannot both submit (or settle) one job.
    Column("version", Integer, nullable=False),
    UniqueConstraint("order_id"),
    CheckConstraint(one_of("status", MintJobStatus), name="status"),
    CheckConstraint("attempts >= 0", name="attempts"),
    # The worker's "due jobs of a status, oldest first" and the admin's list by status.
    Index("ix_mint_jobs_status", "status", "created_at", "id"),
    Index(None, "created_at"),
    Index(None, "transaction_id"),
)

mint_batches = Table(
    "mint_batches",
    metadata,
    # One TokenMint: resubmitting `signed_bytes` as they are is always safe.
    Column("transaction_id", String(64), primary_key=True),
    Column("token_id", String(32), nullable=False),
    # The jobs in the order of the metadata: the n-th serial belongs to the n-th job.
    Column("job_ids", UuidList, nullable=False),
    Column("valid_until", UtcDateTime, nullable=False),
    Column("signed_bytes", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

certificates = Table(
    "certificates",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("order_id", Uuid, ForeignKey("orders.id"), nullable=False),
    Column("owner_id", Uuid, ForeignKey("users.id"), nullable=False),
    # The artwork as certified (a snapshot: later edits do not change it).
    Column("artwork_id", Uuid, ForeignKey("artworks.id"), nullable=False),
    Column("artwork_title", String(200), nullable=False),
    Column("artist_id", Uuid, nullable=False),
    Column("artist_name", String(200), nullable=False),
    Column("medium", String(32), nullable=False),
    Column("year", Integer, nullable=True),
    Column("dimensions", String(64), nullable=True),
    Column("image_uri", String(200), nullable=True),
    Column("image_type", String(64), nullable=False),
    Column("network", String(32), nullable=False),
    Column("token_id", String(32), nullable=False),
    Column("serial", BigInteger, nullable=False),
    Column("transaction_id", String(64), nullable=False),
    Column("metadata_uri", String(100), nullable=False),
    # The exact bytes whose CID is `metadata_uri`, served as they are.
    Column("metadata_document", LargeBinary, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    UniqueConstraint("order_id"),
    UniqueConstraint("token_id", "serial"),
    CheckConstraint("serial > 0", name="serial_positive"),
    Index("ix_certificates_owner_id", "owner_id", "issued_at", "id"),
)

placement_locks = Table(
    "placement_locks",
    metadata,
    # One row per account or client address that ever placed an order: a placement writes
    # its rows first, so placements for the same holder count its open orders one at a time.
    Column("holder", String(80), primary_key=True),
    Column("last_placed_at", UtcDateTime, nullable=False),
)

leases = Table(
    "leases",
    metadata,
    # A named lease one holder owns until it expires (one minter at a time).
    Column("name", String(64), primary_key=True),
    Column("holder", String(64), nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
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

#: Shipments the artist still has to send, and those on their way (sweepers' partial indexes).
AWAITING_SHIPMENT = f"status = '{ShipmentStatus.AWAITING_SHIPMENT.value}'"
SHIPPED = f"status = '{ShipmentStatus.SHIPPED.value}'"

shipments = Table(
    "shipments",
    metadata,
    # One shipment per paid order of a physical work, under the order's id.
    Column("order_id", Uuid, ForeignKey("orders.id"), primary_key=True),
    Column("artist_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("buyer_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("status", StrEnumType(ShipmentStatus, 32), nullable=False),
    Column("awaiting_since", UtcDateTime, nullable=False),
    Column("carrier", String(100), nullable=True),
    Column("tracking_number", String(100), nullable=True),
    Column("tracking_url", String(500), nullable=True),
    Column("shipped_at", UtcDateTime, nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    Column("confirmed_by", StrEnumType(DeliveryConfirmer, 16), nullable=True),
    Column("problem", Text, nullable=True),
    Column("problem_reported_at", UtcDateTime, nullable=True),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("resolution", Text, nullable=True),
    Column("reminders_sent", Integer, nullable=False),
    # Optimistic lock: the buyer's confirmation and the automatic one cannot both win.
    Column("version", Integer, nullable=False),
    CheckConstraint(one_of("status", ShipmentStatus), name="status"),
    CheckConstraint("reminders_sent >= 0", name="reminders_sent"),
    # The artist's shipments newest first (by status), and the sweepers: reminders, auto-confirmation.
    Index("ix_shipments_artist_id", "artist_id", "awaiting_since", "order_id"),
    Index(None, "buyer_id"),
    Index("ix_shipments_awaiting", "awaiting_since", **_where(AWAITING_SHIPMENT)),
    Index("ix_shipments_shipped", "shipped_at", **_where(SHIPPED)),
    Index("ix_shipments_status", "status", "awaiting_since"),
)

shipment_steps = Table(
    "shipment_steps",
    metadata,
    Column("order_id", Uuid, ForeignKey("shipments.order_id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("status", StrEnumType(ShipmentStatus, 32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("note", Text, nullable=True),
    PrimaryKeyConstraint("order_id", "position"),
    CheckConstraint(one_of("status", ShipmentStatus), name="status"),
)

saved_addresses = Table(
    "saved_addresses",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("buyer_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("line1", String(200), nullable=False),
    Column("line2", String(200), nullable=True),
    Column("city", String(100), nullable=False),
    Column("region", String(100), nullable=True),
    Column("postal_code", String(16), nullable=True),
    Column("country", String(2), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_saved_addresses_buyer_id", "buyer_id", "created_at"),
)
