"""msgspec structs of the checkout, order and payment routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from artmarket.application.checkout.ports import PayoutAccount
from artmarket.domain.catalog import Artwork
from artmarket.domain.orders import Order
from artmarket.entrypoints.http.catalog_schemas import MoneyIO


class OrderCreate(msgspec.Struct):
    artwork_id: UUID
    buyer: dict[str, Any] | None = None
    delivery_address: dict[str, Any] | None = None


class StatusChangeOut(msgspec.Struct):
    status: str
    at: datetime
    note: str | None = None


class OrderArtwork(msgspec.Struct):
    id: UUID
    title: str | None
    artist_id: UUID


class PaymentOut(msgspec.Struct):
    provider: str
    reference: str
    paid_at: datetime | None
    authorization_url: str | None


class SplitOut(msgspec.Struct):
    artist_share: MoneyIO
    platform_fee: MoneyIO
    subaccount: str | None


class OrderOut(msgspec.Struct):
    id: UUID
    artwork: OrderArtwork
    buyer: UUID
    amount: MoneyIO
    status: str
    status_history: list[StatusChangeOut]
    payment: PaymentOut
    split: SplitOut
    certificate_id: UUID | None
    expires_at: datetime
    created_at: datetime
    needs_attention: str | None = None
    refund_reason: str | None = None
    refund_status: str | None = None

    @classmethod
    def of(cls, order: Order, artwork: Artwork | None) -> OrderOut:
        return cls(
            id=order.id,
            artwork=OrderArtwork(order.artwork_id, artwork.title if artwork else None, order.artist_id),
            buyer=order.buyer_id,
            amount=MoneyIO.of(order.amount),
            status=order.status.value,
            status_history=[StatusChangeOut(c.status.value, c.at, c.note) for c in order.history],
            payment=PaymentOut("paystack", order.reference, order.paid_at, order.authorization_url),
            split=SplitOut(
                MoneyIO.of(order.split.artist_share),
                MoneyIO.of(order.split.platform_fee),
                order.split.subaccount,
            ),
            certificate_id=order.certificate_id,
            expires_at=order.expires_at,
            created_at=order.created_at,
            needs_attention=order.attention,
            refund_reason=order.refund_reason,
            refund_status=order.refund_status.value if order.refund_status else None,
        )


class CheckoutPayment(msgspec.Struct):
    provider: str
    reference: str
    authorization_url: str | None


class PlacedOrderOut(msgspec.Struct):
    order: OrderOut
    payment: CheckoutPayment


class OrderList(msgspec.Struct):
    items: list[OrderOut]
    next_cursor: str | None


class PayoutAccountIn(msgspec.Struct, forbid_unknown_fields=True):
    bank_code: Annotated[str, msgspec.Meta(min_length=1, max_length=10, pattern="^[0-9]+$")]
    account_number: Annotated[str, msgspec.Meta(min_length=6, max_length=20, pattern="^[0-9]+$")]


class PayoutAccountOut(msgspec.Struct):
    bank_code: str
    account_number_last4: str
    subaccount_code: str
    commission_percent: int
    updated_at: datetime

    @classmethod
    def of(cls, a: PayoutAccount) -> PayoutAccountOut:
        return cls(a.bank_code, a.account_number_last4, a.subaccount_code, a.commission_percent, a.updated_at)


class WebhookAck(msgspec.Struct):
    status: str
    duplicate: bool
