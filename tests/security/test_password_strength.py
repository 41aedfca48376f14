"""Common, breached and self-describing passwords are refused with a reason, wherever a password
is chosen: sign-up (API and page), password change, password reset and the operator's CLI."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.support.api import PASSWORD, Api, app_settings, running_app
from tests.support.peers import HTML, csrf_token

from artmarket.application.identity.registration import CreateAdmin
from artmarket.domain.identity import WeakPassword

#: Each is at least 12 characters long, so the length rule alone let every one of them in.
COMMON = ("qwerty123456", "password1234", "Password2024!", "iloveyou1234", "aaaaaaaaaaaa")


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


def _refused_password(answer: httpx.Response) -> str:
    assert answer.status_code == 422, answer.text
    problem: dict[str, Any] = answer.json()
    (error,) = problem["errors"]
    assert error["field"] == "password"
    return str(error["message"])


@pytest.mark.parametrize("password", COMMON)
async def test_sign_up_refuses_a_common_password_and_says_why(api: Api, password: str) -> None:
    answer = await api.client.post(
        "/api/v1/auth/register",
        json={"email": "ada@example.com", "password": password, "display_name": "Ada", "role": "buyer"},
    )
    message = _refused_password(answer)
    assert message.startswith("This password is too easy to guess.")
    credentials = {"email": "ada@example.com", "password": password}
    login = await api.client.post("/api/v1/auth/login", json=credentials)
    assert login.status_code == 401  # nothing was created


async def test_a_password_made_of_the_accounts_own_name_is_refused(api: Api) -> None:
    answer = await api.client.post(
        "/api/v1/auth/register",
        json={
            "email": "harmattan@example.com",
            "password": "Harmattan Light 2026",
            "display_name": "Harmattan Light",
            "role": "artist",
        },
    )
    _refused_password(answer)


async def test_the_sign_up_page_shows_the_reason_beside_the_password(api: Api) -> None:
    token = await csrf_token(api.client, "/register")
    answer = await api.client.post(
        "/register",
        data={
            "csrf_token": token,
            "email": "ada@example.com",
            "password": "qwerty123456",
            "password_again": "qwerty123456",
            "display_name": "Ada",
            "role": "buyer",
        },
        headers=HTML,
    )
    assert answer.status_code == 422
    assert "This is a very common password." in answer.text


async def test_the_sign_up_page_in_french_says_why_in_french_while_the_api_stays_english(api: Api) -> None:
    form = {
        "email": "ada@example.com",
        "password": "qwerty123456",
        "password_again": "qwerty123456",
        "display_name": "Ada",
        "role": "buyer",
    }
    french = {**HTML, "Accept-Language": "fr"}
    token = await csrf_token(api.client, "/register")
    answer = await api.client.post("/register", data={"csrf_token": token, **form}, headers=french)
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert "Ce mot de passe est trop facile à deviner. C'est un mot de passe très courant." in page
    assert "too easy to guess" not in page
    assert "This is a very common password." not in page
    refused = await api.client.post(
        "/api/v1/auth/register",
        json={key: form[key] for key in ("email", "password", "display_name", "role")},
        headers={"Accept-Language": "fr"},
    )
    assert _refused_password(refused).startswith("This password is too easy to guess. This is a very common")


async def test_a_password_change_to_a_common_password_is_refused(api: Api) -> None:
    buyer = await api.register("buyer")
    answer = await api.client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "Password2024!"},
        headers=buyer,
    )
    _refused_password(answer)
    assert (await api.client.get("/api/v1/me", headers=buyer)).status_code == 200  # still signed in


async def test_a_reset_to_a_common_password_is_refused_before_the_link_is_even_read(api: Api) -> None:
    answer = await api.client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": "x" * 43, "password": "iloveyou1234"}
    )
    assert "too easy to guess" in _refused_password(answer)


async def test_an_operator_cannot_create_an_admin_with_a_common_password(api: Api) -> None:
    async with api.container() as scope:
        create_admin = await scope.get(CreateAdmin)
        with pytest.raises(WeakPassword):
            await create_admin(email="root@example.com", password="password1234")
        await create_admin(email="root@example.com", password=PASSWORD)  # a good one is taken
