"""editions and drops: artworks gain an edition (unique or limited), its counts and an opening
time; orders and certificates carry the edition number

Revision ID: 0013_editions
Revises: 0012_certificate_life
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013_editions"
down_revision: str | None = "0012_certificate_life"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the predicates in `tables.orders`: a migration never changes with the code.
LIVE_ORDER = "status IN ('awaiting_payment', 'completed', 'minting', 'paid')"
UNIQUE_WORK_LIVE_ORDER = f"{LIVE_ORDER} AND edition_number IS NULL"
HOLDS_A_NUMBER = "edition_number IS NOT NULL"
_ARTWORK_COLUMNS = (
    "edition_kind",
    "edition_size",
    "edition_artist_proofs",
    "edition_available",
    "edition_sold",
    "available_from",
)


def _where(predicate: str) -> dict[str, Any]:
    return {"postgresql_where": sa.text(predicate), "sqlite_where": sa.text(predicate)}


def upgrade() -> None:
    # Every existing work is unique, on sale as soon as it is published.
    op.add_column(
        "artworks", sa.Column("edition_kind", sa.String(length=16), nullable=False, server_default="unique")
    )
    op.add_column(
        "artworks", sa.Column("edition_size", sa.Integer(), nullable=False, server_default=sa.text("1"))
    )
    op.add_column(
        "artworks",
        sa.Column("edition_artist_proofs", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.add_column("artworks", sa.Column("edition_available", sa.Integer(), nullable=True))
    op.add_column("artworks", sa.Column("edition_sold", sa.Integer(), nullable=True))
    op.add_column("artworks", sa.Column("available_from", sa.DateTime(timezone=True), nullable=True))
    op.add_column("orders", sa.Column("edition_number", sa.Integer(), nullable=True))
    op.drop_index("uq_orders_live_artwork", table_name="orders")
    op.create_index(
        "uq_orders_live_artwork", "orders", ["artwork_id"], unique=True, **_where(UNIQUE_WORK_LIVE_ORDER)
    )
    op.create_index(
        "uq_orders_edition_number",
        "orders",
        ["artwork_id", "edition_number"],
        unique=True,
        **_where(HOLDS_A_NUMBER),
    )
    op.add_column("certificates", sa.Column("edition_number", sa.Integer(), nullable=True))
    op.add_column("certificates", sa.Column("edition_size", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("certificates", "edition_size")
    op.drop_column("certificates", "edition_number")
    op.drop_index("uq_orders_edition_number", table_name="orders")
    op.drop_index("uq_orders_live_artwork", table_name="orders")
    # Only a database without edition orders goes back: a unique work has one live order.
    op.create_index("uq_orders_live_artwork", "orders", ["artwork_id"], unique=True, **_where(LIVE_ORDER))
    op.drop_column("orders", "edition_number")
    for column in reversed(_ARTWORK_COLUMNS):
        op.drop_column("artworks", column)
