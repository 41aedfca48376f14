"""The artist's studio: dashboard, artworks (create, edit, images, publish, withdraw), KYC,
profile and payout account. Same use cases as the API's catalog, checkout and dashboard routes.

Routes that take files (`UPLOAD_ROUTES`) are mounted with the upload body limit
(`ARTMARKET_MAX_UPLOAD_BYTES`), like the API's upload router; the pages tell the browser the
same limit (`data-max-bytes`) so `app.js` refuses a larger file before sending it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from artmarket.application.catalog.artists import GetMyArtistProfile, SaveArtistProfile
from artmarket.application.catalog.artworks import (
    AddArtworkImage,
    ArtworkChanges,
    ArtworkDraft,
    CatalogPolicy,
    CreateArtwork,
    GetArtwork,
    ListMyArtworks,
    PublishArtwork,
    UpdateArtwork,
    WithdrawArtwork,
)
from artmarket.application.catalog.kyc import ListMyKycCases, SubmitKyc
from artmarket.application.checkout.payouts import GetPayoutAccount, SavePayoutAccount
from artmarket.application.dashboards.use_cases import ShowArtistDashboard
from artmarket.application.media import ContentStore
from artmarket.application.principal import Principal
from artmarket.domain.artists import KycCase, may_submit_kyc
from artmarket.domain.catalog import MAX_IMAGES, Artwork, Dimensions, Medium
from artmarket.domain.delivery import MAX_SHIPPING_ZONES, Delivery, DeliveryKind, ShippingRate
from artmarket.domain.errors import DomainError, InvalidValue, NotFound
from artmarket.domain.identity import Role
from artmarket.domain.money import Money
from artmarket.entrypoints.http.image_links import image_url
from artmarket.entrypoints.http.uploads import FileTooLarge, UploadLimits, read_upload
from artmarket.entrypoints.web.formatting import exponent, label, plain_amount
from artmarket.entrypoints.web.forms import FieldInvalid, Form
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.sessions import page_requires_role, require_principal, web_state

ARTIST = page_requires_role(Role.ARTIST)
MEDIUMS = [(m.value, label(m)) for m in Medium]
#: API field names → form fields (dimensions are typed as three numbers, zones as rows).
ARTWORK_FIELDS = {
    "dimensions": "height_mm",
    "delivery": "delivery",
    "delivery.weight_grams": "weight_grams",
    "delivery.shipping_rates": "zones",
}
DELIVERY_KINDS = [
    (DeliveryKind.DIGITAL.value, "Digital: the buyer gets the certificate, nothing is shipped"),
    (DeliveryKind.PHYSICAL.value, "Physical: I ship the work to the buyer"),
]
#: Shipping zone rows the form always offers (blank rows are ignored); one more blank row
#: than the work has zones when it has more.
ZONE_ROWS = 3
KYC_DOCUMENT_TYPES = "application/pdf,image/jpeg,image/png,image/webp"
IMAGE_TYPES = "image/jpeg,image/png,image/webp"


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB"


def _limits_context(limits: UploadLimits) -> dict[str, Any]:
    return {"max_upload_bytes": limits.max_bytes, "max_upload_text": megabytes(limits.max_bytes)}


def _currencies(policy: CatalogPolicy) -> list[tuple[str, str]]:
    return [(code, code) for code in sorted(policy.currencies)]


# --- Dashboard -----------------------------------------------------------------------------


@get("/artist", name="artist-dashboard", guards=[ARTIST])
@inject
async def dashboard(
    request: Request[Any, Any, Any],
    show: FromDishka[ShowArtistDashboard],
    mine: FromDishka[ListMyArtworks],
    kyc: FromDishka[ListMyKycCases],
    store: FromDishka[ContentStore],
) -> Template:
    principal = await require_principal(request)
    board = await show(principal)
    works = await mine(principal)
    cases = await kyc(principal)
    return await render(
        request,
        "artist/dashboard.html",
        {
            "board": board,
            "works": works,
            "thumbnails": _thumbnails(works, store),
            "kyc": cases[0] if cases else None,
            "months": sorted(
                (m for r in board.revenue for m in r.by_month),
                key=lambda m: (m.month, m.currency),
                reverse=True,
            ),
        },
    )


def _thumbnails(works: Sequence[Artwork], store: ContentStore) -> dict[UUID, str | None]:
    return {w.id: image_url(store, w, w.cover, "thumbnail") if w.cover else None for w in works}


# --- Artworks ------------------------------------------------------------------------------


def _zone_rows(form: Form) -> int:
    """How many zone rows the page shows: at least `ZONE_ROWS`, and every row typed or saved."""
    used = [
        int(found.group(1))
        for name, value in form.values.items()
        if value and (found := re.fullmatch(r"zone_(\d{1,2})_(?:countries|price)", name))
    ]
    return min(MAX_SHIPPING_ZONES, max(ZONE_ROWS, max(used, default=-1) + 2))


def _delivery_values(delivery: Delivery, currency: str) -> dict[str, str]:
    values = {
        "delivery": delivery.kind.value,
        "weight_grams": str(delivery.weight_grams) if delivery.weight_grams is not None else "",
    }
    for row, rate in enumerate(delivery.shipping_rates):
        values[f"zone_{row}_countries"] = ", ".join(rate.countries)
        values[f"zone_{row}_price"] = plain_amount(rate.price.amount, currency)
    return values


def _read_delivery(form: Form, currency: str | None) -> Delivery | None:
    """Digital (the default), or physical with its weight and the zones typed in the rows (blank rows are
    ignored); None with the errors beside their fields. Fields of the physical part are
    ignored when the work is digital. The domain checks the rest, as for the API."""
    kind = form.choice("delivery", [k.value for k in DeliveryKind])
    if kind != DeliveryKind.PHYSICAL.value:
        return None if form.errors.get("delivery") else Delivery()  # digital, the default
    weight = form.integer("weight_grams")  # its bounds are the domain's (InvalidWeight)
    if not form.raw("weight_grams"):
        form.add_error("weight_grams", "A physical work needs its weight in grams.")
    rates: list[ShippingRate] = []
    for row in range(_zone_rows(form)):
        countries_field, price_field = f"zone_{row}_countries", f"zone_{row}_price"
        codes = [code for code in re.split(r"[\s,;]+", form.raw(countries_field)) if code]
        if not codes and not form.raw(price_field):
            continue  # a blank row
        price = form.amount(price_field, exponent=exponent(currency or "NGN"))
        if not form.raw(price_field):
            form.add_error(price_field, "Give the shipping price to these countries (0 for free).")
        if not codes:
            form.add_error(countries_field, "List the countries of this zone, e.g. NG, GH.")
        if price is None or not codes or currency is None:
            continue
        try:
            rates.append(ShippingRate.of(codes, Money.of(price, currency)))
        except InvalidValue as error:
            form.add_error(countries_field, error.message)
    if not form.ok or weight is None:
        return None
    try:
        return Delivery.physical(weight_grams=weight, shipping_rates=rates)
    except DomainError as error:
        form.fail(error, fields=ARTWORK_FIELDS)
        return None


def _artwork_values(artwork: Artwork) -> dict[str, str]:
    dims = artwork.dimensions
    return {
        **_delivery_values(artwork.delivery, artwork.price.currency.code),
        "title": artwork.title,
        "description": artwork.description,
        "medium": artwork.medium.value,
        "price": plain_amount(artwork.price.amount, artwork.price.currency.code),
        "currency": artwork.price.currency.code,
        "year": str(artwork.year or ""),
        "height_mm": str(dims.height_mm) if dims else "",
        "width_mm": str(dims.width_mm) if dims else "",
        "depth_mm": str(dims.depth_mm or "") if dims else "",
    }


def _read_artwork(form: Form, policy: CatalogPolicy) -> ArtworkDraft | None:
    """The listing typed into `form`, or None with the errors recorded beside their fields."""
    form.require("title", "price")
    medium = form.choice("medium", [m.value for m in Medium], required=True)
    currency = form.choice("currency", sorted(policy.currencies), required=True)
    price = form.amount("price", exponent=exponent(currency or "NGN"))
    year = form.integer("year", minimum=1000, maximum=9999)
    height = form.integer("height_mm", minimum=1, maximum=100_000)
    width = form.integer("width_mm", minimum=1, maximum=100_000)
    depth = form.integer("depth_mm", minimum=1, maximum=100_000)
    if (height is None) != (width is None) or (depth is not None and height is None):
        form.add_error("height_mm", "Give both the height and the width (the depth is optional).")
    delivery = _read_delivery(form, currency)
    if not form.ok or medium is None or currency is None or price is None or delivery is None:
        return None
    try:
        return ArtworkDraft(
            title=form.raw("title"),
            description=form.raw("description"),
            medium=Medium(medium),
            price=Money.of(price, currency),
            year=year,
            dimensions=Dimensions(height, width, depth) if height and width else None,
            delivery=delivery,
        )
    except DomainError as error:
        form.fail(error, fields=ARTWORK_FIELDS)
        return None


@get("/artist/artworks/new", name="artist-artwork-new", guards=[ARTIST])
@inject
async def new_artwork(request: Request[Any, Any, Any], policy: FromDishka[CatalogPolicy]) -> Template:
    currency = "NGN" if "NGN" in policy.currencies else sorted(policy.currencies)[0]
    form = Form(
        {"medium": Medium.PAINTING.value, "currency": currency, "delivery": DeliveryKind.DIGITAL.value}
    )
    return await render(request, "artist/artwork_new.html", _listing_context(policy, form), form=form)


@post("/artist/artworks", name="artist-artwork-create", guards=[ARTIST])
@inject
async def create_artwork(
    request: Request[Any, Any, Any], create: FromDishka[CreateArtwork], policy: FromDishka[CatalogPolicy]
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    draft = _read_artwork(form, policy)
    if draft is not None:
        try:
            artwork = await create(principal, draft)
        except DomainError as error:
            form.fail(error, fields=ARTWORK_FIELDS)
        else:
            web_state(request).flash("Draft saved. Add an image, then publish it.")
            return Redirect(f"/artist/artworks/{artwork.id}", status_code=303)
    return await render(
        request, "artist/artwork_new.html", _listing_context(policy, form), form=form, status=form.status
    )


def _listing_context(policy: CatalogPolicy, form: Form) -> dict[str, Any]:
    """What the listing's fields (`artist/_artwork_fields.html`) need besides the form."""
    return {
        "mediums": MEDIUMS,
        "currencies": _currencies(policy),
        "delivery_kinds": DELIVERY_KINDS,
        "zone_rows": _zone_rows(form),
    }


