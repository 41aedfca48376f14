"""Country names for the pages, in the page's language: CLDR's names (Babel), the one source.

The domain owns which codes are countries (`domain/countries.py`); this only names them, so
a picker offers every country by name and a page shows `Nigeria (NG)` rather than `NG` (on a
French page `Allemagne (DE)`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import cache

from babel import Locale, UnknownLocaleError

from artmarket.application.i18n import current_language
from artmarket.domain.countries import COUNTRIES
from artmarket.domain.languages import Language


@cache
def _names(locale: str) -> Mapping[str, str]:
    try:
        return Locale.parse(locale).territories
    except (UnknownLocaleError, ValueError):
        return Locale.parse(Language.default().value).territories


def territory(code: str | None, locale: str | None = None) -> str:
    """`NG` → `Nigeria`, in `locale` (the page's language by default); an unknown code is shown as it is."""
    if not code:
        return ""
    return str(_names(locale or current_language().value).get(code.upper(), code))


def country_name(code: str) -> str:
    """`NG` → `Nigeria (NG)`: the name a reader knows, the code a form takes."""
    name = territory(code)
    return name if name == code else f"{name} ({code})"


def _collation_key(name: str) -> str:
    # Accents and case set aside, as a reader looks a name up: "Égypte" among the E's.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def _choices(language: Language) -> tuple[tuple[str, str], ...]:
    with_names = ((code, f"{_names(language.value)[code]} ({code})") for code in COUNTRIES)
    return tuple(sorted(with_names, key=lambda choice: _collation_key(choice[1])))


def country_choices() -> tuple[tuple[str, str], ...]:
    """Every country as (code, name), in the order of the names in the page's language (a picker's list)."""
    return _choices(current_language())
