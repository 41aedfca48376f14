"""The issue's acceptance over HTTP on the embedded profile: an artist lists an edition of 5, five
buyers buy and pay, each order and certificate carries its own number 1 to 5, the sixth buyer gets
409, the work is sold out; and a drop answers 409 `not-yet-available` until it opens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.api import Api, app_settings, running_app

PROBLEMS = "https://artmarket.dev/problems/"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def buy_and_pay(api: Api, artwork_id: str) -> tuple[dict[str, str], dict[str, Any]]:
    buyer = await api.register("buyer")
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork_id}, headers=buyer)
    assert placed.status_code == 201, placed.text
    reference = placed.json()["payment"]["reference"]
    paid = await api.client.post(f"/sandbox/paystack/checkout/{reference}/pay", follow_redirects=False)
    assert paid.status_code == 303
    confirmed = await api.client.get(paid.headers["location"].removeprefix("http://127.0.0.1:8000"))
    assert confirmed.status_code in (200, 303), confirmed.text
    return buyer, placed.json()["order"]


async def certificate_of(
    api: Api, order_id: str, buyer: dict[str, str], within: float = 20.0
) -> dict[str, Any]:
    """The order's certificate, once the in-process worker minted it."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        order = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
        if order["status"] == "completed":
            certificate_id = order["certificate_id"]
            return dict((await api.client.get(f"/api/v1/certificates/{certificate_id}")).json())
        assert asyncio.get_running_loop().time() < deadline, order
        await asyncio.sleep(0.1)


async def test_five_buyers_get_prints_one_to_five_and_the_sixth_finds_it_sold_out(api: Api) -> None:
    artist = await api.approved_artist(await api.admin())
    edition = await api.published_artwork(artist, edition={"kind": "limited", "size": 5, "artist_proofs": 1})

    sales = [await buy_and_pay(api, edition["id"]) for _ in range(5)]
    sixth = await api.register("buyer")
    refused = await api.client.post("/api/v1/orders", json={"artwork_id": edition["id"]}, headers=sixth)

    assert refused.status_code == 409
    assert refused.json()["type"] == PROBLEMS + "artwork-not-available"
    assert sorted(order["edition_number"] for _, order in sales) == [1, 2, 3, 4, 5]
    certificates = [await certificate_of(api, order["id"], buyer) for buyer, order in sales]
    assert sorted(c["edition"] for c in certificates) == [f"{n}/5" for n in range(1, 6)]
    assert [c["edition_number"] for c in certificates] == [order["edition_number"] for _, order in sales]
    sold_out = (await api.client.get(f"/api/v1/artworks/{edition['id']}")).json()
    assert (sold_out["status"], sold_out["edition"]) == (
        "sold",
        {"kind": "limited", "size": 5, "artist_proofs": 1, "available": 0, "sold": 5},
    )
    page = await api.client.get(f"/artworks/{edition['id']}")
    assert "Sold out" in page.text


async def test_a_drop_answers_409_not_yet_available_until_it_opens(api: Api) -> None:
    artist = await api.approved_artist(await api.admin())
    drop = await api.published_artwork(
        artist, edition={"kind": "limited", "size": 5}, available_from="2099-01-01T00:00:00Z"
    )
    buyer = await api.register("buyer")

    early = await api.client.post("/api/v1/orders", json={"artwork_id": drop["id"]}, headers=buyer)

    assert early.status_code == 409
    assert early.json()["type"] == PROBLEMS + "not-yet-available"
    assert "01 Jan 2099 00:00 UTC" in early.json()["detail"]
    after = (await api.client.get(f"/api/v1/artworks/{drop['id']}")).json()
    assert (after["status"], after["edition"]["available"]) == ("published", 5)
