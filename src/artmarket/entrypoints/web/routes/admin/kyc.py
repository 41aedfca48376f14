"""The console's KYC review: the queue, a case with the identity document, approve or reject."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from artmarket.application.audit import Actor
from artmarket.application.catalog.kyc import DecideKyc, GetKycCase, ListKycCases, ReadKycDocument
from artmarket.application.i18n import gettext as _
from artmarket.application.media import FILE_EXTENSIONS
from artmarket.domain.artists import KycStatus
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.admin.console import ADMIN, act_on_form, choices, query_choice

KYC_STATUSES = [s for s in KycStatus if s is not KycStatus.NOT_SUBMITTED]


@get("/admin/kyc", name="admin-kyc", guards=[ADMIN])
@inject
async def kyc_queue(request: Request[Any, Any, Any], cases: FromDishka[ListKycCases]) -> Template:
    form = Form.from_query(request)
    if "status" not in form.values:
        form.values["status"] = KycStatus.PENDING.value
    statuses = choices(KYC_STATUSES)
    status = query_choice(form, "status", statuses)
    found = await cases(status=KycStatus(status) if status else None, limit=100)
    return await render(request, "admin/kyc_queue.html", {"cases": found, "statuses": statuses}, form=form)


async def _kyc_page(
    request: Request[Any, Any, Any],
    get_case: GetKycCase,
    case_id: UUID,
    *,
    form: Form | None = None,
    failed: str | None = None,
    status: int = 200,
) -> Template:
    review = await get_case(case_id)
    return await render(
        request,
        "admin/kyc_case.html",
        {
            "review": review,
            "case": review.case,
            "is_image": review.case.document_content_type.startswith("image/"),
            "failed": failed,
        },
        form=form,
        status=status,
    )


@get("/admin/kyc/{case_id:uuid}", name="admin-kyc-case", guards=[ADMIN])
@inject
async def kyc_case(
    request: Request[Any, Any, Any], case_id: FromPath[UUID], get_case: FromDishka[GetKycCase]
) -> Template:
    for decision in ("approve", "reject"):  # at most one was kept by a refused decision
        if form := failed_forms.recall(request, name=decision):
            return await _kyc_page(request, get_case, case_id, form=form, failed=decision, status=form.status)
    return await _kyc_page(request, get_case, case_id)


@get("/admin/kyc/{case_id:uuid}/document", name="admin-kyc-document", guards=[ADMIN])
@inject
async def kyc_document(case_id: FromPath[UUID], read: FromDishka[ReadKycDocument]) -> Response[bytes]:
    """The identity document, for admins only, never cached (as `GET /api/v1/admin/kyc/{id}/document`)."""
    content, content_type = await read(case_id)
    extension = FILE_EXTENSIONS.get(content_type, "bin")
    return Response(
        content,
        media_type=content_type,
        headers={
            "Cache-Control": "private, no-store",
            "Content-Disposition": f'inline; filename="kyc-{case_id}.{extension}"',
        },
    )


async def _decide(
    request: Request[Any, Any, Any],
    case_id: UUID,
    *,
    approve: bool,
    actor: Actor,
    decide: DecideKyc,
    get_case: GetKycCase,
) -> Response[Any]:
    return await act_on_form(
        request,
        lambda form: decide(actor, case_id, approve=approve, reason=form.raw("reason") or None),
        refused=lambda form: _kyc_page(
            request,
            get_case,
            case_id,
            form=form,
            failed="approve" if approve else "reject",
            status=form.status,
        ),
        back="/admin/kyc",
        page=f"/admin/kyc/{case_id}",
        name="approve" if approve else "reject",
        done=lambda case: (
            (_("%(name)s: identity approved.") if approve else _("%(name)s: identity rejected."))
            % {"name": case.legal_name}
        ),
    )


@post("/admin/kyc/{case_id:uuid}/approve", name="admin-kyc-approve", guards=[ADMIN])
@inject
async def kyc_approve(
    request: Request[Any, Any, Any],
    case_id: FromPath[UUID],
    actor: FromDishka[Actor],
    decide: FromDishka[DecideKyc],
    get_case: FromDishka[GetKycCase],
) -> Response[Any]:
    return await _decide(request, case_id, approve=True, actor=actor, decide=decide, get_case=get_case)


@post("/admin/kyc/{case_id:uuid}/reject", name="admin-kyc-reject", guards=[ADMIN])
@inject
async def kyc_reject(
    request: Request[Any, Any, Any],
    case_id: FromPath[UUID],
    actor: FromDishka[Actor],
    decide: FromDishka[DecideKyc],
    get_case: FromDishka[GetKycCase],
) -> Response[Any]:
    return await _decide(request, case_id, approve=False, actor=actor, decide=decide, get_case=get_case)


ROUTES: list[Any] = [kyc_queue, kyc_case, kyc_document, kyc_approve, kyc_reject]
