"""Value objects kept in several plain columns (money, payment split, delivery, contact, address)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import (
    Composite,
)

from artmarket.domain.delivery import BuyerContact, Delivery, DeliveryKind, PostalAddress, ShippingRate
from artmarket.domain.identity import Email
from artmarket.domain.money import Currency, Money
from artmarket.domain.orders import PaymentSplit

V = TypeVar("V")

#: The columns of a stored address, in `address_columns` order (`ship_to_<part>` on orders).
ADDRESS_PARTS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


class ValueComposite(Composite[V]):
    """`composite()` for a value object whose fields are not its columns one for one.

    `build` makes the value from the column values; `columns_of` takes it apart again in
    the same order (SQLAlchemy's generated accessor only handles a dataclass whose fields
    are exactly its columns).
    """

    def __init__(
        self, build: Callable[..., V], columns_of: Callable[[V], tuple[Any, ...]], *attrs: Any, **kw: Any
    ) -> None:
        super().__init__(build, *attrs, **kw)
        # SQLAlchemy's own hook for taking a value apart (private; set for dataclasses). The
        # order round-trip contract tests would fail if a SQLAlchemy upgrade changed it.
        self._generated_composite_accessor = columns_of


def payment_split(
    artist_share: int, platform_fee: int, subaccount: str | None, currency: Currency
) -> PaymentSplit:
    return PaymentSplit(Money(artist_share, currency), Money(platform_fee, currency), subaccount)


def payment_split_columns(split: PaymentSplit) -> tuple[Any, ...]:
    return (
        split.artist_share.amount,
        split.platform_fee.amount,
        split.subaccount,
        split.artist_share.currency,
    )


def delivery_of(
    kind: DeliveryKind | None, weight: int | None, rates: tuple[ShippingRate, ...] | None
) -> Delivery:
    return Delivery(kind or DeliveryKind.DIGITAL, weight, rates or ())


def delivery_columns(delivery: Delivery) -> tuple[Any, ...]:
    return (delivery.kind, delivery.weight_grams, delivery.shipping_rates or None)


def contact_of(full_name: str, phone: str, email: Email) -> BuyerContact:
    # Read as stored: it was checked when the order was placed.
    return BuyerContact(full_name, phone, email)


def contact_columns(contact: BuyerContact) -> tuple[Any, ...]:
    return (contact.full_name, contact.phone, contact.email)


def address_columns(address: PostalAddress) -> tuple[Any, ...]:
    """(name, line1, line2, city, region, postal code, country) of an address."""
    line2 = address.lines[1] if len(address.lines) > 1 else None
    return (
        address.name,
        address.lines[0],
        line2,
        address.city,
        address.region,
        address.postal_code,
        address.country,
    )


def address_of(
    name: str, line1: str, line2: str | None, city: str, region: str | None, code: str | None, country: str
) -> PostalAddress:
    """The address stored in (name, line1, line2, city, region, postal code, country) columns."""
    return PostalAddress(name, (line1,) if line2 is None else (line1, line2), city, region, code, country)


def none_when_first_is_none(first: object, *_: object) -> bool:
    return first is None
