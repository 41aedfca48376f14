"""The console's audit log, filtered by action, actor and target, with links to the targets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, get
from litestar.response import Template

from artmarket.application.admin.audit_log import ReadAuditLog
from artmarket.application.audit import AuditFilter
from artmarket.application.i18n import N_
from artmarket.domain.audit import AuditAction
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.routes.admin.console import (
    ADMIN,
    PAGE_SIZE,
    list_page,
    named,
    query_choice,
    query_uuid,
)

AUDIT_ACTIONS = [(a.value, a.value) for a in AuditAction]
#: What an entry acts on: its `target_type` (an identifier) and the word the page shows for it.
AUDIT_TARGETS: Mapping[str, str] = {
    "order": N_("Order"),
    "user": N_("User"),
    "artwork": N_("Artwork"),
    "kyc_case": N_("Identity review"),
    "mint_job": N_("Mint job"),
    "outbox": N_("Outbox"),
}

TARGET_PAGES: Mapping[str, str] = {
    "order": "/admin/orders/{}",
    "artwork": "/admin/artworks/{}",
    "kyc_case": "/admin/kyc/{}",
}


@get("/admin/audit-log", name="admin-audit-log", guards=[ADMIN])
@inject
async def audit_log(request: Request[Any, Any, Any], read: FromDishka[ReadAuditLog]) -> Template:
    form = Form.from_query(request)
    action = query_choice(form, "action", AUDIT_ACTIONS)
    targets = named(AUDIT_TARGETS)
    target_type = query_choice(form, "target_type", targets)
    actor_id = query_uuid(form, "actor_id")
    target_id = form.raw("target_id")[:64] or None
    entries: list[Any] = []
    next_url = None
    if form.ok:
        where = AuditFilter(action, actor_id, target_type, target_id)
        entries, next_url = await list_page(
            request, form, lambda cursor: read(where, cursor=cursor, limit=PAGE_SIZE)
        )
    context = {
        "entries": entries,
        "next_url": next_url,
        "actions": AUDIT_ACTIONS,
        "targets": targets,
        "target_names": dict(targets),
        "target_pages": TARGET_PAGES,
    }
    if wants_fragment(request) and form.get("cursor"):
        return await render(request, "admin/_audit_rows.html", context, form=form)
    return await render(request, "admin/audit_log.html", context, form=form)


ROUTES: list[Any] = [audit_log]
