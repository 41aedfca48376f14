"""Translations: the language of the page or email being made, and its catalog.

Every user-facing string in pages and emails goes through `gettext` with its English text
as the message id. The French catalogs are the `.po` files under `artmarket/locale/fr/
LC_MESSAGES/` (one per area of the site, all of one domain), read once per process; there
is no compiled `.mo` to keep in step. The language of what is being made is a context
variable: the web layer sets it per request, the email renderer per email.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from artmarket.domain.languages import Language

#: `<language>/LC_MESSAGES/*.po`, beside the package's code.
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

_current: ContextVar[Language] = ContextVar("artmarket_language", default=Language.ENGLISH)


def catalog_files(language: Language) -> list[Path]:
    """The `.po` files of `language`, in a fixed order."""
    return sorted((LOCALE_DIR / language.value / "LC_MESSAGES").glob("*.po"))


def read_catalog(language: Language) -> Catalog:
    """Every message of `language`'s `.po` files in one catalog (fuzzy entries are not used)."""
    merged = Catalog(locale=language.value, domain="messages")
    for path in catalog_files(language):
        with path.open("rb") as po:
            for message in read_po(po, locale=language.value):
                if message.id and message.string and not message.fuzzy:
                    merged.add(message.id, message.string, context=message.context)
    return merged


@cache
def translations(language: Language) -> stdlib_gettext.NullTranslations:
    """The translations of `language`; English is the source text itself."""
    if language is Language.default():
        return stdlib_gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, read_catalog(language))
    compiled.seek(0)
    return Translations(compiled)


def current_language() -> Language:
    return _current.get()


def set_language(language: Language) -> None:
    """From here on in this task (one request), pages speak `language`."""
    _current.set(language)


@contextmanager
def speaking(language: Language) -> Iterator[None]:
    """Within the block, `gettext` answers in `language` (an email to its recipient)."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def N_(message: str) -> str:
    """Mark `message` for the catalogs where it is written; `gettext` translates it where it is shown."""
    return message


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, count)


def negotiate(accept_language: str | None) -> Language | None:
    """The language we speak that an `Accept-Language` header prefers most, if any.

    `fr-SN,fr;q=0.9,en;q=0.8` → French; `de,en;q=0.5` → English; `de` → None.
    """
    ranked: list[tuple[float, int, Language]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        language = Language.of(tag)
        if language is None:
            continue
        weight = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        if weight > 0:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else None
