"""Jinja filters: money in major units, dates, statuses; no arithmetic on floats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from artmarket.domain.money import Money
from artmarket.entrypoints.web.countries import country_name

#: ISO 4217 minor-unit exponents that are not 2 (the gallery's currencies all use 2 today).
EXPONENTS = {"JPY": 0, "KRW": 0, "XOF": 0, "XAF": 0, "BHD": 3, "KWD": 3, "TND": 3}
SYMBOLS = {"NGN": "₦", "USD": "$", "GBP": "£", "EUR": "€", "GHS": "GH₵", "KES": "KSh", "ZAR": "R"}


def exponent(currency: str) -> int:
    return EXPONENTS.get(currency, 2)


def major_units(amount: int, currency: str) -> str:
    """`2500050, "NGN"` → `25,000.50` (integer arithmetic only)."""
    places = exponent(currency)
    whole, fraction = divmod(amount, 10**places)
    text = f"{whole:,}"
    return f"{text}.{fraction:0{places}d}" if places else text


def money(value: Money | None) -> str:
    if value is None:
        return ""
    code = value.currency.code
    symbol = SYMBOLS.get(code)
    amount = major_units(value.amount, code)
    return f"{symbol}{amount}" if symbol else f"{code} {amount}"


def plain_amount(amount: int | None, currency: str = "NGN") -> str:
    """Minor units as a value for an input field (`25000.50`), empty for None."""
    if amount is None:
        return ""
    return major_units(amount, currency).replace(",", "")


def when(value: datetime | None, style: str = "datetime") -> str:
    if value is None:
        return ""
    if style == "date":
        return f"{value:%d %b %Y}"
    if style == "iso":
        return value.isoformat()
    return f"{value:%d %b %Y, %H:%M} UTC"


def label(value: Any) -> str:
    """`awaiting_payment` → `Awaiting payment`."""
    text = str(getattr(value, "value", value))
    return text.replace("_", " ").capitalize()


FILTERS: dict[str, Callable[..., Any]] = {
    "money": money,
    "amount": plain_amount,
    "when": when,
    "label": label,
    "country": country_name,
}


def minor(amount: int | None, currency: str) -> str:
    """An amount in minor units of `currency`, shown like `money` (sums kept per currency)."""
    if amount is None:
        return ""
    return money(Money.of(amount, currency))


FILTERS["minor"] = minor
