"""The console's operations pages: the mint queue (with the ledger) and the outbox, with retries."""

from __future__ import annotations

from typing import Any, Literal, cast
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from artmarket.application.audit import Actor
from artmarket.application.cursor import CursorCodec
from artmarket.application.i18n import N_
from artmarket.application.i18n import gettext as _
from artmarket.application.minting.jobs import ListMintJobs, RetryMintJob
from artmarket.application.minting.ledger_admin import GetLedgerStatus
from artmarket.application.notifications.outbox import ListOutbox, RetryOutbox
from artmarket.application.pages import Page, decode_position, page_of
from artmarket.domain.certificates import MintJob, MintJobStatus
from artmarket.entrypoints.http.controllers.minting import MINT_JOBS_LISTING  # its cursors work here too
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.routes.admin.console import (
    ADMIN,
    PAGE_SIZE,
    choices,
    here,
    list_page,
    named,
    query_choice,
    redirect_back,
)

OUTBOX_STATUSES = {
    "failed": N_("Failed"),
    "pending": N_("Pending"),
    "sent": N_("Sent"),
    "published": N_("Published"),
}
OUTBOX_CHANNELS = {"email": N_("Email"), "event": N_("Event")}


@get("/admin/mint-jobs", name="admin-mint-jobs", guards=[ADMIN])
@inject
async def mint_jobs(
    request: Request[Any, Any, Any],
    list_jobs: FromDishka[ListMintJobs],
    ledger: FromDishka[GetLedgerStatus],
    cursors: FromDishka[CursorCodec],
) -> Template:
    form = Form.from_query(request)
    statuses = choices(MintJobStatus)
    status = query_choice(form, "status", statuses)

    async def newest_jobs(cursor: str | None) -> Page[MintJob]:
        before = decode_position(cursors, cursor, MINT_JOBS_LISTING)
        found = await list_jobs(
            status=MintJobStatus(status) if status else None, limit=PAGE_SIZE + 1, before=before
        )
        return page_of(found, PAGE_SIZE, cursors, MINT_JOBS_LISTING, lambda job: (job.created_at, job.id))

    jobs, next_url = await list_page(request, form, newest_jobs)
    context: dict[str, Any] = {
        "jobs": jobs,
        "next_url": next_url,
        "statuses": statuses,
        "back": here(request),
    }
    if wants_fragment(request) and form.get("cursor"):
        return await render(request, "admin/_mint_rows.html", context, form=form)
    context["ledger"] = await ledger()
    return await render(request, "admin/mint_jobs.html", context, form=form)


@post("/admin/mint-jobs/{job_id:uuid}/retry", name="admin-mint-job-retry", guards=[ADMIN])
@inject
async def retry_mint_job(
    request: Request[Any, Any, Any],
    job_id: FromPath[UUID],
    actor: FromDishka[Actor],
    retry: FromDishka[RetryMintJob],
) -> Response[Any]:
    form = await Form.read(request)
    await retry(actor, job_id)  # a job that is not failed: the 409 page says why
    return redirect_back(
        request, form, "/admin/mint-jobs", _("The mint job is queued again; the minter takes it shortly.")
    )


@get("/admin/outbox", name="admin-outbox", guards=[ADMIN])
@inject
async def outbox(request: Request[Any, Any, Any], list_outbox: FromDishka[ListOutbox]) -> Template:
    form = Form.from_query(request)
    statuses, channels = named(OUTBOX_STATUSES), named(OUTBOX_CHANNELS)
    status = query_choice(form, "status", statuses)
    channel = query_choice(form, "channel", channels)
    entries = await list_outbox(
        status=cast(Literal["pending", "failed", "sent", "published"] | None, status),
        channel=cast(Literal["email", "event"] | None, channel),
        limit=100,
    )
    return await render(
        request,
        "admin/outbox.html",
        {
            "entries": entries,
            "statuses": statuses,
            "channels": channels,
            "channel_names": dict(channels),
            "back": here(request),
        },
        form=form,
    )


@post("/admin/outbox/{entry_id:uuid}/retry", name="admin-outbox-retry", guards=[ADMIN])
@inject
async def retry_outbox(
    request: Request[Any, Any, Any],
    entry_id: FromPath[UUID],
    actor: FromDishka[Actor],
    retry: FromDishka[RetryOutbox],
) -> Response[Any]:
    form = await Form.read(request)
    await retry(actor, entry_id)
    return redirect_back(request, form, "/admin/outbox", _("Queued again: it is sent on the next run."))


ROUTES: list[Any] = [mint_jobs, retry_mint_job, outbox, retry_outbox]
