"""Adding an image to an artwork in the studio (an upload route: see `UPLOAD_ROUTES`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, post
from litestar.params import FromPath
from litestar.response import Redirect

from artmarket.application.catalog.artworks import AddArtworkImage, CatalogPolicy, GetArtwork
from artmarket.application.i18n import gettext as _
from artmarket.application.media import ContentStore
from artmarket.domain.catalog import MAX_IMAGES
from artmarket.domain.errors import DomainError
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.routes.artist.artwork_page import (
    IMAGE_TYPES,
    edit_page,
    image_views,
    own_artwork,
)
from artmarket.entrypoints.web.routes.artist.studio import (
    ARTIST,
    IMAGE,
    limits_context,
    read_file,
)
from artmarket.entrypoints.web.sessions import require_principal, web_state


@post("/artist/artworks/{artwork_id:uuid}/images", name="artist-artwork-image", guards=[ARTIST])
@inject
async def upload_image(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    get_artwork: FromDishka[GetArtwork],
    add_image: FromDishka[AddArtworkImage],
    store: FromDishka[ContentStore],
    policy: FromDishka[CatalogPolicy],
    limits: FromDishka[UploadLimits],
) -> Response[Any]:
    """One image per request (as the API takes it); app.js sends it with a progress bar and
    swaps in the images list it answers with, a plain form post comes back to the page."""
    principal = await require_principal(request)
    upload_form = Form()
    try:
        content = await read_file(request, "file", limits, kind=IMAGE)
        await add_image(principal, artwork_id, content)
    except DomainError as error:
        upload_form.fail(error)
        if wants_fragment(request):
            return Response(
                error_text(error),
                status_code=upload_form.status,
                media_type="text/plain",
                headers={"Cache-Control": "no-store"},
            )
        page = f"/artist/artworks/{artwork_id}"
        if redirect := failed_forms.remember(request, upload_form, page, name="upload"):
            return redirect
        return await edit_page(
            request,
            principal,
            artwork_id,
            get_artwork=get_artwork,
            store=store,
            policy=policy,
            limits=limits,
            upload_form=upload_form,
            status=upload_form.status,
        )
    artwork = await own_artwork(get_artwork, principal, artwork_id)
    if wants_fragment(request):
        return await render(
            request,
            "artist/_images.html",
            {
                "artwork": artwork,
                "images": image_views(artwork, store),
                "can_add_image": artwork.accepts_images,
                "max_images": MAX_IMAGES,
                "image_types": IMAGE_TYPES,
                "upload_form": upload_form,
                **limits_context(limits),
            },
        )
    web_state(request).flash(_("The image is added."))
    return Redirect(f"/artist/artworks/{artwork_id}#images", status_code=303)


UPLOAD_ROUTES: list[Any] = [upload_image]
