"""Checkout: orders, their status history, payment events, payout accounts and placement locks."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from artmarket.adapters.persistence.tables.schema import (
    metadata,
    one_of,
    postal_address,
    status_history,
    where,
)
from artmarket.adapters.persistence.types import (
    CurrencyType,
    EmailType,
    StrEnumType,
    UtcDateTime,
)
from artmarket.domain.order_lifecycle import LIVE_STATUSES, OrderStatus, RefundStatus

#: Orders that hold their artwork (`LIVE_STATUSES`): at most one per artwork.
LIVE_ORDER = one_of("status", LIVE_STATUSES)
AWAITING_PAYMENT = f"status = '{OrderStatus.AWAITING_PAYMENT.value}'"
PAID = f"status = '{OrderStatus.PAID.value}'"


orders = Table(
    "orders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("buyer_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("artwork_id", Uuid, ForeignKey("artworks.id"), nullable=False),
    Column("artist_id", Uuid, ForeignKey("users.id"), nullable=False),
    # Money in minor units; the split is in the order's currency.
    Column("amount", BigInteger, nullable=False),
    Column("currency", CurrencyType, nullable=False),
    Column("artist_share_amount", BigInteger, nullable=False),
    Column("platform_fee_amount", BigInteger, nullable=False),
    Column("subaccount", String(100), nullable=True),
    Column("reference", String(100), nullable=False),
    Column("status", StrEnumType(OrderStatus, 32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("paid_at", UtcDateTime, nullable=True),
    # The certificate minted for the order (its table comes with minting).
    Column("certificate_id", Uuid, nullable=True),
    Column("attention", Text, nullable=True),
    Column("refund_reason", Text, nullable=True),
    # How far the provider is with the refund (refund.* webhooks move it forward).
    Column("refund_status", StrEnumType(RefundStatus, 32), nullable=True),
    Column("authorization_url", Text, nullable=True),
    # The buyer's Idempotency-Key and a fingerprint of the request that first used it.
    Column("idempotency_key", String(255), nullable=True),
    Column("request_fingerprint", String(64), nullable=True),
    # Optimistic lock: the webhook and the buyer's return cannot both pay one order.
    Column("version", Integer, nullable=False),
    # The shipping part of `amount` (the artwork's price is the rest); 0 for digital works.
    Column("shipping_amount", BigInteger, nullable=False, server_default=text("0")),
    # The buyer's contact details, given at checkout (required for physical works).
    Column("buyer_full_name", String(200), nullable=True),
    Column("buyer_phone", String(16), nullable=True),
    Column("buyer_email", EmailType, nullable=True),
    # Where a physical work is delivered: all NULL for digital works.
    *postal_address("ship_to_", optional=True),
    # Who placed it, as a keyed hash of the client address (never the address itself): live
    # reservations are capped per address as well as per account. NULL for older orders.
    Column("client_tag", String(32), nullable=True),
    # The print of a limited edition the order holds: set while it awaits payment, is paid, or
    # was refunded (retired); NULL for a unique work and once a reservation lapsed.
    Column("edition_number", Integer, nullable=True),
    UniqueConstraint("reference"),
    UniqueConstraint("buyer_id", "idempotency_key", name="uq_orders_idempotency_key"),
    CheckConstraint(one_of("status", OrderStatus), name="status"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint(
        "artist_share_amount >= 0 AND platform_fee_amount >= 0"
        " AND artist_share_amount + platform_fee_amount = amount",
        name="split",
    ),
    CheckConstraint("shipping_amount >= 0 AND shipping_amount <= amount", name="shipping"),
    # THE rule of checkout: at most one live order per unique artwork, whoever races for it,
    # and one order per number of a limited edition (a refunded one keeps its number retired).
    Index(
        "uq_orders_live_artwork",
        "artwork_id",
        unique=True,
        **where(f"{LIVE_ORDER} AND edition_number IS NULL"),
    ),
    Index(
        "uq_orders_edition_number",
        "artwork_id",
        "edition_number",
        unique=True,
        **where("edition_number IS NOT NULL"),
    ),
    Index("ix_orders_buyer_id", "buyer_id", "created_at", "id"),
    # The admin console's orders table, newest first, and the artist's sales.
    Index("ix_orders_created_at", "created_at", "id"),
    Index(None, "artist_id"),
    Index(None, "artwork_id"),
    # Sweepers: reservations that lapsed, and payments whose webhook may have been lost.
    Index("ix_orders_awaiting_expires_at", "expires_at", **where(AWAITING_PAYMENT)),
    Index("ix_orders_awaiting_created_at", "created_at", **where(AWAITING_PAYMENT)),
    Index("ix_orders_awaiting_client_tag", "client_tag", **where(AWAITING_PAYMENT)),
    # Minting's sweeper: paid orders whose OrderPaid message was lost.
    Index("ix_orders_paid_paid_at", "paid_at", **where(PAID)),
)

order_status_changes = status_history("order_status_changes", "orders.id", OrderStatus)

payment_events = Table(
    "payment_events",
    metadata,
    # The provider's event key: a redelivered event finds its row and is ignored.
    Column("key", String(255), primary_key=True),
    Column("provider", String(32), nullable=False),
    Column("event", String(100), nullable=False),
    Column("reference", String(100), nullable=True, index=True),
    Column("payload", JSON, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)

payout_accounts = Table(
    "payout_accounts",
    metadata,
    Column("artist_id", Uuid, ForeignKey("users.id"), primary_key=True),
    Column("bank_code", String(20), nullable=False),
    Column("account_number_last4", String(4), nullable=False),
    Column("subaccount_code", String(100), nullable=False),
    Column("commission_percent", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("commission_percent BETWEEN 0 AND 100", name="commission_percent"),
)


placement_locks = Table(
    "placement_locks",
    metadata,
    # One row per account, client address or artwork that ever had an order placed: a
    # placement writes its rows first, so placements for the same holder count its open
    # orders one at a time, and a limited edition's numbers change one writer at a time.
    Column("holder", String(80), primary_key=True),
    Column("last_placed_at", UtcDateTime, nullable=False),
)
