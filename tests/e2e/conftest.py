"""End-to-end fixtures: the whole app on a live port, driven by Debian's Chromium through Playwright.

- `browser`: headless Chromium at /usr/bin/chromium (never downloaded; skipped without it,
  failed on CI).
- `live`: the app (embedded profile, own data directory) on a free port for the module, with
  `live.seed` to set up users and works through the REST API and the CLI's use cases.
- `viewport` and `language`: every test that uses `page` runs four times, at 375x812 (phone) and
  1280x800 (desktop), in English and in French (the browser's locale, so its Accept-Language).
- `t("Buy now")`: the text a page shows for that English message in the test's language;
  `money(2_500_000, "NGN")` an amount as the page writes it in that language.
- `page`: a fresh browser context at that viewport, base URL set. Any console error or
  uncaught page error fails the test unless it was allowed with `console.allow("text")`.
  A screenshot is saved after the test; `shot("name")` saves more, under test-artifacts/e2e/.
  Every screenshot is also an accessibility check: axe-core runs on the page as shown, and a
  serious or critical violation fails the test (tests/support/accessibility.py).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import shutil
import uuid
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright
from tests.support.accessibility import axe_violations, describe
from tests.support.api import PASSWORD, app_settings
from tests.support.images import png_bytes
from tests.support.live_server import live_server
from tests.support.ports import free_port

from artmarket.application.i18n import translations
from artmarket.application.identity.registration import CreateAdmin
from artmarket.application.local_formats import money_text
from artmarket.bootstrap import create_app, make_container, upgrade_database
from artmarket.domain.languages import Language
from artmarket.settings import Settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the rest keep it off this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}
ARTIFACTS = Path(os.environ.get("ARTMARKET_E2E_ARTIFACTS", "test-artifacts/e2e")).resolve()
#: Screenshots are for people to look at: taken on a developer's machine, not in CI (where nobody
#: looks and each full-page capture costs a third of a second); `ARTMARKET_E2E_SCREENSHOTS=1` forces them.
SCREENSHOTS = os.environ.get(
    "ARTMARKET_E2E_SCREENSHOTS", "0" if os.environ.get("CI", "").lower() == "true" else "1"
) not in {"0", "false"}
_numbers = itertools.count(1)


def off_the_browser_loop(function: Callable[..., Any], *args: Any) -> Any:
    """Run `function` in another thread: Playwright's sync API keeps an event loop in this one."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(function, *args).result()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        reason = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Account:
    email: str
    display_name: str
    headers: dict[str, str]
    password: str = PASSWORD


