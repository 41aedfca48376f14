"""Text that people type: which characters it may hold.

Control characters have no place in a name, a title or an address: NUL is refused by
PostgreSQL (but stored by SQLite), the others break email headers, CSV cells and terminals.
Multi-line text (a bio, a description, a message) may keep tabs and line breaks; nothing
in a request tells a multi-line field from a one-line one, so those three are always let
through and one-line rendering (`one_line`) flattens them where a line matters.
"""

from __future__ import annotations

import re

from artmarket.domain.errors import InvalidValue

#: C0 controls except tab, LF and CR; DEL; C1 controls; lone surrogates (not encodable in UTF-8).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: Every control character (tab and line breaks included) and every run of whitespace.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\s]+")


class ControlCharactersInText(InvalidValue):
    default_message = "Text may not contain control characters (only tabs and line breaks)."


def check_text(value: str, *, field: str) -> str:
    """`value` unchanged, or `ControlCharactersInText` located at `field`."""
    if _FORBIDDEN.search(value):
        raise ControlCharactersInText(
            "`{name}` contains a control character; only tabs and line breaks are allowed.",
            field=field,
            name=field,
        )
    return value


def one_line(value: str) -> str:
    """`value` on one line: controls, line breaks and whitespace runs become single spaces."""
    return _BREAKS.sub(" ", value).strip()
