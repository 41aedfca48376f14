"""The studio's identity check (KYC): the artist's cases and submitting the identity document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from artmarket.application.catalog.kyc import ListMyKycCases, SubmitKyc
from artmarket.application.i18n import gettext as _
from artmarket.domain.artists import KycCase, may_submit_kyc
from artmarket.domain.errors import DomainError
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.artist.studio import (
    ARTIST,
    IDENTITY_DOCUMENT,
    limits_context,
    read_file,
)
from artmarket.entrypoints.web.sessions import require_principal, web_state

KYC_DOCUMENT_TYPES = "application/pdf,image/jpeg,image/png,image/webp"


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
            **limits_context(limits),
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
    defaults = (
        {"legal_name": cases[0].legal_name, "country": cases[0].country} if cases else {"country": "NG"}
    )
    form = failed_forms.recall(request, defaults=defaults) or Form(defaults)
    return await _kyc_page(request, cases, limits, form, status=form.status)


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
        document = await read_file(request, "id_document", limits, kind=IDENTITY_DOCUMENT)
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
            web_state(request).flash(_("Thank you. Your identity is being reviewed; we will email you."))
            return Redirect("/artist/kyc", status_code=303)
    return failed_forms.remember(request, form, "/artist/kyc") or await _kyc_page(
        request, await mine(principal), limits, form, status=form.status
    )


ROUTES: list[Any] = [kyc]
#: Takes a file: mounted with the upload body limit (see `UPLOAD_ROUTES`).
UPLOAD_ROUTES: list[Any] = [submit_kyc]
