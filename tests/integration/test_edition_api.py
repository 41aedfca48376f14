"""Editions and drops over HTTP: an artist lists, edits and shows them; bad input names its field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from tests.support.api import Api, app_settings, running_app

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.editions import EditionStock, NumberState

PRINTS = {"kind": "limited", "size": 25, "artist_proofs": 2}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return dict(response.json())


def draft(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Harbour Prints",
        "medium": "photography",
        "price": {"amount": 80_000, "currency": "NGN"},
    } | fields


async def hold_numbers(api: Api, artwork_id: str, held: dict[int, NumberState]) -> None:
    """Numbers go to buyers as checkout hands them out: the artwork follows its stock."""
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            artwork = await uow.artworks.get(UUID(artwork_id))
            assert artwork is not None
            artwork.follow_stock(EditionStock(artwork.edition.size, held), datetime.now(UTC))
            await uow.commit()


async def test_an_artist_lists_a_limited_edition_dropping_later_and_every_representation_shows_it(
    api: Api,
) -> None:
    artist = await api.approved_artist(await api.admin())

    prints = await api.published_artwork(artist, edition=PRINTS, available_from="2026-12-24T19:00:00+01:00")
    unique = await api.published_artwork(artist)
    await hold_numbers(api, prints["id"], {1: NumberState.SOLD, 2: NumberState.RESERVED})

    edition = {**PRINTS, "available": 23, "sold": 1}
    detail = (await api.client.get(f"/api/v1/artworks/{prints['id']}")).json()
    cards = {c["id"]: c for c in (await api.client.get("/api/v1/artworks")).json()["items"]}
    mine = {a["id"]: a for a in (await api.client.get("/api/v1/me/artworks", headers=artist)).json()["items"]}
    for shown in (detail, cards[prints["id"]], mine[prints["id"]]):
        assert (shown["edition"], shown["available_from"]) == (edition, "2026-12-24T18:00:00Z")
    for shown in (unique, cards[unique["id"]], mine[unique["id"]]):
        assert (shown["edition"], shown["available_from"]) == ({"kind": "unique"}, None)
    assert prints["edition"] == {**PRINTS, "available": 25, "sold": 0}


async def test_an_edit_changes_the_edition_and_the_drop_or_leaves_them_when_omitted(api: Api) -> None:
    artist = await api.register("artist")
    created = (await api.client.post("/api/v1/artworks", json=draft(), headers=artist)).json()
    url = f"/api/v1/artworks/{created['id']}"

    limited = await api.client.patch(
        url,
        json={"edition": {"kind": "limited", "size": 10}, "available_from": "2027-01-05T09:00:00Z"},
        headers=artist,
    )
    retitled = await api.client.patch(url, json={"title": "Harbour Prints II"}, headers=artist)
    cleared = await api.client.patch(url, json={"available_from": None}, headers=artist)
    unique = await api.client.patch(url, json={"edition": {"kind": "unique"}}, headers=artist)

    assert (created["edition"], created["available_from"]) == ({"kind": "unique"}, None)
    limited_edition = {"kind": "limited", "size": 10, "artist_proofs": 0, "available": 10, "sold": 0}
    assert (limited.json()["edition"], limited.json()["available_from"]) == (
        limited_edition,
        "2027-01-05T09:00:00Z",
    )
    assert (retitled.json()["edition"], retitled.json()["available_from"]) == (
        limited_edition,
        "2027-01-05T09:00:00Z",
    )
    assert (cleared.json()["edition"], cleared.json()["available_from"]) == (limited_edition, None)
    assert (unique.json()["edition"], unique.json()["available_from"]) == ({"kind": "unique"}, None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"edition": {"kind": "limited"}}, "edition.size"),
        ({"edition": {"kind": "limited", "size": 1}}, "edition.size"),
        ({"edition": {"kind": "limited", "size": 10_001}}, "edition.size"),
        ({"edition": {"kind": "limited", "size": 25, "artist_proofs": 26}}, "edition.artist_proofs"),
        ({"edition": {"kind": "limited", "size": 25, "artist_proofs": -1}}, "edition.artist_proofs"),
        ({"edition": {"kind": "unique", "size": 5}}, "edition.size"),
        ({"available_from": "2026-12-24T18:00:00"}, "available_from"),
        ({"available_from": "9999-12-31T23:30:00-01:00"}, "available_from"),
    ],
)
async def test_a_bad_edition_or_drop_time_is_refused_naming_its_field_and_changes_nothing(
    api: Api, fields: dict[str, Any], field: str
) -> None:
    artist = await api.register("artist")
    created = (await api.client.post("/api/v1/artworks", json=draft(), headers=artist)).json()

    refused_create = await api.client.post("/api/v1/artworks", json=draft(**fields), headers=artist)
    refused_edit = await api.client.patch(f"/api/v1/artworks/{created['id']}", json=fields, headers=artist)

    for refused in (refused_create, refused_edit):
        assert [e["field"] for e in problem(refused, 422)["errors"]] == [field]
    mine = (await api.client.get("/api/v1/me/artworks", headers=artist)).json()["items"]
    assert [(a["edition"], a["available_from"]) for a in mine] == [({"kind": "unique"}, None)]


async def test_the_edition_is_locked_once_a_number_went_to_a_buyer_but_the_listing_still_edits(
    api: Api,
) -> None:
    artist = await api.approved_artist(await api.admin())
    prints = await api.published_artwork(artist, edition=PRINTS)
    url = f"/api/v1/artworks/{prints['id']}"
    await hold_numbers(api, prints["id"], {1: NumberState.RESERVED})

    resized = await api.client.patch(url, json={"edition": {**PRINTS, "size": 30}}, headers=artist)
    made_unique = await api.client.patch(url, json={"edition": {"kind": "unique"}}, headers=artist)
    repriced = await api.client.patch(
        url, json={"edition": PRINTS, "price": {"amount": 90_000, "currency": "NGN"}}, headers=artist
    )

    for refused in (resized, made_unique):
        assert problem(refused, 409)["type"].endswith("/edition-locked")
    assert repriced.status_code == 200, repriced.text
    assert (repriced.json()["edition"], repriced.json()["price"]["amount"]) == (
        {**PRINTS, "available": 24, "sold": 0},
        90_000,
    )
