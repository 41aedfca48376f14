"""The console's artworks: public works searched like the gallery, a work's page, take-downs."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from artmarket.application.admin.takedowns import UnpublishArtwork
from artmarket.application.audit import Actor
from artmarket.application.catalog.artworks import GetArtwork
from artmarket.application.catalog.gallery import BrowseGallery
from artmarket.application.catalog.ports import GalleryFilter, GallerySort
from artmarket.application.i18n import gettext as _
from artmarket.application.media import ContentStore
from artmarket.domain.catalog import ArtworkStatus
from artmarket.entrypoints.http.image_links import image_url
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.routes.admin.console import (
    ADMIN,
    PAGE_SIZE,
    act_on_form,
    choices,
    list_page,
    query_choice,
)
from artmarket.entrypoints.web.sessions import require_principal


@get("/admin/artworks", name="admin-artworks", guards=[ADMIN])
@inject
async def artworks(
    request: Request[Any, Any, Any], browse: FromDishka[BrowseGallery], store: FromDishka[ContentStore]
) -> Template:
    """Public works (published, or sold), newest first, searched like the gallery."""
    form = Form.from_query(request)
    status = query_choice(form, "status", choices([ArtworkStatus.PUBLISHED, ArtworkStatus.SOLD]))
    where = GalleryFilter(status=ArtworkStatus(status or "published"), q=form.raw("q")[:200] or None)
    cards, next_url = await list_page(
        request, form, lambda cursor: browse(where, GallerySort.NEWEST, cursor, PAGE_SIZE)
    )
    context = {
        "cards": cards,
        "thumbnails": {c.id: store.public_url(c.thumbnail_key) if c.thumbnail_key else None for c in cards},
        "next_url": next_url,
    }
    if wants_fragment(request) and form.get("cursor"):
        return await render(request, "admin/_artwork_rows.html", context, form=form)
    return await render(request, "admin/artworks.html", context, form=form)


async def _artwork_page(
    request: Request[Any, Any, Any],
    get_artwork: GetArtwork,
    store: ContentStore,
    artwork_id: UUID,
    *,
    form: Form | None = None,
    status: int = 200,
) -> Template:
    artwork = await get_artwork(artwork_id, await require_principal(request))
    images = [
        {
            "url": image_url(store, artwork, i, "display"),
            "width": i.width,
            "height": i.height,
            "alt": _("%(title)s, image %(number)d") % {"title": artwork.title, "number": n},
        }
        for n, i in enumerate(artwork.images, start=1)
    ]
    return await render(
        request,
        "admin/artwork.html",
        {
            "artwork": artwork,
            "images": images,
            "can_unpublish": artwork.can_be_taken_down,
            "unpublish_failed": form is not None,
        },
        form=form,
        status=status,
    )


@get("/admin/artworks/{artwork_id:uuid}", name="admin-artwork", guards=[ADMIN])
@inject
async def artwork(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    get_artwork: FromDishka[GetArtwork],
    store: FromDishka[ContentStore],
) -> Template:
    form = failed_forms.recall(request, name="unpublish")
    return await _artwork_page(
        request, get_artwork, store, artwork_id, form=form, status=form.status if form else 200
    )


@post("/admin/artworks/{artwork_id:uuid}/unpublish", name="admin-artwork-unpublish", guards=[ADMIN])
@inject
async def unpublish(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    actor: FromDishka[Actor],
    take_down: FromDishka[UnpublishArtwork],
    get_artwork: FromDishka[GetArtwork],
    store: FromDishka[ContentStore],
) -> Response[Any]:
    return await act_on_form(
        request,
        lambda form: take_down(actor, artwork_id, reason=form.raw("reason")),
        refused=lambda form: _artwork_page(
            request, get_artwork, store, artwork_id, form=form, status=form.status
        ),
        back=f"/admin/artworks/{artwork_id}",
        done=_("Unpublished: the artist cannot publish it again."),
        page=f"/admin/artworks/{artwork_id}",
        name="unpublish",
    )


ROUTES: list[Any] = [artworks, artwork, unpublish]
