"""Orders as their buyer, their artist or an admin may read them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from artmarket.application.order_views import OrderView, order_view
from artmarket.application.ports import Clock
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.errors import NotFound
from artmarket.domain.identity import Role
from artmarket.domain.order_lifecycle import OrderStatus


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
