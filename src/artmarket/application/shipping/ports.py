"""Ports of the delivery use cases: shipments and buyers' saved addresses."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from artmarket.domain.delivery import PostalAddress
from artmarket.domain.shipments import Shipment, ShipmentStatus


@dataclass(frozen=True, slots=True)
class SavedAddress:
    """A delivery address a buyer keeps for their next purchases."""

    id: UUID
    buyer_id: UUID
    address: PostalAddress
    created_at: datetime


class SavedAddressRepository(Protocol):
    """Buyers' saved addresses; `add` and `remove` are kept only if the unit of work commits."""

    @abstractmethod
    async def add(self, saved: SavedAddress) -> None: ...

    @abstractmethod
    async def get(self, address_id: UUID) -> SavedAddress | None: ...

    @abstractmethod
    async def list_for_buyer(self, buyer_id: UUID) -> Sequence[SavedAddress]:
        """Newest first."""

    @abstractmethod
    async def remove(self, address_id: UUID) -> bool:
        """Forget the address; False when there was none."""


class ShipmentRepository(Protocol):
    """Shipments with their history, one per paid order of a physical work (the order's id).

    A second shipment for one order is refused at commit (`ConcurrentUpdate`), and so is
    the second of two transactions changing one shipment (optimistic version). Listings
    leave out shipments whose order was refunded: nothing is sent for those.
    """

    @abstractmethod
    def add(self, shipment: Shipment) -> None: ...

    @abstractmethod
    async def get(self, order_id: UUID) -> Shipment | None: ...

    @abstractmethod
    async def list_for_artist(
        self,
        artist_id: UUID,
        *,
        status: ShipmentStatus | None,
        before: tuple[datetime, UUID] | None,
        limit: int,
    ) -> Sequence[Shipment]:
        """Newest `awaiting_since` first, strictly before the given (awaiting_since, order id)."""

    @abstractmethod
    async def awaiting_before(
        self, before: datetime, *, reminders_below: int, limit: int
    ) -> Sequence[Shipment]:
        """Awaiting shipment since before `before`, under `reminders_below` reminders sent; oldest first."""

    @abstractmethod
    async def shipped_before(self, before: datetime, *, limit: int) -> Sequence[Shipment]:
        """Still `shipped` (no delivery, no problem) and shipped before `before`, oldest first."""
