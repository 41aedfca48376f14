"""catalog and checkout: artists, KYC, artworks and images, favourites, orders and their
history, payment events, payout accounts, the outbox; the gallery's indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLISHED = "status = 'published'"
LIVE_ORDER = "status IN ('awaiting_payment', 'completed', 'minting', 'paid')"
AWAITING_PAYMENT = "status = 'awaiting_payment'"
ORDER_STATUSES = (
    "status IN ('awaiting_payment', 'cancelled', 'completed', 'expired', 'minting', 'paid',"
    " 'payment_failed', 'refunded')"
)


def _where(predicate: str) -> dict[str, Any]:
    return {"postgresql_where": sa.text(predicate), "sqlite_where": sa.text(predicate)}


def _search_vector() -> sa.Column[Any]:
    """PostgreSQL: a stored tsvector (GIN-indexed below). SQLite: the three texts joined by
    U+001F, as a VIRTUAL column (nothing stored) that the gallery searches with LIKE."""
    if op.get_context().dialect.name == "postgresql":
        document = "to_tsvector('simple'::regconfig, title || ' ' || description || ' ' || artist_name)"
        return sa.Column("search_vector", postgresql.TSVECTOR(), sa.Computed(document, persisted=True))
    document = "title || char(31) || description || char(31) || artist_name"
    return sa.Column("search_vector", sa.Text(), sa.Computed(document))


def upgrade() -> None:
    op.create_table(
        "artist_profiles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_artist_profiles_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_artist_profiles")),
    )

    op.create_table(
        "kyc_cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("document_key", sa.String(length=500), nullable=False),
        sa.Column("document_content_type", sa.String(length=100), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewer_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('approved', 'not_submitted', 'pending', 'rejected')", name=op.f("ck_kyc_cases_status")
        ),
        sa.ForeignKeyConstraint(["artist_id"], ["users.id"], name=op.f("fk_kyc_cases_artist_id_users")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"], name=op.f("fk_kyc_cases_reviewer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kyc_cases")),
    )
    op.create_index(op.f("ix_kyc_cases_artist_id"), "kyc_cases", ["artist_id", "submitted_at"])
    op.create_index(op.f("ix_kyc_cases_status"), "kyc_cases", ["status", "submitted_at"])
    op.create_index(op.f("ix_kyc_cases_reviewer_id"), "kyc_cases", ["reviewer_id"])

    op.create_table(
        "artworks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("artist_name", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("medium", sa.String(length=16), nullable=False),
        sa.Column("price_amount", sa.BigInteger(), nullable=False),
        sa.Column("price_currency", sa.String(length=3), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("height_mm", sa.Integer(), nullable=True),
        sa.Column("width_mm", sa.Integer(), nullable=True),
        sa.Column("depth_mm", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("favorites_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _search_vector(),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'reserved', 'sold', 'withdrawn')",
            name=op.f("ck_artworks_status"),
        ),
        sa.CheckConstraint(
            "medium IN ('digital', 'drawing', 'mixed_media', 'other', 'painting', 'photography', 'print',"
            " 'sculpture', 'textile')",
            name=op.f("ck_artworks_medium"),
        ),
        sa.CheckConstraint("price_amount > 0", name=op.f("ck_artworks_price_positive")),
        sa.CheckConstraint("favorites_count >= 0", name=op.f("ck_artworks_favorites_count")),
        sa.ForeignKeyConstraint(["artist_id"], ["users.id"], name=op.f("fk_artworks_artist_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artworks")),
    )
    # The gallery: a partial index per sort (published works only), id as the tiebreaker.
    op.create_index(
        op.f("ix_artworks_published_newest"), "artworks", ["published_at", "id"], **_where(PUBLISHED)
    )
    op.create_index(
        op.f("ix_artworks_published_price"), "artworks", ["price_amount", "id"], **_where(PUBLISHED)
    )
    op.create_index(
        op.f("ix_artworks_published_currency_price"),
        "artworks",
        ["price_currency", "price_amount", "id"],
        **_where(PUBLISHED),
    )
    op.create_index(
        op.f("ix_artworks_published_popular"), "artworks", ["favorites_count", "id"], **_where(PUBLISHED)
    )
    op.create_index(op.f("ix_artworks_artist_id"), "artworks", ["artist_id", "published_at", "id"])
    op.create_index(op.f("ix_artworks_status"), "artworks", ["status", "published_at", "id"])
    # GIN for full-text search on PostgreSQL; on SQLite an empty index (LIKE cannot use one).
    op.create_index(
        op.f("ix_artworks_search_vector"),
        "artworks",
        ["search_vector"],
        postgresql_using="gin",
        sqlite_where=sa.text("0"),
    )

    op.create_table(
        "artwork_images",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("artwork_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("display_key", sa.String(length=500), nullable=False),
        sa.Column("thumbnail_key", sa.String(length=500), nullable=False),
        sa.Column("original_key", sa.String(length=500), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["artwork_id"], ["artworks.id"], name=op.f("fk_artwork_images_artwork_id_artworks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artwork_images")),
        sa.UniqueConstraint("artwork_id", "position", name=op.f("uq_artwork_images_artwork_id")),
    )

    op.create_table(
        "favorites",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("artwork_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["artwork_id"], ["artworks.id"], name=op.f("fk_favorites_artwork_id_artworks")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_favorites_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "artwork_id", name=op.f("pk_favorites")),
    )
    op.create_index(op.f("ix_favorites_user_id"), "favorites", ["user_id", "created_at"])
    op.create_index(op.f("ix_favorites_artwork_id"), "favorites", ["artwork_id"])

    op.create_table(
        "orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("artwork_id", sa.Uuid(), nullable=False),
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("artist_share_amount", sa.BigInteger(), nullable=False),
        sa.Column("platform_fee_amount", sa.BigInteger(), nullable=False),
        sa.Column("subaccount", sa.String(length=100), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("certificate_id", sa.Uuid(), nullable=True),
        sa.Column("attention", sa.Text(), nullable=True),
        sa.Column("refund_reason", sa.Text(), nullable=True),
        sa.Column("authorization_url", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("request_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(ORDER_STATUSES, name=op.f("ck_orders_status")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_orders_amount_positive")),
        sa.CheckConstraint(
            "artist_share_amount >= 0 AND platform_fee_amount >= 0"
            " AND artist_share_amount + platform_fee_amount = amount",
            name=op.f("ck_orders_split"),
        ),
        sa.ForeignKeyConstraint(["artist_id"], ["users.id"], name=op.f("fk_orders_artist_id_users")),
        sa.ForeignKeyConstraint(["artwork_id"], ["artworks.id"], name=op.f("fk_orders_artwork_id_artworks")),
        sa.ForeignKeyConstraint(["buyer_id"], ["users.id"], name=op.f("fk_orders_buyer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("reference", name=op.f("uq_orders_reference")),
        sa.UniqueConstraint("buyer_id", "idempotency_key", name=op.f("uq_orders_idempotency_key")),
    )
    # At most one live order per artwork, whoever races for it.
    op.create_index(
        op.f("uq_orders_live_artwork"), "orders", ["artwork_id"], unique=True, **_where(LIVE_ORDER)
    )
    op.create_index(op.f("ix_orders_buyer_id"), "orders", ["buyer_id", "created_at", "id"])
    op.create_index(op.f("ix_orders_artist_id"), "orders", ["artist_id"])
    op.create_index(op.f("ix_orders_artwork_id"), "orders", ["artwork_id"])
    op.create_index(
        op.f("ix_orders_awaiting_expires_at"), "orders", ["expires_at"], **_where(AWAITING_PAYMENT)
    )
    op.create_index(
        op.f("ix_orders_awaiting_created_at"), "orders", ["created_at"], **_where(AWAITING_PAYMENT)
    )

    op.create_table(
        "order_status_changes",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(ORDER_STATUSES, name=op.f("ck_order_status_changes_status")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_status_changes_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_order_status_changes")),
    )

    op.create_table(
        "payment_events",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("event", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_payment_events")),
    )
    op.create_index(op.f("ix_payment_events_reference"), "payment_events", ["reference"])

    op.create_table(
        "payout_accounts",
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("bank_code", sa.String(length=20), nullable=False),
        sa.Column("account_number_last4", sa.String(length=4), nullable=False),
        sa.Column("subaccount_code", sa.String(length=100), nullable=False),
        sa.Column("commission_percent", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "commission_percent BETWEEN 0 AND 100", name=op.f("ck_payout_accounts_commission_percent")
        ),
        sa.ForeignKeyConstraint(["artist_id"], ["users.id"], name=op.f("fk_payout_accounts_artist_id_users")),
        sa.PrimaryKeyConstraint("artist_id", name=op.f("pk_payout_accounts")),
    )

    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('failed', 'pending', 'published')", name=op.f("ck_outbox_messages_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_messages_key")),
    )
    op.create_index(op.f("ix_outbox_messages_status"), "outbox_messages", ["status", "created_at", "id"])
    op.create_index(op.f("ix_outbox_messages_created_at"), "outbox_messages", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_messages_created_at"), table_name="outbox_messages")
    op.drop_index(op.f("ix_outbox_messages_status"), table_name="outbox_messages")
    op.drop_table("outbox_messages")
    op.drop_table("payout_accounts")
    op.drop_index(op.f("ix_payment_events_reference"), table_name="payment_events")
    op.drop_table("payment_events")
    op.drop_table("order_status_changes")
    for index in (
        "ix_orders_awaiting_created_at",
        "ix_orders_awaiting_expires_at",
        "ix_orders_artwork_id",
        "ix_orders_artist_id",
        "ix_orders_buyer_id",
        "uq_orders_live_artwork",
    ):
        op.drop_index(op.f(index), table_name="orders")
    op.drop_table("orders")
    op.drop_index(op.f("ix_favorites_artwork_id"), table_name="favorites")
    op.drop_index(op.f("ix_favorites_user_id"), table_name="favorites")
    op.drop_table("favorites")
    op.drop_table("artwork_images")
    for index in (
        "ix_artworks_search_vector",
        "ix_artworks_status",
        "ix_artworks_artist_id",
        "ix_artworks_published_popular",
        "ix_artworks_published_currency_price",
        "ix_artworks_published_price",
        "ix_artworks_published_newest",
    ):
        op.drop_index(op.f(index), table_name="artworks")
    op.drop_table("artworks")
    op.drop_index(op.f("ix_kyc_cases_reviewer_id"), table_name="kyc_cases")
    op.drop_index(op.f("ix_kyc_cases_status"), table_name="kyc_cases")
    op.drop_index(op.f("ix_kyc_cases_artist_id"), table_name="kyc_cases")
    op.drop_table("kyc_cases")
    op.drop_table("artist_profiles")
