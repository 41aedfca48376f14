"""The public certificate page (emails link to it) and its "verify" check."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from artmarket.application.minting.certificates import GetCertificate, VerifyCertificate
from artmarket.entrypoints.web.rendering import render


@get("/certificates/{certificate_id:uuid}", name="certificate")
@inject
async def certificate_page(
    request: Request[Any, Any, Any],
    certificate_id: FromPath[UUID],
    get_certificate: FromDishka[GetCertificate],
    verify_certificate: FromDishka[VerifyCertificate],
    verify: FromQuery[bool] = False,
) -> Template:
    """The same facts as `GET /api/v1/certificates/{id}`; `?verify=1` checks it without script."""
    view = await get_certificate(certificate_id)
    verification = await verify_certificate(certificate_id) if verify else None
    return await render(
        request,
        "certificates/detail.html",
        {"view": view, "c": view.certificate, "verification": verification},
    )


@get("/certificates/{certificate_id:uuid}/verify", name="certificate-verify")
@inject
async def verify_fragment(
    request: Request[Any, Any, Any],
    certificate_id: FromPath[UUID],
    verify_certificate: FromDishka[VerifyCertificate],
) -> Template:
    """The verification result, swapped into the page by htmx."""
    verification = await verify_certificate(certificate_id)
    return await render(
        request,
        "certificates/_verification.html",
        {"verification": verification, "certificate_id": certificate_id},
    )


ROUTES: list[Any] = [certificate_page, verify_fragment]
