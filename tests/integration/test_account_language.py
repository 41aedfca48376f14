"""An account's language (that of its emails) over HTTP: set at sign-up, by the API or by the
language of the registration page, shown and changed on /me; any other language is a 422."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.api import PASSWORD, Api, app_settings, running_app
from tests.support.peers import HTML, csrf_token

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.identity import Email, User
from artmarket.domain.languages import Language


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def sign_up(api: Api, email: str, **extra: str) -> Any:
    body = {"email": email, "password": PASSWORD, "display_name": "Awa", "role": "buyer", **extra}
    return await api.client.post("/api/v1/auth/register", json=body)


async def language_of(api: Api, email: str) -> Language:
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            user: User | None = await uow.users.get_by_email(Email(email))
    assert user is not None
    return user.language


async def test_an_account_signed_up_in_french_is_french_and_can_switch_to_english(api: Api) -> None:
    created = await sign_up(api, "awa@example.com", language="fr")
    assert created.status_code == 201, created.text
    assert created.json()["language"] == "fr"
    headers = await api.login("awa@example.com")

    assert (await api.client.get("/api/v1/me", headers=headers)).json()["language"] == "fr"
    changed = await api.client.patch("/api/v1/me", json={"language": "en"}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["language"] == "en"
    assert await language_of(api, "awa@example.com") is Language.ENGLISH


async def test_an_account_signed_up_without_a_language_is_english(api: Api) -> None:
    created = await sign_up(api, "bola@example.com")
    assert created.status_code == 201, created.text
    assert created.json()["language"] == "en"


@pytest.mark.parametrize("language", ["de", "fr-SN"])
async def test_a_language_we_do_not_speak_is_refused_and_changes_nothing(api: Api, language: str) -> None:
    refused = await sign_up(api, "eve@example.com", language=language)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "language"
    assert (
        await api.client.post("/api/v1/auth/login", json={"email": "eve@example.com", "password": PASSWORD})
    ).status_code == 401

    await sign_up(api, "eve@example.com", language="fr")
    headers = await api.login("eve@example.com")
    patched = await api.client.patch("/api/v1/me", json={"language": language}, headers=headers)
    assert patched.status_code == 422, patched.text
    assert await language_of(api, "eve@example.com") is Language.FRENCH


async def test_signing_up_on_the_french_registration_page_makes_a_french_account(api: Api) -> None:
    french = {**HTML, "Accept-Language": "fr-SN,fr;q=0.9"}
    token = await csrf_token(api.client, "/register")
    answer = await api.client.post(
        "/register",
        data={
            "csrf_token": token,
            "email": "fatou@example.com",
            "display_name": "Fatou",
            "role": "buyer",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
        headers=french,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert await language_of(api, "fatou@example.com") is Language.FRENCH
