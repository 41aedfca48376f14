"""#20 §6, forms: one country rule everywhere a country is typed, pickers naming every country,
failed forms re-rendered at their own URL, oversized files back on their form, and the email
verification an account page offers. In-process app on SQLite."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_delivery_api import PHYSICAL
from tests.integration.test_web_console import HTML, csrf, email_of, sign_in
from tests.support.api import Api, app_settings, running_app

BAD_COUNTRIES = ("XX", "QQ")


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


def fields_of(answer: Any) -> list[str]:
    assert answer.status_code == 422, answer.text
    return [error["field"] for error in answer.json()["errors"]]


def with_zone_to(country: str) -> dict[str, Any]:
    return {
        **PHYSICAL,
        "shipping_rates": [{"countries": [country], "price": {"amount": 250_000, "currency": "NGN"}}],
    }


@pytest.mark.parametrize("country", BAD_COUNTRIES)
async def test_the_api_refuses_a_code_that_is_no_country_naming_the_field(api: Api, country: str) -> None:
    artist = await api.register("artist")
    buyer = await api.register("buyer")

    kyc = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": country},
        files={"id_document": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
        headers=artist,
    )
    assert fields_of(kyc) == ["country"]
    profile = await api.client.put(
        "/api/v1/me/artist-profile",
        json={"display_name": "Ada", "bio": "", "country": country},
        headers=artist,
    )
    assert fields_of(profile) == ["country"]
    address = await api.client.post(
        "/api/v1/me/addresses",
        json={"name": "Bola", "lines": ["14 Kingfisher Crescent"], "city": "Ikeja", "country": country},
        headers=buyer,
    )
    assert fields_of(address) == ["country"]
    artwork = await api.client.post(
        "/api/v1/artworks",
        json={
            "title": "Harmattan Light",
            "medium": "painting",
            "price": {"amount": 2_500_000, "currency": "NGN"},
            "delivery": with_zone_to(country),
        },
        headers=artist,
    )
    assert fields_of(artwork) == ["delivery.shipping_rates[0].country"]

    assert (await api.client.get("/api/v1/me/kyc", headers=artist)).json()["items"] == []
    assert (await api.client.get("/api/v1/me/addresses", headers=buyer)).json()["items"] == []
    assert (await api.client.get("/api/v1/me/artworks", headers=artist)).json()["items"] == []


async def test_the_kyc_and_profile_pages_pick_the_country_from_every_country_by_name(api: Api) -> None:
    artist = await api.register("artist", "Ada Obi")
    await sign_in(api.client, await email_of(api, artist))

    for path in ("/artist/kyc", "/artist/profile"):
        page = (await api.client.get(path, headers=HTML)).text
        picker = re.search(r'<select id="field-country" name="country".*?</select>', page, re.S)
        assert picker, page
        options = re.findall(r'<option value="([A-Z]{2})"', picker.group(0))
        assert len(options) == 249
        assert '<option value="CI">Côte d&#39;Ivoire (CI)</option>' in picker.group(0)
        assert '<option value="NG" selected>Nigeria (NG)</option>' in picker.group(0)

    token = await csrf(api.client, "/artist/profile")
    refused = await api.client.post(
        "/artist/profile",
        data={"csrf_token": token, "display_name": "Ada Obi", "country": "QQ"},
        headers=HTML,
    )
    assert 'id="error-country"' in refused.text
    assert "You have no public profile yet" in (await api.client.get("/artist/profile", headers=HTML)).text


async def test_checkout_asks_for_the_country_first_and_refuses_a_code_that_is_no_country(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, delivery=PHYSICAL)
    buyer = await api.register("buyer", "Bola Ade")
    await sign_in(api.client, await email_of(api, buyer))
    path = f"/artworks/{artwork['id']}/checkout"

    page = (await api.client.get(path, headers=HTML)).text
    fields = re.findall(r'<(?:input|select) id="field-([a-z_0-9]+)"', page)
    assert fields[0] == "country"
    assert fields.index("country") < fields.index("name") < fields.index("full_name")
    assert '<option value="NG">Nigeria (NG): shipping' in page

    token = await csrf(api.client, path)
    refused = await api.client.post(
        path,
        data={
            "csrf_token": token,
            "full_name": "Bola Ade",
            "phone": "+2348035550199",
            "saved_address": "new",
            "name": "Bola Ade",
            "line1": "14 Kingfisher Crescent",
            "city": "Ikeja",
            "country": "XX",
        },
        headers=HTML,
    )
    assert 'id="error-country"' in refused.text
    assert (await api.client.get("/api/v1/me/orders", headers=buyer)).json()["items"] == []
