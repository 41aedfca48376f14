"""The studio's artworks: create a draft, edit it, publish and withdraw."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from artmarket.application.catalog.artworks import (
    ArtworkChanges,
    CatalogPolicy,
    CreateArtwork,
    GetArtwork,
    PublishArtwork,
    UpdateArtwork,
    WithdrawArtwork,
)
from artmarket.application.i18n import gettext as _
from artmarket.application.media import ContentStore
from artmarket.domain.delivery import DeliveryKind
from artmarket.domain.editions import EditionKind
from artmarket.domain.errors import DomainError
from artmarket.domain.listing import Medium
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.artist.artwork_form import ARTWORK_FIELDS, listing_context, read_artwork
from artmarket.entrypoints.web.routes.artist.artwork_page import edit_page
from artmarket.entrypoints.web.routes.artist.studio import ARTIST
from artmarket.entrypoints.web.sessions import require_principal, web_state


@get("/artist/artworks/new", name="artist-artwork-new", guards=[ARTIST])
@inject
async def new_artwork(request: Request[Any, Any, Any], policy: FromDishka[CatalogPolicy]) -> Template:
    currency = "NGN" if "NGN" in policy.currencies else sorted(policy.currencies)[0]
    form = failed_forms.recall(request) or Form(
        {
            "medium": Medium.PAINTING.value,
            "currency": currency,
            "delivery": DeliveryKind.DIGITAL.value,
            "edition": EditionKind.UNIQUE.value,
        }
    )
    return await render(
        request, "artist/artwork_new.html", listing_context(policy, form), form=form, status=form.status
    )


@post("/artist/artworks", name="artist-artwork-create", guards=[ARTIST])
@inject
async def create_artwork(
    request: Request[Any, Any, Any], create: FromDishka[CreateArtwork], policy: FromDishka[CatalogPolicy]
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    draft = read_artwork(form, policy)
    if draft is not None:
        try:
            artwork = await create(principal, draft)
        except DomainError as error:
            form.fail(error, fields=ARTWORK_FIELDS)
        else:
            web_state(request).flash(_("Draft saved. Add an image, then publish it."))
            return Redirect(f"/artist/artworks/{artwork.id}", status_code=303)
    return failed_forms.remember(request, form, "/artist/artworks/new") or await render(
        request, "artist/artwork_new.html", listing_context(policy, form), form=form, status=form.status
    )


@get("/artist/artworks/{artwork_id:uuid}", name="artist-artwork", guards=[ARTIST])
@inject
async def edit_artwork(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    get_artwork: FromDishka[GetArtwork],
    store: FromDishka[ContentStore],
    policy: FromDishka[CatalogPolicy],
    limits: FromDishka[UploadLimits],
) -> Template:
    principal = await require_principal(request)
    # At most one of them was kept by a failed post (post/redirect/get).
    form, upload_form = failed_forms.recall(request), failed_forms.recall(request, name="upload")
    return await edit_page(
        request,
        principal,
        artwork_id,
        get_artwork=get_artwork,
        store=store,
        policy=policy,
        limits=limits,
        form=form,
        upload_form=upload_form,
        status=(form or upload_form or Form()).status,
    )


@post("/artist/artworks/{artwork_id:uuid}", name="artist-artwork-save", guards=[ARTIST])
@inject
async def save_artwork(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    get_artwork: FromDishka[GetArtwork],
    update: FromDishka[UpdateArtwork],
    store: FromDishka[ContentStore],
    policy: FromDishka[CatalogPolicy],
    limits: FromDishka[UploadLimits],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    draft = read_artwork(form, policy)
    if draft is not None:
        changes = ArtworkChanges(
            title=draft.title,
            description=draft.description,
            medium=draft.medium,
            price=draft.price,
            year=draft.year,
            dimensions=draft.dimensions,
            delivery=draft.delivery,
            # Disabled edition fields (a number went to a buyer) are not sent: keep the edition.
            edition=draft.edition if form.raw("edition") else None,
            available_from=draft.available_from,
        )
        try:
            await update(principal, artwork_id, changes)
        except DomainError as error:
            form.fail(error, fields=ARTWORK_FIELDS)
        else:
            web_state(request).flash(_("Your changes are saved."))
            return Redirect(f"/artist/artworks/{artwork_id}", status_code=303)
    if redirect := failed_forms.remember(request, form, f"/artist/artworks/{artwork_id}"):
        return redirect
    return await edit_page(
        request,
        principal,
        artwork_id,
        get_artwork=get_artwork,
        store=store,
        policy=policy,
        limits=limits,
        form=form,
        status=form.status,
    )


async def _change_status(
    request: Request[Any, Any, Any],
    artwork_id: UUID,
    action: Any,
    done: str,
    *,
    get_artwork: GetArtwork,
    store: ContentStore,
    policy: CatalogPolicy,
    limits: UploadLimits,
) -> Response[Any]:
    principal = await require_principal(request)
    try:
        await action(principal, artwork_id)
    except DomainError as error:
        status_form = Form().fail(error)
        return await edit_page(
            request,
            principal,
            artwork_id,
            get_artwork=get_artwork,
            store=store,
            policy=policy,
            limits=limits,
            status_form=status_form,
            status=status_form.status,
        )
    web_state(request).flash(done)
    return Redirect(f"/artist/artworks/{artwork_id}", status_code=303)


@post("/artist/artworks/{artwork_id:uuid}/publish", name="artist-artwork-publish", guards=[ARTIST])
@inject
async def publish_artwork(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    publish: FromDishka[PublishArtwork],
    get_artwork: FromDishka[GetArtwork],
    store: FromDishka[ContentStore],
    policy: FromDishka[CatalogPolicy],
    limits: FromDishka[UploadLimits],
) -> Response[Any]:
    return await _change_status(
        request,
        artwork_id,
        publish,
        _("Published: the work is in the gallery now."),
        get_artwork=get_artwork,
        store=store,
        policy=policy,
        limits=limits,
    )


@post("/artist/artworks/{artwork_id:uuid}/withdraw", name="artist-artwork-withdraw", guards=[ARTIST])
@inject
async def withdraw_artwork(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    withdraw: FromDishka[WithdrawArtwork],
    get_artwork: FromDishka[GetArtwork],
    store: FromDishka[ContentStore],
    policy: FromDishka[CatalogPolicy],
    limits: FromDishka[UploadLimits],
) -> Response[Any]:
    return await _change_status(
        request,
        artwork_id,
        withdraw,
        _("Withdrawn: the work is off sale and hidden from the gallery."),
        get_artwork=get_artwork,
        store=store,
        policy=policy,
        limits=limits,
    )


ROUTES: list[Any] = [
    new_artwork,
    create_artwork,
    edit_artwork,
    save_artwork,
    publish_artwork,
    withdraw_artwork,
]
