"""The studio's artist profile: the name, bio, country and website the works show."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from artmarket.application.catalog.artists import GetMyArtistProfile, SaveArtistProfile
from artmarket.application.i18n import gettext as _
from artmarket.domain.errors import DomainError
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.artist.studio import ARTIST
from artmarket.entrypoints.web.sessions import require_principal, web_state


@get("/artist/profile", name="artist-profile", guards=[ARTIST])
@inject
async def profile(request: Request[Any, Any, Any], get_profile: FromDishka[GetMyArtistProfile]) -> Template:
    principal = await require_principal(request)
    current = await get_profile(principal)
    if recalled := failed_forms.recall(request):
        form = recalled
    elif current is None:
        form = Form({"display_name": principal.user.display_name.value, "country": "NG"})
    else:
        form = Form(
            {
                "display_name": current.display_name,
                "bio": current.bio,
                "country": current.country,
                "website": current.website or "",
            }
        )
    # The page's address is shown once the profile has a slug (its first save gives it one).
    page = f"/artists/{current.slug}" if current is not None else None
    photo_form = failed_forms.recall(request, name="photo") or Form()
    return await render(
        request,
        "artist/profile.html",
        {"saved": current is not None, "page": page, "photo_form": photo_form},
        form=form,
        status=max(form.status, photo_form.status),
    )


@post("/artist/profile", name="artist-profile-save", guards=[ARTIST])
@inject
async def save_profile(
    request: Request[Any, Any, Any],
    save: FromDishka[SaveArtistProfile],
    get_profile: FromDishka[GetMyArtistProfile],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("display_name", "country")
    if form.ok:
        try:
            await save(
                principal,
                display_name=form.raw("display_name"),
                bio=form.raw("bio"),
                country=form.raw("country"),
                website=form.raw("website") or None,
            )
        except DomainError as error:
            form.fail(error)
        else:
            web_state(request).flash(_("Your artist profile is saved; your works show the new name."))
            return Redirect("/artist/profile", status_code=303)
    if redirect := failed_forms.remember(request, form, "/artist/profile"):
        return redirect
    saved = await get_profile(principal) is not None
    return await render(request, "artist/profile.html", {"saved": saved}, form=form, status=form.status)


ROUTES: list[Any] = [profile, save_profile]
