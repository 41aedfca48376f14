"""delivery: artworks' delivery (digital or physical with shipping zones), orders' shipping,
buyer contact and address, shipments with their steps, saved addresses

Revision ID: 0007_delivery
Revises: 0006_admin
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_delivery"
down_revision: str | None = "0006_admin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHIPMENT_STATUSES = "status IN ('awaiting_shipment', 'delivered', 'delivery_problem', 'resolved', 'shipped')"
AWAITING = "status = 'awaiting_shipment'"
SHIPPED = "status = 'shipped'"
SHIPPING_CHECK = "shipping_amount >= 0 AND shipping_amount <= amount"
ORDER_COLUMNS = (
    ("buyer_full_name", 200),
    ("buyer_phone", 16),
    ("buyer_email", 254),
    ("ship_to_name", 200),
    ("ship_to_line1", 200),
    ("ship_to_line2", 200),
    ("ship_to_city", 100),
    ("ship_to_region", 100),
    ("ship_to_postal_code", 16),
    ("ship_to_country", 2),
)


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): SQLite keeps the generated search column and the
    # partial indexes as they are. Every existing work is digital, every order unshipped.
    op.add_column(
        "artworks",
        sa.Column("delivery_kind", sa.String(length=16), server_default=sa.text("'digital'"), nullable=False),
    )
    op.add_column("artworks", sa.Column("weight_grams", sa.Integer(), nullable=True))
    op.add_column("artworks", sa.Column("shipping_rates", sa.JSON(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        op.add_column(
            "orders",
            sa.Column("shipping_amount", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        )
        op.create_check_constraint(op.f("ck_orders_shipping"), "orders", SHIPPING_CHECK)
    else:
        # SQLite adds a CHECK only as part of the new column's definition.
        op.execute(
            "ALTER TABLE orders ADD COLUMN shipping_amount BIGINT DEFAULT 0 NOT NULL "
            f"CONSTRAINT ck_orders_shipping CHECK ({SHIPPING_CHECK})"
        )
    for name, length in ORDER_COLUMNS:
        op.add_column("orders", sa.Column(name, sa.String(length=length), nullable=True))

    op.create_table(
        "shipments",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("artist_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("awaiting_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("carrier", sa.String(length=100), nullable=True),
        sa.Column("tracking_number", sa.String(length=100), nullable=True),
        sa.Column("tracking_url", sa.String(length=500), nullable=True),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.String(length=16), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("problem_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(SHIPMENT_STATUSES, name=op.f("ck_shipments_status")),
        sa.CheckConstraint("reminders_sent >= 0", name=op.f("ck_shipments_reminders_sent")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_shipments_order_id_orders")),
        sa.ForeignKeyConstraint(["artist_id"], ["users.id"], name=op.f("fk_shipments_artist_id_users")),
        sa.ForeignKeyConstraint(["buyer_id"], ["users.id"], name=op.f("fk_shipments_buyer_id_users")),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_shipments")),
    )
    op.create_index(op.f("ix_shipments_artist_id"), "shipments", ["artist_id", "awaiting_since", "order_id"])
    op.create_index(op.f("ix_shipments_buyer_id"), "shipments", ["buyer_id"])
    op.create_index(
        op.f("ix_shipments_awaiting"),
        "shipments",
        ["awaiting_since"],
        postgresql_where=sa.text(AWAITING),
        sqlite_where=sa.text(AWAITING),
    )
    op.create_index(
        op.f("ix_shipments_shipped"),
        "shipments",
        ["shipped_at"],
        postgresql_where=sa.text(SHIPPED),
        sqlite_where=sa.text(SHIPPED),
    )
    op.create_index(op.f("ix_shipments_status"), "shipments", ["status", "awaiting_since"])

    op.create_table(
        "shipment_steps",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(SHIPMENT_STATUSES, name=op.f("ck_shipment_steps_status")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["shipments.order_id"], name=op.f("fk_shipment_steps_order_id_shipments")
        ),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_shipment_steps")),
    )

    op.create_table(
        "saved_addresses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("line1", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("postal_code", sa.String(length=16), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["buyer_id"], ["users.id"], name=op.f("fk_saved_addresses_buyer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_addresses")),
    )
    op.create_index(op.f("ix_saved_addresses_buyer_id"), "saved_addresses", ["buyer_id", "created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_saved_addresses_buyer_id"), table_name="saved_addresses")
    op.drop_table("saved_addresses")
    op.drop_table("shipment_steps")
    for index in ("ix_shipments_status", "ix_shipments_shipped", "ix_shipments_awaiting"):
        op.drop_index(op.f(index), table_name="shipments")
    op.drop_index(op.f("ix_shipments_buyer_id"), table_name="shipments")
    op.drop_index(op.f("ix_shipments_artist_id"), table_name="shipments")
    op.drop_table("shipments")
    for name, _ in reversed(ORDER_COLUMNS):
        op.drop_column("orders", name)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_orders_shipping"), "orders", type_="check")
    op.drop_column("orders", "shipping_amount")
    op.drop_column("artworks", "shipping_rates")
    op.drop_column("artworks", "weight_grams")
    op.drop_column("artworks", "delivery_kind")
