"""Buy Now → the reservation (countdown) → the payment page → the order page, live until certified.

The checkout page is built in steps (`checkout_steps`): today the reservation and the
payment; a delivery-address step for physical works slots in before the payment step
(its form posts to its own route and the page re-renders with the same context).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from artmarket.application.checkout.orders import GetOrder, ListMyOrders
from artmarket.application.checkout.payments import TrackCheckout
from artmarket.application.checkout.placing import BuyerDetailsRequired, PlaceOrder
from artmarket.application.checkout.reservations import CancelOrder
from artmarket.application.cursor import CursorCodec, GalleryPosition
from artmarket.application.media import ContentStore
from artmarket.application.minting.certificates import CertificateView, GetCertificate
from artmarket.application.order_views import OrderView, Recipient
from artmarket.application.payments.ports import PaymentGateway
from artmarket.application.ports import Clock
from artmarket.application.principal import Principal
from artmarket.domain.catalog import Artwork
from artmarket.domain.errors import Conflict, DomainError, NotFound
from artmarket.domain.identity import Role
from artmarket.domain.orders import Order, OrderStatus
from artmarket.domain.shipments import Shipment, ShipmentStatus
from artmarket.entrypoints.http.checkout_schemas import StatusChangeOut, status_history
from artmarket.entrypoints.http.controllers.checkout import MY_ORDERS_LISTING, PaymentReference
from artmarket.entrypoints.http.image_links import image_url
from artmarket.entrypoints.http.network import ClientAddresses
from artmarket.entrypoints.web.formatting import label
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.sessions import (
    current_principal,
    page_requires_login,
    page_requires_role,
    require_principal,
    web_state,
)

#: Statuses the order page keeps polling through.
SETTLING = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.MINTING})
#: The happy path, as the order page draws it.
STEPS = (OrderStatus.PAID, OrderStatus.MINTING, OrderStatus.COMPLETED)
POLL_SECONDS = 2
ORDERS_PAGE = 20

STATUS_TEXT = {
    OrderStatus.AWAITING_PAYMENT: "Waiting for your payment",
    OrderStatus.PAID: "Payment received; preparing your certificate",
    OrderStatus.MINTING: "Minting your certificate on the ledger",
    OrderStatus.COMPLETED: "Complete: the work is yours and certified",
    OrderStatus.PAYMENT_FAILED: "The payment did not go through",
    OrderStatus.EXPIRED: "The reservation ran out before payment",
    OrderStatus.CANCELLED: "Cancelled",
    OrderStatus.REFUNDED: "Refunded",
}
STATUS_BADGE = {
    OrderStatus.COMPLETED: "ok",
    OrderStatus.PAID: "warn",
    OrderStatus.MINTING: "warn",
    OrderStatus.AWAITING_PAYMENT: "warn",
}

SHIPMENT_TEXT = {
    ShipmentStatus.AWAITING_SHIPMENT: "The artist is preparing your work for shipping",
    ShipmentStatus.SHIPPED: "On its way to you",
    ShipmentStatus.DELIVERED: "Delivered",
    ShipmentStatus.DELIVERY_PROBLEM: "A problem was reported; our team is looking into it",
    ShipmentStatus.RESOLVED: "The delivery problem is resolved",
}
SHIPMENT_BADGE = {
    ShipmentStatus.AWAITING_SHIPMENT: "warn",
    ShipmentStatus.SHIPPED: "warn",
    ShipmentStatus.DELIVERED: "ok",
    ShipmentStatus.DELIVERY_PROBLEM: "bad",
    ShipmentStatus.RESOLVED: "ok",
}
#: A physical work's way to the buyer, as the order page draws it.
SHIPMENT_STEPS = (ShipmentStatus.AWAITING_SHIPMENT, ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED)


def thumbnail(artwork: Artwork | None, store: ContentStore) -> dict[str, Any] | None:
    image = artwork.cover if artwork is not None else None
    if artwork is None or image is None:
        return None
    return {
        "url": image_url(store, artwork, image, "thumbnail"),
        "width": image.width,
        "height": image.height,
    }


@dataclass(frozen=True, slots=True)
class OrderPage:
    """What the order templates show of one order."""

    order: Order
    artwork: Artwork | None
    image: dict[str, Any] | None
    certificate: CertificateView | None
    settling: bool
    status_text: str
    badge: str
    expired: bool
    #: A physical work's shipment, and what this viewer may see of the buyer's details.
    shipment: Shipment | None = None
    recipient: Recipient | None = None

    @property
    def shipment_text(self) -> str:
        return SHIPMENT_TEXT[self.shipment.status] if self.shipment else ""

    @property
    def shipment_badge(self) -> str:
        return SHIPMENT_BADGE[self.shipment.status] if self.shipment else ""

    @property
    def shipment_steps(self) -> tuple[ShipmentStatus, ...]:
        """The delivery's happy path; empty once it left it (a problem, resolved)."""
        on_path = self.shipment is not None and self.shipment.status in SHIPMENT_STEPS
        return SHIPMENT_STEPS if on_path else ()

    def shipment_step_state(self, step: ShipmentStatus) -> str:
        """`done`, `current` or `todo` for a step of the delivery."""
        if self.shipment is None or self.shipment.status not in SHIPMENT_STEPS:
            return "todo"
        position, current = SHIPMENT_STEPS.index(step), SHIPMENT_STEPS.index(self.shipment.status)
        if position < current or self.shipment.status is ShipmentStatus.DELIVERED:
            return "done"
        return "current" if position == current else "todo"

    @property
    def history(self) -> list[StatusChangeOut]:
        """The order's steps and its shipment's, in time order."""
        return status_history(self.order, self.shipment)

    def step_state(self, step: OrderStatus) -> str:
        """`done`, `current` or `todo` for a step of the happy path."""
        if self.order.status not in STEPS:
            return "todo"
        position, current = STEPS.index(step), STEPS.index(self.order.status)
        if position < current or self.order.status is OrderStatus.COMPLETED:
            return "done"
        return "current" if position == current else "todo"


