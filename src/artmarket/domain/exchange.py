"""Reference exchange rates: what a price is worth in one base currency, to compare and to show "≈ $120".

They are indicative (set by the operator, `ARTMARKET_FX_RATES`), never used to charge: a buyer
always pays in the artwork's own currency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from artmarket.domain.errors import InvalidValue

_ENTRY = re.compile(r"([A-Z]{3})=(\d{1,12}(?:\.\d{1,8})?)")


class InvalidRates(InvalidValue):
    default_message = (
        "Reference rates are CODE=rate pairs against one base currency at 1, e.g. USD=1,NGN=1550,GHS=15.5."
    )
    field = "fx_rates"


@dataclass(frozen=True, slots=True)
class ReferenceRates:
    """How many units of each currency one unit of `base` buys (`USD=1,NGN=1550`); no base: no rates."""

    base: str | None
    per_base: Mapping[str, Decimal]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> ReferenceRates:
        """`["USD=1", "NGN=1550"]` → rates based on USD; no entries: no rates (nothing is converted).

        Exactly one currency has the rate 1 (the base); every rate is positive; no code twice.
        """
        rates: dict[str, Decimal] = {}
        for entry in entries:
            match = _ENTRY.fullmatch(entry.strip())
            if match is None:
                raise InvalidRates("{entry!r} is not CODE=rate, e.g. NGN=1550.", entry=entry)
            code, rate = match[1], Decimal(match[2])
            if code in rates or rate <= 0:
                raise InvalidRates("{code} is given twice or at a rate that is not positive.", code=code)
            rates[code] = rate
        if not rates:
            return cls(None, {})
        bases = [code for code, rate in rates.items() if rate == 1]
        if len(bases) != 1:
            raise InvalidRates("Exactly one currency is the base, at rate 1 (e.g. USD=1).")
        return cls(bases[0], rates)

    def in_base(self, amount: Decimal, currency: str) -> Decimal | None:
        """`amount` of `currency` (major units) in the base currency; None for a currency without a rate."""
        rate = self.per_base.get(currency)
        return None if rate is None else amount / rate
