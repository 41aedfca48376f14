"""Delivery: how a work reaches its buyer, who the buyer is and where the work goes.

An artwork is delivered digitally (by its certificate alone, the default) or physically:
then it has a weight and ships to exactly the countries listed in its shipping rates, one
price per zone of countries, in the artwork's currency. A buyer of a physical work gives
their contact details (full name, phone in E.164, email) and a postal address.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from artmarket.domain.countries import parse_country
from artmarket.domain.errors import InvalidValue
from artmarket.domain.identity import Email
from artmarket.domain.money import Money

#: Postal codes where their format is well known: (pattern of the normalised code, required).
#: Elsewhere a code is optional and, when given, 2 to 10 letters, digits, spaces or hyphens.
#: Nigeria, Kenya and Ghana have codes that few people use, so they stay optional there.
POSTAL_CODES: Final[dict[str, tuple[re.Pattern[str], bool]]] = {
    country: (re.compile(pattern), required)
    for country, pattern, required in (
        ("US", r"\d{5}(-\d{4})?", True),
        ("CA", r"[A-Z]\d[A-Z] ?\d[A-Z]\d", True),
        ("GB", r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", True),
        ("IE", r"[A-Z]\d[\dW] ?[A-Z\d]{4}", True),
        ("DE", r"\d{5}", True),
        ("FR", r"\d{5}", True),
        ("IT", r"\d{5}", True),
        ("ES", r"\d{5}", True),
        ("FI", r"\d{5}", True),
        ("NL", r"\d{4} ?[A-Z]{2}", True),
        ("BE", r"\d{4}", True),
        ("AT", r"\d{4}", True),
        ("CH", r"\d{4}", True),
        ("DK", r"\d{4}", True),
        ("NO", r"\d{4}", True),
        ("SE", r"\d{3} ?\d{2}", True),
        ("PT", r"\d{4}-\d{3}", True),
        ("PL", r"\d{2}-\d{3}", True),
        ("AU", r"\d{4}", True),
        ("NZ", r"\d{4}", True),
        ("JP", r"\d{3}-?\d{4}", True),
        ("BR", r"\d{5}-?\d{3}", True),
        ("IN", r"\d{6}", True),
        ("CN", r"\d{6}", True),
        ("ZA", r"\d{4}", True),
        ("NG", r"\d{6}", False),
        ("KE", r"\d{5}", False),
        ("GH", r"[A-Z]{2}-?\d{3,4}-?\d{4}", False),
    )
}
_ANY_POSTAL_CODE: Final = re.compile(r"[A-Z0-9][A-Z0-9 -]{0,8}[A-Z0-9]")
#: E.164: a plus, a country code not starting with 0, at most 15 digits in all.
_E164: Final = re.compile(r"\+[1-9]\d{7,14}")
#: What people type between the digits of a phone number; removed before checking.
_PHONE_SEPARATORS: Final = re.compile(r"[\s().-]")

NAME_MAX_LENGTH = 200
ADDRESS_LINE_MAX_LENGTH = 200
MAX_ADDRESS_LINES = 2
CITY_MAX_LENGTH = 100
REGION_MAX_LENGTH = 100
MAX_WEIGHT_GRAMS = 1_000_000
MAX_SHIPPING_ZONES = 50


class InvalidPhoneNumber(InvalidValue):
    default_message = (
        "A phone number is in E.164 form: + then the country code and number, e.g. +2348031234567."
    )
    field = "phone"


class InvalidPostalCode(InvalidValue):
    default_message = "The postal code is not valid for this country."
    field = "postal_code"


class InvalidFullName(InvalidValue):
    default_message = f"A full name has 1 to {NAME_MAX_LENGTH} characters."
    field = "full_name"


class InvalidRecipientName(InvalidValue):
    default_message = f"The recipient's name has 1 to {NAME_MAX_LENGTH} characters."
    field = "name"


class InvalidAddressLines(InvalidValue):
    default_message = (
        f"An address has 1 to {MAX_ADDRESS_LINES} lines of 1 to {ADDRESS_LINE_MAX_LENGTH} characters."
    )
    field = "lines"


class InvalidCity(InvalidValue):
    default_message = f"A city has 1 to {CITY_MAX_LENGTH} characters."
    field = "city"


class InvalidRegion(InvalidValue):
    default_message = f"A region has at most {REGION_MAX_LENGTH} characters."
    field = "region"


class InvalidWeight(InvalidValue):
    default_message = f"A physical work weighs 1 to {MAX_WEIGHT_GRAMS} grams."
    field = "delivery.weight_grams"


class InvalidShippingRates(InvalidValue):
    default_message = (
        f"A physical work ships to 1 to {MAX_SHIPPING_ZONES} zones, each a list of countries with a "
        "price in the artwork's currency; a country appears in one zone only."
    )
    field = "delivery.shipping_rates"


class InvalidDelivery(InvalidValue):
    default_message = "A digital work has no weight and no shipping rates."
    field = "delivery"


class DestinationNotServed(InvalidValue):
    default_message = "The artist does not ship this work to that country."
    field = "delivery_address.country"


def _text(value: object) -> str:
    """Single-line text with runs of whitespace collapsed (control characters included)."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def parse_phone(value: object) -> str:
    """A phone number in E.164 (`+2348031234567`); spaces, dots, hyphens and brackets are dropped."""
    text = _PHONE_SEPARATORS.sub("", value) if isinstance(value, str) else ""
    if not _E164.fullmatch(text):
        raise InvalidPhoneNumber()
    return text


