"""The public certificate page (emails and QR codes lead to it), its PDF, image and "verify" check,
the short links that find it, and its owner's choice to show their name."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from artmarket.application.i18n import gettext as _
from artmarket.application.minting.certificates import (
    PRIVATE_OWNER,
    GetCertificate,
    ShowOwnerName,
    VerifyCertificate,
)
from artmarket.application.minting.documents import (
    CertificateLinks,
    FindCertificate,
    GetCertificatePicture,
    PrintCertificate,
    sheet_of,
)
from artmarket.domain.errors import NotFound
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.sessions import (
    current_principal,
    page_requires_login,
    require_principal,
    web_state,
)
from artmarket.entrypoints.web.sharing import certificate_sharing

PDF_SUFFIX = ".pdf"
#: The PDF is the public view (no viewer-specific facts), so it may be kept briefly; a
#: revocation or a change of the owner's choice shows within a minute.
PDF_CACHE = "public, max-age=60"
#: The image is addressed by its content: it never changes under its URL.
IMAGE_CACHE = "public, max-age=31536000, immutable"


@get("/certificates/{document:str}", name="certificate")
@inject
async def certificate_document(
    request: Request[Any, Any, Any],
    document: FromPath[str],
    get_certificate: FromDishka[GetCertificate],
    verify_certificate: FromDishka[VerifyCertificate],
    print_certificate: FromDishka[PrintCertificate],
    links: FromDishka[CertificateLinks],
    verify: FromQuery[bool] = False,
) -> Response[Any]:
    """`/certificates/{id}`: the page, with the same facts as `GET /api/v1/certificates/{id}`
    (`?verify=1` checks it without script); `/certificates/{id}.pdf`: the printable certificate."""
    # One route for both: a path segment cannot be a UUID parameter followed by a suffix.
    wants_pdf = document.endswith(PDF_SUFFIX)
    certificate_id = _certificate_id(document.removesuffix(PDF_SUFFIX) if wants_pdf else document)
    if wants_pdf:
        printed = await print_certificate(certificate_id)
        return Response(
            printed.pdf,
            media_type="application/pdf",
            headers={
                "Cache-Control": PDF_CACHE,
                "Content-Disposition": f'inline; filename="certificate-{printed.number}.pdf"',
            },
        )
    principal = await current_principal(request)
    view = await get_certificate(certificate_id, viewer=principal.id if principal else None)
    verification = await verify_certificate(certificate_id) if verify else None
    sheet = sheet_of(view, links)
    picture = f"/certificates/{certificate_id}/image" if view.certificate.artwork.image_uri else None
    return await render(
        request,
        "certificates/detail.html",
        {
            "view": view,
            "c": view.certificate,
            "sheet": sheet,
            "sharing": certificate_sharing(sheet, picture),
            "PRIVATE_OWNER": _(PRIVATE_OWNER),
            "verification": verification,
        },
    )


def _certificate_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise NotFound("No such certificate.") from None


@get("/certificates/{certificate_id:uuid}/image", name="certificate-image")
@inject
async def certificate_image(
    certificate_id: FromPath[UUID], picture: FromDishka[GetCertificatePicture]
) -> Response[bytes]:
    """The artwork image the certificate certified, from the content-addressed store."""
    found = await picture(certificate_id)
    return Response(found.data, media_type=found.content_type, headers={"Cache-Control": IMAGE_CACHE})


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


@post(
    "/certificates/{certificate_id:uuid}/owner-name",
    name="certificate-owner-name",
    guards=[page_requires_login],
)
@inject
async def choose_owner_name(
    request: Request[Any, Any, Any],
    certificate_id: FromPath[UUID],
    show_owner_name: FromDishka[ShowOwnerName],
) -> Redirect:
    """The owner's form: show their display name on the certificate, or keep it private."""
    principal = await require_principal(request)
    shown = (await Form.read(request)).raw("shown") == "1"
    await show_owner_name(principal.id, certificate_id, shown=shown)
    private = _("This certificate now says “%(owner)s”.") % {"owner": _(PRIVATE_OWNER)}
    web_state(request).flash(_("Your name is shown on this certificate.") if shown else private)
    return Redirect(f"/certificates/{certificate_id}", status_code=303)


@get("/c/{code:str}", name="certificate-short-link")
@inject
async def short_link(code: FromPath[str], find: FromDishka[FindCertificate]) -> Redirect:
    """The QR code's link: `/c/{public code}` (or the certificate number) → the certificate page."""
    return Redirect(f"/certificates/{await find.by_code(code)}", status_code=302)


@get("/verify/{token_id:str}/{serial:str}", name="certificate-by-nft")
@inject
async def by_nft(
    token_id: FromPath[str], serial: FromPath[str], find: FromDishka[FindCertificate]
) -> Redirect:
    """Wall labels and NFC tags name the NFT: `/verify/0.0.1000/7` → its certificate page."""
    if not serial.isdigit() or len(serial) > 18:
        raise NotFound("No such certificate.")
    return Redirect(f"/certificates/{await find.by_token_serial(token_id, int(serial))}", status_code=302)


ROUTES: list[Any] = [
    certificate_document,
    certificate_image,
    verify_fragment,
    choose_owner_name,
    short_link,
    by_nft,
]
