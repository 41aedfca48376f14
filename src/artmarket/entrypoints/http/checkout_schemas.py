"""msgspec structs of the checkout, order and payment routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from artmarket.application.checkout_details import CheckoutDetails
from artmarket.application.order_views import OrderView, Recipient
from artmarket.application.payments.ports import PaymentGateway
from artmarket.application.payments.records import PayoutAccount
from artmarket.domain.catalog import Artwork
from artmarket.domain.orders import Order
from artmarket.domain.shipments import Shipment
from artmarket.entrypoints.http.catalog_schemas import MoneyIO
from artmarket.entrypoints.http.delivery_schemas import (
    AddressIO,
    BuyerIn,
    BuyerOut,
    ShipmentOut,
    delivery_kind,
    recipient_parts,
    shipment_steps,
)


class OrderCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Buy Now. A physical work needs `buyer` and a delivery address: `delivery_address` in
    full, or `delivery_address_id`, one of the buyer's saved addresses."""

    artwork_id: UUID
    buyer: BuyerIn | None = None
    delivery_address: AddressIO | None = None
    delivery_address_id: UUID | None = None

    def details(self) -> CheckoutDetails:
        return CheckoutDetails(
            buyer=self.buyer.to_input() if self.buyer else None,
            delivery_address=self.delivery_address.to_input() if self.delivery_address else None,
            delivery_address_id=self.delivery_address_id,
        )


class StatusChangeOut(msgspec.Struct):
    """One step of the order: its payment and certificate (`kind` order) and, for a physical
    work, its shipment (`kind` shipment), in time order, each step once."""

    status: str
    at: datetime
    note: str | None = None
    kind: str = "order"


def status_history(order: Order, shipment: Shipment | None) -> list[StatusChangeOut]:
    steps = [StatusChangeOut(c.status.value, c.at, c.note) for c in order.history]
    steps += [StatusChangeOut(s.status.value, s.at, s.note, "shipment") for s in shipment_steps(shipment)]
    # Stable: at one instant the order's own step (paid) comes before the shipment's.
    return sorted(steps, key=lambda step: step.at)


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
    #: `amount` is `price` + `shipping` (zero for a digital work).
    price: MoneyIO | None = None
    shipping: MoneyIO | None = None
    delivery: str = "digital"
    shipment: ShipmentOut | None = None
    #: Shown to the buyer, and to the artist from payment until 30 days after delivery.
    buyer_details: BuyerOut | None = None
    delivery_address: AddressIO | None = None
    #: The print of a limited edition this order holds (null for a unique work, and once an
    #: unpaid order lapsed: its number went back on sale).
    edition_number: int | None = None

    @classmethod
    def of_view(cls, view: OrderView, *, gateway: PaymentGateway | None = None) -> OrderOut:
        return cls.of(view.order, view.artwork, view.shipment, view.recipient, gateway=gateway)

    @classmethod
    def of(
        cls,
        order: Order,
        artwork: Artwork | None,
        shipment: Shipment | None = None,
        recipient: Recipient | None = None,
        *,
        gateway: PaymentGateway | None = None,
    ) -> OrderOut:
        """The order's answer; with `gateway`, its payment link is the current one (what a buyer
        follows to pay), else the link as issued."""
        buyer_details, address = recipient_parts(recipient)
        payment_url = (
            gateway.checkout_url(order.reference, order.authorization_url)
            if gateway is not None
            else order.authorization_url
        )
        return cls(
            id=order.id,
            artwork=OrderArtwork(order.artwork_id, artwork.title if artwork else None, order.artist_id),
            buyer=order.buyer_id,
            amount=MoneyIO.of(order.amount),
            status=order.status.value,
            status_history=status_history(order, shipment),
            payment=PaymentOut("paystack", order.reference, order.paid_at, payment_url),
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
            price=MoneyIO.of(order.price),
            shipping=MoneyIO.of(order.shipping_fee),
            delivery=delivery_kind(order.needs_shipping),
            shipment=ShipmentOut.of(shipment) if shipment is not None else None,
            buyer_details=buyer_details,
            delivery_address=address,
            edition_number=order.edition_number,
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


class CheckoutStatusOut(msgspec.Struct):
    """The return from the checkout for anyone but the order's buyer: the status, nothing personal."""

    status: str


class WebhookAck(msgspec.Struct):
    status: str
    duplicate: bool