async def _own_artwork(get_artwork: GetArtwork, principal: Principal, artwork_id: UUID) -> Artwork:
    artwork = await get_artwork(artwork_id, principal)
    if artwork.artist_id != principal.id:
        raise NotFound("No such artwork.")
    return artwork


async def _edit_page(
    request: Request[Any, Any, Any],
    artwork: Artwork,
    *,
    store: ContentStore,
    policy: CatalogPolicy,
    limits: UploadLimits,
    form: Form | None = None,
    upload_form: Form | None = None,
    status_form: Form | None = None,
    status: int = 200,
) -> Template:
    form = form or Form(_artwork_values(artwork))
    return await render(
        request,
        "artist/artwork_edit.html",
        {
            **_listing_context(policy, form),
            "artwork": artwork,
            "images": _image_views(artwork, store),
            "editable": artwork.is_editable,
            "can_add_image": artwork.accepts_images,
            "max_images": MAX_IMAGES,
            "upload_form": upload_form or Form(),
            "status_form": status_form or Form(),
            "image_types": IMAGE_TYPES,
            **_limits_context(limits),
        },
        form=form,
        status=status,
    )


def _image_views(artwork: Artwork, store: ContentStore) -> list[dict[str, Any]]:
    return [
        {
            "url": image_url(store, artwork, image, "display"),
            "thumbnail": image_url(store, artwork, image, "thumbnail"),
            "width": image.width,
            "height": image.height,
            "alt": f"{artwork.title}, image {n}",
        }
        for n, image in enumerate(artwork.images, start=1)
    ]


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
    artwork = await _own_artwork(get_artwork, principal, artwork_id)
    return await _edit_page(request, artwork, store=store, policy=policy, limits=limits)


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
    draft = _read_artwork(form, policy)
    if draft is not None:
        changes = ArtworkChanges(
            title=draft.title,
            description=draft.description,
            medium=draft.medium,
            price=draft.price,
            year=draft.year,
            dimensions=draft.dimensions,
            delivery=draft.delivery,
        )
        try:
            await update(principal, artwork_id, changes)
        except DomainError as error:
            form.fail(error, fields=ARTWORK_FIELDS)
        else:
            web_state(request).flash("Your changes are saved.")
            return Redirect(f"/artist/artworks/{artwork_id}", status_code=303)
    artwork = await _own_artwork(get_artwork, principal, artwork_id)
    return await _edit_page(
        request, artwork, store=store, policy=policy, limits=limits, form=form, status=form.status
    )


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
        content = await _read_file(request, "file", limits, what="image")
        await add_image(principal, artwork_id, content)
    except DomainError as error:
        upload_form.fail(error)
        if wants_fragment(request):
            return Response(
                error.message,
                status_code=upload_form.status,
                media_type="text/plain",
                headers={"Cache-Control": "no-store"},
            )
        artwork = await _own_artwork(get_artwork, principal, artwork_id)
        return await _edit_page(
            request,
            artwork,
            store=store,
            policy=policy,
            limits=limits,
            upload_form=upload_form,
            status=upload_form.status,
        )
    artwork = await _own_artwork(get_artwork, principal, artwork_id)
    if wants_fragment(request):
        return await render(
            request,
            "artist/_images.html",
            {
                "artwork": artwork,
                "images": _image_views(artwork, store),
                "can_add_image": artwork.accepts_images,
                "max_images": MAX_IMAGES,
                "image_types": IMAGE_TYPES,
                "upload_form": upload_form,
                **_limits_context(limits),
            },
        )
    web_state(request).flash("The image is added.")
    return Redirect(f"/artist/artworks/{artwork_id}#images", status_code=303)


