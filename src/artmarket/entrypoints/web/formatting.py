"""Jinja filters: money (Babel, `prices.py`), dates, statuses; no arithmetic on floats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from artmarket.application.i18n import current_language, gettext

# Re-exported: the pages import their formatting from here.
from artmarket.application.local_formats import exponent as exponent
from artmarket.application.local_formats import kilograms_text, time_text
from artmarket.application.local_formats import money as money
from artmarket.entrypoints.web.countries import country_name, territory
from artmarket.entrypoints.web.listing_text import centimetres, inches
from artmarket.entrypoints.web.prices import approx_filter, minor_filter, money_filter
from artmarket.entrypoints.web.status_words import WORDS


def major_units(amount: int, currency: str) -> str:
    """`2500050, "NGN"` → `25,000.50` (integer arithmetic only)."""
    places = exponent(currency)
    whole, fraction = divmod(amount, 10**places)
    text = f"{whole:,}"
    return f"{text}.{fraction:0{places}d}" if places else text


def plain_amount(amount: int | None, currency: str = "NGN") -> str:
    """Minor units as a value for an input field (`25000.50`), empty for None."""
    if amount is None:
        return ""
    return major_units(amount, currency).replace(",", "")


def when(value: datetime | None, style: str = "datetime") -> str:
    """A time as the page's language writes it, in UTC (said so); `iso` for machines."""
    return "" if value is None else time_text(value, current_language(), style)


def kilograms(grams: int) -> str:
    """`4000` → `4.0` (`4,0` on a French page): a parcel's weight in kilograms."""
    return kilograms_text(grams, current_language())


def label(value: Any) -> str:
    """`awaiting_payment` → `Awaiting payment` (`En attente de paiement` on a French page).

    Called where the word is shown: a list built at import time would stay in English."""
    text = str(getattr(value, "value", value))
    if text in WORDS:
        return gettext(WORDS[text])
    return text.replace("_", " ").capitalize()


FILTERS: dict[str, Callable[..., Any]] = {
    "money": money_filter,
    "minor": minor_filter,
    "approx": approx_filter,
    "amount": plain_amount,
    "when": when,
    "label": label,
    "country": country_name,
    "cm": centimetres,
    "inches": inches,
    "kg": kilograms,
    "territory": territory,
}
