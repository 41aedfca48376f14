"""Amounts and times as a language writes them, for pages and emails alike (Babel).

Prices: Babel's currency patterns for the reader's locale, no ".00" on whole amounts.

`₦25,000`, `$1,250.50`, `GH₵300` in English; `25 000 ₦` in French. The symbol is the one the
currency's own country uses (₦, GH₵, Ksh, R), which is what buyers there expect; the
pattern (symbol first or last, separators) is the page locale's. Amounts stay integers in
minor units until Babel formats them as an exact `Decimal`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, format_decimal, get_currency_symbol, parse_pattern

from artmarket.domain.exchange import ReferenceRates
from artmarket.domain.languages import Language
from artmarket.domain.money import Money

DEFAULT_LOCALE = "en"
#: ISO 4217 minor-unit exponents that are not 2 (the gallery's currencies all use 2 today).
EXPONENTS = {"JPY": 0, "KRW": 0, "XOF": 0, "XAF": 0, "BHD": 3, "KWD": 3, "TND": 3}
#: A locale of the country where a currency is at home: its symbol there (₦ in Nigeria) is shown.
HOME_LOCALES = {
    "NGN": "en_NG",
    "GHS": "en_GH",
    "KES": "en_KE",
    "ZAR": "en_ZA",
    "USD": "en_US",
    "GBP": "en_GB",
    "EUR": "en_IE",
    "XOF": "fr_SN",
    "XAF": "fr_CM",
}
#: Below this many base units an "≈" keeps its cents (≈ $0.35, not ≈ $0).
WHOLE_FROM = Decimal(10)


def exponent(currency: str) -> int:
    return EXPONENTS.get(currency, 2)


@cache
def _symbol(currency: str) -> str:
    return get_currency_symbol(currency, HOME_LOCALES.get(currency, DEFAULT_LOCALE))


@cache
def _pattern(locale: str, currency: str, places: int) -> tuple[Locale, NumberPattern]:
    parsed = Locale.parse(locale)
    standard = parsed.currency_formats["standard"].pattern
    # The currency sign becomes the home symbol, quoted so Babel keeps it as it is.
    pattern = parse_pattern(standard.replace("¤", "'" + _symbol(currency).replace("'", "''") + "'"))
    pattern.frac_prec = (places, places)
    return parsed, pattern


def money_text(amount: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """`2500000, "NGN"` → `₦25,000`; `125050, "USD"` → `$1,250.50` (minor units in, exact)."""
    value = Decimal(amount).scaleb(-exponent(currency))
    places = 0 if value == value.to_integral_value() else exponent(currency)
    parsed, pattern = _pattern(locale, currency, places)
    return str(pattern.apply(value, parsed, currency_digits=False))


def money(value: Money | None, locale: str = DEFAULT_LOCALE) -> str:
    if value is None:
        return ""
    return money_text(value.amount, value.currency.code, locale)


def approximately(value: Money | None, rates: ReferenceRates | None, locale: str = DEFAULT_LOCALE) -> str:
    """`"≈ $120"` for a price in another currency than the rates' base; empty when there is nothing to say."""
    if value is None or rates is None or rates.base is None or value.currency.code == rates.base:
        return ""
    code = value.currency.code
    converted = rates.in_base(Decimal(value.amount).scaleb(-exponent(code)), code)
    if converted is None:
        return ""
    step = Decimal(1) if converted >= WHOLE_FROM else Decimal(1).scaleb(-exponent(rates.base))
    rounded = converted.quantize(step, rounding=ROUND_HALF_EVEN)
    return "≈ " + money_text(int(rounded.scaleb(exponent(rates.base))), rates.base, locale)


#: How each language writes a date and a time of day (`8 Dec 2026, 04:05` / `8 déc. 2026 à 04:05`).
_DATE_LOCALE = {Language.ENGLISH: "en_GB", Language.FRENCH: "fr"}
_DATETIME_PATTERN = {Language.ENGLISH: "d MMM y, HH:mm", Language.FRENCH: "d MMM y 'à' HH:mm"}


def time_text(value: datetime, language: Language, style: str = "datetime") -> str:
    """A time as `language` writes it, in UTC (said so); `date` for the day only, `iso` for machines."""
    if style == "iso":
        return value.isoformat()
    if style == "date":
        return format_date(value, "medium", locale=_DATE_LOCALE[language])
    pattern = _DATETIME_PATTERN[language]
    return format_datetime(value, pattern, tzinfo=UTC, locale=_DATE_LOCALE[language]) + " UTC"


def kilograms_text(grams: int, language: Language) -> str:
    """`4000` grams → `4.0` (`4,0` in French): kilograms to one decimal, as the language writes them."""
    return format_decimal(Decimal(grams).scaleb(-3), "#,##0.0", locale=_DATE_LOCALE[language])
