"""The artist's photo for their public page, uploaded from the profile page (an upload route)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, post
from litestar.response import Redirect

from artmarket.application.catalog.artist_photos import SetArtistPhoto
from artmarket.application.i18n import gettext as _
from artmarket.domain.errors import DomainError
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.routes.artist.studio import ARTIST, PHOTO, read_file
from artmarket.entrypoints.web.sessions import require_principal, web_state


@post("/artist/profile/photo", name="artist-profile-photo", guards=[ARTIST])
@inject
async def upload_photo(
    request: Request[Any, Any, Any], set_photo: FromDishka[SetArtistPhoto], limits: FromDishka[UploadLimits]
) -> Redirect:
    """Back to the profile page either way (post/redirect/get): saying so, or with the error
    beside the photo field (kept as the page's `photo` form)."""
    principal = await require_principal(request)
    try:
        await set_photo(principal, await read_file(request, "photo", limits, kind=PHOTO))
    except DomainError as error:
        if redirect := failed_forms.remember(
            request, Form().fail(error, fields={"file": "photo"}), "/artist/profile", name="photo"
        ):
            return redirect
        web_state(request).flash(error_text(error))  # not kept (a 415, a 409): the page says it
    else:
        web_state(request).flash(_("Your photo is on your artist page."))
    return Redirect("/artist/profile", status_code=303)


#: Takes a file: mounted with the upload body limit (see `UPLOAD_ROUTES`).
UPLOAD_ROUTES: list[Any] = [upload_photo]
