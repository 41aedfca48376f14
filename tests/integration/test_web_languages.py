"""The public pages in French (#20 §7): the browser's language or the footer switcher decides,
a signed-in user's choice is kept on the account, and what the page says is French, prices,
countries and statuses included."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import pytest
from tests.integration.test_web_pages import HTML, page_token, sign_in_browser
from tests.support.api import Api, app_settings, running_app

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.languages import Language

FRENCH = {**HTML, "Accept-Language": "fr-SN,fr;q=0.9"}
ENGLISH = {**HTML, "Accept-Language": "en"}
NBSP, NNBSP = "\N{NO-BREAK SPACE}", "\N{NARROW NO-BREAK SPACE}"
APOSTROPHE = "\N{RIGHT SINGLE QUOTATION MARK}"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def an_artist_selling(api: Api) -> str:
    """An artist in Côte d'Ivoire with one physical painting for sale; its id."""
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    saved = await api.client.put(
        "/api/v1/me/artist-profile", json={"display_name": "Awa Koné", "country": "CI"}, headers=artist
    )
    assert saved.status_code == 200, saved.text
    physical = {
        "kind": "physical",
        "weight_grams": 4000,
        "shipping_rates": [{"countries": ["CI"], "price": {"amount": 250_000, "currency": "NGN"}}],
    }
    work = await api.published_artwork(artist, title="Lagune", price=18_600_000, delivery=physical)
    return str(work["id"])


async def test_the_gallery_answers_in_the_language_the_browser_prefers(api: Api) -> None:
    await an_artist_selling(api)

    answer = await api.client.get("/", headers=FRENCH)

    page = answer.text
    assert answer.headers["content-language"] == "fr"
    assert '<html lang="fr">' in page
    assert ">Galerie</a>" in page
    assert ">Se connecter</a>" in page
    assert ">Créer un compte</a>" in page
    assert "<h1>Des œuvres originales, avec certificat</h1>" in page
    assert "Peinture · Physique</p>" in page
    assert f"Expédié depuis{NBSP}: Côte d{APOSTROPHE}Ivoire</p>" in page
    # Babel's French: a narrow no-break space groups thousands, the sign after the amount.
    assert re.search(rf'<strong class="price">186{NNBSP}000{NBSP}(₦|NGN)</strong>', page), page
    assert 'aria-current="true">Français</button>' in page
    assert ">Gallery</a>" not in page


async def test_a_works_page_and_an_error_page_speak_french(api: Api) -> None:
    work = await an_artist_selling(api)

    artwork = (await api.client.get(f"/artworks/{work}", headers=FRENCH)).text
    missing = await api.client.get("/artworks/00000000-0000-4000-8000-000000000000", headers=FRENCH)

    assert 'id="artwork-status">Disponible</span>' in artwork
    assert "<dt>Technique</dt><dd>Peinture</dd>" in artwork
    assert ">Acheter</a>" in artwork
    assert '<meta property="og:title" content="Lagune, par Awa Koné">' in artwork
    assert (
        f'<meta name="description" content="Lagune, par Awa Koné · 186{NNBSP}000{NBSP}₦ · Peinture">'
        in artwork
    )
    assert missing.status_code == 404
    assert '<h1 id="error-title">Page introuvable</h1>' in missing.text
    assert ">Retour à la galerie</a>" in missing.text


async def test_the_switcher_keeps_the_choice_over_the_browsers_language(api: Api) -> None:
    token = await page_token(api.client, "/")

    chosen = await api.client.post(
        "/language",
        data={"csrf_token": token, "language": "fr", "next": "/login"},
        headers=ENGLISH,
        follow_redirects=False,
    )
    after = await api.client.get("/login", headers=ENGLISH)

    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/login"
    assert any(
        cookie.name.endswith("artmarket_language") and cookie.value == "fr"
        for cookie in api.client.cookies.jar
    )
    assert after.headers["content-language"] == "fr"
    assert '<html lang="fr">' in after.text
    assert "<h1>Se connecter</h1>" in after.text
    assert ">Mot de passe oublié" in after.text


async def test_a_signed_in_users_choice_is_kept_on_the_account(api: Api) -> None:
    buyer = await api.register("buyer", "Fatou Diop")
    me = await sign_in_browser(api, buyer)
    token = await page_token(api.client, "/me")

    chosen = await api.client.post(
        "/language",
        data={"csrf_token": token, "language": "fr", "next": "/me"},
        headers=ENGLISH,
        follow_redirects=False,
    )

    assert chosen.status_code == 303
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            user = await uow.users.get(UUID(me["id"]))
    assert user is not None
    assert user.language is Language.FRENCH
    account = (await api.client.get("/me", headers=ENGLISH)).text
    assert "<h1>Votre compte</h1>" in account
    assert "<dd>Acheteur</dd>" in account
