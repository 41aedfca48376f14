"""The catalog over HTTP: profiles, KYC, artworks, images, favourites and the gallery."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.api import Api, app_settings, running_app
from tests.support.images import has_gps, jpeg_with_gps, png_bytes


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, max_upload_bytes="2000000")) as api:
        yield api


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return dict(response.json())


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A few hundred bytes whose header declares a huge image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


async def test_an_artist_goes_from_registration_to_a_published_work(api: Api) -> None:
    admin = await api.admin()
    artist = await api.register("artist", "Ada Obi")
    profile = await api.client.put(
        "/api/v1/me/artist-profile",
        json={"display_name": "Ada Obi Studio", "bio": "Lagos painter", "country": "ng"},
        headers=artist,
    )
    assert profile.status_code == 200, profile.text
    assert profile.json()["country"] == "NG"

    created = await api.client.post(
        "/api/v1/artworks",
        json={
            "title": "Harmattan Light",
            "medium": "painting",
            "price": {"amount": 2_500_000, "currency": "NGN"},
            "year": 2024,
            "dimensions": {"height_mm": 600, "width_mm": 900},
        },
        headers=artist,
    )
    assert created.status_code == 201, created.text
    artwork = created.json()
    assert (artwork["status"], artwork["artist"]["display_name"]) == ("draft", "Ada Obi Studio")
    upload = await api.client.post(
        f"/api/v1/artworks/{artwork['id']}/images",
        files={"file": ("photo.jpg", jpeg_with_gps(), "image/jpeg")},
        headers=artist,
    )
    assert upload.status_code == 201, upload.text

    early = await api.client.post(f"/api/v1/artworks/{artwork['id']}/publish", headers=artist)
    assert problem(early, 409)["detail"] == "Publishing needs an approved KYC review."

    kyc = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": "NG"},
        files={"id_document": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
        headers=artist,
    )
    assert kyc.status_code == 201, kyc.text
    assert kyc.json()["status"] == "pending"
    queue = await api.client.get("/api/v1/admin/kyc?status=pending", headers=admin)
    assert [case["id"] for case in queue.json()["items"]] == [kyc.json()["id"]]
    document = await api.client.get(f"/api/v1/admin/kyc/{kyc.json()['id']}/document", headers=admin)
    assert (document.status_code, document.content) == (200, b"%PDF-1.4 identity")
    problem(await api.client.get(f"/api/v1/admin/kyc/{kyc.json()['id']}/document", headers=artist), 403)
    approved = await api.client.post(f"/api/v1/admin/kyc/{kyc.json()['id']}/approve", headers=admin)
    assert approved.json()["status"] == "approved"

    published = await api.client.post(f"/api/v1/artworks/{artwork['id']}/publish", headers=artist)
    assert published.status_code == 200, published.text
    gallery = (await api.client.get("/api/v1/artworks")).json()
    assert [item["id"] for item in gallery["items"]] == [artwork["id"]]
    assert gallery["items"][0]["thumbnail"]["url"].startswith("http://127.0.0.1:8000/media/")

    # The served image carries no GPS position.
    image = published.json()["images"][0]
    served = await api.client.get(image["url"].removeprefix("http://127.0.0.1:8000"))
    assert served.status_code == 200
    assert "immutable" in served.headers["cache-control"]
    assert not has_gps(served.content)

    artists = (await api.client.get("/api/v1/artists")).json()["items"]
    assert [(a["display_name"], a["published_works"]) for a in artists] == [("Ada Obi Studio", 1)]


async def test_drafts_are_private_and_only_the_owner_edits(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    other_artist = await api.approved_artist(admin, "Kemi")
    buyer = await api.register("buyer")
    draft = (
        await api.client.post(
            "/api/v1/artworks",
            json={"title": "Secret", "medium": "drawing", "price": {"amount": 10_000, "currency": "NGN"}},
            headers=artist,
        )
    ).json()
    for headers in (buyer, other_artist, {}):
        problem(await api.client.get(f"/api/v1/artworks/{draft['id']}", headers=headers), 404)
    assert (await api.client.get(f"/api/v1/artworks/{draft['id']}", headers=artist)).status_code == 200
    assert (await api.client.get(f"/api/v1/artworks/{draft['id']}", headers=admin)).status_code == 200

    work = await api.published_artwork(artist)
    problem(
        await api.client.patch(f"/api/v1/artworks/{work['id']}", json={"title": "Mine"}, headers=buyer), 403
    )
    problem(
        await api.client.patch(
            f"/api/v1/artworks/{work['id']}", json={"title": "Mine"}, headers=other_artist
        ),
        404,
    )
    problem(
        await api.client.post(
            "/api/v1/artworks",
            json={"title": "x", "medium": "painting", "price": {"amount": 1, "currency": "NGN"}},
            headers=buyer,
        ),
        403,
    )
    renamed = await api.client.patch(
        f"/api/v1/artworks/{work['id']}", json={"title": "Renamed"}, headers=artist
    )
    assert renamed.json()["title"] == "Renamed"


async def test_uploads_are_judged_by_content_and_limits(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork_id = (
        await api.client.post(
            "/api/v1/artworks",
            json={"title": "Uploads", "medium": "photography", "price": {"amount": 5_000, "currency": "NGN"}},
            headers=artist,
        )
    ).json()["id"]
    url = f"/api/v1/artworks/{artwork_id}/images"

    png_named_jpg = await api.client.post(
        url, files={"file": ("a.jpg", png_bytes(), "image/jpeg")}, headers=artist
    )
    assert png_named_jpg.status_code == 201, png_named_jpg.text
    problem(
        await api.client.post(url, files={"file": ("a.jpg", b"just text", "image/jpeg")}, headers=artist), 415
    )
    bomb = await api.client.post(url, files={"file": ("bomb.png", bomb_png(), "image/png")}, headers=artist)
    assert bomb.status_code in (413, 422), bomb.text
    too_big = await api.client.post(
        url, files={"file": ("big.png", b"\x89PNG" + b"0" * 2_100_000, "image/png")}, headers=artist
    )
    problem(too_big, 413)
    # The server is still up and the artwork has exactly the one good image.
    work = (await api.client.get(f"/api/v1/artworks/{artwork_id}", headers=artist)).json()
    assert len(work["images"]) == 1


async def test_bad_gallery_queries_name_the_field(api: Api) -> None:
    cases = {
        "medium=oil": "medium",
        "min_price=-1&currency=NGN": "min_price",
        "min_price=abc&currency=NGN": "min_price",
        "min_price=500&max_price=100&currency=NGN": "min_price",
        "limit=0": "limit",
        "limit=101": "limit",
        "currency=XYZ": "price",
        "sort=cheapest": "sort",
        "status=draft": None,
    }
    for query, field in cases.items():
        response = await api.client.get(f"/api/v1/artworks?{query}")
        assert response.status_code in (400, 422), (query, response.text)
        body = problem(response, response.status_code)
        if field:
            assert any(field in e["field"] for e in body["errors"]), (query, body)
    forged = await api.client.get("/api/v1/artworks?cursor=bm90LWEtY3Vyc29y")
    assert problem(forged, 400)["errors"][0]["field"] == "cursor"


async def test_gallery_sorts_filters_and_cursor_walks(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    prices = [5_000, 9_000, 1_000, 9_000, 3_000, 7_000, 2_000, 8_000]
    works = []
    for n, price in enumerate(prices):
        medium = "painting" if n % 2 else "print"
        works.append(await api.published_artwork(artist, price=price, title=f"Work {n}", medium=medium))
    buyer = await api.register("buyer")
    for work in works[:3]:
        assert (
            await api.client.put(f"/api/v1/artworks/{work['id']}/favorite", headers=buyer)
        ).status_code == 204
    await api.client.put(f"/api/v1/artworks/{works[0]['id']}/favorite", headers=await api.register("buyer"))

    async def walk(query: str) -> list[str]:
        seen, cursor = [], None
        for _ in range(20):
            suffix = f"&cursor={cursor}" if cursor else ""
            page = (await api.client.get(f"/api/v1/artworks?limit=3&{query}{suffix}")).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return seen
        raise AssertionError(f"the cursor walk for {query!r} did not end: {seen}")

    by_id = {w["id"]: w for w in works}
    newest = await walk("sort=newest")
    assert newest == [w["id"] for w in reversed(works)]
    assert await walk("sort=oldest") == [w["id"] for w in works]
    price_asc = await walk("sort=price_asc&currency=NGN")
    assert [by_id[i]["price"]["amount"] for i in price_asc] == sorted(prices)
    assert len(set(price_asc)) == len(works)
    price_desc = await walk("sort=price_desc")
    assert [by_id[i]["price"]["amount"] for i in price_desc] == sorted(prices, reverse=True)
    popular = await walk("sort=popular")
    assert popular[:3] == [works[0]["id"], works[2]["id"], works[1]["id"]]
    ranged = await walk("currency=NGN&min_price=2000&max_price=8000&sort=price_asc")
    assert [by_id[i]["price"]["amount"] for i in ranged] == [2_000, 3_000, 5_000, 7_000, 8_000]
    prints = await walk("medium=print")
    assert {by_id[i]["medium"] for i in prints} == {"print"}
    assert await walk("q=work%203") == [works[3]["id"]]

    cursor = (await api.client.get("/api/v1/artworks?limit=3&sort=newest")).json()["next_cursor"]
    problem(await api.client.get(f"/api/v1/artworks?limit=3&sort=oldest&cursor={cursor}"), 400)

    listing = await api.client.get("/api/v1/artworks")
    assert "max-age" in listing.headers["cache-control"]
    again = await api.client.get("/api/v1/artworks", headers={"If-None-Match": listing.headers["etag"]})
    assert again.status_code == 304

    favorites = (await api.client.get("/api/v1/me/favorites", headers=buyer)).json()["items"]
    assert {f["id"] for f in favorites} == {w["id"] for w in works[:3]}
    assert (
        await api.client.delete(f"/api/v1/artworks/{works[0]['id']}/favorite", headers=buyer)
    ).status_code == 204
    assert (await api.client.get(f"/api/v1/artworks/{works[0]['id']}")).json()["favorites_count"] == 1
