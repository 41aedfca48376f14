"""Request bodies checked once, for every route, before any handler or use case sees them.

`CheckedRequest` is the app's request class: its `json()` (what every `data: JSONBody[...]`
reads) and `form()` (what the pages read) refuse

- JSON that is not UTF-8 or is nested deeper than `MAX_JSON_DEPTH` (400 `validation-failed`):
  msgspec raises `UnicodeDecodeError` / `RecursionError` for those, which were 500s;
- text with control characters (422 naming the field, `domain.text.check_text`): NUL is
  refused by PostgreSQL and stored by SQLite, so the two stores differed.

The Paystack webhook reads its raw body (the signature covers the bytes), so it calls
`check_json_limits` itself: only the encoding and the depth, as the event is Paystack's
text, not a user's, and a body that is merely not JSON is answered after the signature.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.exceptions import ValidationException
from litestar.plugins.htmx import HTMXRequest
from litestar.types import Empty

from artmarket.domain.text import check_text

#: Deeper JSON is refused: no request of ours nests beyond a few levels.
MAX_JSON_DEPTH = 64
_OPENERS = (b"[", b"{")


def _refused(message: str) -> ValidationException:
    return ValidationException(detail=message, extra=[{"key": "body", "message": message}])


def checked_json_bytes(body: bytes) -> Any:
    """The decoded JSON document of `body`; `ValidationException` (400) when it cannot be one."""
    try:
        return _within_limits(body)
    except msgspec.DecodeError as error:
        raise _refused(f"The body is not valid JSON: {error}.") from None


def check_json_limits(body: bytes) -> None:
    """Refuse (400) a body no JSON reader should be given: not UTF-8, or nested too deep.

    Other syntax errors are left to the reader (the webhook answers them after its signature).
    """
    with contextlib.suppress(msgspec.DecodeError):
        _within_limits(body)


def _within_limits(body: bytes) -> Any:
    try:
        document = msgspec.json.decode(body)
    except UnicodeDecodeError:
        raise _refused("The body is not valid UTF-8.") from None
    except RecursionError:
        raise _too_deep() from None
    # Fewer opening brackets than the limit cannot nest beyond it (the usual, cheap case).
    if sum(body.count(opener) for opener in _OPENERS) > MAX_JSON_DEPTH and _depth(document) > MAX_JSON_DEPTH:
        raise _too_deep()
    return document


def _too_deep() -> ValidationException:
    return _refused(f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels.")


def _depth(document: Any) -> int:
    """How deeply arrays and objects nest in a decoded document (a scalar is 0), without recursion."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, level = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        pending.extend((child, level + 1) for child in children)
    return deepest


def _strings(document: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (location, text) of a decoded document, object keys included: `a.b`, `items.2`."""
    pending: list[tuple[Any, str]] = [(document, path)]
    while pending:
        value, where = pending.pop()
        if isinstance(value, str):
            yield where or "body", value
        elif isinstance(value, dict):
            for key, item in value.items():
                location = f"{where}.{key}" if where else str(key)
                yield location, str(key)
                pending.append((item, location))
        elif isinstance(value, list):
            pending.extend(
                (item, f"{where}.{index}" if where else str(index)) for index, item in enumerate(value)
            )


def check_texts(document: Any) -> None:
    """Refuse (422, naming the field) the first text holding a control character."""
    for location, text in _strings(document):
        check_text(text, field=location)


class CheckedRequest(Request[Any, Any, Any]):
    """The API's request class: JSON and form bodies pass `checked_json_bytes` and `check_texts`."""

    async def json(self) -> Any:
        if self._connection_state.json is Empty:
            document = checked_json_bytes(await self.body() or b"null")
            check_texts(document)
            self._connection_state.json = document
        return await super().json()

    async def form(self) -> FormMultiDict:
        form = await super().form()
        for name, value in form.multi_items():
            if isinstance(value, str):
                check_text(value, field=name)
        return form


class CheckedPageRequest(CheckedRequest, HTMXRequest):
    """The pages' request class: `CheckedRequest` plus the HTMX request details."""
