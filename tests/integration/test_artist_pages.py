"""Artist pages, slugs, sharing tags, the sitemap and robots.txt, over HTTP on the in-process app."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from tests.integration.test_web_pages import page_token, sign_in_browser
from tests.support.api import Api, app_settings, running_app
from tests.support.images import png_bytes

from artmarket.application.unit_of_work import UnitOfWork

HTML = {"Accept": "text/html"}
BASE = "https://art.example"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, public_base_url=BASE)) as api:
        yield api


async def save_profile(api: Api, artist: Mapping[str, str], name: str, **fields: Any) -> dict[str, Any]:
    body = {"display_name": name, "bio": "", "country": "NG", **fields}
    saved = await api.client.put("/api/v1/me/artist-profile", json=body, headers=artist)
    assert saved.status_code == 200, saved.text
    return dict(saved.json())


async def sell(api: Api, artwork_id: str) -> None:
    """The work's sale as checkout records it (the checkout itself is tested elsewhere)."""
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            artwork = await uow.artworks.get(UUID(artwork_id))
            assert artwork is not None
            artwork.reserve(datetime.now(UTC))
            artwork.sell(datetime.now(UTC))
            await uow.commit()


def section(html: str, section_id: str) -> str:
    found = re.search(rf'<section [^>]*id="{section_id}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def canonical(html: str) -> str | None:
    found = re.search(r'<link rel="canonical" href="([^"]*)"', html)
    return found.group(1) if found else None


async def test_the_artist_page_shows_the_profile_the_verified_mark_and_sold_works_apart(api: Api) -> None:
    artist = await api.approved_artist(await api.admin(), "Adébáyọ̀ Okafor")
    profile = await save_profile(
        api,
        artist,
        "Adébáyọ̀ Okafor",
        bio="Paints the lagoon at dusk.",
        country="GH",
        website="https://ade.example",
    )
    on_sale = await api.published_artwork(artist, title="Lagoon at Dusk")
    sold = await api.published_artwork(artist, title="Harmattan Morning")
    await sell(api, sold["id"])

    by_id = await api.client.get(f"/artists/{profile['user_id']}", headers=HTML, follow_redirects=False)
    page = await api.client.get("/artists/adebayo-okafor", headers=HTML)

    assert profile["slug"] == "adebayo-okafor"
    assert by_id.status_code == 301
    assert by_id.headers["location"] == "/artists/adebayo-okafor"
    assert page.status_code == 200
    html = page.text
    assert '<h1 id="artist-name">Adébáyọ̀ Okafor</h1>' in html
    assert 'id="verified-artist"' in html
    assert "Verified artist" in html
    assert "Ghana" in html
    assert "Paints the lagoon at dusk." in html
    assert 'href="https://ade.example"' in html
    assert 'id="artist-monogram">AO<' in html
    available, sold_works = section(html, "available-works"), section(html, "sold-works")
    assert "Lagoon at Dusk" in available
    assert "Harmattan Morning" not in available
    assert "Harmattan Morning" in sold_works
    assert "Lagoon at Dusk" not in sold_works
    assert ">Sold<" in sold_works
    # Every "by …" link on the work's page and the cards leads to the artist's page.
    work_page = await api.client.get(f"/artworks/{on_sale['id']}", headers=HTML)
    assert f'href="/artists/{profile["user_id"]}" id="artist-link"' in work_page.text
    gallery = await api.client.get("/", headers=HTML)
    assert f'href="/artists/{profile["user_id"]}" class="artist-link"' in gallery.text
    # The artist finds their page's address in the studio.
    await sign_in_browser(api, artist)
    studio = await api.client.get("/artist/profile", headers=HTML)
    assert (
        f'href="/artists/adebayo-okafor" id="artist-page-link">{BASE}/artists/adebayo-okafor<' in studio.text
    )


async def test_an_artist_photo_replaces_the_monogram_and_a_new_one_replaces_the_old(api: Api) -> None:
    artist = await api.approved_artist(await api.admin(), "Ada Obi")
    await save_profile(api, artist, "Ada Obi")
    await api.published_artwork(artist)
    await sign_in_browser(api, artist)

    photos = []
    for size in ((80, 60), (60, 80)):
        token = await page_token(api.client, "/artist/profile")
        uploaded = await api.client.post(
            "/artist/profile/photo",
            data={"csrf_token": token},
            files={"photo": ("me.png", png_bytes(*size), "image/png")},
            headers=HTML,
            follow_redirects=False,
        )
        assert uploaded.status_code == 303
        assert uploaded.headers["location"] == "/artist/profile"
        page = (await api.client.get("/artists/ada-obi", headers=HTML)).text
        found = re.search(r'<img class="artist-photo" id="artist-photo" src="([^"]+)"', page)
        assert found is not None
        photos.append(found.group(1))

    assert 'id="artist-monogram"' not in page
    assert meta(page, "og:image") == photos[-1]
    assert photos[-1].startswith(f"{BASE}/media/artists/")
    served = [(await api.client.get(photo.removeprefix(BASE))).status_code for photo in photos]
    assert served == [404, 200]


async def test_an_artist_without_a_profile_has_a_page_at_their_id(api: Api) -> None:
    artist = await api.approved_artist(await api.admin(), "Kwame Mensah")
    await api.published_artwork(artist, title="Accra Noon")
    me = (await api.client.get("/api/v1/me", headers=artist)).json()

    page = await api.client.get(f"/artists/{me['id']}", headers=HTML, follow_redirects=False)
    unknown = await api.client.get("/artists/nobody-here", headers=HTML)

    assert page.status_code == 200
    assert "Accra Noon" in section(page.text, "available-works")
    assert canonical(page.text) == f"{BASE}/artists/{me['id']}"
    assert unknown.status_code == 404


async def test_slugs_are_unique_kept_across_renames_and_served_by_the_api(api: Api) -> None:
    admin = await api.admin()
    first, second = await api.approved_artist(admin, "Ada Obi"), await api.approved_artist(admin, "Ada Obi")
    one = await save_profile(api, first, "Ada Obi")
    two = await save_profile(api, second, "Ada  Obi!")
    renamed = await save_profile(api, first, "Ada Obi-Eze")
    for artist in (first, second):
        await api.published_artwork(artist)

    by_slug = await api.client.get("/api/v1/artists/ada-obi-2")
    by_id = await api.client.get(f"/api/v1/artists/{one['user_id']}")
    listed = (await api.client.get("/api/v1/artists")).json()["items"]
    missing = await api.client.get("/api/v1/artists/ada-obi-3")

    assert (one["slug"], two["slug"], renamed["slug"]) == ("ada-obi", "ada-obi-2", "ada-obi")
    assert by_slug.status_code == 200
    assert (by_slug.json()["id"], by_slug.json()["slug"]) == (two["user_id"], "ada-obi-2")
    assert by_slug.json()["verified"] is True
    assert by_id.json()["slug"] == "ada-obi"
    assert {a["slug"] for a in listed} == {"ada-obi", "ada-obi-2"}
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


async def test_public_pages_carry_absolute_sharing_tags_and_a_canonical_url_without_queries(api: Api) -> None:
    artist = await api.approved_artist(await api.admin(), "Ada Obi")
    await save_profile(api, artist, "Ada Obi", bio="Seascapes.")
    work = await api.published_artwork(artist, title="Harmattan Light", price=2_500_000, currency="NGN")

    gallery = (await api.client.get("/?q=harmattan&sort=newest&utm_source=x", headers=HTML)).text
    paged = (await api.client.get("/?cursor=abc", headers=HTML)).text
    artwork = (await api.client.get(f"/artworks/{work['id']}?utm_source=whatsapp", headers=HTML)).text
    artist_page = (await api.client.get("/artists/ada-obi", headers=HTML)).text

    assert canonical(gallery) == canonical(paged) == f"{BASE}/"
    assert meta(gallery, "og:url") == f"{BASE}/"
    assert meta(gallery, "description")
    assert meta(gallery, "og:image") == work["images"][0]["thumbnail_url"]
    assert (meta(gallery, "og:image") or "").startswith(f"{BASE}/")
    assert canonical(artwork) == meta(artwork, "og:url") == f"{BASE}/artworks/{work['id']}"
    assert meta(artwork, "og:title") == "Harmattan Light by Ada Obi"
    description = meta(artwork, "og:description") or ""
    assert "Ada Obi" in description
    assert "25,000" in description
    assert meta(artwork, "description") == description
    assert (meta(artwork, "og:image") or "").startswith(f"{BASE}/")
    assert meta(artwork, "og:image") == work["images"][0]["url"]
    assert meta(artwork, "twitter:card") == "summary_large_image"
    assert canonical(artist_page) == meta(artist_page, "og:url") == f"{BASE}/artists/ada-obi"
    assert meta(artist_page, "og:title") == "Ada Obi"
    assert (meta(artist_page, "og:image") or "").startswith(f"{BASE}/")
    assert meta(artist_page, "twitter:card") == "summary_large_image"


async def test_the_sitemap_lists_published_works_and_their_artists_and_no_draft(api: Api) -> None:
    artist = await api.approved_artist(await api.admin(), "Ada Obi")
    await save_profile(api, artist, "Ada Obi")
    published = await api.published_artwork(artist, title="On the wall")
    draft = await api.client.post(
        "/api/v1/artworks",
        json={
            "title": "In the studio",
            "medium": "painting",
            "price": {"amount": 100_000, "currency": "NGN"},
        },
        headers=artist,
    )

    answer = await api.client.get("/sitemap.xml")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", answer.text)
    assert f"{BASE}/artworks/{published['id']}" in locations
    assert f"{BASE}/artists/ada-obi" in locations
    assert f"{BASE}/artworks/{draft.json()['id']}" not in locations
    assert len(re.findall(r"<lastmod>\d{4}-\d\d-\d\d</lastmod>", answer.text)) == len(locations) == 2


async def test_robots_txt_allows_public_pages_and_points_to_the_sitemap(api: Api) -> None:
    answer = await api.client.get("/robots.txt")

    assert answer.status_code == 200
    assert "set-cookie" not in answer.headers  # cached publicly: nobody's cookie in it
    assert answer.headers["content-type"].startswith("text/plain")
    lines = answer.text.splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    for private in ("/artist/", "/admin/", "/api/", "/checkout/", "/orders/", "/account/"):
        assert f"Disallow: {private}" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
