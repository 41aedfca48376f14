"""Reservations that end without a payment: they lapse, or the buyer cancels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID

from artmarket.application.edition_numbers import recount, take_artwork_turns
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
    """Periodic: lapsed reservations expire, their artworks go back on sale (a limited edition
    takes their numbers back); buyers are told."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, *, limit: int = 100) -> int:
        now = self._clock.now()
        async with self._uow as uow:
            lapsed = await uow.orders.lapsed(now, limit=limit)

            def expire(order: Order) -> None:
                order.expire(now)
                uow.outbox.add(OutboxMessage.of(ReservationExpired(order.id), self._ids.new_id(), now))

            await _end_unpaid(uow, lapsed, expire, now)
            await uow.commit()
        return len(lapsed)


class CancelOrder:
    """The buyer cancels an order while it awaits payment; the artwork goes back on sale (a
    limited edition takes the number back)."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, order_id: UUID) -> Order:
        now = self._clock.now()
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None or order.buyer_id != principal.id:
                raise NotFound("No such order.")
            await _end_unpaid(uow, [order], lambda cancelled: cancelled.cancel(now), now)
            await uow.commit()
        return order


async def _end_unpaid(
    uow: UnitOfWork, orders: Sequence[Order], end: Callable[[Order], None], now: datetime
) -> None:
    """Each order `end`s unpaid. A unique work goes back on sale; a limited edition, whose orders
    give their numbers back, follows its stock under its turn (one per artwork, however many of
    its orders lapse together; taken before any order changes)."""
    editions = sorted({order.artwork_id for order in orders if order.edition_number is not None})
    await take_artwork_turns(uow, editions, now)
    for order in orders:
        end(order)
        if order.artwork_id not in editions:
            await _put_back_on_sale(uow, order, now)
    for artwork_id in editions:
        await recount(uow, artwork_id, now)


async def _put_back_on_sale(uow: UnitOfWork, order: Order, now: datetime) -> None:
    """The unique work an order reserved goes back on sale (unless it is no longer reserved)."""
    artwork = await uow.artworks.get(order.artwork_id)
    if artwork is not None and artwork.status is ArtworkStatus.RESERVED:
        artwork.release(now)
