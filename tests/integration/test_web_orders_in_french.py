"""The buyer's order and certificate pages in French (`Accept-Language: fr`), over HTTP on the
in-process app: the stage, the headings, the delivery, the buttons and the independent check's
sentences are French, the English page stays English."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.integration.test_delivery_api import PHYSICAL, paid_physical_order
from tests.integration.test_web_pages import sign_in_browser
from tests.support.api import Api, app_settings, running_app

FRENCH = {"Accept": "text/html", "Accept-Language": "fr-SN,fr;q=0.9"}
ENGLISH = {"Accept": "text/html", "Accept-Language": "en"}
NBSP = "\u00a0"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        yield api


def status_of(page: str) -> tuple[str, str]:
    """The badge and the sentence beside it on an order page."""
    badge = re.search(r'id="status" data-status="[a-z_]+" data-stage="[a-z_]+">([^<]+)<', page)
    text = re.search(r'<span id="status-text">([^<]+)</span>', page)
    assert badge, page
    assert text, page
    return html.unescape(badge.group(1)), html.unescape(text.group(1))


async def test_the_order_and_its_certificate_read_in_french(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, title="Harmattan Light", delivery=PHYSICAL)
    buyer = await api.register("buyer", "Bola Ade")
    order_id = await paid_physical_order(api, buyer, artwork["id"])
    await sign_in_browser(api, buyer)

    french = (await api.client.get(f"/orders/{order_id}", headers=FRENCH)).text
    english = (await api.client.get(f"/orders/{order_id}", headers=ENGLISH)).text

    assert status_of(french) == (
        "En attente d'expédition",
        "Payée · certificat émis · en attente d'expédition",
    )
    assert status_of(english) == ("Awaiting shipment", "Paid · certificate issued · awaiting shipment")
    delivery = "L'artiste prépare l'expédition de votre œuvre"
    for words in (f"Merci{NBSP}!", "Détails", "Livraison", delivery, "Voir le certificat"):
        assert words in html.unescape(french), words
    assert "Thank you" not in french
    assert "Details" not in french
    listed = (await api.client.get("/me/orders", headers=FRENCH)).text
    assert "Vos commandes" in listed
    assert "Détails de la commande" in listed

    certificate_id = re.search(r'href="/certificates/([0-9a-f-]+)"', french)
    assert certificate_id is not None
    certificate = (await api.client.get(f"/certificates/{certificate_id.group(1)}", headers=FRENCH)).text
    headings = ("Certificat d'authenticité", "Provenance", "Vérifiez par vous-même")
    for words in (*headings, "Vérifier sur le registre", "Télécharger le PDF"):
        assert words in html.unescape(certificate), words
    assert "Certificate of Authenticity" not in certificate
    # The independent check's script writes the sentences the page gives it, in French.
    texts = re.search(r"data-texts='([^']+)'", certificate)
    assert texts is not None
    sentences = json.loads(html.unescape(texts.group(1)))
    assert sentences["matched"] == "Concordant"
    assert sentences["all_matched"].startswith(f"Tout concorde{NBSP}:")
    assert sentences["held"] == "NFT {token}, numéro de série {serial} existe, détenu par le compte {account}"
    # The certificate's own words: medium, custody and the private owner's name, then the ledger check.
    read = html.unescape(certificate)
    assert '<dd id="medium">Peinture</dd>' in read
    assert "Conservé par artmarket pour le compte du propriétaire (jeton " in read
    assert "une collection privée" in read
    assert "Held by artmarket" not in read
    checked = html.unescape(
        (await api.client.get(f"/certificates/{certificate_id.group(1)}?verify=1", headers=FRENCH)).text
    )
    assert f"Registre simulé{NBSP}: ce certificat n'existe que dans la simulation locale" in checked
    assert "Le registre a le NFT " in checked
    assert "The ledger has" not in checked

    # The artwork's delivery block in French, its parcel's 4 kg written the French way.
    work = html.unescape((await api.client.get(f"/artworks/{artwork['id']}", headers=FRENCH)).text)
    assert "(4,0 kg)" in work
    assert "Expédiée jusqu'à votre porte" in work
    assert "Shipped to your door" not in work
    assert "4.0 kg" not in work
    assert "(4.0 kg)" in html.unescape(
        (await api.client.get(f"/artworks/{artwork['id']}", headers=ENGLISH)).text
    )
