"""A domain error's message in the page's language.

The error keeps its English template and the values that fill it (`DomainError.template`,
`.params`); the API shows the English `message`, a page looks the template up in the
catalogs and fills the translation with the same values (a `Phrase` translated too). A time
is written as the page's language writes it when the translation leaves the field without a
format (`{start}`); with one (`{start:%d/%m/%Y}`) it is formatted as written.
"""

from __future__ import annotations

from datetime import datetime

from artmarket.application.i18n import gettext
from artmarket.domain.errors import DomainError, Phrase
from artmarket.entrypoints.web.formatting import when


class _PageTime:
    """A time parameter: `{start}` is the page's way of writing it, `{start:%d %b}` the given format."""

    def __init__(self, value: datetime) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec) if spec else when(self.value)


def _page_value(value: object) -> object:
    """A parameter as the page writes it: a time in its way, a `Phrase` in its language."""
    if isinstance(value, datetime):
        return _PageTime(value)
    if isinstance(value, Phrase):
        return gettext(value)
    return value


def error_text(error: DomainError) -> str:
    """`error`'s message translated for the page being made (English when no translation)."""
    template = gettext(error.template)
    if not error.params:
        return template
    params = {name: _page_value(value) for name, value in error.params.items()}
    # The catalog check holds every translation to the fields of its English template.
    return template.format(**params)
