"""Input nobody reads is refused, not ignored: an unknown field on `POST /orders`, a misspelt or
invalid date filter on the admin's order listing and export. The export also neutralises the
full-width formula characters some spreadsheets read as = + - @."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.support.api import Api, app_settings, running_app

from artmarket.application.admin.export import safe_cell


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def test_an_unknown_field_on_a_new_order_is_refused_and_reserves_nothing(api: Api) -> None:
    artist = await api.approved_artist(await api.admin())
    artwork = await api.published_artwork(artist)
    buyer = await api.register("buyer")
    answer = await api.client.post(
        "/api/v1/orders", json={"artwork_id": artwork["id"], "price": {"amount": 1}}, headers=buyer
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["type"].endswith("/validation-failed")
    assert "price" in answer.json()["detail"]
    assert (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()["status"] == "published"


@pytest.mark.parametrize("path", ["/api/v1/admin/orders", "/api/v1/admin/orders.csv"])
async def test_an_admin_order_filter_that_cannot_be_read_is_a_bad_request(api: Api, path: str) -> None:
    admin = await api.admin()
    for query, field in (("created_from=not-a-date", "created_from"), ("from=not-a-date", "created_from")):
        answer = await api.client.get(f"{path}?{query}", headers=admin)
        assert answer.status_code == 400, (query, answer.text)
        problem = answer.json()
        assert problem["type"].endswith("/validation-failed")
        assert [error["field"] for error in problem["errors"]] == [field]
    assert (await api.client.get(f"{path}?from=2026-01-01T00:00:00Z", headers=admin)).status_code == 200


def test_full_width_formula_characters_are_neutralised_like_ascii_ones() -> None:
    for start in ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"):
        assert safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert safe_cell("Harmattan Light") == "Harmattan Light"