async def _read_file(request: Request[Any, Any, Any], name: str, limits: UploadLimits, *, what: str) -> bytes:
    data = await request.form()
    upload = data.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise FieldInvalid(name, f"Choose the {what} to upload.")
    try:
        content = await read_upload(upload, limits.max_bytes, field=name)
    except FileTooLarge:
        raise FileTooLarge(f"The {what} is larger than {megabytes(limits.max_bytes)}.") from None
    if not content:
        raise FieldInvalid(name, f"The {what} is empty.")
    return content


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
        artwork = await _own_artwork(get_artwork, principal, artwork_id)
        return await _edit_page(
            request,
            artwork,
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
        "Published: the work is in the gallery now.",
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
        "Withdrawn: the work is off sale and hidden from the gallery.",
        get_artwork=get_artwork,
        store=store,
        policy=policy,
        limits=limits,
    )


# --- KYC -----------------------------------------------------------------------------------


def _may_submit(cases: Sequence[KycCase]) -> bool:
    """`cases` come newest first."""
    return may_submit_kyc(cases[0] if cases else None)


async def _kyc_page(
    request: Request[Any, Any, Any],
    cases: Sequence[KycCase],
    limits: UploadLimits,
    form: Form | None = None,
    status: int = 200,
) -> Template:
    return await render(
        request,
        "artist/kyc.html",
        {
            "cases": cases,
            "latest": cases[0] if cases else None,
            "may_submit": _may_submit(cases),
            "document_types": KYC_DOCUMENT_TYPES,
            **_limits_context(limits),
        },
        form=form,
        status=status,
    )


