"""The admin console in French (`Accept-Language: fr`): its headings, navigation, facts and the
messages of its actions; an order page shows the print its order holds ("N° 1 sur 25").

English pages stay as they were (tests/integration/test_web_console.py); these only check
that what the console says goes through the French catalog (console.po).
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.integration.test_web_console import HTML, csrf, email_of, paid, sign_in
from tests.support.api import Api, app_settings, running_app

FRENCH = {**HTML, "Accept-Language": "fr-SN,fr;q=0.9"}
NBSP = "\u00a0"
PRINTS = {"kind": "limited", "size": 25, "artist_proofs": 2}


def text_of(body: str) -> str:
    """The page's text with its no-break spaces kept (French puts one before `:` `;` `?` `!`)."""
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def test_the_console_home_speaks_french(api: Api) -> None:
    admin = await api.admin()
    await sign_in(api.client, await email_of(api, admin))

    home = await api.client.get("/admin", headers=FRENCH)

    assert home.status_code == 200
    assert '<html lang="fr"' in home.text
    page = text_of(home.text)
    for french in (
        "Console d'administration",
        "Vue d'ensemble",
        "Journal d'audit",
        "File d'émission",
        "vérification d'identité en attente",  # none waiting: French speaks of zero in the singular
        f"Registre{NBSP}: ",
        "Aucune commande pour l'instant.",
    ):
        assert french in page, french
    for english in ("Overview", "Latest orders", "No orders yet", "identity reviews waiting"):
        assert english not in page, english


async def test_an_order_page_in_french_shows_its_edition_number(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await api.published_artwork(artist, title="Harbour Prints", edition=PRINTS)
    order = await paid(api, await api.register("buyer", "Bola Ade"), work["id"])
    await sign_in(api.client, await email_of(api, admin))
    reference = order["payment"]["reference"]

    detail = await api.client.get(f"/admin/orders/{order['id']}", headers=FRENCH)

    assert detail.status_code == 200
    page = text_of(detail.text)
    for french in (
        f"Commande {reference}",
        f"N°{NBSP}1 sur 25",
        "Harbour Prints de Ada Obi",
        "Part de l'artiste",
        "Commission de la plateforme",
        "Événements de paiement",
        "Journal d'audit de cette commande",
    ):
        assert french in page, french
    assert "Payment events" not in page

    english = text_of((await api.client.get(f"/admin/orders/{order['id']}", headers=HTML)).text)
    assert "No. 1 of 25" in english  # the order's print, as the API's `edition_number`
    listed = text_of((await api.client.get("/admin/orders", headers=HTML)).text)
    assert "Harbour Prints No. 1" in listed
    listed_in_french = text_of((await api.client.get("/admin/orders", headers=FRENCH)).text)
    assert f"Harbour Prints N°{NBSP}1" in listed_in_french
    assert "Exporter ces commandes (CSV)" in listed_in_french


async def test_a_console_action_answers_in_french_and_a_bad_filter_is_explained_in_french(api: Api) -> None:
    admin = await api.admin()
    buyer = await api.register("buyer", "Bola Ade")
    buyer_email = await email_of(api, buyer)
    buyer_id = (await api.client.get("/api/v1/me", headers=buyer)).json()["id"]
    client = api.client
    await sign_in(client, await email_of(api, admin))

    token = await csrf(client, "/admin/users")
    suspended = await client.post(
        f"/admin/users/{buyer_id}/suspend",
        data={"csrf_token": token, "reason": "Fraude", "back": "/admin/users"},
        headers=FRENCH,
        follow_redirects=False,
    )
    assert suspended.status_code == 303
    users = text_of((await client.get("/admin/users", headers=FRENCH)).text)
    assert f"{buyer_email}{NBSP}: compte suspendu{NBSP}; ses sessions sont fermées." in users
    assert "Rétablir" in users  # the suspended buyer can be reinstated

    bad_day = await client.get("/admin/orders?from=2025-13-01", headers=FRENCH)
    assert bad_day.status_code == 200
    assert "Saisissez une date au format AAAA-MM-JJ." in text_of(bad_day.text)
