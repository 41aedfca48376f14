"""Image uploads are rate-limited per artist: decoding is the costliest request an account can
make, so one account cannot keep the decoder busy (ARTMARKET_IMAGE_UPLOADS_PER_ARTIST_PER_HOUR)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import httpx
from tests.support.api import Api, app_settings, running_app
from tests.support.images import png_bytes


async def a_draft(api: Api, artist: Mapping[str, str]) -> str:
    created = await api.client.post(
        "/api/v1/artworks",
        json={"title": "Study", "medium": "painting", "price": {"amount": 100_000, "currency": "NGN"}},
        headers=artist,
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def upload(api: Api, artist: Mapping[str, str], artwork_id: str) -> httpx.Response:
    return await api.client.post(
        f"/api/v1/artworks/{artwork_id}/images",
        files={"file": ("work.png", png_bytes(32, 24), "image/png")},
        headers=artist,
    )


async def test_an_artist_over_the_hourly_upload_allowance_gets_429_with_retry_after(tmp_path: Path) -> None:
    async with running_app(app_settings(tmp_path, image_uploads_per_artist_per_hour="3")) as api:
        artist, other_artist = await api.register("artist"), await api.register("artist")
        first, second = await a_draft(api, artist), await a_draft(api, artist)
        # The allowance is the artist's, across all their works.
        accepted = [await upload(api, artist, work) for work in (first, second, first)]
        refused = await upload(api, artist, second)
        others = await upload(api, other_artist, await a_draft(api, other_artist))
        listed = await api.client.get(f"/api/v1/artworks/{second}", headers=artist)

    assert [answer.status_code for answer in accepted] == [201, 201, 201]
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert "upload" in refused.json()["detail"]
    assert len(listed.json()["images"]) == 1  # the refused upload changed nothing
    assert others.status_code == 201  # another artist is not held back
