"""msgspec structs of delivery: artworks' shipping zones, addresses, buyer details, shipments.

Strings that the domain checks (countries, phones, postal codes) are only bounded here, so
a wrong value gets the domain's 422 naming the field rather than a bare 400.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from artmarket.application.checkout_details import AddressInput, BuyerInput
from artmarket.application.order_views import Recipient
from artmarket.application.shipping.ports import SavedAddress
from artmarket.application.shipping.use_cases import ShipmentView
from artmarket.domain.delivery import DeliveryKind, PostalAddress
from artmarket.domain.shipments import Shipment, ShipmentStep
from artmarket.entrypoints.http.catalog_schemas import MoneyIO

Text = Annotated[str, msgspec.Meta(max_length=500)]
ShortText = Annotated[str, msgspec.Meta(max_length=64)]


class AddressIO(msgspec.Struct, forbid_unknown_fields=True):
    """A postal address: the recipient's name, 1 or 2 lines, city, region, postal code, country."""

    name: Text
    lines: Annotated[list[Text], msgspec.Meta(max_length=10)]
    city: Text
    country: ShortText
    region: Text | None = None
    postal_code: ShortText | None = None

    @classmethod
    def of(cls, a: PostalAddress) -> AddressIO:
        return cls(a.name, list(a.lines), a.city, a.country, a.region, a.postal_code)

    def to_input(self) -> AddressInput:
        return AddressInput(self.name, self.lines, self.city, self.country, self.region, self.postal_code)


class BuyerIn(msgspec.Struct, forbid_unknown_fields=True):
    """The buyer's contact details: full name, phone in E.164 (+2348031234567), and an email
    (the account's when left out)."""

    full_name: Text
    phone: ShortText
    email: Annotated[str, msgspec.Meta(max_length=320)] | None = None

    def to_input(self) -> BuyerInput:
        return BuyerInput(self.full_name, self.phone, self.email)


class BuyerOut(msgspec.Struct):
    """The buyer's contact details; the artist sees the name and phone, never the email."""

    full_name: str
    phone: str
    email: str | None


def recipient_parts(recipient: Recipient | None) -> tuple[BuyerOut | None, AddressIO | None]:
    if recipient is None:
        return None, None
    email = str(recipient.email) if recipient.email is not None else None
    address = AddressIO.of(recipient.address) if recipient.address is not None else None
    return BuyerOut(recipient.full_name, recipient.phone, email), address


class ShipmentOut(msgspec.Struct):
    """Where a physical work is: the carrier's tracking and each step's time."""

    status: str
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    awaiting_since: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    confirmed_by: str | None
    problem: str | None
    problem_reported_at: datetime | None
    resolved_at: datetime | None
    resolution: str | None

    @classmethod
    def of(cls, s: Shipment) -> ShipmentOut:
        return cls(
            status=s.status.value,
            carrier=s.carrier,
            tracking_number=s.tracking_number,
            tracking_url=s.tracking_url,
            awaiting_since=s.awaiting_since,
            shipped_at=s.shipped_at,
            delivered_at=s.delivered_at,
            confirmed_by=s.confirmed_by.value if s.confirmed_by else None,
            problem=s.problem,
            problem_reported_at=s.problem_reported_at,
            resolved_at=s.resolved_at,
            resolution=s.resolution,
        )


def shipment_steps(shipment: Shipment | None) -> list[ShipmentStep]:
    return list(shipment.history) if shipment is not None else []


class ShipmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """The carrier, its tracking number and, optionally, the tracking page's URL."""

    carrier: Text
    tracking_number: Text
    tracking_url: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class DeliveryProblemIn(msgspec.Struct, forbid_unknown_fields=True):
    message: Annotated[str, msgspec.Meta(max_length=4000)]


class ShipmentItemOut(msgspec.Struct):
    """One of the artist's shipments; `buyer` and `delivery_address` from payment until 30
    days after delivery, null afterwards."""

    order_id: UUID
    artwork: dict[str, str | None]
    amount: MoneyIO
    shipping: MoneyIO
    paid_at: datetime | None
    shipment: ShipmentOut
    buyer: BuyerOut | None
    delivery_address: AddressIO | None

    @classmethod
    def of(cls, view: ShipmentView) -> ShipmentItemOut:
        buyer, address = recipient_parts(view.recipient)
        order = view.order
        return cls(
            order_id=order.id,
            artwork={"id": str(order.artwork_id), "title": view.artwork.title if view.artwork else None},
            amount=MoneyIO.of(order.amount),
            shipping=MoneyIO.of(order.shipping_fee),
            paid_at=order.paid_at,
            shipment=ShipmentOut.of(view.shipment),
            buyer=buyer,
            delivery_address=address,
        )


class ShipmentList(msgspec.Struct):
    items: list[ShipmentItemOut]
    next_cursor: str | None


class SavedAddressOut(msgspec.Struct):
    id: UUID
    name: str
    lines: list[str]
    city: str
    region: str | None
    postal_code: str | None
    country: str
    created_at: datetime

    @classmethod
    def of(cls, saved: SavedAddress) -> SavedAddressOut:
        a = saved.address
        return cls(
            saved.id, a.name, list(a.lines), a.city, a.region, a.postal_code, a.country, saved.created_at
        )


class SavedAddressList(msgspec.Struct):
    items: list[SavedAddressOut]
    next_cursor: str | None = None


def delivery_kind(order_needs_shipping: bool) -> str:
    return (DeliveryKind.PHYSICAL if order_needs_shipping else DeliveryKind.DIGITAL).value
