"""An order as one person may see it: with its artwork and shipment, and what of the buyer's
details and delivery address they may see (shared by checkout, shipping and the admin console)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork
from artmarket.domain.delivery import PostalAddress
from artmarket.domain.identity import Email
from artmarket.domain.order_lifecycle import RefundStatus
from artmarket.domain.order_stage import BuyerStage, buyer_stage
from artmarket.domain.orders import Order
from artmarket.domain.shipments import Shipment, recipient_visible_to


@dataclass(frozen=True, slots=True)
class Recipient:
    """What one viewer may see of the buyer's details and the delivery address.

    The artist gets the name, the phone and the address to ship with, never the buyer's
    email (sales stay on the marketplace).
    """

    full_name: str
    phone: str
    email: Email | None
    address: PostalAddress | None


def recipient_for(
    viewer_id: UUID | None, order: Order, shipment: Shipment | None, now: datetime
) -> Recipient | None:
    """The buyer's details as `viewer_id` (None: an administrator) may see them, if at all."""
    contact = order.buyer_contact
    if viewer_id is None or contact is None or not recipient_visible_to(viewer_id, order, shipment, now):
        return None
    email = contact.email if viewer_id == order.buyer_id else None
    return Recipient(contact.full_name, contact.phone, email, order.delivery_address)


@dataclass(frozen=True, slots=True)
class OrderView:
    """An order as one person may see it; `recipient` is what they may see of the buyer's
    contact details and the delivery address (None: nothing)."""

    order: Order
    artwork: Artwork | None
    shipment: Shipment | None = None
    recipient: Recipient | None = None

    @property
    def stage(self) -> BuyerStage:
        """Where the purchase stands for its buyer: the order's status and its delivery's as one."""
        return stage_of(self.order, self.shipment)


def stage_of(order: Order, shipment: Shipment | None) -> BuyerStage:
    """The buyer-facing stage of `order`, whose physical work's delivery is `shipment`."""
    requested = order.refund_status is RefundStatus.REQUESTED
    return buyer_stage(order.status, shipment.status if shipment else None, refund_requested=requested)


async def order_view(uow: UnitOfWork, order: Order, viewer_id: UUID | None, now: datetime) -> OrderView:
    """The order with its artwork and shipment, as `viewer_id` (None: an administrator) may see it."""
    shipment = await uow.shipments.get(order.id) if order.needs_shipping else None
    recipient = recipient_for(viewer_id, order, shipment, now)
    return OrderView(order, await uow.artworks.get(order.artwork_id), shipment, recipient)