def parse_postal_code(value: object, country_code: str) -> str | None:
    """The postal code, upper-cased with single spaces; None when the country needs none."""
    code = _text(value).upper() if value is not None else ""
    known = POSTAL_CODES.get(country_code)
    if not code:
        if known is not None and known[1]:
            raise InvalidPostalCode(
                "A postal code is required for addresses in {country}.", country=country_code
            )
        return None
    pattern = known[0] if known is not None else _ANY_POSTAL_CODE
    if not pattern.fullmatch(code):
        raise InvalidPostalCode(
            "{code!r} is not a postal code of {country}.", code=code, country=country_code
        )
    return code


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """Where a physical work is delivered. Built with `PostalAddress.of`, which validates."""

    name: str
    lines: tuple[str, ...]
    city: str
    region: str | None
    postal_code: str | None
    country: str

    @classmethod
    def of(
        cls,
        *,
        name: object,
        lines: object,
        city: object,
        region: object = None,
        postal_code: object = None,
        country: object,
    ) -> PostalAddress:
        """Checks every part; an error names the part (`country`, `postal_code`, ...)."""
        recipient = _text(name)
        if not 1 <= len(recipient) <= NAME_MAX_LENGTH:
            raise InvalidRecipientName()
        if isinstance(lines, str) or not isinstance(lines, Sequence):
            raise InvalidAddressLines()
        cleaned = tuple(_text(line) for line in lines)
        cleaned = tuple(line for line in cleaned if line)
        if not 1 <= len(cleaned) <= MAX_ADDRESS_LINES or any(
            len(line) > ADDRESS_LINE_MAX_LENGTH for line in cleaned
        ):
            raise InvalidAddressLines()
        town = _text(city)
        if not 1 <= len(town) <= CITY_MAX_LENGTH:
            raise InvalidCity()
        area = _text(region) if region is not None else ""
        if len(area) > REGION_MAX_LENGTH:
            raise InvalidRegion()
        code = parse_country(country)
        return cls(recipient, cleaned, town, area or None, parse_postal_code(postal_code, code), code)


@dataclass(frozen=True, slots=True)
class BuyerContact:
    """How the artist and the carrier reach the buyer. Built with `BuyerContact.of`."""

    full_name: str
    phone: str
    email: Email

    @classmethod
    def of(cls, *, full_name: object, phone: object, email: object) -> BuyerContact:
        name = _text(full_name)
        if not 1 <= len(name) <= NAME_MAX_LENGTH:
            raise InvalidFullName()
        address = email if isinstance(email, Email) else Email(email)  # type: ignore[arg-type]
        return cls(name, parse_phone(phone), address)


class DeliveryKind(enum.StrEnum):
    DIGITAL = "digital"
    PHYSICAL = "physical"


@dataclass(frozen=True, slots=True)
class ShippingRate:
    """One zone: the countries it covers (sorted codes) and what shipping there costs."""

    countries: tuple[str, ...]
    price: Money

    @classmethod
    def of(cls, countries: Iterable[object], price: Money) -> ShippingRate:
        codes = sorted({parse_country(code) for code in countries})
        if not codes:
            raise InvalidShippingRates("A shipping zone lists at least one country.")
        return cls(tuple(codes), price)


@dataclass(frozen=True, slots=True)
class Delivery:
    """How an artwork reaches its buyer: `Delivery()` is digital (the certificate alone).

    A physical work weighs 1 g to 1 t and ships to exactly the countries of its zones, each
    country in one zone, every price in one currency (the artwork's, checked by `Artwork`).
    """

    kind: DeliveryKind = DeliveryKind.DIGITAL
    weight_grams: int | None = None
    shipping_rates: tuple[ShippingRate, ...] = ()

    def __post_init__(self) -> None:
        if self.kind is DeliveryKind.DIGITAL:
            if self.weight_grams is not None or self.shipping_rates:
                raise InvalidDelivery()
            return
        weight = self.weight_grams
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT_GRAMS:
            raise InvalidWeight()
        rates = self.shipping_rates
        if not 1 <= len(rates) <= MAX_SHIPPING_ZONES:
            raise InvalidShippingRates()
        seen: set[str] = set()
        for rate in rates:
            if not rate.countries or seen & set(rate.countries):
                raise InvalidShippingRates()
            seen.update(rate.countries)
        if len({rate.price.currency for rate in rates}) != 1:
            raise InvalidShippingRates("Every shipping price is in the artwork's currency.")

    @classmethod
    def digital(cls) -> Delivery:
        return cls()

    @classmethod
    def physical(cls, *, weight_grams: int, shipping_rates: Sequence[ShippingRate]) -> Delivery:
        return cls(DeliveryKind.PHYSICAL, weight_grams, tuple(shipping_rates))

    @property
    def is_physical(self) -> bool:
        return self.kind is DeliveryKind.PHYSICAL

    @property
    def countries(self) -> frozenset[str]:
        """Every country the work ships to."""
        return frozenset(code for rate in self.shipping_rates for code in rate.countries)

    def check_currency(self, price: Money) -> None:
        """Shipping is charged in the artwork's currency."""
        if any(rate.price.currency != price.currency for rate in self.shipping_rates):
            raise InvalidShippingRates(
                "Shipping prices must be in the artwork's currency ({currency}).", currency=price.currency
            )

    def shipping_to(self, destination: str) -> Money:
        """What shipping to `destination` costs; `DestinationNotServed` outside the zones."""
        for rate in self.shipping_rates:
            if destination in rate.countries:
                return rate.price
        raise DestinationNotServed(
            "The artist does not ship this work to {destination}.", destination=destination
        )
