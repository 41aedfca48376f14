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
from artmarket.application.i18n import N_
from artmarket.application.i18n import gettext as _
from artmarket.application.media import ContentStore
from artmarket.application.minting.certificates import CertificateView, GetCertificate
from artmarket.application.order_views import OrderView, Recipient
from artmarket.application.ports import Clock
from artmarket.domain.catalog import Artwork
from artmarket.domain.errors import NotFound
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.order_stage import BuyerStage
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
#: What each step means to the buyer: a completed order has its certificate, and a physical
#: work is still on its way (the delivery steps say where), so never "Completed" there.
STEP_LABELS = {
    OrderStatus.PAID: N_("Paid"),
    OrderStatus.MINTING: N_("Minting"),
    OrderStatus.COMPLETED: N_("Certificate issued"),
}
POLL_SECONDS = 2

SHIPMENT_TEXT = {
    ShipmentStatus.AWAITING_SHIPMENT: N_("The artist is preparing your work for shipping"),
    ShipmentStatus.SHIPPED: N_("On its way to you"),
    ShipmentStatus.DELIVERED: N_("Delivered"),
    ShipmentStatus.DELIVERY_PROBLEM: N_("A problem was reported; our team is looking into it"),
    ShipmentStatus.RESOLVED: N_("The delivery problem is resolved"),
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


def time_left(order: Order, now: datetime) -> str:
    """What is left of the reservation as a countdown reads it: `13:53 left` (never a clock time)."""
    seconds = max(0, int((order.expires_at - now).total_seconds()))
    return _("%(time)s left") % {"time": f"{seconds // 60}:{seconds % 60:02d}"}


@dataclass(frozen=True, slots=True)
class OrderPage:
    """What the order templates show of one order."""

    order: Order
    artwork: Artwork | None
    image: dict[str, Any] | None
    certificate: CertificateView | None
    settling: bool
    #: Where the purchase stands for its buyer (the order's status and its delivery's as one).
    stage: BuyerStage
    expired: bool
    #: A physical work's shipment, and what this viewer may see of the buyer's details.
    shipment: Shipment | None = None
    recipient: Recipient | None = None
    #: The reservation's countdown as first drawn (`app.js` then ticks it).
    time_left: str = ""

    @property
    def status_text(self) -> str:
        """The stage's sentence in the page's language."""
        return _(self.stage.text)

    @property
    def status_label(self) -> str:
        """The stage's badge word in the page's language."""
        return _(self.stage.label)

    @property
    def badge(self) -> str:
        return self.stage.tone

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
        return _(SHIPMENT_TEXT[self.shipment.status]) if self.shipment else ""

    @property
    def shipment_badge(self) -> str:
        return SHIPMENT_BADGE[self.shipment.status] if self.shipment else ""

    @property
    def shipment_steps(self) -> tuple[ShipmentStatus, ...]:
        """The delivery's happy path; empty once it left it (a problem, resolved)."""
        on_path = self.shipment is not None and self.shipment.status in SHIPMENT_STEPS
        return SHIPMENT_STEPS if on_path else ()

    @staticmethod
    def step_label(step: OrderStatus) -> str:
        return _(STEP_LABELS[step])

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

    def history_word(self, change: StatusChangeOut) -> str:
        """A step as the buyer reads it: an order that still travels is not yet "Completed" for
        them when its certificate is issued (its stage says "awaiting shipment")."""
        if change.status == OrderStatus.COMPLETED.value and self.order.needs_shipping:
            return _("Certificate issued")
        return label(change.status)

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
        view.stage,
        order.reservation_lapsed(now),
        view.shipment,
        view.recipient,
        time_left(order, now),
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
