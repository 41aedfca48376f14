"""minting: mint jobs and their batches (signed transactions), certificates, leases; the
index of paid orders awaiting minting

Revision ID: 0003_minting
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_minting"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAID = "status = 'paid'"


def upgrade() -> None:
    op.create_index(
        op.f("ix_orders_paid_paid_at"),
        "orders",
        ["paid_at"],
        postgresql_where=sa.text(PAID),
        sqlite_where=sa.text(PAID),
    )

    op.create_table(
        "mint_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("artwork", sa.JSON(), nullable=True),
        sa.Column("metadata_uri", sa.String(length=100), nullable=True),
        sa.Column("metadata_document", sa.LargeBinary(), nullable=True),
        sa.Column("token_id", sa.String(length=32), nullable=True),
        sa.Column("transaction_id", sa.String(length=64), nullable=True),
        sa.Column("transaction_valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("serial", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('failed', 'queued', 'submitted', 'succeeded')", name=op.f("ck_mint_jobs_status")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_mint_jobs_attempts")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_mint_jobs_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mint_jobs")),
        sa.UniqueConstraint("order_id", name=op.f("uq_mint_jobs_order_id")),
    )
    op.create_index(op.f("ix_mint_jobs_status"), "mint_jobs", ["status", "created_at", "id"])
    op.create_index(op.f("ix_mint_jobs_created_at"), "mint_jobs", ["created_at"])
    op.create_index(op.f("ix_mint_jobs_transaction_id"), "mint_jobs", ["transaction_id"])

    op.create_table(
        "mint_batches",
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("token_id", sa.String(length=32), nullable=False),
        sa.Column("job_ids", sa.JSON(), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_bytes", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("transaction_id", name=op.f("pk_mint_batches")),
    )

    op.create_table(
        "certificates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("artwork_id", sa.Uuid(), nullable=False),
        sa.Column("artwork_title", sa.String(length=200), nullable=False),
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("artist_name", sa.String(length=200), nullable=False),
        sa.Column("medium", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("dimensions", sa.String(length=64), nullable=True),
        sa.Column("image_uri", sa.String(length=200), nullable=True),
        sa.Column("image_type", sa.String(length=64), nullable=False),
        sa.Column("network", sa.String(length=32), nullable=False),
        sa.Column("token_id", sa.String(length=32), nullable=False),
        sa.Column("serial", sa.BigInteger(), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("metadata_uri", sa.String(length=100), nullable=False),
        sa.Column("metadata_document", sa.LargeBinary(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("serial > 0", name=op.f("ck_certificates_serial_positive")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_certificates_order_id_orders")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_certificates_owner_id_users")),
        sa.ForeignKeyConstraint(
            ["artwork_id"], ["artworks.id"], name=op.f("fk_certificates_artwork_id_artworks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("order_id", name=op.f("uq_certificates_order_id")),
        sa.UniqueConstraint("token_id", "serial", name=op.f("uq_certificates_token_id")),
    )
    op.create_index(op.f("ix_certificates_owner_id"), "certificates", ["owner_id", "issued_at", "id"])

    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )


def downgrade() -> None:
    op.drop_table("leases")
    op.drop_index(op.f("ix_certificates_owner_id"), table_name="certificates")
    op.drop_table("certificates")
    op.drop_table("mint_batches")
    for index in ("ix_mint_jobs_transaction_id", "ix_mint_jobs_created_at", "ix_mint_jobs_status"):
        op.drop_index(op.f(index), table_name="mint_jobs")
    op.drop_table("mint_jobs")
    op.drop_index(op.f("ix_orders_paid_paid_at"), table_name="orders")
