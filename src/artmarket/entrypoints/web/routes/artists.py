"""An artist's public page: who they are, their works for sale and the works they have sold."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Redirect, Template

from artmarket.application.catalog.artists import GetArtist
from artmarket.application.catalog.favorites import ListFavoriteIds
from artmarket.application.catalog.gallery import BrowseGallery
from artmarket.application.catalog.ports import ArtistSummary, GalleryFilter, GallerySort
from artmarket.application.media import ContentStore
from artmarket.application.ports import Clock
from artmarket.domain.catalog import ArtworkStatus
from artmarket.entrypoints.http.controllers.artists import artist_id_or_slug
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.gallery import Card, favorites_of
from artmarket.entrypoints.web.sessions import current_principal
from artmarket.entrypoints.web.sharing import artist_sharing

#: Works shown in each section; an artist with more is browsed in the gallery (filtered by them).
SECTION_SIZE = 48


def artist_path(artist: ArtistSummary) -> str:
    """The page's canonical path: by slug once the artist has a profile, by id before."""
    return f"/artists/{artist.slug or artist.id}"


def initials(name: str) -> str:
    """The monogram shown where a photo would be: "Ada Obi" → "AO"."""
    letters = [word[0] for word in name.split() if word[:1].isalnum()]
    return "".join(letters[:1] + letters[1:][-1:]).upper() or "?"


@get("/artists/{artist_ref:str}", name="artist-page")
@inject
async def artist_page(
    request: Request[Any, Any, Any],
    artist_ref: FromPath[str],
    get_artist: FromDishka[GetArtist],
    browse: FromDishka[BrowseGallery],
    store: FromDishka[ContentStore],
    favorite_ids: FromDishka[ListFavoriteIds],
    clock: FromDishka[Clock],
) -> Template | Redirect:
    """`/artists/{slug}`; `/artists/{id}` (every "by …" link) moves permanently to the slug."""
    artist = await get_artist(artist_id_or_slug(artist_ref))
    if request.url.path != artist_path(artist):
        return Redirect(artist_path(artist), status_code=301)
    favorites = await favorites_of(await current_principal(request), favorite_ids)
    now = clock.now()
    sections = {}
    for status in (ArtworkStatus.PUBLISHED, ArtworkStatus.SOLD):
        where = GalleryFilter(status=status, artist_id=artist.id)
        page = await browse(where, GallerySort.NEWEST, None, SECTION_SIZE)
        sections[status] = [Card.of(card, store, favorites, now) for card in page.items]
    available, sold = sections[ArtworkStatus.PUBLISHED], sections[ArtworkStatus.SOLD]
    photo = store.public_url(artist.photo_key) if artist.photo_key else None
    cover = photo or next((card.image_url for card in available + sold if card.image_url), None)
    return await render(
        request,
        "artists/page.html",
        {
            "artist": artist,
            "initials": initials(artist.display_name),
            "photo_url": photo,
            "available": available,
            "sold": sold,
            "more_url": f"/?artist={artist.id}" if len(available) == SECTION_SIZE else None,
            "sharing": artist_sharing(artist, cover),
        },
    )


ROUTES: list[Any] = [artist_page]
