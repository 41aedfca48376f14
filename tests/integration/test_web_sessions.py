"""Browser sessions over HTTP: cookies, rotation, revocation shared with the API's token families, CSRF."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp
from tests.support.api import PASSWORD, Api, app_settings, running_app

from artmarket.entrypoints.web.sessions import SESSION_COOKIE, WebConfig, WebState, safe_next

HTML = {"Accept": "text/html"}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def csrf_token(client: AsyncTestClient[ASGIApp], path: str = "/login") -> str:
    page = await client.get(path, headers=HTML)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


async def sign_in(client: AsyncTestClient[ASGIApp], email: str, next_url: str = "/") -> str:
    token = await csrf_token(client)
    answer = await client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD, "next": next_url},
        headers=HTML,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == next_url
    return answer.cookies[SESSION_COOKIE]


async def signed_in(client: AsyncTestClient[ASGIApp]) -> bool:
    answer = await client.get("/me", headers=HTML, follow_redirects=False)
    return answer.status_code == 200


async def new_buyer(api: Api) -> str:
    headers = await api.register("buyer")
    return str((await api.client.get("/api/v1/me", headers=headers)).json()["email"])


async def test_sign_in_sets_an_http_only_lax_session_cookie_and_rotates_the_session(api: Api) -> None:
    email = await new_buyer(api)
    before = await csrf_token(api.client)
    first = await sign_in(api.client, email)

    answer = await api.client.get("/me", headers=HTML)
    assert answer.status_code == 200
    assert email in answer.text
    assert await csrf_token(api.client, "/me") != before  # the CSRF seed was replaced at sign-in

    second = await sign_in(api.client, email, next_url="/me")
    assert second != first
    # The first session was revoked on the server, not merely forgotten by the browser.
    api.client.cookies.set(SESSION_COOKIE, first)
    assert not await signed_in(api.client)
    api.client.cookies.set(SESSION_COOKIE, second)
    assert await signed_in(api.client)


async def test_the_session_cookie_flags(api: Api) -> None:
    email = await new_buyer(api)
    token = await csrf_token(api.client)
    answer = await api.client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        headers=HTML,
        follow_redirects=False,
    )
    header = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in header
    assert "SameSite=lax" in header
    assert "Path=/" in header
    assert "Secure" not in header  # development over plain http; production below

    production = WebState(WebConfig(secure_cookies=True, key=b"k" * 32), None, "seed")
    production.start_session("t" * 43)
    assert all(
        cookie.secure and cookie.httponly and cookie.samesite == "lax" for cookie in production.outgoing
    )


async def test_signing_out_ends_the_session_on_the_server(api: Api) -> None:
    email = await new_buyer(api)
    session = await sign_in(api.client, email)
    token = await csrf_token(api.client, "/me")
    out = await api.client.post("/logout", data={"csrf_token": token}, headers=HTML, follow_redirects=False)
    assert out.status_code == 303
    api.client.cookies.set(SESSION_COOKIE, session)
    assert not await signed_in(api.client)


async def test_suspending_the_user_ends_their_browser_session(api: Api) -> None:
    admin = await api.admin()
    buyer = await api.register("buyer")
    me = (await api.client.get("/api/v1/me", headers=buyer)).json()
    await sign_in(api.client, me["email"])
    assert await signed_in(api.client)

    suspended = await api.client.post(
        f"/api/v1/admin/users/{me['id']}/suspend", json={"reason": "fraud report"}, headers=admin
    )
    assert suspended.status_code == 200, suspended.text
    answer = await api.client.get("/me", headers=HTML, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/me"


async def test_a_password_reset_through_the_api_ends_browser_sessions_too(api: Api) -> None:
    email = await new_buyer(api)
    await sign_in(api.client, email)
    headers = await api.login(email)
    changed = await api.client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "another long password"},
        headers=headers,
    )
    assert changed.status_code in (200, 204), changed.text
    assert not await signed_in(api.client)


async def test_posts_without_the_csrf_token_are_refused_and_change_nothing(api: Api) -> None:
    email = await new_buyer(api)
    await sign_in(api.client, email)
    token = await csrf_token(api.client, "/me")

    refused = await api.client.post("/me", data={"display_name": "Hacker"}, headers=HTML)
    wrong = await api.client.post(
        "/me", data={"display_name": "Hacker", "csrf_token": "x" * 43}, headers=HTML
    )
    assert refused.status_code == wrong.status_code == 403
    assert "did not come from this site" in refused.text
    assert "Hacker" not in (await api.client.get("/me", headers=HTML)).text

    by_header = await api.client.post(
        "/me",
        data={"display_name": "Bola A."},
        headers={**HTML, "X-CSRF-Token": token},
        follow_redirects=False,
    )
    assert by_header.status_code == 303
    assert "Bola A." in (await api.client.get("/me", headers=HTML)).text


async def test_a_session_cookie_never_authenticates_the_rest_api(api: Api) -> None:
    email = await new_buyer(api)
    await sign_in(api.client, email)
    assert (await api.client.get("/api/v1/me")).status_code == 401


async def test_error_pages_for_browsers_and_problems_for_api_clients(api: Api) -> None:
    page = await api.client.get("/nowhere", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["x-request-id"] in page.text
    problem = await api.client.get("/nowhere")
    assert problem.headers["content-type"].startswith("application/problem+json")
    fragment = await api.client.get("/nowhere", headers={"HX-Request": "true"})
    assert fragment.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/me/orders?status=paid", "/me/orders?status=paid"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_next_only_goes_to_paths_on_this_site(candidate: str | None, expected: str) -> None:
    assert safe_next(candidate) == expected
