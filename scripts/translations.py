"""Keep the French catalogs in step with the source: `python scripts/translations.py update`.

Every user-facing string is found where it is written: `_()`/`{% trans %}` in the page and
email templates, `gettext`/`ngettext`/`N_` in Python, and the messages of domain errors
(their `default_message` and the text they are raised with). Each message belongs to the
catalog of the area where it is first used (`pages`, `studio`, `console`, `emails`,
`errors`); `update` adds new messages untranslated to their area's `.po` file and drops
messages no longer used. `check` (also run by the unit tests) fails on any message without
a translation, a translation whose placeholders differ, or a stale catalog.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from string import Formatter

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from jinja2 import Environment

import artmarket
from artmarket.application.i18n import LOCALE_DIR, catalog_files
from artmarket.domain.errors import DomainError
from artmarket.domain.languages import Language

PACKAGE = Path(artmarket.__file__).resolve().parent
GETTEXT_KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
}
JINJA = "jinja2.ext:babel_extract"
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
#: Where a message is first used → the catalog it lives in (first match wins).
AREAS: tuple[tuple[str, str], ...] = (
    ("entrypoints/web/templates/admin/", "console"),
    ("entrypoints/web/templates/_console", "console"),
    ("entrypoints/web/routes/admin/", "console"),
    ("entrypoints/web/templates/artist/", "studio"),
    ("entrypoints/web/routes/artist/", "studio"),
    *(
        (f"entrypoints/web/{kind}/{part}", "orders")
        for kind in ("templates", "routes")
        for part in ("checkout", "orders", "delivery", "certificates", "claims")
    ),
    ("entrypoints/web/order_view", "orders"),
    ("domain/order_stage", "orders"),
    ("application/minting/documents", "orders"),
    ("application/minting/certificates", "orders"),
    ("application/minting/certificate_words", "orders"),
    ("application/medium_words", "pages"),
    ("entrypoints/web/forms.py", "errors"),
    ("entrypoints/web/errors.py", "errors"),
    ("entrypoints/web/templates/errors/", "errors"),
    ("application/notifications/", "emails"),
    ("domain/", "errors"),
    ("application/", "errors"),
    ("entrypoints/http/", "errors"),
    ("", "pages"),
)


#: Python files whose messages are for operators and the CLI, who read English.
NOT_TRANSLATED = ("adapters/", "bootstrap/", "fakes/", "entrypoints/cli/")


@dataclass(frozen=True)
class Found:
    message: str | tuple[str, ...]
    path: str
    #: The catalog, when it is not the one of `path`'s area (domain errors all live in `errors`).
    area: str | None = None


def area_of(path: str) -> str:
    return next(area for prefix, area in AREAS if path.startswith(prefix))


def _error_classes() -> Iterator[type[DomainError]]:
    # Every package that defines errors, adapters included: what is imported must not depend on
    # what ran before (a test process has imported more than this script alone would).
    for package in (
        "artmarket.domain",
        "artmarket.application",
        "artmarket.adapters",
        "artmarket.entrypoints",
    ):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            importlib.import_module(info.name)
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        cls = pending.pop()
        if not cls.__module__.startswith("artmarket.fakes"):
            yield cls
        pending.extend(cls.__subclasses__())


def _message_position(cls: type[DomainError]) -> tuple[int, ...] | None:
    """Which argument of `cls(...)` is the message (`LedgerRejected(status, message)` → 2), if any."""
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    parameters = inspect.signature(cls.__init__).parameters.values()
    names = [p.name for p in parameters if p.kind in positional and p.name != "self"]
    return (names.index("message") + 1,) if "message" in names else None


def found_messages() -> Iterator[Found]:
    """Every translatable message of the package, with the file it is first found in.

    Domain errors (the classes' `default_message` and the literal template an error is raised
    with) all belong to the `errors` catalog, wherever they are raised.
    """
    classes = sorted(set(_error_classes()), key=lambda c: (c.__module__, c.__qualname__))
    for cls in classes:
        if "default_message" in vars(cls):
            path = cls.__module__.removeprefix("artmarket.").replace(".", "/") + ".py"
            yield Found(cls.default_message, path, "errors")
    error_keywords = {
        cls.__name__: position for cls in classes if (position := _message_position(cls)) is not None
    }
    passes = (
        ([("**.py", "python")], error_keywords, "errors"),
        (
            [("**/templates/**.html", JINJA), ("**/templates/**.txt", JINJA), ("**.py", "python")],
            GETTEXT_KEYWORDS,
            None,
        ),
    )
    options = {"**/templates/**.html": JINJA_OPTIONS, "**/templates/**.txt": JINJA_OPTIONS}
    for methods, keywords, area in passes:
        for path, _line, message, _comments, _context in extract_from_dir(
            PACKAGE, methods, options_map=options, keywords=keywords, strip_comment_tags=True
        ):
            if not path.startswith(NOT_TRANSLATED):  # operators' logs and the CLI speak English
                yield Found(message, path, area)


def expected_catalogs() -> dict[str, Catalog]:
    """Per area, the messages its catalog must hold (empty translations)."""
    catalogs: dict[str, Catalog] = {}
    seen: set[str] = set()
    for found in found_messages():
        key = found.message if isinstance(found.message, str) else found.message[0]
        if not key or key in seen:
            continue
        seen.add(key)
        area = found.area or area_of(found.path)
        catalog = catalogs.setdefault(area, Catalog(locale=Language.FRENCH.value, domain="messages"))
        catalog.add(found.message)
    return catalogs


def _read(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=Language.FRENCH.value)


def update() -> None:
    """Bring the French `.po` files in step: new messages added empty, unused ones dropped."""
    known: dict[str, Message] = {}
    for path in catalog_files(Language.FRENCH):
        for message in _read(path):
            if message.id:
                known[str(message.id if isinstance(message.id, str) else message.id[0])] = message
    directory = LOCALE_DIR / Language.FRENCH.value / "LC_MESSAGES"
    directory.mkdir(parents=True, exist_ok=True)
    expected = expected_catalogs()
    for stale in set(catalog_files(Language.FRENCH)) - {directory / f"{a}.po" for a in expected}:
        stale.unlink()
    for area, catalog in expected.items():
        for message in catalog:
            old = known.get(str(message.id if isinstance(message.id, str) else message.id[0]))
            if old is not None:
                message.string = old.string
                message.flags = set(old.flags) - {"python-format"}
        buffer = BytesIO()
        write_po(buffer, catalog, width=100, omit_header=True, sort_output=True)
        (directory / f"{area}.po").write_bytes(buffer.getvalue())


def problems() -> list[str]:
    """What is wrong with the French catalogs (nothing, when they are complete and current)."""
    found: list[str] = []
    expected = expected_catalogs()
    for area, catalog in expected.items():
        path = LOCALE_DIR / Language.FRENCH.value / "LC_MESSAGES" / f"{area}.po"
        if not path.exists():
            found.append(f"{path.name}: missing ({len(catalog)} messages)")
            continue
        actual = _read(path)
        for message in catalog:
            if not message.id:
                continue  # the catalog's header
            translated = actual.get(message.id)
            if translated is None:
                found.append(f"{area}.po: not in the catalog: {message.id!r}")
            elif not translated.string or (
                isinstance(translated.string, tuple) and not all(translated.string)
            ):
                found.append(f"{area}.po: not translated: {message.id!r}")
            elif translated.fuzzy:
                found.append(f"{area}.po: fuzzy: {message.id!r}")
            elif isinstance(message.id, str) and format_fields(message.id):
                # A domain error's template is filled by `str.format`, never by `%`: its `%d`s are
                # strftime codes (`{start:%d %b}`), not placeholders for Babel's check.
                found.extend(f"{area}.po: {error}" for error in field_problems(translated))
            else:
                found.extend(f"{area}.po: {error}" for error in translated.check(actual))
        unused = {m.id for m in actual if m.id} - {m.id for m in catalog if m.id}
        found.extend(f"{area}.po: no longer used: {message_id!r}" for message_id in sorted(map(str, unused)))
    return found


def format_fields(text: str) -> set[str] | None:
    """The `{name}` fields of a `str.format` template; None when `text` is not one."""
    try:
        return {name for _literal, name, _spec, _conversion in Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def field_problems(message: Message) -> list[str]:
    """A domain error's translation must use exactly the `{fields}` of its English template."""
    if not isinstance(message.id, str) or not isinstance(message.string, str):
        return []
    english, french = format_fields(message.id), format_fields(message.string)
    if english is not None and english != french:
        fields = ", ".join(sorted(english)) or "none"
        return [f"the translation of {message.id!r} must use the fields {fields}, as in English"]
    return []


