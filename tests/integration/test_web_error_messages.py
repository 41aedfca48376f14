"""#20 §7, error messages: a page shows a domain error in the page's language, the API's problem
document for the same input stays English. In-process app on SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from html import unescape
from pathlib import Path

import pytest
from tests.integration.test_web_console import HTML, csrf, email_of, sign_in
from tests.integration.test_web_forms import error_beside
from tests.support.api import Api, app_settings, running_app

NBSP = "\u00a0"
FRENCH = {**HTML, "Accept-Language": "fr"}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def test_a_short_password_is_refused_in_french_on_the_page_and_in_english_by_the_api(api: Api) -> None:
    short = {"email": "ada@example.com", "display_name": "Ada", "role": "buyer", "password": "too short"}

    token = await csrf(api.client, "/register")
    page = await api.client.post(
        "/register", data={"csrf_token": token, **short, "password_again": "too short"}, headers=FRENCH
    )
    problem = await api.client.post("/api/v1/auth/register", json=short, headers={"Accept-Language": "fr"})

    assert page.status_code == 422
    assert error_beside(page.text, "password") == "Un mot de passe compte de 12 à 256 caractères."
    assert problem.status_code == 422
    assert [error["message"] for error in problem.json()["errors"]] == [
        "A password has 12 to 256 characters."
    ]


async def test_an_error_with_a_value_is_filled_into_its_french_template(api: Api) -> None:
    artist = await api.register("artist", "Ada Obi")
    await sign_in(api.client, await email_of(api, artist))

    token = await csrf(api.client, "/artist/profile")
    page = await api.client.post(
        "/artist/profile",
        data={"csrf_token": token, "display_name": "Ada Obi", "country": "QQ"},
        headers=FRENCH,
    )
    problem = await api.client.put(
        "/api/v1/me/artist-profile",
        json={"display_name": "Ada", "bio": "", "country": "QQ"},
        headers={**artist, "Accept-Language": "fr"},
    )

    assert unescape(error_beside(page.text, "country")) == (
        f"«{NBSP}QQ{NBSP}» n'est pas un code pays ISO 3166-1 alpha-2 comme SN."
    )
    assert [error["message"] for error in problem.json()["errors"]] == [
        "'QQ' is not an ISO 3166-1 alpha-2 country code such as NG."
    ]


async def test_the_error_page_speaks_french(api: Api) -> None:
    buyer = await api.register("buyer", "Bola")
    await sign_in(api.client, await email_of(api, buyer))

    refused = await api.client.get("/artist/kyc", headers=FRENCH)

    assert refused.status_code == 403
    assert "Vous ne pouvez pas faire cela" in refused.text
    assert f"Cette page est réservée aux comptes «{NBSP}artist{NBSP}»." in unescape(refused.text)
    assert "Identifiant de requête" in refused.text
