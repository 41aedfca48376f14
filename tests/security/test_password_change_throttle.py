"""The current-password check of a password change is throttled like a sign-in: wrong passwords
count per account and per client address in the sign-in counters, so a stolen session gives no
more guesses than the sign-in form does."""

from __future__ import annotations

from pathlib import Path

from tests.support.api import PASSWORD, app_settings, running_app
from tests.support.peers import HTML, Peers, csrf_token

NEW_PASSWORD = "violet kettle under snow"


async def test_wrong_current_passwords_lock_the_change_and_the_sign_in_of_the_account(tmp_path: Path) -> None:
    settings = app_settings(tmp_path, login_max_failures_per_account="3")
    async with running_app(settings, network=Peers("203.0.113.9")) as api:
        buyer = await api.register("buyer")
        email = (await api.client.get("/api/v1/me", headers=buyer)).json()["email"]

        def change(current: str) -> dict[str, str]:
            return {"current_password": current, "new_password": NEW_PASSWORD}

        for guess in ("guess one", "guess two", "guess three"):
            wrong = await api.client.post("/api/v1/me/password", json=change(guess), headers=buyer)
            assert wrong.status_code == 401, wrong.text

        right = await api.client.post("/api/v1/me/password", json=change(PASSWORD), headers=buyer)
        assert right.status_code == 429, right.text
        assert right.json()["type"].endswith("/rate-limited")
        assert int(right.headers["Retry-After"]) > 0
        login = await api.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 429  # the same counter as the sign-in form's
        login = await api.client.post("/api/v1/auth/login", json={"email": email, "password": NEW_PASSWORD})
        assert login.status_code == 429  # and the password did not change


async def test_wrong_current_passwords_from_one_address_are_counted_across_accounts(tmp_path: Path) -> None:
    settings = app_settings(tmp_path, login_max_failures_per_address="2")
    peers = Peers("203.0.113.9")
    async with running_app(settings, network=peers) as api:
        first, second, third = [await api.register("buyer") for _ in range(3)]
        for buyer in (first, second):
            wrong = await api.client.post(
                "/api/v1/me/password",
                json={"current_password": "not it at all", "new_password": NEW_PASSWORD},
                headers=buyer,
            )
            assert wrong.status_code == 401

        refused = await api.client.post(
            "/api/v1/me/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=third,
        )
        assert refused.status_code == 429

        peers.address = "198.51.100.20"
        changed = await api.client.post(
            "/api/v1/me/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=third,
        )
        assert changed.status_code == 204, changed.text


async def test_the_profile_page_is_throttled_the_same_way(tmp_path: Path) -> None:
    settings = app_settings(tmp_path, login_max_failures_per_account="1")
    async with running_app(settings, network=Peers("203.0.113.9")) as api:
        email = "page-owner@example.com"
        registered = await api.client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": "Page Owner", "role": "buyer"},
        )
        assert registered.status_code == 201
        token = await csrf_token(api.client, "/login")
        signed_in = await api.client.post(
            "/login", data={"csrf_token": token, "email": email, "password": PASSWORD}, headers=HTML
        )
        assert signed_in.status_code == 200

        async def change(current: str) -> int:
            token = await csrf_token(api.client, "/me")
            answer = await api.client.post(
                "/me/password",
                data={
                    "csrf_token": token,
                    "current_password": current,
                    "new_password": NEW_PASSWORD,
                    "password_again": NEW_PASSWORD,
                },
                headers=HTML,
            )
            return answer.status_code

        # Shown beside the field, as before (now on /me, after the failed form's redirect).
        assert await change("a wrong guess") == 422
        assert await change(PASSWORD) == 429
