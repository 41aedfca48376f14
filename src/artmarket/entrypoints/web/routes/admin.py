"""The admin console: orders (filters, search, CSV), order detail with payment events and the
mint job, refunds, the mint queue, the outbox, users, artwork take-downs, KYC review with the
identity document, and the audit log. The same use cases as the API's admin routes; every
action that the API asks a reason for asks for one here, and is audited with channel `web`.

Actions are plain POST forms (post/redirect/get back to the page they were on, `back`); a
refused action renders that page again with the error beside the reason the admin typed.
Listings page with signed cursors; "Load more" fetches the next rows with HTMX.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, Literal, cast
from urllib.parse import parse_qsl, urlencode, urlsplit
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from artmarket.application.admin.audit_log import ReadAuditLog
from artmarket.application.admin.export import orders_csv
from artmarket.application.admin.listing import decode_position, next_page_cursor
from artmarket.application.admin.orders import ExportOrders, GetOrderForAdmin, ListOrders
from artmarket.application.admin.ports import OrderFilter
from artmarket.application.admin.refunds import RefundOrder
from artmarket.application.admin.takedowns import UnpublishArtwork
from artmarket.application.admin.users import BrowseUsers, ReinstateUser, SuspendUser, UserFilter
from artmarket.application.audit import Actor, AuditFilter
from artmarket.application.catalog.artworks import CatalogPolicy, GetArtwork
from artmarket.application.catalog.gallery import BrowseGallery
from artmarket.application.catalog.kyc import DecideKyc, GetKycCase, ListKycCases, ReadKycDocument
from artmarket.application.catalog.ports import GalleryFilter, GallerySort
from artmarket.application.cursor import CursorCodec
from artmarket.application.media import FILE_EXTENSIONS, ContentStore
from artmarket.application.minting.jobs import ListMintJobs, RetryMintJob
from artmarket.application.minting.ledger_admin import GetLedgerStatus
from artmarket.application.notifications.outbox import ListOutbox, RetryOutbox
from artmarket.application.shipping.use_cases import ConfirmDeliveryForBuyer, ResolveDeliveryProblem
from artmarket.domain.artists import KycStatus
from artmarket.domain.audit import AuditAction
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import Role, UserStatus
from artmarket.domain.orders import OrderStatus
from artmarket.domain.shipments import ShipmentStatus
from artmarket.entrypoints.http.image_links import image_url
from artmarket.entrypoints.web.formatting import label
from artmarket.entrypoints.web.forms import FieldInvalid, Form
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.sessions import page_requires_role, require_principal, safe_next, web_state

ADMIN = page_requires_role(Role.ADMIN)
PAGE_SIZE: Final = 25
MINT_JOBS_LISTING: Final = "mint-jobs"  # the API's listing name: its cursors work here too
ORDER_STATUSES = [(s.value, label(s)) for s in OrderStatus]
SHIPMENT_STATUSES = [(s.value, label(s)) for s in ShipmentStatus]
#: The API's bound on `awaiting_shipment_days`.
MAX_AWAITING_DAYS: Final = 3650
MINT_STATUSES = [(s.value, label(s)) for s in MintJobStatus]
KYC_STATUSES = [(s.value, label(s)) for s in KycStatus if s is not KycStatus.NOT_SUBMITTED]
USER_ROLES = [(r.value, label(r)) for r in Role]
USER_STATUSES = [(s.value, label(s)) for s in UserStatus]
OUTBOX_STATUSES = [("failed", "Failed"), ("pending", "Pending"), ("sent", "Sent"), ("published", "Published")]
OUTBOX_CHANNELS = [("email", "Email"), ("event", "Event")]
AUDIT_ACTIONS = [(a.value, a.value) for a in AuditAction]
AUDIT_TARGETS = [(t, label(t)) for t in ("order", "user", "artwork", "kyc_case", "mint_job", "outbox")]


def here(request: Request[Any, Any, Any]) -> str:
    """This page's path and query, without a cursor: where an action comes back to."""
    query = [(k, v) for k, v in request.query_params.items() if k != "cursor"]
    return request.url.path + (f"?{urlencode(query)}" if query else "")


