"""Browser sessions, CSRF tokens, flash messages and the login guards of the pages.

A browser session *is* a token family (the same sessions the REST API's refresh tokens
belong to): `Login` starts one and the `artmarket_session` cookie carries its live refresh
token, which the pages never rotate. `AuthenticateSession` checks it on every page, so a
logout, a password reset or a suspension ends the browser session like any API session.

CSRF: every browser gets a random `artmarket_csrf` seed cookie; a form's token is an HMAC of
that seed and the session's family id under a key derived from the signing secret. Forms
carry it as the hidden field `csrf_token`, HTMX requests as the `X-CSRF-Token` header
(`app.js` adds it). The seed is replaced at sign-in and sign-out.

On deployed profiles (https) every page cookie is named `__Host-<name>`: browsers accept such
a cookie only if it is Secure, has Path=/ and no Domain, so a sibling subdomain or a plain
http answer cannot plant or overwrite a session or CSRF seed. Development over plain http
keeps the bare names (browsers refuse `__Host-` without Secure).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from enum import Enum
from http.cookies import SimpleCookie
from typing import Any, Final
from urllib.parse import quote, urlsplit

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Guard, Message, Receive, Scope, Send

from artmarket.application.errors import NotAuthenticated
from artmarket.application.i18n import negotiate, set_language
from artmarket.application.identity.sessions import REFRESH_TOKEN_TTL, AuthenticateSession
from artmarket.application.principal import Principal
from artmarket.domain.errors import NotAllowed
from artmarket.domain.identity import Role
from artmarket.domain.languages import Language
from artmarket.settings import Settings

SESSION_COOKIE: Final = "artmarket_session"
CSRF_COOKIE: Final = "artmarket_csrf"
FLASH_COOKIE: Final = "artmarket_flash"
#: The language chosen with the switcher; without it, the browser's `Accept-Language` decides.
LANGUAGE_COOKIE: Final = "artmarket_language"
#: A choice of language is remembered for a year.
LANGUAGE_MAX_AGE: Final = 365 * 24 * 3600
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
HOST_ONLY_PREFIX: Final = "__Host-"

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,128}$")


class _Unchecked(Enum):
    """The principal of a request not yet looked up (None means: looked up, nobody)."""

    UNCHECKED = "unchecked"


_UNSET: Final = _Unchecked.UNCHECKED


@dataclass(frozen=True, slots=True)
class WebConfig:
    """What the pages' cookies need from settings."""

    secure_cookies: bool
    key: bytes
    session_max_age: int = int(REFRESH_TOKEN_TTL.total_seconds())

    @classmethod
    def from_settings(cls, settings: Settings) -> WebConfig:
        # A key of its own, derived from the signing secret: no new secret to manage.
        key = hmac.new(settings.jwt_secret.encode(), b"artmarket web pages", hashlib.sha256).digest()
        return cls(secure_cookies=settings.is_deployed, key=key)

    def cookie_name(self, name: str) -> str:
        """The name `name` travels under: `__Host-` prefixed when cookies are Secure (https)."""
        return HOST_ONLY_PREFIX + name if self.secure_cookies else name

    def sign(self, text: str) -> str:
        digest = hmac.new(self.key, text.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(slots=True)
class WebState:
    """One request's view of the browser: its cookies, and the cookies to send back."""

    config: WebConfig
    session_token: str | None
    csrf_seed: str
    flash_message: str | None = None
    language: Language = Language.ENGLISH
    principal: Principal | _Unchecked | None = _UNSET
    outgoing: list[Cookie] = field(default_factory=list)

    def cookie(self, key: str, value: str | None, *, max_age: int | None = None) -> None:
        """Queue a cookie (HttpOnly, SameSite=Lax, Path=/, no Domain; Secure and `__Host-` in
        production); `value=None` deletes it."""
        name = self.config.cookie_name(key)
        self.outgoing = [c for c in self.outgoing if c.key != name]
        self.outgoing.append(
            Cookie(
                key=name,
                value=value or "",
                max_age=0 if value is None else max_age,
                path="/",
                httponly=True,
                samesite="lax",
                secure=self.config.secure_cookies,
            )
        )

    def start_session(self, session_token: str) -> None:
        """Sign in: a new session cookie and a new CSRF seed (nothing from before survives)."""
        self.session_token = session_token
        self.cookie(SESSION_COOKIE, session_token, max_age=self.config.session_max_age)
        self.rotate_csrf_seed()
        self.principal = _UNSET

    def end_session(self) -> None:
        self.session_token = None
        self.principal = None
        self.cookie(SESSION_COOKIE, None)
        self.rotate_csrf_seed()

    def rotate_csrf_seed(self) -> None:
        self.csrf_seed = secrets.token_urlsafe(32)
        self.cookie(CSRF_COOKIE, self.csrf_seed)

    def csrf_token(self) -> str:
        """The token forms of this page must send back (bound to the seed and the session)."""
        principal = None if self.principal is _UNSET else self.principal
        binding = principal.family_id.hex if principal is not None else "-"
        return self.config.sign(f"csrf|{self.csrf_seed}|{binding}")

    def flash(self, message: str) -> None:
        """Show `message` once, on the next page rendered for this browser."""
        encoded = base64.urlsafe_b64encode(message.encode()).decode().rstrip("=")
        self.cookie(FLASH_COOKIE, f"{encoded}.{self.config.sign('flash|' + encoded)}")

    def take_flash(self) -> str | None:
        message, self.flash_message = self.flash_message, None
        if message is not None:
            self.cookie(FLASH_COOKIE, None)
        return message


class WebSessionMiddleware:
    """Reads the page cookies into `scope["state"]["web"]` and writes the queued ones back."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        jar = _cookies(scope)
        session = jar.get(self.config.cookie_name(SESSION_COOKIE))
        seed = jar.get(self.config.cookie_name(CSRF_COOKIE))
        state = WebState(
            self.config,
            session if session and _TOKEN.fullmatch(session) else None,
            seed if seed and _TOKEN.fullmatch(seed) else "",
            _read_flash(self.config, jar.get(self.config.cookie_name(FLASH_COOKIE))),
        )
        if not state.csrf_seed:
            state.rotate_csrf_seed()
        state.language = page_language(
            jar.get(self.config.cookie_name(LANGUAGE_COOKIE)), _header(scope, b"accept-language")
        )
        # Templates, filters and flash messages of this request speak it (a context variable).
        set_language(state.language)
        scope.setdefault("state", {})["web"] = state

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                for cookie in state.outgoing:
                    headers.append((b"set-cookie", cookie.to_header(header="").encode("latin-1")))
                headers.append((b"content-language", state.language.value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookies)


def web_state(connection: ASGIConnection[Any, Any, Any, Any]) -> WebState:
    state: WebState = connection.scope["state"]["web"]
    return state


async def current_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The signed-in user of this browser, or None; checked once per request, against the database."""
    web = web_state(connection)
    if web.principal is not _UNSET:
        return web.principal
    principal: Principal | None = None
    if web.session_token:
        authenticate = await connection.state.dishka_container.get(AuthenticateSession)
        try:
            principal = await authenticate(web.session_token)
        except NotAuthenticated:
            web.end_session()
    web.principal = principal
    if principal is not None:
        # http/auth.PrincipalProvider answers FromDishka[Principal] with this on page routes.
        state: dict[str, Any] = connection.scope["state"]
        state["session_principal"] = principal
        state["user_id"] = str(principal.id)
    return principal


class CsrfRejected(NotAllowed):
    default_message = "This form has expired or did not come from this site. Reload the page and try again."


async def verify_csrf(request: Request[Any, Any, Any]) -> None:
    """`before_request` hook of the page router: every unsafe request proves it came from our page."""
    if request.method in SAFE_METHODS:
        return
    await current_principal(request)  # the token is bound to the session
    expected = web_state(request).csrf_token()
    presented = request.headers.get(CSRF_HEADER)
    if presented is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        presented = value if isinstance(value, str) else None
    if not presented or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise CsrfRejected()


class LoginRequired(Exception):
    """Raised by the page guards; answered with a redirect to the login page and back."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def here(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """Where to come back to after signing in: this page; for HTMX requests the page that made
    them; for a form post the page the form was on (a POST cannot be replayed by a redirect)."""
    current = connection.headers.get("hx-current-url")
    if not current and connection.scope.get("method", "GET") not in SAFE_METHODS:
        current = connection.headers.get("referer")
        host = connection.headers.get("host")
        if not current or urlsplit(current).netloc != host:
            return "/"
    if current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    query = connection.scope.get("query_string", b"").decode("latin-1")
    return connection.scope["path"] + (f"?{query}" if query else "")


def login_url(next_url: str) -> str:
    return f"/login?next={quote(safe_next(next_url), safe='/')}"


def safe_next(next_url: str | None, default: str = "/") -> str:
    """Only paths on this site: never `//evil.example` or a scheme."""
    if not next_url or not next_url.startswith("/") or next_url.startswith(("//", "/\\")):
        return default
    if any(c in next_url for c in "\r\n\\"):
        return default
    return next_url


async def page_requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: a signed-in, active user; anyone else is sent to the login page and back."""
    if await current_principal(connection) is None:
        raise LoginRequired(here(connection))


def page_requires_role(role: Role) -> Guard:
    """Guard: a signed-in user holding `role` (others signed in get the 403 page)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        principal = await current_principal(connection)
        if principal is None:
            raise LoginRequired(here(connection))
        if not principal.has_role(role):
            raise NotAllowed("This page is for {role}s.", role=role.value)

    guard.__name__ = f"page_requires_{role.value}"
    return guard


async def require_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The signed-in user inside a handler guarded by `page_requires_*`."""
    principal = await current_principal(connection)
    if principal is None:
        raise LoginRequired(here(connection))
    return principal


def page_language(chosen: str | None, accept_language: str | None) -> Language:
    """The switcher's choice, else the browser's preference among ours, else English."""
    return Language.of(chosen) or negotiate(accept_language) or Language.default()


def speak_as_asked(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Set the page language for a request the session middleware did not see (an unknown path's 404)."""
    cookies = connection.cookies
    chosen = cookies.get(HOST_ONLY_PREFIX + LANGUAGE_COOKIE) or cookies.get(LANGUAGE_COOKIE)
    set_language(page_language(chosen, connection.headers.get("accept-language")))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key.lower() == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: S112 - a malformed cookie header is as good as none
                continue
    return {name: morsel.value for name, morsel in jar.items()}


def _read_flash(config: WebConfig, raw: str | None) -> str | None:
    if not raw or "." not in raw:
        return None
    encoded, _, signature = raw.partition(".")
    if not hmac.compare_digest(signature.encode(), config.sign("flash|" + encoded).encode()):
        return None
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()[:300]
    except ValueError:
        return None
