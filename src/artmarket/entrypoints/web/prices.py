"""The page filters that show amounts (`money`, `minor`, `approx`) in the language of the request.

The formatting itself is `application/local_formats.py`, shared with the emails.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from artmarket.application.i18n import current_language
from artmarket.application.local_formats import approximately, money, money_text
from artmarket.domain.exchange import ReferenceRates
from artmarket.domain.money import Money


def _locale_of(context: Context) -> str:
    # The language of the request being rendered (`application.i18n`).
    del context
    return current_language().value


@pass_context
def money_filter(context: Context, value: Money | None) -> str:
    """`{{ price | money }}`: the one way a page shows an amount."""
    return money(value, _locale_of(context))


@pass_context
def minor_filter(context: Context, amount: int | None, currency: str) -> str:
    """`{{ amount | minor(currency) }}`: minor units of `currency` (sums kept per currency), like `money`."""
    return "" if amount is None else money_text(amount, currency, _locale_of(context))


@pass_context
def approx_filter(context: Context, value: Money | None) -> str:
    """`{{ price | approx }}`: "≈ $120" with the reference rates the pages were set up with."""
    rates: Any = context.get("fx_rates")
    return approximately(value, rates if isinstance(rates, ReferenceRates) else None, _locale_of(context))
