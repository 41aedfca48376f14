"""A physical work's shipment: the buyer confirms delivery or reports a problem; the artist
sees their shipments and marks one shipped.
"""

from __future__ import annotations

from typing import Any, Final
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from artmarket.application.checkout.orders import GetOrder
from artmarket.application.i18n import gettext as _
from artmarket.application.principal import Principal
from artmarket.application.shipping.use_cases import (
    ConfirmDelivery,
    ListMyShipments,
    MarkShipped,
    ReportDeliveryProblem,
    ShipmentView,
)
from artmarket.domain.errors import Conflict, DomainError, NotFound
from artmarket.domain.identity import Role
from artmarket.domain.shipments import ShipmentStatus
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.formatting import label
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.order_view import SHIPMENT_BADGE
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.delivery.addresses import address_lines
from artmarket.entrypoints.web.sessions import page_requires_role, require_principal, web_state

SHIPMENTS_PAGE: Final = 50


@post(
    "/orders/{order_id:uuid}/delivery-confirmation",
    name="confirm-delivery",
    guards=[page_requires_role(Role.BUYER)],
)
@inject
async def confirm_delivery(
    request: Request[Any, Any, Any], order_id: FromPath[UUID], confirm: FromDishka[ConfirmDelivery]
) -> Redirect:
    principal = await require_principal(request)
    try:
        await confirm(principal, order_id)
    except Conflict as error:
        web_state(request).flash(error_text(error))
    else:
        web_state(request).flash(_("Thank you: the delivery is confirmed."))
    return Redirect(f"/orders/{order_id}", status_code=303)


@post(
    "/orders/{order_id:uuid}/delivery-problem",
    name="report-delivery-problem",
    guards=[page_requires_role(Role.BUYER)],
)
@inject
async def report_problem(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    report: FromDishka[ReportDeliveryProblem],
    get_order: FromDishka[GetOrder],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("message", message=_("Describe the problem."))
    if form.ok:
        try:
            await report(principal, order_id, message=form.raw("message"))
        except NotFound:
            raise
        except DomainError as error:
            form.fail(error)
        else:
            web_state(request).flash(_("Thank you: our team will look into it and get back to you."))
            return Redirect(f"/orders/{order_id}", status_code=303)
    return failed_forms.remember(
        request, form, f"/orders/{order_id}/delivery-problem"
    ) or await _problem_page(request, principal, order_id, get_order, form)


@get(
    "/orders/{order_id:uuid}/delivery-problem",
    name="delivery-problem",
    guards=[page_requires_role(Role.BUYER)],
)
@inject
async def problem_page(
    request: Request[Any, Any, Any], order_id: FromPath[UUID], get_order: FromDishka[GetOrder]
) -> Template:
    """The problem report on a page of its own: where a refused report comes back to (the order
    page offers the same form, folded)."""
    principal = await require_principal(request)
    form = failed_forms.recall(request) or Form()
    return await _problem_page(request, principal, order_id, get_order, form)


async def _problem_page(
    request: Request[Any, Any, Any], principal: Principal, order_id: UUID, get_order: GetOrder, form: Form
) -> Template:
    view = await get_order(principal, order_id)
    return await render(
        request,
        "delivery/problem.html",
        {"order": view.order, "artwork": view.artwork},
        form=form,
        status=form.status,
    )


def shipment_row(view: ShipmentView) -> dict[str, Any]:
    recipient = view.recipient
    return {
        "order": view.order,
        "shipment": view.shipment,
        "artwork": view.artwork,
        "badge": SHIPMENT_BADGE.get(view.shipment.status, "warn"),
        "buyer": recipient,
        "address": address_lines(recipient.address) if recipient and recipient.address else None,
    }


@get("/artist/shipments", name="artist-shipments", guards=[page_requires_role(Role.ARTIST)])
@inject
async def artist_shipments(
    request: Request[Any, Any, Any],
    shipments: FromDishka[ListMyShipments],
    status: FromQuery[str | None] = None,
) -> Template:
    """The artist's paid physical works, those awaiting shipment first shown by default."""
    principal = await require_principal(request)
    form = Form({"status": ShipmentStatus.AWAITING_SHIPMENT.value if status is None else status})
    chosen = form.choice("status", [s.value for s in ShipmentStatus])
    found = await shipments(
        principal, status=ShipmentStatus(chosen) if chosen else None, before=None, limit=SHIPMENTS_PAGE
    )
    statuses = [("", _("All shipments"))] + [(s.value, label(s)) for s in ShipmentStatus]
    return await render(
        request,
        "delivery/shipments.html",
        {"rows": [shipment_row(view) for view in found], "statuses": statuses},
        form=form,
    )


async def _artist_shipment(principal: Principal, order_id: UUID, get_order: GetOrder) -> dict[str, Any]:
    view = await get_order(principal, order_id)
    if view.order.artist_id != principal.id or view.shipment is None:
        raise NotFound("No such shipment.")
    return shipment_row(ShipmentView(view.shipment, view.order, view.artwork, view.recipient))


@get("/artist/shipments/{order_id:uuid}", name="artist-shipment", guards=[page_requires_role(Role.ARTIST)])
@inject
async def artist_shipment(
    request: Request[Any, Any, Any], order_id: FromPath[UUID], get_order: FromDishka[GetOrder]
) -> Template:
    """One shipment: where it goes (while the address may be seen) and the form to mark it shipped."""
    principal = await require_principal(request)
    row = await _artist_shipment(principal, order_id, get_order)
    form = failed_forms.recall(request) or Form()
    return await render(request, "delivery/shipment.html", {"row": row}, form=form, status=form.status)


@post("/artist/shipments/{order_id:uuid}/ship", name="mark-shipped", guards=[page_requires_role(Role.ARTIST)])
@inject
async def mark_shipped(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    ship: FromDishka[MarkShipped],
    get_order: FromDishka[GetOrder],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("carrier", "tracking_number")
    if form.ok:
        try:
            await ship(
                principal,
                order_id,
                carrier=form.raw("carrier"),
                tracking_number=form.raw("tracking_number"),
                tracking_url=form.raw("tracking_url") or None,
            )
        except NotFound:
            raise
        except DomainError as error:
            form.fail(error)
        else:
            web_state(request).flash(_("Marked as shipped: the buyer has been sent the tracking details."))
            return Redirect("/artist/shipments", status_code=303)
    if redirect := failed_forms.remember(request, form, f"/artist/shipments/{order_id}"):
        return redirect
    row = await _artist_shipment(principal, order_id, get_order)
    return await render(request, "delivery/shipment.html", {"row": row}, form=form, status=form.status)


ROUTES: list[Any] = [
    confirm_delivery,
    report_problem,
    problem_page,
    artist_shipments,
    artist_shipment,
    mark_shipped,
]
