"""Country names for the pages: every ISO 3166-1 country, named by the maintained pycountry list.

The domain owns which codes are countries (`domain/countries.py`); this only names them, so
a picker offers every country by name and a page shows `Nigeria (NG)` rather than `NG`.
"""

from __future__ import annotations

from functools import cache

import pycountry

from artmarket.domain.countries import COUNTRIES


@cache
def country_name(code: str) -> str:
    """`NG` → `Nigeria (NG)`; the common name where ISO's is formal (`TW` → `Taiwan (TW)`)."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return f"{name} ({code})"


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """Every country as (code, name), in the order of the names (what a picker lists)."""
    return tuple(sorted(((code, country_name(code)) for code in COUNTRIES), key=lambda choice: choice[1]))
