"""Buy Now → the reservation (countdown) → the payment page → the order page, live until certified.

The checkout page is built in steps (`checkout_steps`): today the reservation and the
payment; a delivery-address step for physical works slots in before the payment step
(its form posts to its own route and the page re-renders with the same context).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from artmarket.application.checkout.orders import GetOrder, ListMyOrders
from artmarket.application.checkout.payments import TrackCheckout
from artmarket.application.checkout.placing import BuyerDetailsRequired, PlaceOrder
from artmarket.application.checkout.reservations import CancelOrder
from artmarket.application.i18n import gettext as _
from artmarket.application.media import ContentStore
from artmarket.application.minting.certificates import GetCertificate
from artmarket.application.payments.ports import PaymentGateway
from artmarket.application.ports import Clock
from artmarket.application.principal import Principal
from artmarket.domain.errors import Conflict, DomainError, NotFound
from artmarket.domain.identity import Role
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.order_stage import buyer_stage
from artmarket.domain.orders import Order
from artmarket.entrypoints.http.controllers.checkout import PaymentReference
from artmarket.entrypoints.http.network import ClientAddresses
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.order_view import POLL_SECONDS, SETTLING, OrderPage, order_page
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.sessions import (
    current_principal,
    page_requires_login,
    page_requires_role,
    require_principal,
    web_state,
)


def idempotency_key(form: Form) -> str | None:
    """The page's one-time key (a hidden field) as `PlaceOrder` takes it; a malformed one is ignored."""
    key = form.raw("idempotency_key")
    return f"web:{key}" if key.isalnum() and len(key) <= 64 else None


async def open_order_for(principal: Principal, artwork_id: UUID, orders: ListMyOrders) -> Order | None:
    """The buyer's own unpaid order for this work (Buy Now pressed again, or the back button)."""
    found = await orders(principal, status=OrderStatus.AWAITING_PAYMENT, limit=20, before=None)
    return next((view.order for view in found if view.order.artwork_id == artwork_id), None)


async def reservation_held(
    principal: Principal | None, artwork_id: UUID, orders: ListMyOrders, now: datetime
) -> Order | None:
    """The signed-in buyer's reservation of this work that can still be paid (the artwork page
    offers the way back to its checkout)."""
    if principal is None or not principal.has_role(Role.BUYER):
        return None
    held = await open_order_for(principal, artwork_id, orders)
    return held if held is not None and held.can_be_paid(now) else None


@post("/artworks/{artwork_id:uuid}/buy", name="buy-now", guards=[page_requires_role(Role.BUYER)])
@inject
async def buy_now(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    place: FromDishka[PlaceOrder],
    orders: FromDishka[ListMyOrders],
    addresses: FromDishka[ClientAddresses],
) -> Redirect:
    principal = await require_principal(request)
    form = await Form.read(request)
    try:
        placed = await place(
            principal,
            artwork_id,
            idempotency_key=idempotency_key(form),
            client_address=addresses.label(request),
        )
    except BuyerDetailsRequired:
        # A physical work (the page was open before it became one): its details step first.
        return Redirect(f"/artworks/{artwork_id}/checkout", status_code=303)
    except Conflict as error:
        mine = await open_order_for(principal, artwork_id, orders)
        if mine is not None:
            return Redirect(f"/checkout/{mine.id}", status_code=303)
        web_state(request).flash(error_text(error))
        return Redirect(f"/artworks/{artwork_id}", status_code=303)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        web_state(request).flash(error_text(error))
        return Redirect(f"/artworks/{artwork_id}", status_code=303)
    return Redirect(f"/checkout/{placed.order.id}", status_code=303)


@get("/checkout/{order_id:uuid}", name="checkout", guards=[page_requires_login])
@inject
async def checkout_page(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    get_order: FromDishka[GetOrder],
    store: FromDishka[ContentStore],
    certificates: FromDishka[GetCertificate],
    clock: FromDishka[Clock],
) -> Response[Any]:
    principal = await require_principal(request)
    view = await get_order(principal, order_id)
    if view.order.status is not OrderStatus.AWAITING_PAYMENT or view.order.buyer_id != principal.id:
        return Redirect(f"/orders/{order_id}", status_code=303)
    page = await order_page(view, store, certificates, clock.now())
    return await render(request, "checkout/reserve.html", {"page": page, "steps": checkout_steps(page)})


def checkout_steps(page: OrderPage) -> list[dict[str, Any]]:
    """The checkout's steps in order; each names the template that draws it."""
    steps = [{"id": "reservation", "template": "checkout/_reservation.html"}]
    if page.order.needs_shipping:
        steps.append({"id": "delivery", "template": "delivery/_checkout_step.html"})
    steps.append({"id": "payment", "template": "checkout/_payment.html"})
    return steps


@get("/checkout/{order_id:uuid}/pay", name="checkout-pay", guards=[page_requires_login])
@inject
async def go_to_payment(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    get_order: FromDishka[GetOrder],
    clock: FromDishka[Clock],
    gateway: FromDishka[PaymentGateway],
) -> Redirect:
    """Off to the payment provider's page (a link, not a form: the CSP's form-action is 'self')."""
    principal = await require_principal(request)
    order = (await get_order(principal, order_id)).order
    payment_url = gateway.checkout_url(order.reference, order.authorization_url)
    if order.buyer_id != principal.id or not order.can_be_paid(clock.now()) or payment_url is None:
        web_state(request).flash(_("This order can no longer be paid."))
        return Redirect(f"/orders/{order_id}", status_code=303)
    return Redirect(payment_url, status_code=303)


@post("/checkout/{order_id:uuid}/cancel", name="checkout-cancel", guards=[page_requires_role(Role.BUYER)])
@inject
async def cancel_order(
    request: Request[Any, Any, Any], order_id: FromPath[UUID], cancel: FromDishka[CancelOrder]
) -> Redirect:
    principal = await require_principal(request)
    try:
        order = await cancel(principal, order_id)
    except Conflict as error:
        web_state(request).flash(error_text(error))
        return Redirect(f"/orders/{order_id}", status_code=303)
    web_state(request).flash(_("Your order is cancelled and the work is back on sale."))
    return Redirect(f"/artworks/{order.artwork_id}", status_code=303)


@get("/checkout/complete", name="checkout-complete")
@inject
async def checkout_complete(
    request: Request[Any, Any, Any],
    reference: PaymentReference,
    track: FromDishka[TrackCheckout],
    get_order: FromDishka[GetOrder],
) -> Response[Any]:
    """Where older payment returns land: the buyer goes to the order page; anyone else holding the
    reference sees the progress without personal data."""
    progress = await track(reference)
    principal = await current_principal(request)
    if principal is not None:
        try:
            await get_order(principal, progress.order_id)
        except NotFound:
            pass
        else:
            return Redirect(f"/orders/{progress.order_id}", status_code=303)
    return await render(
        request,
        "checkout/progress.html",
        {
            "progress": progress,
            "reference": reference,
            "settling": progress.status in SETTLING,
            # Anyone holding the reference: no delivery details, so a certified order reads as certified.
            "status_text": _("Paid · certificate issued")
            if progress.status is OrderStatus.COMPLETED
            else _(buyer_stage(progress.status, None).text),
            "poll": POLL_SECONDS,
        },
    )


ROUTES: list[Any] = [buy_now, checkout_page, go_to_payment, cancel_order, checkout_complete]