def with_cursor(request: Request[Any, Any, Any], cursor: str | None) -> str | None:
    """The URL of the next page of this listing."""
    if cursor is None:
        return None
    query = [(k, v) for k, v in request.query_params.items() if k != "cursor" and v]
    return f"{request.url.path}?{urlencode([*query, ('cursor', cursor)])}"


def back_query(form: Form, path: str) -> Form:
    """The filters of the listing an action was sent from (its `back` URL), as a GET form."""
    target = urlsplit(safe_next(form.get("back"), path))
    if target.path != path:
        return Form()
    return Form({k: v.strip() for k, v in parse_qsl(target.query) if k != "cursor"})


def redirect_back(request: Request[Any, Any, Any], form: Form, default: str, message: str) -> Redirect:
    web_state(request).flash(message)
    return Redirect(safe_next(form.get("back"), default), status_code=303)


def _uuid(form: Form, name: str) -> UUID | None:
    text = form.raw(name)
    if not text:
        return None
    try:
        return UUID(text)
    except ValueError:
        form.add_error(name, "Enter an id such as 0192f0c4-…", status=200)
        return None


def _day(form: Form, name: str) -> date | None:
    text = form.raw(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        form.add_error(name, "Enter a date as YYYY-MM-DD.", status=200)
        return None


def _choice(form: Form, name: str, options: list[tuple[str, str]]) -> str | None:
    value = form.choice(name, [value for value, _ in options])
    if form.errors.get(name):
        form.status = 200  # a GET filter with a bad value: shown beside it, not an error page
    return value


# --- Console home --------------------------------------------------------------------------


@get("/admin", name="admin-home", guards=[ADMIN])
@inject
async def home(
    request: Request[Any, Any, Any],
    kyc: FromDishka[ListKycCases],
    ledger: FromDishka[GetLedgerStatus],
    outbox: FromDishka[ListOutbox],
    list_orders: FromDishka[ListOrders],
) -> Template:
    pending = await kyc(status=KycStatus.PENDING, limit=100)
    status = await ledger()
    failed_outbox = await outbox(status="failed", limit=100)
    latest = await list_orders(OrderFilter(), cursor=None, limit=5)
    return await render(
        request,
        "admin/home.html",
        {
            "pending_kyc": len(pending),
            "ledger": status,
            "failed_mints": status.jobs.get(MintJobStatus.FAILED, 0),
            "failed_outbox": len(failed_outbox),
            "latest_orders": latest.items,
        },
    )


# --- Orders --------------------------------------------------------------------------------


def _order_filter(form: Form, policy: CatalogPolicy) -> OrderFilter:
    status = _choice(form, "status", ORDER_STATUSES)
    currency = _choice(form, "currency", [(c, c) for c in sorted(policy.currencies)])
    start, end = _day(form, "from"), _day(form, "to")
    if start and end and start > end:
        form.add_error("from", "The first day must not be after the last day.", status=200)
    q = form.raw("q")[:200] or None
    shipment = _choice(form, "shipment_status", SHIPMENT_STATUSES)
    awaiting = form.integer("awaiting_shipment_days", minimum=0, maximum=MAX_AWAITING_DAYS)
    if form.errors.get("awaiting_shipment_days"):
        form.status = 200
    return OrderFilter(
        status=OrderStatus(status) if status else None,
        currency=currency,
        created_from=datetime.combine(start, time(), UTC) if start else None,
        # The page asks for the last day to include; the use case's `to` is exclusive.
        created_to=datetime.combine(end + timedelta(days=1), time(), UTC) if end else None,
        q=q,
        shipment_status=ShipmentStatus(shipment) if shipment else None,
        awaiting_shipment_days=awaiting,
    )


@get("/admin/orders", name="admin-orders", guards=[ADMIN])
@inject
async def orders(
    request: Request[Any, Any, Any], list_orders: FromDishka[ListOrders], policy: FromDishka[CatalogPolicy]
) -> Template:
    form = Form.from_query(request)
    where = _order_filter(form, policy)
    rows: list[Any] = []
    next_url = None
    if form.ok:
        try:
            page = await list_orders(where, cursor=form.get("cursor") or None, limit=PAGE_SIZE)
        except DomainError as error:
            form.fail(error, fields={"from": "from", "q": "q"})
            form.status = 200
        else:
            rows, next_url = list(page.items), with_cursor(request, page.next_cursor)
    context = {
        "rows": rows,
        "next_url": next_url,
        "statuses": ORDER_STATUSES,
        "shipment_statuses": SHIPMENT_STATUSES,
        "currencies": [(c, c) for c in sorted(policy.currencies)],
        "csv_url": "/admin/orders.csv"
        + (f"?{urlsplit(here(request)).query}" if request.query_params else ""),
    }
    if wants_fragment(request) and form.get("cursor"):
        return await render(request, "admin/_order_rows.html", context, form=form)
    return await render(request, "admin/orders.html", context, form=form)


@get("/admin/orders.csv", name="admin-orders-csv", guards=[ADMIN])
@inject
async def orders_export(
    request: Request[Any, Any, Any], export: FromDishka[ExportOrders], policy: FromDishka[CatalogPolicy]
) -> Response[str]:
    """The orders table as CSV with the page's filters: the same file as `GET /api/v1/admin/orders.csv`."""
    form = Form.from_query(request)
    where = _order_filter(form, policy)
    if not form.ok:
        name, message = next(iter(form.errors.items()))
        raise FieldInvalid(name, message)
    rows = await export(where)
    return Response(
        orders_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="orders.csv"',
            "Cache-Control": "private, no-store",
        },
    )


