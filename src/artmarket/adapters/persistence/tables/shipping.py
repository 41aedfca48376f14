"""Delivery: shipments, their steps and buyers' saved addresses."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from artmarket.adapters.persistence.tables.schema import (
    metadata,
    one_of,
    postal_address,
    status_history,
    where,
)
from artmarket.adapters.persistence.types import (
    StrEnumType,
    UtcDateTime,
)
from artmarket.domain.shipments import DeliveryConfirmer, ShipmentStatus

#: Shipments the artist still has to send, and those on their way (sweepers' partial indexes).
AWAITING_SHIPMENT = f"status = '{ShipmentStatus.AWAITING_SHIPMENT.value}'"
SHIPPED = f"status = '{ShipmentStatus.SHIPPED.value}'"

shipments = Table(
    "shipments",
    metadata,
    # One shipment per paid order of a physical work, under the order's id.
    Column("order_id", Uuid, ForeignKey("orders.id"), primary_key=True),
    Column("artist_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("buyer_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("status", StrEnumType(ShipmentStatus, 32), nullable=False),
    Column("awaiting_since", UtcDateTime, nullable=False),
    Column("carrier", String(100), nullable=True),
    Column("tracking_number", String(100), nullable=True),
    Column("tracking_url", String(500), nullable=True),
    Column("shipped_at", UtcDateTime, nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    Column("confirmed_by", StrEnumType(DeliveryConfirmer, 16), nullable=True),
    Column("problem", Text, nullable=True),
    Column("problem_reported_at", UtcDateTime, nullable=True),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("resolution", Text, nullable=True),
    Column("reminders_sent", Integer, nullable=False),
    # Optimistic lock: the buyer's confirmation and the automatic one cannot both win.
    Column("version", Integer, nullable=False),
    CheckConstraint(one_of("status", ShipmentStatus), name="status"),
    CheckConstraint("reminders_sent >= 0", name="reminders_sent"),
    # The artist's shipments newest first (by status), and the sweepers: reminders, auto-confirmation.
    Index("ix_shipments_artist_id", "artist_id", "awaiting_since", "order_id"),
    Index(None, "buyer_id"),
    Index("ix_shipments_awaiting", "awaiting_since", **where(AWAITING_SHIPMENT)),
    Index("ix_shipments_shipped", "shipped_at", **where(SHIPPED)),
    Index("ix_shipments_status", "status", "awaiting_since"),
)

shipment_steps = status_history("shipment_steps", "shipments.order_id", ShipmentStatus)

saved_addresses = Table(
    "saved_addresses",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("buyer_id", Uuid, ForeignKey("users.id"), nullable=False),
    *postal_address(),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_saved_addresses_buyer_id", "buyer_id", "created_at"),
)
