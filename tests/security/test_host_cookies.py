"""The page cookies carry the `__Host-` prefix on deployed profiles (Secure, Path=/, no Domain),
so neither a sibling subdomain nor a plain-http answer can plant a session or a CSRF seed;
development over plain http keeps the bare names browsers accept there
(tests/integration/test_web_sessions.py signs in over http with them)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.types import Message, Receive, ReceiveMessage, Scope, Send

from artmarket.entrypoints.web.sessions import (
    CSRF_COOKIE,
    FLASH_COOKIE,
    SESSION_COOKIE,
    WebConfig,
    WebSessionMiddleware,
    WebState,
)
from artmarket.settings import Settings

SESSION_TOKEN = "s" * 43
SECRET = "a-deployed-jwt-secret-of-at-least-32-characters"


def config_of(profile: str) -> WebConfig:
    return WebConfig.from_settings(Settings(profile=profile, jwt_secret=SECRET))  # type: ignore[arg-type]


def set_cookie_headers(config: WebConfig) -> list[str]:
    """What a sign-in with a flash message sends: session, CSRF seed and flash cookies."""
    state = WebState(config, None, "")
    state.start_session(SESSION_TOKEN)
    state.flash("Welcome back.")
    return [cookie.to_header(header="") for cookie in state.outgoing]


@pytest.mark.parametrize("profile", ["staging", "production"])
def test_deployed_profiles_send_host_only_cookies(profile: str) -> None:
    headers = set_cookie_headers(config_of(profile))

    names = sorted(header.split("=", 1)[0] for header in headers)
    assert names == sorted(f"__Host-{name}" for name in (SESSION_COOKIE, CSRF_COOKIE, FLASH_COOKIE))
    for header in headers:
        attributes = [part.strip().lower() for part in header.split(";")[1:]]
        assert "secure" in attributes, header
        assert "path=/" in attributes, header
        assert not any(part.startswith("domain") for part in attributes), header


async def session_seen(config: WebConfig, cookie_header: str) -> str | None:
    """The session token the page middleware reads from a request's `Cookie` header."""
    seen: dict[str, WebState] = {}

    async def page(scope: Scope, receive: Receive, send: Send) -> None:
        seen["web"] = scope["state"]["web"]

    async def receive() -> ReceiveMessage:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        return None

    scope: Any = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"cookie", cookie_header.encode())],
    }
    await WebSessionMiddleware(page, config)(scope, receive, send)
    return seen["web"].session_token


async def test_deployed_profiles_read_only_the_host_only_session_cookie() -> None:
    deployed = config_of("staging")

    assert await session_seen(deployed, f"__Host-{SESSION_COOKIE}={SESSION_TOKEN}") == SESSION_TOKEN
    # A bare-named cookie could come from a sibling subdomain (Domain=) or plain http: ignored.
    assert await session_seen(deployed, f"{SESSION_COOKIE}={SESSION_TOKEN}") is None
