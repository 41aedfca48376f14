"""The artist's studio in French (`Accept-Language: fr`): headings, the publish checklist,
choices, buttons, form errors and flash messages; the same pages stay English without it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.integration.test_web_console import HTML, email_of, post_form, sign_in
from tests.support.api import Api, app_settings, running_app

NBSP = "\u00a0"
FRENCH = {**HTML, "Accept-Language": "fr-SN,fr;q=0.9,en;q=0.5"}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def a_draft(api: Api) -> str:
    """A signed-in artist (identity not yet reviewed) with a draft without images; its id."""
    artist = await api.register("artist", "Awa Diop")
    await sign_in(api.client, await email_of(api, artist))
    created = await api.client.post(
        "/api/v1/artworks",
        json={
            "title": "Soir à Dakar",
            "medium": "painting",
            "price": {"amount": 5_000_000, "currency": "NGN"},
        },
        headers=artist,
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_the_studio_dashboard_speaks_french(api: Api) -> None:
    await a_draft(api)

    page = await api.client.get("/artist", headers=FRENCH)

    assert page.status_code == 200
    for text in (
        "<h1>Votre atelier</h1>",
        'id="new-artwork">Nouvelle œuvre</a>',
        'aria-label="Atelier"',
        ">Tableau de bord</a>",
        ">Versements</a>",
        "<strong>Avant de pouvoir vendre</strong>, nous devons vérifier votre identité.",
        ">Envoyez votre pièce d'identité</a>",
        "Œuvres par statut",
        "Aucune vente pour le moment.",
        "Vous n'avez pas encore de compte de versement.",
        "Vos œuvres",
    ):
        assert text in page.text, text
    assert "Your studio" not in page.text
    assert "Before you can sell" not in page.text


async def test_the_artwork_page_shows_the_checklist_choices_and_buttons_in_french(api: Api) -> None:
    artwork_id = await a_draft(api)

    page = await api.client.get(f"/artist/artworks/{artwork_id}", headers=FRENCH)

    assert page.status_code == 200
    for text in (
        f"Brouillon{NBSP}: pas encore en vente.",
        f"Avant de pouvoir la publier, il lui faut encore{NBSP}:",
        '<li><a href="/artist/kyc">une vérification d&#39;identité approuvée</a></li>',
        "<li>une image</li>",
        "</span>Archiver ce brouillon",
        "</span>Enregistrer les modifications",
        ">Technique<",
        f"Zone 1{NBSP}: pays",
        # A sentence of the template (its apostrophes as written) and a choice made in Python (escaped).
        f"Numérique</strong>{NBSP}: l'acheteur reçoit le certificat d'authenticité{NBSP}; rien n'est",
        f"Numérique{NBSP}: l&#39;acheteur reçoit le certificat, rien n&#39;est expédié",
        f"Œuvre unique{NBSP}: un seul original",
        "Aucune image pour le moment",
        "</span>Envoyer l'image</button>",
    ):
        assert text in page.text, text
    for english in ("it still needs", "an approved identity review", "Save changes", "Archive this draft"):
        assert english not in page.text, english


async def test_without_french_the_checklist_stays_english(api: Api) -> None:
    artwork_id = await a_draft(api)

    page = await api.client.get(f"/artist/artworks/{artwork_id}", headers=HTML)

    assert "Before you can publish it, it still needs:" in page.text
    assert '<li><a href="/artist/kyc">an approved identity review</a></li>' in page.text
    assert "<li>an image</li>" in page.text
    assert "</span>Save changes" in page.text


async def test_a_wrong_listing_and_a_saved_one_are_told_in_french(api: Api) -> None:
    artwork_id = await a_draft(api)
    api.client.headers["Accept-Language"] = "fr"
    listing = {"title": "Soir à Dakar", "medium": "painting", "price": "50000", "currency": "NGN"}

    wrong = await post_form(
        api.client, f"/artist/artworks/{artwork_id}", {**listing, "delivery": "physical", "height_mm": "300"}
    )
    saved = await post_form(
        api.client, f"/artist/artworks/{artwork_id}", {**listing, "title": "Nuit à Dakar"}
    )
    shown = await api.client.get(f"/artist/artworks/{artwork_id}", headers=HTML)

    assert "Indiquez la hauteur et la largeur (la profondeur est facultative)." in wrong.text
    assert "Give both the height" not in wrong.text
    assert saved.status_code == 303
    assert "Vos modifications sont enregistrées." in shown.text
    assert "<h1>Nuit à Dakar</h1>" in shown.text
