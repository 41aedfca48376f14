"""Text with control characters is refused (422 naming the field) by the API and the pages, alike
on SQLite (which stored it) and PostgreSQL (which answered 503 `storage-unavailable` for NUL);
multi-line text keeps its tabs and line breaks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from tests.integration.test_web_console import HTML, email_of, post_form, sign_in
from tests.support.api import Api
from tests.support.hostile_input import STORES, app_on


@pytest.fixture(params=STORES)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    async with app_on(request.param, request, tmp_path) as api:
        yield api


def assert_refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert [error["field"] for error in problem["errors"]] == [field], problem


ARTWORK = {
    "title": "Harmattan Light",
    "medium": "painting",
    "price": {"amount": 2_500_000, "currency": "NGN"},
}


async def test_an_artwork_title_with_a_control_character_is_refused_and_nothing_is_stored(api: Api) -> None:
    artist = await api.register("artist")
    for character in ("\x00", "\x07", "\x1b", "\x7f", "\x85"):
        answer = await api.client.post(
            "/api/v1/artworks", json={**ARTWORK, "title": f"Harmattan{character}Light"}, headers=artist
        )
        assert_refused(answer, "title")
    mine = await api.client.get("/api/v1/me/artworks", headers=artist)
    assert mine.status_code == 200, mine.text
    assert mine.json()["items"] == []
    # A title is one line: a line break or a tab in it becomes a space.
    flattened = await api.client.post(
        "/api/v1/artworks", json={**ARTWORK, "title": "Harmattan\n\tLight"}, headers=artist
    )
    assert flattened.status_code == 201, flattened.text
    assert flattened.json()["title"] == "Harmattan Light"


async def test_multi_line_text_keeps_tabs_and_line_breaks_but_not_nul(api: Api) -> None:
    artist = await api.register("artist")
    description = "Oil on canvas.\r\n\tPainted in Kano,\nin the dry season."
    created = await api.client.post(
        "/api/v1/artworks", json={**ARTWORK, "description": description}, headers=artist
    )
    assert created.status_code == 201, created.text
    assert created.json()["description"] == description.strip()
    refused = await api.client.patch(
        f"/api/v1/artworks/{created.json()['id']}", json={"description": "Oil\x00"}, headers=artist
    )
    assert_refused(refused, "description")


async def test_a_nested_field_is_named_by_its_path(api: Api) -> None:
    buyer = await api.register("buyer")
    address = {"name": "Bola Ade", "lines": ["12 Marina", "Floor 2\x00"], "city": "Lagos", "country": "NG"}
    answer = await api.client.post("/api/v1/me/addresses", json=address, headers=buyer)
    assert_refused(answer, "lines.1")
    assert (await api.client.get("/api/v1/me/addresses", headers=buyer)).json()["items"] == []


async def test_a_kyc_legal_name_sent_as_multipart_is_refused(api: Api) -> None:
    artist = await api.register("artist")
    answer = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada\x00Obi", "country": "NG"},
        files={"id_document": ("passport.pdf", b"%PDF-1.4 test identity document", "application/pdf")},
        headers=artist,
    )
    assert_refused(answer, "legal_name")


async def test_a_page_form_refuses_a_control_character_and_keeps_the_saved_profile(api: Api) -> None:
    artist = await api.register("artist", "Ada Obi")
    await sign_in(api.client, await email_of(api, artist))
    answer = await post_form(
        api.client, "/artist/profile", {"display_name": "Ada O.", "country": "NG", "bio": "Painter.\x00"}
    )
    assert answer.status_code == 422, answer.text
    assert "`bio` contains a control character" in answer.text
    page = await api.client.get("/artist/profile", headers=HTML)
    assert "Painter." not in page.text


async def test_an_admin_search_with_a_nul_byte_is_refused_on_the_api_and_the_page(api: Api) -> None:
    admin = await api.admin()
    for listing in ("/api/v1/admin/orders", "/api/v1/admin/users"):
        assert_refused(await api.client.get(f"{listing}?q=a%00b", headers=admin), "q")
    await sign_in(api.client, await email_of(api, admin))
    page = await api.client.get("/admin/orders?q=a%00b", headers=HTML)
    assert page.status_code == 422, page.text
    assert "`q` contains a control character" in page.text
