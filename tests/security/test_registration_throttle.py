"""Sign-ups are throttled per client address (ARTMARKET_REGISTRATIONS_PER_ADDRESS_PER_HOUR), on
the API and on the web page alike: a refused sign-up creates nothing, other addresses go on."""

from __future__ import annotations

import itertools
from pathlib import Path

from tests.support.api import PASSWORD, app_settings, running_app
from tests.support.peers import HTML, Peers, csrf_token

_emails = (f"newcomer{n}@example.com" for n in itertools.count(1))


def _registration() -> dict[str, str]:
    return {"email": next(_emails), "password": PASSWORD, "display_name": "Newcomer", "role": "buyer"}


async def test_the_api_refuses_sign_ups_over_the_limit_from_one_address_with_429(tmp_path: Path) -> None:
    peers = Peers("203.0.113.9")
    settings = app_settings(tmp_path, registrations_per_address_per_hour="3")
    async with running_app(settings, network=peers) as api:
        for _ in range(3):
            created = await api.client.post("/api/v1/auth/register", json=_registration())
            assert created.status_code == 201, created.text

        refused_body = _registration()
        refused = await api.client.post("/api/v1/auth/register", json=refused_body)
        assert refused.status_code == 429, refused.text
        assert refused.json()["type"].endswith("/rate-limited")
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        signed_in = await api.client.post(
            "/api/v1/auth/login", json={"email": refused_body["email"], "password": PASSWORD}
        )
        assert signed_in.status_code == 401  # the refused sign-up created no account

        peers.address = "198.51.100.20"
        other = await api.client.post("/api/v1/auth/register", json=_registration())
        assert other.status_code == 201, other.text


async def test_the_sign_up_page_counts_against_the_same_limit(tmp_path: Path) -> None:
    peers = Peers("203.0.113.9")
    settings = app_settings(tmp_path, registrations_per_address_per_hour="2")
    async with running_app(settings, network=peers) as api:
        created = await api.client.post("/api/v1/auth/register", json=_registration())
        assert created.status_code == 201, created.text

        async def sign_up_on_the_page() -> int:
            api.client.cookies.clear()  # a new visitor each time, as a bot would be
            fields = _registration()
            token = await csrf_token(api.client, "/register")
            answer = await api.client.post(
                "/register",
                data={**fields, "password_again": fields["password"], "csrf_token": token},
                headers=HTML,
                follow_redirects=False,
            )
            return answer.status_code

        assert await sign_up_on_the_page() == 303
        assert await sign_up_on_the_page() == 429
        refused = await api.client.post("/api/v1/auth/register", json=_registration())
        assert refused.status_code == 429
