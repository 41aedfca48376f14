"""The buyer's orders: the order page with its live status panel, and the list of their orders."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from artmarket.application.checkout.orders import GetOrder, ListMyOrders
from artmarket.application.cursor import CursorCodec
from artmarket.application.i18n import gettext as _
from artmarket.application.media import ContentStore
from artmarket.application.minting.certificates import GetCertificate
from artmarket.application.pages import decode_position, page_of
from artmarket.application.ports import Clock
from artmarket.domain.errors import DomainError
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.entrypoints.http.controllers.checkout import MY_ORDERS_LISTING, order_position
from artmarket.entrypoints.web.editions import print_words
from artmarket.entrypoints.web.formatting import label
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.order_view import (
    POLL_SECONDS,
    STEPS,
    order_page_for,
    thumbnail,
)
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.sessions import page_requires_login, require_principal

ORDERS_PAGE = 20


@get("/orders/{order_id:uuid}", name="order", guards=[page_requires_login])
@inject
async def order_detail(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    get_order: FromDishka[GetOrder],
    store: FromDishka[ContentStore],
    certificates: FromDishka[GetCertificate],
    clock: FromDishka[Clock],
    payment: FromQuery[str | None] = None,
) -> Template:
    page = await order_page_for(request, order_id, get_order, store, certificates, clock)
    # Back from a declined card (the payment callback says so): the order still waits for a payment.
    declined = (
        payment == "declined" and page.order.status is OrderStatus.AWAITING_PAYMENT and not page.expired
    )
    context = {"page": page, "steps": STEPS, "poll": POLL_SECONDS, "declined": declined}
    return await render(request, "orders/detail.html", context)


@get("/orders/{order_id:uuid}/status", name="order-status", guards=[page_requires_login])
@inject
async def order_status(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    get_order: FromDishka[GetOrder],
    store: FromDishka[ContentStore],
    certificates: FromDishka[GetCertificate],
    clock: FromDishka[Clock],
) -> Template:
    """The live status panel (htmx polls it until the order settles)."""
    page = await order_page_for(request, order_id, get_order, store, certificates, clock)
    return await render(request, "orders/_status.html", {"page": page, "steps": STEPS, "poll": POLL_SECONDS})


@get("/me/orders", name="my-orders", guards=[page_requires_login])
@inject
async def my_orders(
    request: Request[Any, Any, Any],
    orders: FromDishka[ListMyOrders],
    cursors: FromDishka[CursorCodec],
    store: FromDishka[ContentStore],
    status: FromQuery[str | None] = None,
    cursor: FromQuery[str | None] = None,
) -> Template:
    principal = await require_principal(request)
    form = Form({"status": status or ""})
    chosen = form.choice("status", [s.value for s in OrderStatus])
    before = None
    try:
        before = decode_position(cursors, cursor, MY_ORDERS_LISTING)
    except DomainError:
        form.add_error("status", _("That page link has expired; showing the newest orders."), status=200)
    found = await orders(
        principal, status=OrderStatus(chosen) if chosen else None, limit=ORDERS_PAGE + 1, before=before
    )
    page = page_of(found, ORDERS_PAGE, cursors, MY_ORDERS_LISTING, order_position)
    next_url = None
    if page.next_cursor:
        next_url = f"/me/orders?cursor={page.next_cursor}" + (f"&status={chosen}" if chosen else "")
    items = [
        {
            "order": view.order,
            "artwork": view.artwork,
            "image": thumbnail(view.artwork, store),
            "stage": view.stage,
            "print": print_words(view.order, view.artwork),
        }
        for view in page.items
    ]
    statuses = [("", _("All orders"))] + [(s.value, label(s)) for s in OrderStatus]
    context = {"items": items, "next_url": next_url, "statuses": statuses}
    if wants_fragment(request) and cursor:
        return await render(request, "orders/_rows.html", context, form=form)
    return await render(request, "orders/list.html", context, form=form)


ROUTES: list[Any] = [order_detail, order_status, my_orders]