@dataclass
class Seed:
    """Sets up the world a journey starts from, the way users and operators would: the REST API
    (and the CLI's use case for the first administrator). The pages under test are not used."""

    client: httpx.Client
    settings: Settings

    def email(self, role: str) -> str:
        return f"{role}{next(_numbers)}-{uuid.uuid4().hex[:6]}@example.com"

    def register(self, role: str, name: str | None = None) -> Account:
        email = self.email(role)
        display_name = name or role.title()
        answer = self.client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": display_name, "role": role},
        )
        assert answer.status_code == 201, answer.text
        return Account(email, display_name, self.login(email))

    def login(self, email: str) -> dict[str, str]:
        answer = self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def admin(self) -> Account:
        email = self.email("admin")
        off_the_browser_loop(asyncio.run, _create_admin(self.settings, email))
        return Account(email, "Administrator", self.login(email))

    def approved_artist(self, admin: Account, name: str = "Ada Obi") -> Account:
        artist = self.register("artist", name)
        case = self.client.post(
            "/api/v1/me/kyc",
            data={"legal_name": name, "country": "NG"},
            files={"id_document": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
            headers=artist.headers,
        )
        assert case.status_code == 201, case.text
        approved = self.client.post(f"/api/v1/admin/kyc/{case.json()['id']}/approve", headers=admin.headers)
        assert approved.status_code == 200, approved.text
        return artist

    def published_artwork(
        self,
        artist: Account,
        *,
        title: str = "Harmattan Light",
        medium: str = "painting",
        price: int = 2_500_000,
        currency: str = "NGN",
        **fields: Any,
    ) -> dict[str, Any]:
        body = {"title": title, "medium": medium, "price": {"amount": price, "currency": currency}, **fields}
        created = self.client.post("/api/v1/artworks", json=body, headers=artist.headers)
        assert created.status_code == 201, created.text
        artwork_id = created.json()["id"]
        uploaded = self.client.post(
            f"/api/v1/artworks/{artwork_id}/images",
            files={"file": ("work.png", png_bytes(64, 48), "image/png")},
            headers=artist.headers,
        )
        assert uploaded.status_code == 201, uploaded.text
        published = self.client.post(f"/api/v1/artworks/{artwork_id}/publish", headers=artist.headers)
        assert published.status_code == 200, published.text
        return dict(published.json())


async def _create_admin(settings: Settings, email: str) -> None:
    """The way operators do it (`artmarket users create-admin` runs this use case)."""
    container = make_container(settings)
    try:
        async with container() as scope:
            await (await scope.get(CreateAdmin))(email=email, password=PASSWORD)
    finally:
        await container.close()


@dataclass
class Live:
    base_url: str
    settings: Settings
    seed: Seed

    def url(self, path: str) -> str:
        return self.base_url + path


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The app on a free loopback port for one test module (its own SQLite database and files)."""
    port = free_port()
    data = tmp_path_factory.mktemp("live")
    settings = app_settings(data, public_base_url=f"http://127.0.0.1:{port}")
    off_the_browser_loop(upgrade_database, settings)
    with (
        live_server(create_app(settings), port) as base,
        httpx.Client(base_url=base, timeout=15) as client,
    ):
        yield Live(base, settings, Seed(client, settings))


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


#: The browser's locale per language: Chromium sends the matching Accept-Language.
LOCALES = {Language.ENGLISH: "en-GB", Language.FRENCH: "fr-FR"}


@pytest.fixture(params=list(LOCALES), ids=[language.value for language in LOCALES])
def language(request: pytest.FixtureRequest) -> Language:
    return Language(request.param)


class Speech:
    """What the pages say in one language, from the English message ids the templates use."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._catalog = translations(language)

    def __call__(self, message: str, **values: object) -> str:
        """`t("Sold for %(price)s", price=...)`: filled the way the templates' gettext fills it."""
        return self._catalog.gettext(message) % values

    def plural(self, singular: str, plural: str, count: int, **values: object) -> str:
        """`t.plural("%(num)d work", "%(num)d works", n)`: like the templates' ngettext (`num` given)."""
        return self._catalog.ngettext(singular, plural, count) % {"num": count, **values}

    def error(self, template: str, **values: object) -> str:
        """A domain error's text on a page: its `{name}` template translated, then filled."""
        return self._catalog.gettext(template).format(**values)

    def pattern(self, message: str, **values: object) -> re.Pattern[str]:
        """`message` translated as a regex: given values literal (a regex as itself), others anything."""
        parts = re.split(r"(%\(\w+\)s)", self._catalog.gettext(message))
        return re.compile(
            "".join(
                (_regex(values[part[2:-2]]) if part[2:-2] in values else ".+")
                if re.fullmatch(r"%\(\w+\)s", part)
                # Playwright reads a page's no-break spaces (French: « : ») as spaces.
                else r"\s+".join(re.escape(word) for word in re.split(r"\s+", part))
                for part in parts
            )
        )


def _regex(value: object) -> str:
    return value.pattern if isinstance(value, re.Pattern) else re.escape(str(value))


@pytest.fixture
def t(language: Language) -> Speech:
    """`t("Buy now")`: the text a page shows for that English message in the test's language."""
    return Speech(language)


@pytest.fixture
def money(language: Language) -> Callable[[int, str], str]:
    """`money(2_500_000, "NGN")`: an amount in minor units as the pages write it in the test's language."""

    def written(amount: int, currency: str) -> str:
        return money_text(amount, currency, language.value)

    return written


@dataclass
class ConsoleWatch:
    """Console errors and uncaught exceptions of one page; `allow` the ones a test expects."""

    errors: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def allow(self, text: str) -> None:
        self.allowed.append(text)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Error) -> None:
        self.errors.append(f"page error: {error}")

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed)]


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


