"""For search engines: `/robots.txt` (what to crawl) and `/sitemap.xml` (every public page worth it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID
from xml.sax.saxutils import escape

from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, get

from artmarket.application.catalog.artists import ListArtists
from artmarket.application.catalog.gallery import BrowseGallery
from artmarket.application.catalog.ports import GalleryFilter, GallerySort
from artmarket.domain.catalog import ArtworkStatus
from artmarket.entrypoints.web.routes.artists import artist_path
from artmarket.settings import Settings

#: Private areas: signed-in pages, the console, the API, checkout and orders.
DISALLOWED = ("/artist/", "/admin/", "/api/", "/checkout/", "/orders/", "/account/", "/me/")
#: Crawlers come back within the hour; a new work shows in the sitemap by then.
CACHE = "public, max-age=3600"
#: Works per query while the sitemap is built (the protocol allows 50,000 URLs a file).
BATCH = 500


def robots_text(base_url: str) -> str:
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in DISALLOWED)]
    return "\n".join([*lines, "", f"Sitemap: {base_url}/sitemap.xml", ""])


def sitemap_xml(entries: list[tuple[str, datetime]]) -> str:
    urls = "".join(
        f"<url><loc>{escape(loc)}</loc><lastmod>{moment.date().isoformat()}</lastmod></url>"
        for loc, moment in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    )


@get("/robots.txt", name="robots", include_in_schema=False)
@inject
async def robots(settings: FromDishka[Settings]) -> Response[str]:
    return Response(
        robots_text(settings.resolved_public_base_url),
        media_type="text/plain",
        headers={"Cache-Control": CACHE},
    )


@get("/sitemap.xml", name="sitemap", include_in_schema=False)
@inject
async def sitemap(
    settings: FromDishka[Settings], browse: FromDishka[BrowseGallery], artists: FromDishka[ListArtists]
) -> Response[str]:
    """Every published work's page, then the page of every artist with one (lastmod: their newest)."""
    base = settings.resolved_public_base_url
    entries: list[tuple[str, datetime]] = []
    newest: dict[UUID, datetime] = {}
    cursor = None
    while True:
        page = await browse(GalleryFilter(status=ArtworkStatus.PUBLISHED), GallerySort.NEWEST, cursor, BATCH)
        for card in page.items:
            entries.append((f"{base}/artworks/{card.id}", card.published_at))
            newest.setdefault(card.artist_id, card.published_at)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    after = None
    while found := await artists(limit=BATCH, after=after):
        entries += [(f"{base}{artist_path(a)}", newest[a.id]) for a in found if a.id in newest]
        after = found[-1].id
    return Response(sitemap_xml(entries), media_type="application/xml", headers={"Cache-Control": CACHE})


ROUTES: list[Any] = [robots, sitemap]
