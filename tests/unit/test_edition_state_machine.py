"""A limited edition of four as a state machine: buyers buy, pay (in time or late), cancel, let
reservations lapse and get refunds, in any order.

Never one number held by two orders; every number 1..4 exactly one of free, reserved, sold or
retired, and a sold or retired number never free again (none is lost); a new order takes the
lowest free number; the artwork's stored counts are the recount; its status is published while
a number is free, reserved while the last ones await payment, sold once all are sold or retired.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from tests.support.editions import EditionShop, an_edition

from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.editions import EditionStock, NumberState
from artmarket.domain.errors import DomainError
from artmarket.domain.order_lifecycle import LAPSED_STATUSES
from artmarket.domain.orders import Order
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork

T = TypeVar("T")
SIZE = 4
BUYERS = 6


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@settings(
    max_examples=15, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
class EditionCheckout(RuleBasedStateMachine):
    @initialize()
    def open_the_shop(self) -> None:
        db = InMemoryDatabase()
        self.shop = EditionShop(lambda: InMemoryUnitOfWork(db))
        run(self.shop.open())
        self.buyers = run(self.shop.buyers(BUYERS))
        edition = an_edition(self.shop.artist, SIZE)
        run(self.shop.add(edition))
        self.edition_id = edition.id
        self.order_ids: list[UUID] = []
        #: Numbers once sold or retired: they never become free again.
        self.gone: set[int] = set()

    def _state(self) -> tuple[Artwork, list[Order], EditionStock]:
        artwork = run(self.shop.artwork(self.edition_id))
        return artwork, run(self.shop.orders(self.order_ids)), run(self.shop.stock(artwork))

    def _order(self, data: st.DataObject) -> Order:
        order_id = data.draw(st.sampled_from(self.order_ids))
        (order,) = run(self.shop.orders([order_id]))
        return order

    @rule(buyer=st.integers(0, BUYERS - 1))
    def buy(self, buyer: int) -> None:
        _, _, before = self._state()
        try:
            placed = run(self.shop.place(self.buyers[buyer], self.edition_id, f"192.0.2.{buyer}"))
        except DomainError:
            assert before.lowest_free is None  # refused only when every number is taken
            return
        assert placed.order.edition_number == before.lowest_free
        self.order_ids.append(placed.order.id)

    @precondition(lambda self: self.order_ids)
    @rule(data=st.data())
    def pay(self, data: st.DataObject) -> None:
        """The buyer pays, in time or after the reservation lapsed (then a free number is taken
        again, or the payment is refunded by the worker)."""
        order = self._order(data)
        if order.status in LAPSED_STATUSES or order.is_paid:
            with contextlib.suppress(DomainError):
                order = run(self.shop.pay(order.reference))
            if order.status in LAPSED_STATUSES:
                run(self.shop.refund_late_payment(order.id))
            return
        run(self.shop.pay(order.reference))

    @precondition(lambda self: self.order_ids)
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        order = self._order(data)
        buyer = next(b for b in self.buyers if b.id == order.buyer_id)
        with contextlib.suppress(DomainError):
            run(self.shop.cancel(buyer, order.id))

    @rule(minutes=st.integers(1, 20))
    def time_passes(self, minutes: int) -> None:
        self.shop.clock.advance(timedelta(minutes=minutes))
        run(self.shop.expire())

    @precondition(lambda self: self.order_ids)
    @rule(data=st.data())
    def refund(self, data: st.DataObject) -> None:
        order = self._order(data)
        with contextlib.suppress(DomainError):
            run(self.shop.refund(order.id))

    @invariant()
    def no_number_is_held_twice_or_lost(self) -> None:
        if not hasattr(self, "shop"):
            return
        _, orders, stock = self._state()
        held = [o.edition_number for o in orders if o.edition_number is not None]
        assert len(held) == len(set(held))
        assert set(held) <= set(range(1, SIZE + 1))
        assert all(o.edition_number is None for o in orders if o.status in LAPSED_STATUSES)
        assert stock.available + stock.reserved + stock.sold + stock.retired == SIZE
        # A sold or retired number is never free or reserved again.
        assert all(stock.held.get(n) in (NumberState.SOLD, NumberState.RETIRED) for n in self.gone)
        self.gone |= {n for n, state in stock.held.items() if state is not NumberState.RESERVED}

    @invariant()
    def the_artwork_follows_its_numbers(self) -> None:
        if not hasattr(self, "shop"):
            return
        artwork, _, stock = self._state()
        assert (artwork.edition_available, artwork.edition_sold) == (stock.available, stock.sold)
        if stock.available:
            assert artwork.status is ArtworkStatus.PUBLISHED
        else:
            assert artwork.status is (ArtworkStatus.RESERVED if stock.reserved else ArtworkStatus.SOLD)


TestEditionCheckout = EditionCheckout.TestCase
