"""What the marketplace keeps about payments: provider events as received, and artists' payout accounts."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class PaymentEventRecord:
    """A provider event as received: stored once per key, whatever the redeliveries."""

    key: str
    provider: str
    event: str
    reference: str | None
    payload: Mapping[str, object]
    received_at: datetime


class PaymentEventRepository(Protocol):
    """Received payment-provider events; one row per event key."""

    @abstractmethod
    async def add_if_new(self, record: PaymentEventRecord) -> bool:
        """Store the event unless its key is known; True when it was new."""

    @abstractmethod
    async def list_for_reference(self, reference: str) -> Sequence[PaymentEventRecord]: ...


@dataclass(frozen=True, slots=True)
class PayoutAccount:
    """Where an artist's share settles: a Paystack subaccount for their bank account."""

    artist_id: UUID
    bank_code: str
    account_number_last4: str
    subaccount_code: str
    commission_percent: int
    updated_at: datetime


class PayoutAccountRepository(Protocol):
    """One payout account per artist."""

    @abstractmethod
    async def get(self, artist_id: UUID) -> PayoutAccount | None: ...

    @abstractmethod
    async def save(self, account: PayoutAccount) -> None: ...
