"""The console's orders: filters, search, CSV, the order with its payment events and shipment,
refunds and the shipment's resolve / confirm-delivery actions.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any, Final
from urllib.parse import urlsplit
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from artmarket.application.admin.orders import ExportOrders, GetOrderForAdmin, ListOrders
from artmarket.application.admin.ports import OrderFilter
from artmarket.application.admin.refunds import RefundOrder
from artmarket.application.audit import Actor
from artmarket.application.catalog.artworks import CatalogPolicy
from artmarket.application.i18n import gettext as _
from artmarket.application.shipping.use_cases import ConfirmDeliveryForBuyer, ResolveDeliveryProblem
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.shipments import ShipmentStatus
from artmarket.entrypoints.http.downloads import orders_csv_download
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import FieldInvalid, Form
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.routes.admin.console import (
    ADMIN,
    PAGE_SIZE,
    act_on_form,
    choices,
    here,
    list_page,
    query_choice,
    query_day,
)

#: The API's bound on `awaiting_shipment_days`.
MAX_AWAITING_DAYS: Final = 3650
#: The order page's action forms, each kept under its own name when refused.
ORDER_ACTIONS: Final = ("refund", "resolve", "confirm-delivery")


def _order_filter(form: Form, policy: CatalogPolicy) -> OrderFilter:
    status = query_choice(form, "status", choices(OrderStatus))
    currency = query_choice(form, "currency", [(c, c) for c in sorted(policy.currencies)])
    start, end = query_day(form, "from"), query_day(form, "to")
    if start and end and start > end:
        form.add_error("from", _("The first day must not be after the last day."), status=200)
    q = form.raw("q")[:200] or None
    shipment = query_choice(form, "shipment_status", choices(ShipmentStatus))
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
        rows, next_url = await list_page(
            request,
            form,
            lambda cursor: list_orders(where, cursor=cursor, limit=PAGE_SIZE),
            fields={"from": "from", "q": "q"},
        )
    context = {
        "rows": rows,
        "next_url": next_url,
        "statuses": choices(OrderStatus),
        "shipment_statuses": choices(ShipmentStatus),
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
    return orders_csv_download(rows)


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
    for action in ORDER_ACTIONS:  # at most one was kept by a refused action (post/redirect/get)
        if form := failed_forms.recall(request, name=action):
            return await _order_page(
                request, get_order, order_id, form=form, failed=action, status=form.status
            )
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
    return await act_on_form(
        request,
        lambda form: refund_order(actor, order_id, reason=form.raw("reason")),
        refused=lambda form: _order_page(request, get_order, order_id, form=form, status=form.status),
        back=f"/admin/orders/{order_id}",
        done=_("Refund requested from the payment provider."),
        page=f"/admin/orders/{order_id}",
        name="refund",
    )


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

    return await act_on_form(
        request,
        lambda form: resolve(actor, order_id, reason=form.raw("reason")),
        refused=lambda form: _order_page(
            request, get_order, order_id, form=form, failed="resolve", status=form.status
        ),
        back=f"/admin/orders/{order_id}",
        done=_("The delivery problem is resolved."),
        page=f"/admin/orders/{order_id}",
        name="resolve",
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

    return await act_on_form(
        request,
        lambda form: confirm(actor, order_id, reason=form.raw("reason")),
        refused=lambda form: _order_page(
            request, get_order, order_id, form=form, failed="confirm-delivery", status=form.status
        ),
        back=f"/admin/orders/{order_id}",
        done=_("Delivery is confirmed for the buyer."),
        page=f"/admin/orders/{order_id}",
        name="confirm-delivery",
    )


ROUTES: list[Any] = [orders, orders_export, order, refund, resolve_shipment, confirm_shipment]