@get("/artist/kyc", name="artist-kyc", guards=[ARTIST])
@inject
async def kyc(
    request: Request[Any, Any, Any], mine: FromDishka[ListMyKycCases], limits: FromDishka[UploadLimits]
) -> Template:
    principal = await require_principal(request)
    cases = await mine(principal)
    form = Form(
        {"legal_name": cases[0].legal_name, "country": cases[0].country} if cases else {"country": "NG"}
    )
    return await _kyc_page(request, cases, limits, form)


@post("/artist/kyc", name="artist-kyc-submit", guards=[ARTIST])
@inject
async def submit_kyc(
    request: Request[Any, Any, Any],
    submit: FromDishka[SubmitKyc],
    mine: FromDishka[ListMyKycCases],
    limits: FromDishka[UploadLimits],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("legal_name", "country")
    document: bytes | None = None
    try:
        document = await _read_file(request, "id_document", limits, what="identity document")
    except DomainError as error:
        form.fail(error, fields={"file": "id_document"})
    if form.ok and document is not None:
        try:
            await submit(
                principal, legal_name=form.raw("legal_name"), country=form.raw("country"), document=document
            )
        except DomainError as error:
            form.fail(error)
        else:
            web_state(request).flash("Thank you. Your identity is being reviewed; we will email you.")
            return Redirect("/artist/kyc", status_code=303)
    return await _kyc_page(request, await mine(principal), limits, form, status=form.status)


# --- Profile and payouts -------------------------------------------------------------------


@get("/artist/profile", name="artist-profile", guards=[ARTIST])
@inject
async def profile(request: Request[Any, Any, Any], get_profile: FromDishka[GetMyArtistProfile]) -> Template:
    principal = await require_principal(request)
    current = await get_profile(principal)
    if current is None:
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
    return await render(request, "artist/profile.html", {"saved": current is not None}, form=form)


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
            web_state(request).flash("Your artist profile is saved; your works show the new name.")
            return Redirect("/artist/profile", status_code=303)
    saved = await get_profile(principal) is not None
    return await render(request, "artist/profile.html", {"saved": saved}, form=form, status=form.status)


@get("/artist/payout", name="artist-payout", guards=[ARTIST])
@inject
async def payout(request: Request[Any, Any, Any], get_account: FromDishka[GetPayoutAccount]) -> Template:
    principal = await require_principal(request)
    account = await get_account(principal)
    form = Form({"bank_code": account.bank_code} if account else {})
    return await render(request, "artist/payout.html", {"account": account}, form=form)


@post("/artist/payout", name="artist-payout-save", guards=[ARTIST])
@inject
async def save_payout(
    request: Request[Any, Any, Any],
    save: FromDishka[SavePayoutAccount],
    get_account: FromDishka[GetPayoutAccount],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("bank_code", "account_number")
    for name in ("bank_code", "account_number"):
        if form.raw(name) and not form.raw(name).isdigit():
            form.add_error(name, "Use digits only.")
    if form.ok:
        try:
            await save(principal, bank_code=form.raw("bank_code"), account_number=form.raw("account_number"))
        except DomainError as error:
            form.fail(error)
        else:
            web_state(request).flash("Your payout account is saved.")
            return Redirect("/artist/payout", status_code=303)
    account = await get_account(principal)
    return await render(request, "artist/payout.html", {"account": account}, form=form, status=form.status)


ROUTES: list[Any] = [
    dashboard,
    new_artwork,
    create_artwork,
    edit_artwork,
    save_artwork,
    publish_artwork,
    withdraw_artwork,
    kyc,
    profile,
    save_profile,
    payout,
    save_payout,
]
#: Routes that take files: mounted with the upload body limit (see entrypoints/web/app.py).
UPLOAD_ROUTES: list[Any] = [upload_image, submit_kyc]
