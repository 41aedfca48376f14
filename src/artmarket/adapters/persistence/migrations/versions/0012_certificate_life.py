"""certificate life: certificates gain a public code, a status (revocation), custody and the
owner's name choice; provenance entries, ledger tasks and their signed transactions

Revision ID: 0012_certificate_life
Revises: 0011_outbox_versions
Create Date: 2026-12-07
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_certificate_life"
down_revision: str | None = "0011_outbox_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of `domain.custody`'s alphabet and length: a migration never changes with the code.
_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_CODE_LENGTH = 12
_NEW_COLUMNS = (
    "public_code",
    "status",
    "revoked_at",
    "revocation_reason",
    "custody",
    "custody_account",
    "shows_owner_name",
    "version",
)


def _new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))


def upgrade() -> None:
    # Existing certificates are valid, held by the platform, private, at version 1.
    op.add_column("certificates", sa.Column("public_code", sa.String(length=16), nullable=True))
    op.add_column(
        "certificates", sa.Column("status", sa.String(length=16), nullable=False, server_default="valid")
    )
    op.add_column("certificates", sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("certificates", sa.Column("revocation_reason", sa.String(length=16), nullable=True))
    op.add_column(
        "certificates", sa.Column("custody", sa.String(length=16), nullable=False, server_default="platform")
    )
    op.add_column("certificates", sa.Column("custody_account", sa.String(length=32), nullable=True))
    op.add_column(
        "certificates",
        sa.Column("shows_owner_name", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "certificates", sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
    )
    _backfill_public_codes()
    with op.batch_alter_table("certificates") as batch:
        batch.alter_column("public_code", existing_type=sa.String(length=16), nullable=False)
        # The defaults only served the rows above; new rows always carry their values.
        batch.alter_column("status", existing_type=sa.String(length=16), server_default=None)
        batch.alter_column("custody", existing_type=sa.String(length=16), server_default=None)
        batch.create_unique_constraint(op.f("uq_certificates_public_code"), ["public_code"])
        batch.create_check_constraint(op.f("ck_certificates_status"), "status IN ('revoked', 'valid')")
        batch.create_check_constraint(
            op.f("ck_certificates_custody"), "custody IN ('pending_claim', 'platform', 'wallet')"
        )

    op.create_table(
        "provenance_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            "event IN ('claimed', 'issued', 'revoked', 'transferred')",
            name=op.f("ck_provenance_entries_event"),
        ),
        sa.CheckConstraint("position > 0", name=op.f("ck_provenance_entries_position_positive")),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_provenance_entries_certificate_id_certificates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provenance_entries")),
        sa.UniqueConstraint("certificate_id", "position", name=op.f("uq_provenance_entries_certificate_id")),
    )
    op.create_table(
        "ledger_tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dedupe_key", sa.String(length=128), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("transaction_id", sa.String(length=64), nullable=True),
        sa.Column("transaction_valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consensus_timestamp", sa.String(length=32), nullable=True),
        sa.Column("sequence_number", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('airdrop', 'burn', 'cancel_airdrop', 'record', 'transfer')",
            name=op.f("ck_ledger_tasks_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('failed', 'queued', 'submitted', 'succeeded')", name=op.f("ck_ledger_tasks_status")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_ledger_tasks_attempts")),
        sa.ForeignKeyConstraint(
            ["certificate_id"], ["certificates.id"], name=op.f("fk_ledger_tasks_certificate_id_certificates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_tasks")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_ledger_tasks_dedupe_key")),
    )
    op.create_index(op.f("ix_ledger_tasks_status"), "ledger_tasks", ["status", "created_at", "id"])
    op.create_index(op.f("ix_ledger_tasks_certificate_id"), "ledger_tasks", ["certificate_id"])
    op.create_index(op.f("ix_ledger_tasks_transaction_id"), "ledger_tasks", ["transaction_id"])
    op.create_table(
        "ledger_transactions",
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_bytes", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('airdrop', 'burn', 'cancel_airdrop', 'topic_message', 'transfer')",
            name=op.f("ck_ledger_transactions_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["ledger_tasks.id"], name=op.f("fk_ledger_transactions_task_id_ledger_tasks")
        ),
        sa.PrimaryKeyConstraint("transaction_id", name=op.f("pk_ledger_transactions")),
    )
    op.create_index(op.f("ix_ledger_transactions_task_id"), "ledger_transactions", ["task_id"])


def _backfill_public_codes() -> None:
    """Each certificate issued before codes existed gets its own random, unique code."""
    certificates = sa.table("certificates", sa.column("id", sa.Uuid()), sa.column("public_code", sa.String()))
    bind = op.get_bind()
    ids = bind.execute(sa.select(certificates.c.id)).scalars().all()
    codes: set[str] = set()
    for certificate_id in ids:
        code = _new_code()
        while code in codes:  # about 59 bits: a repeat is all but impossible, never accepted
            code = _new_code()
        codes.add(code)
        bind.execute(
            sa.update(certificates).where(certificates.c.id == certificate_id).values(public_code=code)
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_ledger_transactions_task_id"), table_name="ledger_transactions")
    op.drop_table("ledger_transactions")
    op.drop_index(op.f("ix_ledger_tasks_transaction_id"), table_name="ledger_tasks")
    op.drop_index(op.f("ix_ledger_tasks_certificate_id"), table_name="ledger_tasks")
    op.drop_index(op.f("ix_ledger_tasks_status"), table_name="ledger_tasks")
    op.drop_table("ledger_tasks")
    op.drop_table("provenance_entries")
    with op.batch_alter_table("certificates") as batch:
        batch.drop_constraint(op.f("ck_certificates_custody"), type_="check")
        batch.drop_constraint(op.f("ck_certificates_status"), type_="check")
        batch.drop_constraint(op.f("uq_certificates_public_code"), type_="unique")
        for column in reversed(_NEW_COLUMNS):
            batch.drop_column(column)