async def _order_page(
    request: Request[Any, Any, Any],
    get_order: GetOrderForAdmin,
    order_id: UUID,
    *,
    form: Form | None = None,
    failed: str = "refund",
    status: int = 200,
) -> Template:
    """`failed` names the action whose refusal is shown (`refund`, `resolve`, `confirm-delivery`)."""
    view = await get_order(order_id)
    order = view.order
    shipment = view.shipment
    return await render(
        request,
        "admin/order.html",
        {
            "view": view,
            "order": order,
            "refundable": order.can_be_refunded,
            "refund_failed": form is not None and failed == "refund",
            "shipment": shipment,
            "can_resolve": shipment is not None and shipment.can_be_resolved,
            "can_confirm": shipment is not None and shipment.can_confirm_delivery,
            "failed": failed if form is not None else None,
            # Actions come back here, also from a refused action's page (its path is the POST's).
            "back": f"/admin/orders/{order_id}",
        },
        form=form,
        status=status,
    )


@get("/admin/orders/{order_id:uuid}", name="admin-order", guards=[ADMIN])
@inject
async def order(
    request: Request[Any, Any, Any], order_id: FromPath[UUID], get_order: FromDishka[GetOrderForAdmin]
) -> Template:
    return await _order_page(request, get_order, order_id)


@post("/admin/orders/{order_id:uuid}/refund", name="admin-order-refund", guards=[ADMIN])
@inject
async def refund(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    actor: FromDishka[Actor],
    refund_order: FromDishka[RefundOrder],
    get_order: FromDishka[GetOrderForAdmin],
) -> Response[Any]:
    form = await Form.read(request)
    try:
        await refund_order(actor, order_id, reason=form.raw("reason"))
    except DomainError as error:
        form.fail(error)
        return await _order_page(request, get_order, order_id, form=form, status=form.status)
    return redirect_back(
        request, form, f"/admin/orders/{order_id}", "Refund requested from the payment provider."
    )


async def _shipment_action(
    request: Request[Any, Any, Any],
    order_id: UUID,
    key: str,
    action: Callable[..., Awaitable[Any]],
    get_order: GetOrderForAdmin,
    done: str,
) -> Response[Any]:
    form = await Form.read(request)
    try:
        await action(order_id, reason=form.raw("reason"))
    except DomainError as error:
        form.fail(error)
        return await _order_page(request, get_order, order_id, form=form, failed=key, status=form.status)
    return redirect_back(request, form, f"/admin/orders/{order_id}", done)


