"""In-memory repositories of shipping: shipments and saved addresses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID

from artmarket.application.shipping.ports import SavedAddress
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.shipments import Shipment, ShipmentStatus
from artmarket.fakes.persistence.database import (
    Workspace,
    newest_first,
)


class InMemoryShipmentRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, shipment: Shipment) -> None:
        self._work.shipments.add(shipment.order_id, shipment)

    async def get(self, order_id: UUID) -> Shipment | None:
        return self._work.shipments.get(order_id)

    def _live(self, matches: Callable[[Shipment], bool]) -> list[Shipment]:
        """Shipments that match, refunded orders left out (a read-only look at the orders)."""
        orders = self._work.orders

        def refunded(order_id: UUID) -> bool:
            order = orders.rows.get(order_id) or orders.committed.get(order_id)
            return order is not None and order.status is OrderStatus.REFUNDED

        return self._work.shipments.select(lambda s: matches(s) and not refunded(s.order_id))

    async def list_for_artist(
        self,
        artist_id: UUID,
        *,
        status: ShipmentStatus | None,
        before: tuple[datetime, UUID] | None,
        limit: int,
    ) -> Sequence[Shipment]:
        found = self._live(
            lambda s: (
                s.artist_id == artist_id
                and (status is None or s.status == status)
                and (before is None or (s.awaiting_since, s.order_id) < before)
            )
        )
        return newest_first(found, "awaiting_since", "order_id")[:limit]

    async def awaiting_before(
        self, before: datetime, *, reminders_below: int, limit: int
    ) -> Sequence[Shipment]:
        found = self._live(
            lambda s: (
                s.status is ShipmentStatus.AWAITING_SHIPMENT
                and s.awaiting_since < before
                and s.reminders_sent < reminders_below
            )
        )
        return sorted(found, key=lambda s: (s.awaiting_since, s.order_id))[:limit]

    async def shipped_before(self, before: datetime, *, limit: int) -> Sequence[Shipment]:
        found = self._live(
            lambda s: (
                s.status is ShipmentStatus.SHIPPED and s.shipped_at is not None and s.shipped_at < before
            )
        )
        return sorted(found, key=lambda s: (s.shipped_at, s.order_id))[:limit]


class InMemorySavedAddressRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    async def add(self, saved: SavedAddress) -> None:
        self._work.saved_addresses[saved.id] = saved
        self._work.added_addresses[saved.id] = saved

    async def get(self, address_id: UUID) -> SavedAddress | None:
        return self._work.saved_addresses.get(address_id)

    async def list_for_buyer(self, buyer_id: UUID) -> Sequence[SavedAddress]:
        found = [saved for saved in self._work.saved_addresses.values() if saved.buyer_id == buyer_id]
        return newest_first(found, "created_at", "id")

    async def remove(self, address_id: UUID) -> bool:
        if self._work.saved_addresses.pop(address_id, None) is None:
            return False
        self._work.added_addresses.pop(address_id, None)
        self._work.removed_addresses.add(address_id)
        return True
