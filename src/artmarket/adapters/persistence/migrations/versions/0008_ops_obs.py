"""observability: outbox messages keep the W3C trace context of the work that wrote them

Revision ID: 0008_ops_obs
Revises: 0007_delivery
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_ops_obs"
down_revision: str | None = "0007_delivery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: messages written before this revision simply start a new trace.
    op.add_column("outbox_messages", sa.Column("trace_context", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_column("trace_context")
