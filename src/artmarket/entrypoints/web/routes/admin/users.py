"""The console's users: browse by role, status and search; suspend and reinstate with a reason."""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlsplit
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from artmarket.application.admin.users import BrowseUsers, ReinstateUser, SuspendUser, UserFilter
from artmarket.application.audit import Actor
from artmarket.application.i18n import gettext as _
from artmarket.domain.identity import Role, UserStatus
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.routes.admin.console import (
    ADMIN,
    PAGE_SIZE,
    act_on_form,
    back_query,
    choices,
    here,
    list_page,
    query_choice,
)
from artmarket.entrypoints.web.sessions import require_principal, safe_next

#: A refused suspend or reinstate, kept for the listing with the user it was about (`user_id`).
USER_ACTION: Final = "user-action"


async def _users_page(
    request: Request[Any, Any, Any],
    browse: BrowseUsers,
    filters: Form,
    *,
    failed: UUID | None = None,
    action_form: Form | None = None,
    status: int = 200,
) -> Template:
    roles, statuses = choices(Role), choices(UserStatus)
    role = query_choice(filters, "role", roles)
    user_status = query_choice(filters, "status", statuses)
    users, next_url = await list_page(
        request,
        filters,
        lambda cursor: browse(
            UserFilter(  # inside the listing: a refused search (`q`) shows beside its field
                Role(role) if role else None,
                UserStatus(user_status) if user_status else None,
                filters.raw("q")[:200] or None,
            ),
            cursor=cursor,
            limit=PAGE_SIZE,
        ),
    )
    if failed is not None:
        next_url = None
    principal = await require_principal(request)
    context = {
        "users": users,
        "next_url": next_url,
        "roles_options": roles,
        "statuses": statuses,
        "failed": failed,
        "action_form": action_form or Form(),
        "me": principal.id,
        "back": here(request)
        if failed is None
        else (action_form.get("back") if action_form else "/admin/users"),
    }
    if wants_fragment(request) and filters.get("cursor"):
        return await render(request, "admin/_user_rows.html", context, form=filters)
    return await render(request, "admin/users.html", context, form=filters, status=status)


@get("/admin/users", name="admin-users", guards=[ADMIN])
@inject
async def users(request: Request[Any, Any, Any], browse: FromDishka[BrowseUsers]) -> Template:
    filters = Form.from_query(request)
    if (kept := failed_forms.recall(request, name=USER_ACTION)) and (failed := _kept_user(kept)):
        return await _users_page(
            request, browse, filters, failed=failed, action_form=kept, status=kept.status
        )
    return await _users_page(request, browse, filters)


def _kept_user(form: Form) -> UUID | None:
    try:
        return UUID(form.get("user_id"))
    except ValueError:
        return None


async def _users_page_refused(
    request: Request[Any, Any, Any], browse: BrowseUsers, user_id: UUID, form: Form
) -> Response[Any]:
    """The listing the action was sent from, with the refusal beside the user's row: kept for
    that listing (its filters in the address) when it can be, else answered here."""
    filters = back_query(form, "/admin/users")
    listing = safe_next(form.get("back"), "/admin/users")
    page = listing if urlsplit(listing).path == "/admin/users" else "/admin/users"
    form.values["user_id"] = str(user_id)
    if redirect := failed_forms.remember(request, form, page, name=USER_ACTION):
        return redirect
    return await _users_page(request, browse, filters, failed=user_id, action_form=form, status=form.status)


@post("/admin/users/{user_id:uuid}/suspend", name="admin-user-suspend", guards=[ADMIN])
@inject
async def suspend_user(
    request: Request[Any, Any, Any],
    user_id: FromPath[UUID],
    actor: FromDishka[Actor],
    suspend: FromDishka[SuspendUser],
    browse: FromDishka[BrowseUsers],
) -> Response[Any]:
    return await act_on_form(
        request,
        lambda form: suspend(actor, user_id, reason=form.raw("reason")),
        refused=lambda form: _users_page_refused(request, browse, user_id, form),
        back="/admin/users",
        page=None,  # the listing it was sent from: `_users_page_refused`
        done=lambda user: _("%(email)s: suspended; their sessions are signed out.") % {"email": user.email},
    )


@post("/admin/users/{user_id:uuid}/reinstate", name="admin-user-reinstate", guards=[ADMIN])
@inject
async def reinstate_user(
    request: Request[Any, Any, Any],
    user_id: FromPath[UUID],
    actor: FromDishka[Actor],
    reinstate: FromDishka[ReinstateUser],
    browse: FromDishka[BrowseUsers],
) -> Response[Any]:
    return await act_on_form(
        request,
        lambda form: reinstate(actor, user_id, reason=form.raw("reason")),
        refused=lambda form: _users_page_refused(request, browse, user_id, form),
        back="/admin/users",
        page=None,  # the listing it was sent from: `_users_page_refused`
        done=lambda user: _("%(email)s: reinstated.") % {"email": user.email},
    )


ROUTES: list[Any] = [users, suspend_user, reinstate_user]
