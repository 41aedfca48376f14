"""The admin orders table, its CSV export, and one order with everything known about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from artmarket.application.admin.ports import AdminOrderQueries, OrderFilter, OrderRow
from artmarket.application.cursor import CursorCodec
from artmarket.application.pages import Page, decode_position, page_of
from artmarket.application.payments.records import PaymentEventRecord
from artmarket.application.ports import Clock
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork
from artmarket.domain.certificates import MintJob
from artmarket.domain.errors import InvalidValue, NotFound
from artmarket.domain.identity import User
from artmarket.domain.orders import Order
from artmarket.domain.shipments import Shipment

ORDERS_LISTING: Final = "admin-orders"


#: The most rows one CSV export holds; narrow the filter for more.
EXPORT_MAX_ROWS: Final = 50_000


class InvalidDateRange(InvalidValue):
    default_message = "`from` must be before `to`."
    field = "from"


class ExportTooLarge(InvalidValue):
    default_message = f"The export is limited to {EXPORT_MAX_ROWS} orders; narrow the filter."
    field = "q"


def _check_range(where: OrderFilter) -> None:
    if where.created_from and where.created_to and where.created_from >= where.created_to:
        raise InvalidDateRange()


def _resolved(where: OrderFilter, clock: Clock) -> OrderFilter:
    """The filter with "awaiting shipment for more than N days" as an instant."""
    _check_range(where)
    if where.awaiting_shipment_days is None:
        return where
    if where.awaiting_shipment_days < 0:
        raise InvalidValue("A number of days is 0 or more.", field="awaiting_shipment_days")
    before = clock.now() - timedelta(days=where.awaiting_shipment_days)
    return replace(where, awaiting_shipment_before=before)


class ListOrders:
    """The admin orders table: newest first, filtered by status, currency and creation time
    (`from` inclusive, `to` exclusive), by shipment status or shipments awaiting for more
    than N days, searched by reference, buyer email or artwork title; signed keyset cursors."""

    def __init__(self, queries: AdminOrderQueries, cursors: CursorCodec, clock: Clock) -> None:
        self._queries = queries
        self._cursors = cursors
        self._clock = clock

    async def __call__(self, where: OrderFilter, *, cursor: str | None, limit: int) -> Page[OrderRow]:
        where = _resolved(where, self._clock)
        before = decode_position(self._cursors, cursor, ORDERS_LISTING)
        found = await self._queries.search(where, before=before, limit=limit + 1)
        return page_of(found, limit, self._cursors, ORDERS_LISTING, lambda row: (row.created_at, row.id))


class ExportOrders:
    """Every order the same filter lists, newest first, for a CSV export (at most 50,000)."""

    def __init__(self, queries: AdminOrderQueries, clock: Clock) -> None:
        self._queries = queries
        self._clock = clock

    async def __call__(self, where: OrderFilter, *, batch: int = 500) -> Sequence[OrderRow]:
        where = _resolved(where, self._clock)
        rows: list[OrderRow] = []
        before: tuple[datetime, UUID] | None = None
        while True:
            found = await self._queries.search(where, before=before, limit=batch)
            rows.extend(found)
            if len(rows) > EXPORT_MAX_ROWS:
                raise ExportTooLarge()
            if len(found) < batch:
                return rows
            before = (found[-1].created_at, found[-1].id)


@dataclass(frozen=True, slots=True)
class AdminOrderView:
    order: Order
    artwork: Artwork | None
    buyer: User | None
    payment_events: Sequence[PaymentEventRecord]
    #: The order's certificate job, with its attempts and last error (None before payment).
    mint_job: MintJob | None = None
    #: The shipment of a physical work (None for digital works and before payment).
    shipment: Shipment | None = None


class GetOrderForAdmin:
    """One order with its buyer, artwork, every payment-provider event, its mint job and its
    shipment (never the delivery address or the buyer's phone)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, order_id: UUID) -> AdminOrderView:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None:
                raise NotFound("No such order.")
            return AdminOrderView(
                order,
                await uow.artworks.get(order.artwork_id),
                await uow.users.get(order.buyer_id),
                await uow.payment_events.list_for_reference(order.reference),
                await uow.mint_jobs.get_for_order(order.id),
                await uow.shipments.get(order.id) if order.needs_shipping else None,
            )
