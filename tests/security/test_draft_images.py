"""A work's images are public only once the artist has shown the work: a draft's (and a withdrawn
work's) are served to its artist and admins alone, on the API and on the studio's pages; a
listed work's are public, cacheable files. Before, every upload was written straight to the
public `/media` tree, so a draft's images were anyone's who had the URL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.integration.test_web_pages import HTML, sign_in_browser
from tests.support.api import Api, app_settings, running_app
from tests.support.images import png_bytes


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    overrides = {}
    if request.param == "postgresql":
        overrides["database_url"] = request.getfixturevalue("postgres_url")
    async with running_app(app_settings(tmp_path, **overrides)) as api:
        yield api


def path_of(url: str) -> str:
    """The app-relative path of a URL the app gave out (public ones carry its base URL)."""
    return urlsplit(url).path


async def status_for(api: Api, url: str, headers: Mapping[str, str] | None = None) -> int:
    return (await api.client.get(path_of(url), headers=headers)).status_code


async def test_draft_images_are_served_only_to_their_artist_and_admins_until_published(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    other_artist, buyer = await api.register("artist"), await api.register("buyer")
    created = await api.client.post(
        "/api/v1/artworks",
        json={"title": "Unseen", "medium": "painting", "price": {"amount": 500_000, "currency": "NGN"}},
        headers=artist,
    )
    artwork_id = created.json()["id"]
    uploaded = await api.client.post(
        f"/api/v1/artworks/{artwork_id}/images",
        files={"file": ("work.png", png_bytes(64, 48), "image/png")},
        headers=artist,
    )
    assert uploaded.status_code == 201, uploaded.text
    draft_urls = [uploaded.json()["url"], uploaded.json()["thumbnail_url"]]

    # Nobody but the artist and admins gets the draft's images, however they ask.
    for url in draft_urls:
        assert await status_for(api, url) == 404
        assert await status_for(api, url, other_artist) == 404
        assert await status_for(api, url, buyer) == 404
        own = await api.client.get(path_of(url), headers=artist)
        assert own.status_code == 200
        assert own.headers["content-type"].startswith("image/")
        assert own.headers["cache-control"] == "private, no-store"
        assert await status_for(api, url, admin) == 200
        assert "/media/" not in url  # not a public file's URL

    published = await api.client.post(f"/api/v1/artworks/{artwork_id}/publish", headers=artist)
    assert published.status_code == 200, published.text
    public_urls = [published.json()["images"][0]["url"], published.json()["images"][0]["thumbnail_url"]]
    for url in public_urls:
        assert path_of(url).startswith("/media/")
        answer = await api.client.get(path_of(url))
        assert answer.status_code == 200
        assert "public" in answer.headers["cache-control"]

    withdrawn = await api.client.post(f"/api/v1/artworks/{artwork_id}/withdraw", headers=artist)
    assert withdrawn.status_code == 200, withdrawn.text
    for url in public_urls:
        assert await status_for(api, url) == 404  # off sale: the public file is gone
    private_again = withdrawn.json()["images"][0]["url"]
    assert await status_for(api, private_again) == 404
    assert await status_for(api, private_again, artist) == 200

    # The studio's page shows the withdrawn work's image to its artist, through the browser session.
    await sign_in_browser(api, artist)
    page = await api.client.get(f"/artist/artworks/{artwork_id}", headers=HTML)
    assert page.status_code == 200
    assert path_of(private_again) in page.text
    shown = await api.client.get(path_of(private_again))
    assert shown.status_code == 200
    assert shown.headers["content-type"].startswith("image/")


async def test_a_work_an_admin_takes_down_stops_being_served_publicly(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await api.published_artwork(artist)
    public_url = work["images"][0]["url"]
    assert await status_for(api, public_url) == 200

    taken_down = await api.client.post(
        f"/api/v1/admin/artworks/{work['id']}/unpublish",
        json={"reason": "Not the artist's work"},
        headers=admin,
    )

    assert taken_down.status_code == 200, taken_down.text
    assert await status_for(api, public_url) == 404
    for viewer in (admin, artist):
        assert await status_for(api, taken_down.json()["images"][0]["url"], viewer) == 200
