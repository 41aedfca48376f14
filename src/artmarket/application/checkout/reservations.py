"""Reservations that end without a payment: they lapse, or the buyer cancels."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from artmarket.application.messages import (
    ReservationExpired,
)
from artmarket.application.messaging import OutboxMessage
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.errors import NotFound
from artmarket.domain.orders import (
    Order,
)


class ExpireReservations:
    """Periodic: lapsed reservations expire and their artworks go back on sale; buyers are told."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, *, limit: int = 100) -> int:
        now = self._clock.now()
        async with self._uow as uow:
            lapsed = await uow.orders.lapsed(now, limit=limit)
            for order in lapsed:
                order.expire(now)
                uow.outbox.add(OutboxMessage.of(ReservationExpired(order.id), self._ids.new_id(), now))
                await _put_back_on_sale(uow, order, now)
            await uow.commit()
        return len(lapsed)


class CancelOrder:
    """The buyer cancels an order while it awaits payment; the artwork goes back on sale."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, order_id: UUID) -> Order:
        now = self._clock.now()
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None or order.buyer_id != principal.id:
                raise NotFound("No such order.")
            order.cancel(now)
            await _put_back_on_sale(uow, order, now)
            await uow.commit()
        return order


async def _put_back_on_sale(uow: UnitOfWork, order: Order, now: datetime) -> None:
    """The artwork an order reserved goes back on sale (unless it is no longer reserved)."""
    artwork = await uow.artworks.get(order.artwork_id)
    if artwork is not None and artwork.status is ArtworkStatus.RESERVED:
        artwork.release(now)