@post("/admin/orders/{order_id:uuid}/shipment/resolve", name="admin-order-shipment-resolve", guards=[ADMIN])
@inject
async def resolve_shipment(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    actor: FromDishka[Actor],
    resolve: FromDishka[ResolveDeliveryProblem],
    get_order: FromDishka[GetOrderForAdmin],
) -> Response[Any]:
    """Close the buyer's delivery problem with a reason (as the API's shipment/resolve)."""

    async def act(target: UUID, *, reason: str) -> Any:
        return await resolve(actor, target, reason=reason)

    return await _shipment_action(
        request, order_id, "resolve", act, get_order, "The delivery problem is resolved."
    )


@post(
    "/admin/orders/{order_id:uuid}/shipment/confirm-delivery",
    name="admin-order-shipment-confirm",
    guards=[ADMIN],
)
@inject
async def confirm_shipment(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    actor: FromDishka[Actor],
    confirm: FromDishka[ConfirmDeliveryForBuyer],
    get_order: FromDishka[GetOrderForAdmin],
) -> Response[Any]:
    """Record for the buyer that the work arrived, with a reason (as the API's confirm-delivery)."""

    async def act(target: UUID, *, reason: str) -> Any:
        return await confirm(actor, target, reason=reason)

    return await _shipment_action(
        request, order_id, "confirm-delivery", act, get_order, "Delivery is confirmed for the buyer."
    )


# --- Mint queue and outbox -----------------------------------------------------------------


@get("/admin/mint-jobs", name="admin-mint-jobs", guards=[ADMIN])
@inject
async def mint_jobs(
    request: Request[Any, Any, Any],
    list_jobs: FromDishka[ListMintJobs],
    ledger: FromDishka[GetLedgerStatus],
    cursors: FromDishka[CursorCodec],
) -> Template:
    form = Form.from_query(request)
    status = _choice(form, "status", MINT_STATUSES)
    jobs: list[Any] = []
    next_url = None
    try:
        before = decode_position(cursors, form.get("cursor") or None, MINT_JOBS_LISTING)
        found = await list_jobs(
            status=MintJobStatus(status) if status else None, limit=PAGE_SIZE + 1, before=before
        )
    except DomainError as error:
        form.fail(error)
        form.status = 200
    else:
        jobs = list(found[:PAGE_SIZE])
        if len(found) > PAGE_SIZE and jobs:
            last = jobs[-1]
            next_url = with_cursor(
                request, next_page_cursor(cursors, MINT_JOBS_LISTING, (last.created_at, last.id))
            )
    context: dict[str, Any] = {
        "jobs": jobs,
        "next_url": next_url,
        "statuses": MINT_STATUSES,
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
        request, form, "/admin/mint-jobs", "The mint job is queued again; the minter takes it shortly."
    )


@get("/admin/outbox", name="admin-outbox", guards=[ADMIN])
@inject
async def outbox(request: Request[Any, Any, Any], list_outbox: FromDishka[ListOutbox]) -> Template:
    form = Form.from_query(request)
    status = _choice(form, "status", OUTBOX_STATUSES)
    channel = _choice(form, "channel", OUTBOX_CHANNELS)
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
            "statuses": OUTBOX_STATUSES,
            "channels": OUTBOX_CHANNELS,
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
    return redirect_back(request, form, "/admin/outbox", "Queued again: it is sent on the next run.")


# --- Users ---------------------------------------------------------------------------------


