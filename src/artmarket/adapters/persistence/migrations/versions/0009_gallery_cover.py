"""gallery: artworks carry a copy of their cover thumbnail, so a gallery card needs no join;
the search index keeps no pending list

Revision ID: 0009_gallery_cover
Revises: 0008_ops_obs
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_gallery_cover"
down_revision: str | None = "0008_ops_obs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COVER = ("cover_thumbnail_key", "cover_width", "cover_height")


def upgrade() -> None:
    op.add_column("artworks", sa.Column("cover_thumbnail_key", sa.String(length=500), nullable=True))
    op.add_column("artworks", sa.Column("cover_width", sa.Integer(), nullable=True))
    op.add_column("artworks", sa.Column("cover_height", sa.Integer(), nullable=True))
    # Correlated subqueries rather than UPDATE ... FROM: the same statement on both databases.
    op.execute(
        """
        UPDATE artworks SET
            cover_thumbnail_key = (SELECT i.thumbnail_key FROM artwork_images i
                                   WHERE i.artwork_id = artworks.id AND i.position = 0),
            cover_width = (SELECT i.width FROM artwork_images i
                           WHERE i.artwork_id = artworks.id AND i.position = 0),
            cover_height = (SELECT i.height FROM artwork_images i
                            WHERE i.artwork_id = artworks.id AND i.position = 0)
        """
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_artworks_search_vector SET (fastupdate = off)")
        # Entries already waiting in the pending list move into the index proper.
        op.execute("SELECT gin_clean_pending_list('ix_artworks_search_vector')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_artworks_search_vector RESET (fastupdate)")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of artworks cannot recreate its
    # generated search column.
    for column in reversed(_COVER):
        op.drop_column("artworks", column)
