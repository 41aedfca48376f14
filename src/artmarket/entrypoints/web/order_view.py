"""What the buyer's pages show of an order: its status in words and badges, the happy path's
steps, the delivery's, the work's thumbnail (`OrderPage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Request

from artmarket.application.checkout.orders import GetOrder
from artmarket.application.media import ContentStore
from artmarket.application.minting.certificates import CertificateView, GetCertificate
from artmarket.application.order_views import OrderView, Recipient
from artmarket.application.ports import Clock
from artmarket.domain.catalog import Artwork
from artmarket.domain.errors import NotFound
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order
from artmarket.domain.shipments import Shipment, ShipmentStatus
from artmarket.entrypoints.http.checkout_schemas import StatusChangeOut, status_history
from artmarket.entrypoints.http.image_links import image_url
from artmarket.entrypoints.web.editions import number_retired, print_words
from artmarket.entrypoints.web.formatting import label
from artmarket.entrypoints.web.sessions import require_principal

#: Statuses the order page keeps polling through.
SETTLING = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.MINTING})
#: The happy path, as the order page draws it.
STEPS = (OrderStatus.PAID, OrderStatus.MINTING, OrderStatus.COMPLETED)
POLL_SECONDS = 2

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


def status_text_of(status: OrderStatus) -> str:
    """An order's status as the buyer reads it."""
    return STATUS_TEXT.get(status, label(status))


def badge_of(status: OrderStatus) -> str:
    """The badge colour of an order's status (`bad` for every way an order ends unpaid)."""
    return STATUS_BADGE.get(status, "bad")


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
    def print_label(self) -> str | None:
        """The print an order of a limited edition holds: "Print 7/25"."""
        return print_words(self.order, self.artwork)

    @property
    def number_retired(self) -> bool:
        """A refunded edition order: its number is never sold again (the page says so)."""
        return number_retired(self.order)

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
        status_text_of(order.status),
        badge_of(order.status),
        order.reservation_lapsed(now),
        view.shipment,
        view.recipient,
    )


async def order_page_for(
    request: Request[Any, Any, Any],
    order_id: UUID,
    get_order: GetOrder,
    store: ContentStore,
    certificates: GetCertificate,
    clock: Clock,
) -> OrderPage:
    """The order as the signed-in viewer may see it (its buyer, artist or an admin; else 404)."""
    principal = await require_principal(request)
    return await order_page(await get_order(principal, order_id), store, certificates, clock.now())
