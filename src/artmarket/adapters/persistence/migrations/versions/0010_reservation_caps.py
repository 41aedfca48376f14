"""reservation caps: orders remember who placed them (a keyed hash of the client address), and
placements for one holder take their turn on a lock row

Revision ID: 0010_reservation_caps
Revises: 0009_gallery_cover
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_reservation_caps"
down_revision: str | None = "0009_gallery_cover"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AWAITING_PAYMENT = sa.text("status = 'awaiting_payment'")


def upgrade() -> None:
    op.add_column("orders", sa.Column("client_tag", sa.String(length=32), nullable=True))
    op.create_index(
        "ix_orders_awaiting_client_tag",
        "orders",
        ["client_tag"],
        postgresql_where=_AWAITING_PAYMENT,
        sqlite_where=_AWAITING_PAYMENT,
    )
    op.create_table(
        "placement_locks",
        sa.Column("holder", sa.String(length=80), nullable=False),
        sa.Column("last_placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("holder", name=op.f("pk_placement_locks")),
    )


def downgrade() -> None:
    op.drop_table("placement_locks")
    op.drop_index("ix_orders_awaiting_client_tag", table_name="orders")
    # Plain DROP COLUMN (SQLite 3.35+), as in 0009.
    op.drop_column("orders", "client_tag")