async def _users_page(
    request: Request[Any, Any, Any],
    browse: BrowseUsers,
    filters: Form,
    *,
    failed: UUID | None = None,
    action_form: Form | None = None,
    status: int = 200,
) -> Template:
    role = _choice(filters, "role", USER_ROLES)
    user_status = _choice(filters, "status", USER_STATUSES)
    users: list[Any] = []
    next_url = None
    try:
        page = await browse(
            UserFilter(
                Role(role) if role else None,
                UserStatus(user_status) if user_status else None,
                filters.raw("q")[:200] or None,
            ),
            cursor=filters.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except DomainError as error:
        filters.fail(error)
        filters.status = 200
    else:
        users = list(page.items)
        next_url = with_cursor(request, page.next_cursor) if failed is None else None
    principal = await require_principal(request)
    context = {
        "users": users,
        "next_url": next_url,
        "roles_options": USER_ROLES,
        "statuses": USER_STATUSES,
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
    return await _users_page(request, browse, Form.from_query(request))


async def _user_action(
    request: Request[Any, Any, Any],
    user_id: UUID,
    action: Callable[..., Awaitable[Any]],
    browse: BrowseUsers,
    done: str,
) -> Response[Any]:
    form = await Form.read(request)
    try:
        user = await action(user_id, reason=form.raw("reason"))
    except DomainError as error:
        form.fail(error)
        filters = back_query(form, "/admin/users")
        return await _users_page(
            request, browse, filters, failed=user_id, action_form=form, status=form.status
        )
    return redirect_back(request, form, "/admin/users", f"{user.email}: {done}")


@post("/admin/users/{user_id:uuid}/suspend", name="admin-user-suspend", guards=[ADMIN])
@inject
async def suspend_user(
    request: Request[Any, Any, Any],
    user_id: FromPath[UUID],
    actor: FromDishka[Actor],
    suspend: FromDishka[SuspendUser],
    browse: FromDishka[BrowseUsers],
) -> Response[Any]:
    async def act(target: UUID, *, reason: str) -> Any:
        return await suspend(actor, target, reason=reason)

    return await _user_action(request, user_id, act, browse, "suspended; their sessions are signed out.")


@post("/admin/users/{user_id:uuid}/reinstate", name="admin-user-reinstate", guards=[ADMIN])
@inject
async def reinstate_user(
    request: Request[Any, Any, Any],
    user_id: FromPath[UUID],
    actor: FromDishka[Actor],
    reinstate: FromDishka[ReinstateUser],
    browse: FromDishka[BrowseUsers],
) -> Response[Any]:
    async def act(target: UUID, *, reason: str) -> Any:
        return await reinstate(actor, target, reason=reason)

    return await _user_action(request, user_id, act, browse, "reinstated.")


# --- Artworks ------------------------------------------------------------------------------


@get("/admin/artworks", name="admin-artworks", guards=[ADMIN])
@inject
async def artworks(
    request: Request[Any, Any, Any], browse: FromDishka[BrowseGallery], store: FromDishka[ContentStore]
) -> Template:
    """Public works (published, or sold), newest first, searched like the gallery."""
    form = Form.from_query(request)
    status = _choice(form, "status", [("published", "Published"), ("sold", "Sold")])
    cards: list[Any] = []
    next_url = None
    try:
        page = await browse(
            GalleryFilter(status=ArtworkStatus(status or "published"), q=form.raw("q")[:200] or None),
            GallerySort.NEWEST,
            form.get("cursor") or None,
            PAGE_SIZE,
        )
    except DomainError as error:
        form.fail(error)
        form.status = 200
    else:
        cards, next_url = list(page.items), with_cursor(request, page.next_cursor)
    context = {
        "cards": cards,
        "thumbnails": {c.id: store.public_url(c.thumbnail_key) if c.thumbnail_key else None for c in cards},
        "next_url": next_url,
    }
    if wants_fragment(request) and form.get("cursor"):
        return await render(request, "admin/_artwork_rows.html", context, form=form)
    return await render(request, "admin/artworks.html", context, form=form)


async def _artwork_page(
    request: Request[Any, Any, Any],
    get_artwork: GetArtwork,
    store: ContentStore,
    artwork_id: UUID,
    *,
    form: Form | None = None,
    status: int = 200,
) -> Template:
    artwork = await get_artwork(artwork_id, await require_principal(request))
    images = [
        {
            "url": image_url(store, artwork, i, "display"),
            "width": i.width,
            "height": i.height,
            "alt": f"{artwork.title}, image {n}",
        }
        for n, i in enumerate(artwork.images, start=1)
    ]
    return await render(
        request,
        "admin/artwork.html",
        {
            "artwork": artwork,
            "images": images,
            "can_unpublish": artwork.can_be_taken_down,
            "unpublish_failed": form is not None,
        },
        form=form,
        status=status,
    )


@get("/admin/artworks/{artwork_id:uuid}", name="admin-artwork", guards=[ADMIN])
@inject
async def artwork(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    get_artwork: FromDishka[GetArtwork],
    store: FromDishka[ContentStore],
) -> Template:
    return await _artwork_page(request, get_artwork, store, artwork_id)


@post("/admin/artworks/{artwork_id:uuid}/unpublish", name="admin-artwork-unpublish", guards=[ADMIN])
@inject
async def unpublish(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    actor: FromDishka[Actor],
    take_down: FromDishka[UnpublishArtwork],
    get_artwork: FromDishka[GetArtwork],
    store: FromDishka[ContentStore],
) -> Response[Any]:
    form = await Form.read(request)
    try:
        await take_down(actor, artwork_id, reason=form.raw("reason"))
    except DomainError as error:
        form.fail(error)
        return await _artwork_page(request, get_artwork, store, artwork_id, form=form, status=form.status)
    return redirect_back(
        request, form, f"/admin/artworks/{artwork_id}", "Unpublished: the artist cannot publish it again."
    )


# --- KYC -----------------------------------------------------------------------------------


@get("/admin/kyc", name="admin-kyc", guards=[ADMIN])
@inject
async def kyc_queue(request: Request[Any, Any, Any], cases: FromDishka[ListKycCases]) -> Template:
    form = Form.from_query(request)
    if "status" not in form.values:
        form.values["status"] = KycStatus.PENDING.value
    status = _choice(form, "status", KYC_STATUSES)
    found = await cases(status=KycStatus(status) if status else None, limit=100)
    return await render(
        request, "admin/kyc_queue.html", {"cases": found, "statuses": KYC_STATUSES}, form=form
    )


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
    form = await Form.read(request)
    try:
        case = await decide(actor, case_id, approve=approve, reason=form.raw("reason") or None)
    except DomainError as error:
        form.fail(error)
        return await _kyc_page(
            request,
            get_case,
            case_id,
            form=form,
            failed="approve" if approve else "reject",
            status=form.status,
        )
    verdict = "approved" if approve else "rejected"
    return redirect_back(request, form, "/admin/kyc", f"{case.legal_name}: identity {verdict}.")


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


# --- Audit log -----------------------------------------------------------------------------

TARGET_PAGES: Mapping[str, str] = {
    "order": "/admin/orders/{}",
    "artwork": "/admin/artworks/{}",
    "kyc_case": "/admin/kyc/{}",
}


@get("/admin/audit-log", name="admin-audit-log", guards=[ADMIN])
@inject
async def audit_log(request: Request[Any, Any, Any], read: FromDishka[ReadAuditLog]) -> Template:
    form = Form.from_query(request)
    action = _choice(form, "action", AUDIT_ACTIONS)
    target_type = _choice(form, "target_type", AUDIT_TARGETS)
    actor_id = _uuid(form, "actor_id")
    target_id = form.raw("target_id")[:64] or None
    entries: list[Any] = []
    next_url = None
    if form.ok:
        try:
            page = await read(
                AuditFilter(action, actor_id, target_type, target_id),
                cursor=form.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except DomainError as error:
            form.fail(error)
            form.status = 200
        else:
            entries, next_url = list(page.items), with_cursor(request, page.next_cursor)
    context = {
        "entries": entries,
        "next_url": next_url,
        "actions": AUDIT_ACTIONS,
        "targets": AUDIT_TARGETS,
        "target_pages": TARGET_PAGES,
    }
    if wants_fragment(request) and form.get("cursor"):
        return await render(request, "admin/_audit_rows.html", context, form=form)
    return await render(request, "admin/audit_log.html", context, form=form)


ROUTES: list[Any] = [
    home,
    orders,
    orders_export,
    order,
    refund,
    resolve_shipment,
    confirm_shipment,
    mint_jobs,
    retry_mint_job,
    outbox,
    retry_outbox,
    users,
    suspend_user,
    reinstate_user,
    artworks,
    artwork,
    unpublish,
    kyc_queue,
    kyc_case,
    kyc_document,
    kyc_approve,
    kyc_reject,
    audit_log,
]
