"""outbox versions: each message row records the version of the message class that wrote it

Revision ID: 0011_outbox_versions
Revises: 0010_reservation_caps
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_outbox_versions"
down_revision: str | None = "0010_reservation_caps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows written before messages were typed are all version 1: the server default says so.
    op.add_column(
        "outbox_messages", sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_column("version")