def examine(page: Page, name: str, found: list[str]) -> None:
    """Run axe-core on the page as it is now; add its serious and critical violations to `found`."""
    violations = axe_violations(page)
    if violations:
        found.append(describe(f"{name} ({page.url})", violations))


@pytest.fixture
def inaccessible() -> list[str]:
    """The serious and critical axe-core violations found at this test's screenshots."""
    return []


@pytest.fixture
def shot(
    request: pytest.FixtureRequest, viewport: str, inaccessible: list[str]
) -> Callable[[Page, str], Path]:
    """`shot(page, "name")` saves a full-page screenshot under test-artifacts/e2e/ and runs
    axe-core on the page as shown: the points a journey photographs are its stable states."""
    counter = itertools.count(1)
    for old in ARTIFACTS.glob(f"{_slug(request.node.name)}-*.png") if SCREENSHOTS else ():
        old.unlink()  # this test's screenshots from an earlier run

    def take(page: Page, name: str) -> Path:
        path = ARTIFACTS / f"{_slug(request.node.name)}-{next(counter):02d}-{_slug(name)}.png"
        if SCREENSHOTS:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            # A generous timeout of its own: a full-page capture on a busy 2-core machine can take
            # longer than the 15 s every page action gets, and an artifact must not fail a test.
            page.screenshot(path=str(path), full_page=True, timeout=60_000)
        examine(page, name, inaccessible)
        return path

    return take


@pytest.fixture
def page(
    browser: Browser,
    live: Live,
    viewport: str,
    console: ConsoleWatch,
    shot: Callable[[Page, str], Path],
    language: Language,
    inaccessible: list[str],
) -> Iterator[Page]:
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],  # type: ignore[arg-type]
        base_url=live.base_url,
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
        device_scale_factor=1,
        locale=LOCALES[language],
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    opened.on("console", console.on_console)
    opened.on("pageerror", console.on_page_error)
    try:
        yield opened
        if not opened.is_closed():
            shot(opened, "end")
    finally:
        context.close()
    unexpected = console.unexpected()
    assert not unexpected, "errors in the browser console:\n" + "\n".join(unexpected)
    assert not inaccessible, "accessibility violations (serious or critical):\n" + "\n".join(inaccessible)


def open_menu(page: Page) -> None:
    """On a phone the navigation is behind the menu button; on a desktop it is always shown."""
    toggle = page.locator("#nav-toggle")
    if toggle.is_visible() and not toggle.is_checked():
        toggle.check()


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in_as(page: Page, email: str) -> str:
    """Sign in through the sign-in form's own request, without drawing the pages around it: for
    journeys about something else (the form itself is tested in test_foundation.py). Whoever was
    signed in before is signed out first. Returns where the form sends this account."""
    page.context.clear_cookies()
    form = page.request.get("/login")
    token = CSRF_INPUT.search(form.text())
    assert token is not None, "the sign-in page has no CSRF token"
    answer = page.request.post(
        "/login", form={"csrf_token": token[1], "email": email, "password": PASSWORD}, max_redirects=0
    )
    assert answer.status == 303, f"{email} could not sign in: {answer.status}"
    return answer.headers["location"]


#: `full`: every test that uses `page` runs at both sizes in both languages (4 runs). The default,
#: `pairs`, runs each twice, in both languages and at both sizes (phone in one language, desktop
#: in the other), alternating the pairing between tests so all four combinations are walked:
#: the full matrix doubled the e2e tier's time and CI has ten minutes.
MATRIX = os.environ.get("ARTMARKET_E2E_MATRIX", "pairs")
_PAIRINGS = ({("phone", "fr"), ("desktop", "en")}, {("phone", "en"), ("desktop", "fr")})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if MATRIX == "full":
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "viewport" in params and isinstance(params.get("language"), Language):
            name = getattr(item, "originalname", item.name)
            pairing = _PAIRINGS[zlib.crc32(name.encode()) % 2]
            if (params["viewport"], params["language"].value) not in pairing:
                dropped.append(item)
                continue
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if ARTIFACTS.exists() and any(ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"e2e screenshots: {ARTIFACTS}")
