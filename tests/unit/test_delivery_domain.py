"""Delivery rules: countries, phones, postal addresses, shipping zones, the order's two prices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from artmarket.domain.catalog import Artwork
from artmarket.domain.countries import InvalidCountryCode
from artmarket.domain.delivery import (
    BuyerContact,
    Delivery,
    DeliveryKind,
    DestinationNotServed,
    InvalidDelivery,
    InvalidPhoneNumber,
    InvalidPostalCode,
    InvalidShippingRates,
    InvalidWeight,
    PostalAddress,
    ShippingRate,
    parse_phone,
    parse_postal_code,
)
from artmarket.domain.errors import InvalidValue
from artmarket.domain.identity import Email
from artmarket.domain.listing import Medium
from artmarket.domain.money import Money
from artmarket.domain.orders import Order, PaymentSplit

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def ngn(amount: int) -> Money:
    return Money.of(amount, "NGN")


def lagos(**changes: object) -> PostalAddress:
    fields: dict[str, object] = {
        "name": "Bola Ade",
        "lines": ["12 Allen Avenue", "Flat 3"],
        "city": "Ikeja",
        "region": "Lagos",
        "postal_code": "100271",
        "country": "NG",
    }
    fields.update(changes)
    return PostalAddress.of(**fields)


def physical(*zones: tuple[list[str], Money], weight: int = 4_000) -> Delivery:
    return Delivery.physical(
        weight_grams=weight, shipping_rates=[ShippingRate.of(countries, price) for countries, price in zones]
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+2348031234567", "+2348031234567"),
        ("+234 803 123-4567", "+2348031234567"),
        ("+1 (415) 555.0100", "+14155550100"),
    ],
)
def test_phone_numbers_are_kept_in_e164(typed: str, stored: str) -> None:
    assert parse_phone(typed) == stored


@pytest.mark.parametrize(
    "wrong", ["08031234567", "+0123456789", "+234", "+12345678901234567", "call me", "", None]
)
def test_a_phone_number_that_is_not_e164_is_refused(wrong: object) -> None:
    with pytest.raises(InvalidPhoneNumber) as error:
        parse_phone(wrong)
    assert error.value.location == "phone"


def test_postal_codes_follow_the_country() -> None:
    assert parse_postal_code("sw1a 1aa", "GB") == "SW1A 1AA"
    assert parse_postal_code("94103-1234", "US") == "94103-1234"
    assert parse_postal_code(None, "NG") is None  # rarely used in Nigeria: optional
    assert parse_postal_code("100271", "NG") == "100271"
    assert parse_postal_code("", "AE") is None  # no postal codes there
    assert parse_postal_code("12-345", "AE") == "12-345"  # anything sensible elsewhere
    for code, country in [
        ("1234", "US"),
        ("ABC", "NG"),
        (None, "US"),
        ("", "DE"),
        ("!!", "AE"),
        ("X" * 11, "AE"),
    ]:
        with pytest.raises(InvalidPostalCode) as error:
            parse_postal_code(code, country)
        assert error.value.location == "postal_code"


def test_an_address_is_tidied_and_every_part_is_checked() -> None:
    address = lagos(name="  Bola \n Ade ", lines=["12  Allen Avenue", "  "], region="  ", country="ng")
    assert address == PostalAddress("Bola Ade", ("12 Allen Avenue",), "Ikeja", None, "100271", "NG")
    for part, wrong in [
        ("name", ""),
        ("lines", []),
        ("lines", "12 Allen Avenue"),
        ("lines", ["a", "b", "c"]),
        ("lines", ["x" * 201]),
        ("city", " "),
        ("region", "r" * 101),
        ("country", "Nigeria"),
    ]:
        with pytest.raises(InvalidValue) as error:
            lagos(**{part: wrong})
        assert error.value.location == part, part
    with pytest.raises(InvalidPostalCode):
        lagos(country="US", postal_code=None)


def test_a_buyer_contact_has_a_name_a_phone_and_an_email() -> None:
    contact = BuyerContact.of(
        full_name=" Bola  Ade ", phone="+234 803 123 4567", email=Email("Bola@Example.com")
    )
    assert contact == BuyerContact("Bola Ade", "+2348031234567", Email("bola@example.com"))
    for part, changes in [
        ("full_name", {"full_name": ""}),
        ("phone", {"phone": "0803"}),
        ("email", {"email": "x"}),
    ]:
        fields: dict[str, object] = {"full_name": "Bola", "phone": "+2348031234567", "email": "b@example.com"}
        fields.update(changes)
        with pytest.raises(InvalidValue) as error:
            BuyerContact.of(**fields)
        assert error.value.location == part
        assert error.value.under("buyer").location == f"buyer.{part}"


def test_digital_is_the_default_and_carries_nothing_to_ship() -> None:
    assert Delivery() == Delivery.digital()
    assert Delivery().kind is DeliveryKind.DIGITAL
    assert not Delivery().is_physical
    with pytest.raises(InvalidDelivery):
        Delivery(DeliveryKind.DIGITAL, weight_grams=100)


def test_a_physical_work_ships_to_exactly_its_zones_at_their_price() -> None:
    delivery = physical((["NG"], ngn(250_000)), (["gh", "KE", "GH"], ngn(900_000)))
    assert delivery.countries == {"NG", "GH", "KE"}
    assert delivery.shipping_rates[1].countries == ("GH", "KE")
    assert delivery.shipping_to("NG") == ngn(250_000)
    assert delivery.shipping_to("KE") == ngn(900_000)
    with pytest.raises(DestinationNotServed) as error:
        delivery.shipping_to("US")
    assert error.value.location == "delivery_address.country"
    assert physical((["NG"], ngn(0))).shipping_to("NG") == ngn(0)  # free shipping is allowed


def test_shipping_zones_are_checked() -> None:
    with pytest.raises(InvalidWeight):
        physical((["NG"], ngn(1)), weight=0)
    with pytest.raises(InvalidShippingRates):
        Delivery.physical(weight_grams=10, shipping_rates=[])
    with pytest.raises(InvalidShippingRates):
        physical((["NG"], ngn(1)), (["NG", "GH"], ngn(2)))  # a country in two zones
    with pytest.raises(InvalidShippingRates):
        physical((["NG"], ngn(1)), (["GH"], Money.of(2, "USD")))
    with pytest.raises(InvalidShippingRates):
        ShippingRate.of([], ngn(1))
    with pytest.raises(InvalidCountryCode):
        ShippingRate.of(["ZZ"], ngn(1))


def _artwork(delivery: Delivery | None, price: Money | None = None) -> Artwork:
    return Artwork.draft(
        id=uuid4(),
        artist_id=uuid4(),
        artist_name="Ada",
        title="Harmattan Light",
        description="",
        medium=Medium.PAINTING,
        price=price or ngn(2_500_000),
        year=None,
        dimensions=None,
        now=NOW,
        delivery=delivery,
    )


def test_an_artwork_charges_shipping_in_its_own_currency() -> None:
    assert _artwork(None).delivery == Delivery()
    artwork = _artwork(physical((["NG"], ngn(250_000))))
    assert artwork.delivery.is_physical
    with pytest.raises(InvalidShippingRates):
        _artwork(physical((["NG"], Money.of(100, "USD"))))
    with pytest.raises(InvalidShippingRates):
        artwork.edit(now=NOW, price=Money.of(100_000, "USD"))  # the rates would be in NGN
    artwork.edit(
        now=NOW,
        price=Money.of(100_000, "USD"),
        delivery=physical((["US"], Money.of(5_000, "USD")), weight=900),
    )
    assert artwork.delivery.shipping_to("US") == Money.of(5_000, "USD")
    artwork.edit(now=NOW, delivery=Delivery())
    assert not artwork.delivery.is_physical


def test_an_order_keeps_the_price_and_the_shipping_apart() -> None:
    contact = BuyerContact.of(full_name="Bola", phone="+2348031234567", email="b@example.com")
    order = Order.place(
        id=uuid4(),
        buyer_id=uuid4(),
        artwork_id=uuid4(),
        artist_id=uuid4(),
        amount=ngn(2_750_000),
        reference="am-1",
        split=PaymentSplit(ngn(2_500_000), ngn(250_000), None),
        now=NOW,
        reservation=timedelta(minutes=15),
        shipping=ngn(250_000),
        buyer_contact=contact,
        delivery_address=lagos(),
    )
    assert (order.price, order.shipping_fee, order.amount) == (ngn(2_500_000), ngn(250_000), ngn(2_750_000))
    assert order.needs_shipping
    digital = Order.place(
        id=uuid4(),
        buyer_id=uuid4(),
        artwork_id=uuid4(),
        artist_id=uuid4(),
        amount=ngn(2_500_000),
        reference="am-2",
        split=PaymentSplit(ngn(2_250_000), ngn(250_000), None),
        now=NOW,
        reservation=timedelta(minutes=15),
    )
    assert (digital.price, digital.shipping_fee, digital.needs_shipping) == (ngn(2_500_000), ngn(0), False)
    with pytest.raises(InvalidValue) as error:
        Order.place(
            id=uuid4(),
            buyer_id=uuid4(),
            artwork_id=uuid4(),
            artist_id=uuid4(),
            amount=ngn(1),
            reference="am-3",
            split=PaymentSplit(ngn(1), ngn(0), None),
            now=NOW,
            reservation=timedelta(minutes=15),
            delivery_address=lagos(),
        )
    assert error.value.location == "buyer"
