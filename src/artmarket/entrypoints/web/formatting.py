"""Jinja filters: money (Babel, `prices.py`), dates, statuses; no arithmetic on floats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from artmarket.entrypoints.web.listing_text import centimetres, inches, territory_filter
from artmarket.entrypoints.web.prices import approx_filter, minor_filter, money_filter

# Re-exported: the pages import their formatting from here.
from artmarket.entrypoints.web.prices import exponent as exponent
from artmarket.entrypoints.web.prices import money as money


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


#: English names of the countries buyers pick most; other codes are shown as they are.
COUNTRY_NAMES = {
    "AE": "United Arab Emirates",
    "AO": "Angola",
    "AR": "Argentina",
    "AT": "Austria",
    "AU": "Australia",
    "BE": "Belgium",
    "BF": "Burkina Faso",
    "BJ": "Benin",
    "BR": "Brazil",
    "BW": "Botswana",
    "CA": "Canada",
    "CH": "Switzerland",
    "CI": "Côte d'Ivoire",
    "CM": "Cameroon",
    "CN": "China",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "EG": "Egypt",
    "ES": "Spain",
    "ET": "Ethiopia",
    "FI": "Finland",
    "FR": "France",
    "GB": "United Kingdom",
    "GH": "Ghana",
    "GM": "Gambia",
    "GR": "Greece",
    "HK": "Hong Kong",
    "IE": "Ireland",
    "IL": "Israel",
    "IN": "India",
    "IT": "Italy",
    "JP": "Japan",
    "KE": "Kenya",
    "KR": "South Korea",
    "LR": "Liberia",
    "MA": "Morocco",
    "MX": "Mexico",
    "MZ": "Mozambique",
    "NA": "Namibia",
    "NE": "Niger",
    "NG": "Nigeria",
    "NL": "Netherlands",
    "NO": "Norway",
    "NZ": "New Zealand",
    "PL": "Poland",
    "PT": "Portugal",
    "QA": "Qatar",
    "RW": "Rwanda",
    "SA": "Saudi Arabia",
    "SE": "Sweden",
    "SG": "Singapore",
    "SL": "Sierra Leone",
    "SN": "Senegal",
    "TG": "Togo",
    "TN": "Tunisia",
    "TR": "Türkiye",
    "TZ": "Tanzania",
    "UG": "Uganda",
    "US": "United States",
    "ZA": "South Africa",
    "ZM": "Zambia",
    "ZW": "Zimbabwe",
}


def country_name(code: str) -> str:
    """`NG` → `Nigeria (NG)`; codes without a name here are shown as they are."""
    name = COUNTRY_NAMES.get(code)
    return f"{name} ({code})" if name else code


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
    "territory": territory_filter,
}
