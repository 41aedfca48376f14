"""Ports of the checkout use cases."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order


class OrderRepository(Protocol):
    """Orders; at most one live order per artwork is enforced at commit (`ArtworkNotAvailable`)."""

    @abstractmethod
    def add(self, order: Order) -> None: ...

    @abstractmethod
    async def get(self, order_id: UUID) -> Order | None: ...

    @abstractmethod
    async def get_by_reference(self, reference: str) -> Order | None: ...

    @abstractmethod
    async def get_by_idempotency_key(self, buyer_id: UUID, key: str) -> tuple[Order, str] | None:
        """The order a buyer created with this key, and the fingerprint of that request."""

    @abstractmethod
    def remember_idempotency_key(self, order: Order, key: str, fingerprint: str) -> None: ...

    @abstractmethod
    async def take_placement_turn(self, holders: Sequence[str], now: datetime) -> None:
        """Wait until no other transaction is placing an order for any of `holders` (and keep
        them waiting until this one ends), so the open orders a cap counts cannot change
        between the count and the commit. Callers name holders in one fixed order."""

    @abstractmethod
    async def count_awaiting_payment(self, buyer_id: UUID) -> int: ...

    @abstractmethod
    async def edition_holdings(self, artwork_id: UUID) -> Sequence[tuple[int, OrderStatus]]:
        """The (edition number, status) of every order of the artwork that holds a number."""

    @abstractmethod
    async def count_awaiting_payment_from(self, client_tag: str) -> int:
        """Orders awaiting payment placed from the client address with this tag, by any account."""

    @abstractmethod
    async def list_for_buyer(
        self, buyer_id: UUID, *, status: OrderStatus | None, limit: int, before: tuple[datetime, UUID] | None
    ) -> Sequence[Order]:
        """Newest first, strictly before the given (created_at, id) position."""

    @abstractmethod
    async def lapsed(self, now: datetime, *, limit: int) -> Sequence[Order]:
        """Orders awaiting payment whose reservation has run out."""

    @abstractmethod
    async def awaiting_since(self, before: datetime, *, limit: int) -> Sequence[Order]:
        """Orders still awaiting payment that were created before `before` (lost webhooks)."""

    @abstractmethod
    async def paid_before(self, before: datetime, *, limit: int) -> Sequence[Order]:
        """Orders still `paid` (minting not started) that were paid before `before`, oldest first."""
