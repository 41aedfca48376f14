"""artist slugs: every artist profile gets a unique slug, its page's address, and may have a photo

Revision ID: 0014_artist_slugs
Revises: 0013_editions
Create Date: 2026-12-08
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_artist_slugs"
down_revision: str | None = "0013_editions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of `domain.artist_slugs`: a migration never changes with the code.
SLUG_MAX_LENGTH = 60
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def _base(display_name: str) -> str:
    folded = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode("ascii")
    words = _SEPARATORS.sub("-", folded.lower()).strip("-")
    return words[:SLUG_MAX_LENGTH].rstrip("-") or "artist"


def _numbered(base: str, number: int) -> str:
    if number <= 1:
        return base
    suffix = f"-{number}"
    return base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix


def upgrade() -> None:
    op.add_column("artist_profiles", sa.Column("slug", sa.String(length=60), nullable=True))
    profiles = sa.table(
        "artist_profiles",
        sa.column("user_id", sa.Uuid()),
        sa.column("display_name", sa.String()),
        sa.column("slug", sa.String()),
    )
    connection = op.get_bind()
    taken: set[str] = set()
    # The oldest accounts' ids first is as good an order as any: it is fixed, so a rerun agrees.
    rows = connection.execute(
        sa.select(profiles.c.user_id, profiles.c.display_name).order_by(profiles.c.user_id)
    )
    for user_id, display_name in rows.all():
        base = _base(display_name)
        number = 1
        while _numbered(base, number) in taken:
            number += 1
        slug = _numbered(base, number)
        taken.add(slug)
        connection.execute(sa.update(profiles).where(profiles.c.user_id == user_id).values(slug=slug))
    with op.batch_alter_table("artist_profiles") as batch:
        batch.alter_column("slug", existing_type=sa.String(length=60), nullable=False)
        batch.create_unique_constraint("uq_artist_profiles_slug", ["slug"])
    op.add_column("artist_profiles", sa.Column("photo_key", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("artist_profiles") as batch:
        batch.drop_column("photo_key")
        batch.drop_constraint("uq_artist_profiles_slug", type_="unique")
        batch.drop_column("slug")
