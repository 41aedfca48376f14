"""Orders as the people concerned may see them: the buyer's details and the delivery address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from artmarket.application.identity.use_cases import Principal
from artmarket.application.ports import Clock
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork
from artmarket.domain.delivery import PostalAddress
from artmarket.domain.errors import NotFound
from artmarket.domain.identity import Email, Role
from artmarket.domain.orders import (
    Order,
    OrderStatus,
)
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


async def order_view(uow: UnitOfWork, order: Order, viewer_id: UUID | None, now: datetime) -> OrderView:
    """The order with its artwork and shipment, as `viewer_id` (None: an administrator) may see it."""
    shipment = await uow.shipments.get(order.id) if order.needs_shipping else None
    recipient = recipient_for(viewer_id, order, shipment, now)
    return OrderView(order, await uow.artworks.get(order.artwork_id), shipment, recipient)


class GetOrder:
    """An order for its buyer, the selling artist or an admin; anyone else gets 404.

    The buyer's phone and the delivery address are shown to the buyer, and to the artist
    from payment until 30 days after delivery; never to anyone else.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, order_id: UUID) -> OrderView:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None or not (
                principal.id in (order.buyer_id, order.artist_id) or principal.has_role(Role.ADMIN)
            ):
                raise NotFound("No such order.")
            return await order_view(uow, order, principal.id, self._clock.now())


class ListMyOrders:
    """The buyer's orders, newest first, optionally of one status, each with its artwork and shipment."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self,
        principal: Principal,
        *,
        status: OrderStatus | None,
        limit: int,
        before: tuple[datetime, UUID] | None,
    ) -> Sequence[OrderView]:
        now = self._clock.now()
        async with self._uow as uow:
            orders = await uow.orders.list_for_buyer(principal.id, status=status, limit=limit, before=before)
            # A few lookups per order, bounded by the page size (at most 100).
            return [await order_view(uow, order, principal.id, now) for order in orders]