async def order_page(
    view: OrderView, store: ContentStore, certificates: GetCertificate, now: datetime
) -> OrderPage:
    order = view.order
    certificate = None
    if order.certificate_id is not None:
        try:
            certificate = await certificates(order.certificate_id)
        except NotFound:
            certificate = None
    return OrderPage(
        order,
        view.artwork,
        thumbnail(view.artwork, store),
        certificate,
        order.status in SETTLING,
        STATUS_TEXT.get(order.status, label(order.status)),
        STATUS_BADGE.get(order.status, "bad"),
        order.reservation_lapsed(now),
        view.shipment,
        view.recipient,
    )


async def open_order_for(principal: Principal, artwork_id: UUID, orders: ListMyOrders) -> Order | None:
    """The buyer's own unpaid order for this work (Buy Now pressed again, or the back button)."""
    found = await orders(principal, status=OrderStatus.AWAITING_PAYMENT, limit=20, before=None)
    return next((view.order for view in found if view.order.artwork_id == artwork_id), None)


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
    key = form.raw("idempotency_key")
    idempotency_key = f"web:{key}" if key.isalnum() and len(key) <= 64 else None
    try:
        placed = await place(
            principal,
            artwork_id,
            idempotency_key=idempotency_key,
            client_address=str(addresses.of(request) or "unknown"),
        )
    except BuyerDetailsRequired:
        # A physical work (the page was open before it became one): its details step first.
        return Redirect(f"/artworks/{artwork_id}/checkout", status_code=303)
    except Conflict as error:
        mine = await open_order_for(principal, artwork_id, orders)
        if mine is not None:
            return Redirect(f"/checkout/{mine.id}", status_code=303)
        web_state(request).flash(error.message)
        return Redirect(f"/artworks/{artwork_id}", status_code=303)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        web_state(request).flash(error.message)
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
        web_state(request).flash("This order can no longer be paid.")
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
        web_state(request).flash(error.message)
        return Redirect(f"/orders/{order_id}", status_code=303)
    web_state(request).flash("Your order is cancelled and the work is back on sale.")
    return Redirect(f"/artworks/{order.artwork_id}", status_code=303)


@get("/orders/{order_id:uuid}", name="order", guards=[page_requires_login])
@inject
async def order_detail(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    get_order: FromDishka[GetOrder],
    store: FromDishka[ContentStore],
    certificates: FromDishka[GetCertificate],
    clock: FromDishka[Clock],
) -> Template:
    principal = await require_principal(request)
    page = await order_page(await get_order(principal, order_id), store, certificates, clock.now())
    return await render(request, "orders/detail.html", {"page": page, "steps": STEPS, "poll": POLL_SECONDS})


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
    principal = await require_principal(request)
    page = await order_page(await get_order(principal, order_id), store, certificates, clock.now())
    return await render(request, "orders/_status.html", {"page": page, "steps": STEPS, "poll": POLL_SECONDS})


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
            "status_text": STATUS_TEXT.get(progress.status, label(progress.status)),
            "poll": POLL_SECONDS,
        },
    )


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
    if cursor:
        try:
            position = cursors.decode(cursor, MY_ORDERS_LISTING, "newest")
            before = (datetime.fromisoformat(str(position.key)), position.id)
        except (DomainError, ValueError):
            form.add_error("status", "That page link has expired; showing the newest orders.", status=200)
    found = await orders(
        principal, status=OrderStatus(chosen) if chosen else None, limit=ORDERS_PAGE + 1, before=before
    )
    rows = list(found[:ORDERS_PAGE])
    next_url = None
    if len(found) > ORDERS_PAGE and rows:
        last = rows[-1].order
        token = cursors.encode(
            MY_ORDERS_LISTING, "newest", GalleryPosition(last.created_at.isoformat(), last.id)
        )
        next_url = f"/me/orders?cursor={token}" + (f"&status={chosen}" if chosen else "")
    items = [
        {
            "order": view.order,
            "artwork": view.artwork,
            "image": thumbnail(view.artwork, store),
            "status_text": STATUS_TEXT.get(view.order.status, label(view.order.status)),
            "badge": STATUS_BADGE.get(view.order.status, "bad"),
        }
        for view in rows
    ]
    statuses = [("", "All orders")] + [(s.value, label(s)) for s in OrderStatus]
    context = {"items": items, "next_url": next_url, "statuses": statuses}
    if wants_fragment(request) and cursor:
        return await render(request, "orders/_rows.html", context, form=form)
    return await render(request, "orders/list.html", context, form=form)


ROUTES: list[Any] = [
    buy_now,
    checkout_page,
    go_to_payment,
    cancel_order,
    order_detail,
    order_status,
    checkout_complete,
    my_orders,
]