#: Attributes whose values people read (or hear, with a screen reader).
READ_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder", "aria-description", "label"})
#: Words that are the same in every language: the site's name, and each language named in itself.
UNTRANSLATED_WORDS = frozenset({"artmarket", "English", "Français"})
_WORDS = re.compile(r"[^\W\d_]{2,}")


class _TextFinder(HTMLParser):
    """Collects the text and read attribute values of a page outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skipping += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and (
                name in READ_ATTRIBUTES
                # An input button shows its value; a <button>'s value is only sent (`language=fr`).
                or (name == "value" and tag == "input" and values.get("type") in {"submit", "button"})
            ):
                self.found.append(value)
            if value and name == "content" and values.get("name") == "description":
                self.found.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.found.append(data)


def outside_gettext(source: str) -> str:
    """The template's literal text outside `{% trans %}` blocks; expressions become `0`."""
    environment = Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    parts: list[str] = []
    depth = 0
    previous = ""
    for _line, kind, value in environment.lex(source):
        if kind == "name" and previous == "block_begin" and value in {"trans", "pluralize"}:
            depth += value == "trans"
        elif kind == "name" and previous == "block_begin" and value == "endtrans":
            depth -= 1
            parts.append("0")
        elif kind == "data" and depth == 0:
            parts.append(value)
        elif kind == "variable_begin" and depth == 0:
            parts.append("0")
        if kind not in {"whitespace"}:
            previous = kind
    return "".join(parts)


def untranslated_text() -> list[str]:
    """Words in page and email templates that do not go through gettext, with their file."""
    found: list[str] = []
    for directory in (PACKAGE / "entrypoints/web/templates", PACKAGE / "application/notifications/templates"):
        for path in sorted(directory.rglob("*")):
            if path.suffix not in {".html", ".txt"}:
                continue
            text = outside_gettext(path.read_text())
            if path.suffix == ".html":
                finder = _TextFinder()
                finder.feed(text)
                pieces = finder.found
            else:
                pieces = [text]
            for piece in pieces:
                words = [w for w in _WORDS.findall(piece) if w not in UNTRANSLATED_WORDS]
                if words:
                    found.append(f"{path.relative_to(PACKAGE)}: {' '.join(piece.split())[:80]!r}")
    return found


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        update()
        return 0
    if argv[1:] == ["check"]:
        listed = untranslated_text() + problems()
        print("\n".join(listed) or "the French catalogs are complete")
        return 1 if listed else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
