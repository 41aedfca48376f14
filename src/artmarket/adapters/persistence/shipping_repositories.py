"""SQLAlchemy repositories of delivery: shipments with their steps, buyers' saved addresses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.repositories import constant
from artmarket.adapters.persistence.tables.orders import orders
from artmarket.adapters.persistence.tables.shipping import saved_addresses, shipments
from artmarket.adapters.persistence.value_columns import address_columns, address_of
from artmarket.application.shipping.ports import SavedAddress
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.shipments import Shipment, ShipmentStatus

_AWAITING = constant(ShipmentStatus.AWAITING_SHIPMENT.value)
_SHIPPED = constant(ShipmentStatus.SHIPPED.value)
_REFUNDED = constant(OrderStatus.REFUNDED.value)
_ADDRESS_COLUMNS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


class SqlAlchemyShipmentRepository:
    """Shipments with their history. Two transactions changing one shipment: the second to
    commit gets ConcurrentUpdate (optimistic version); a second shipment for one order is
    refused at commit (its primary key is the order's id) as a ConcurrentUpdate."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, shipment: Shipment) -> None:
        self._session.add(shipment)

    async def get(self, order_id: UUID) -> Shipment | None:
        with translated_errors():
            return await self._session.get(Shipment, order_id)

    def _of_live_orders(self) -> Any:
        """Shipments joined to their orders, refunded orders left out."""
        return (
            select(Shipment)
            .join(orders, orders.c.id == shipments.c.order_id)
            .where(orders.c.status != _REFUNDED)
        )

    async def list_for_artist(
        self,
        artist_id: UUID,
        *,
        status: ShipmentStatus | None,
        before: tuple[datetime, UUID] | None,
        limit: int,
    ) -> Sequence[Shipment]:
        query = (
            self._of_live_orders()
            .where(shipments.c.artist_id == artist_id)
            .order_by(shipments.c.awaiting_since.desc(), shipments.c.order_id.desc())
            .limit(limit)
        )
        if status is not None:
            query = query.where(shipments.c.status == ShipmentStatus(status).value)
        if before is not None:
            query = query.where(tuple_(shipments.c.awaiting_since, shipments.c.order_id) < tuple(before))
        return await self._all(query)

    async def awaiting_before(
        self, before: datetime, *, reminders_below: int, limit: int
    ) -> Sequence[Shipment]:
        query = (
            self._of_live_orders()
            .where(
                shipments.c.status == _AWAITING,
                shipments.c.awaiting_since < before,
                shipments.c.reminders_sent < reminders_below,
            )
            .order_by(shipments.c.awaiting_since, shipments.c.order_id)
            .limit(limit)
        )
        return await self._all(query)

    async def shipped_before(self, before: datetime, *, limit: int) -> Sequence[Shipment]:
        query = (
            self._of_live_orders()
            .where(shipments.c.status == _SHIPPED, shipments.c.shipped_at < before)
            .order_by(shipments.c.shipped_at, shipments.c.order_id)
            .limit(limit)
        )
        return await self._all(query)

    async def _all(self, query: Any) -> Sequence[Shipment]:
        with translated_errors():
            return (await self._session.scalars(query)).all()


class SqlAlchemySavedAddressRepository:
    """Saved addresses as plain rows, written in the unit of work's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, saved: SavedAddress) -> None:
        row = dict(zip(_ADDRESS_COLUMNS, address_columns(saved.address), strict=True))
        row.update(id=saved.id, buyer_id=saved.buyer_id, created_at=saved.created_at)
        with translated_errors():
            await self._session.flush()  # the buyer may be new in this transaction
            await self._session.execute(insert(saved_addresses).values(row))

    async def get(self, address_id: UUID) -> SavedAddress | None:
        query = select(saved_addresses).where(saved_addresses.c.id == address_id)
        with translated_errors():
            row = (await self._session.execute(query)).one_or_none()
        return None if row is None else _saved(row)

    async def list_for_buyer(self, buyer_id: UUID) -> Sequence[SavedAddress]:
        query = (
            select(saved_addresses)
            .where(saved_addresses.c.buyer_id == buyer_id)
            .order_by(saved_addresses.c.created_at.desc(), saved_addresses.c.id.desc())
        )
        with translated_errors():
            rows = (await self._session.execute(query)).all()
        return [_saved(row) for row in rows]

    async def remove(self, address_id: UUID) -> bool:
        statement = delete(saved_addresses).where(saved_addresses.c.id == address_id)
        with translated_errors():
            result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))


def _saved(row: Any) -> SavedAddress:
    address = address_of(*(getattr(row, column) for column in _ADDRESS_COLUMNS))
    return SavedAddress(row.id, row.buyer_id, address, row.created_at)
