"""Ports of the minting use cases: mint jobs and their batches, certificates, and leases."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from artmarket.domain.certificates import Certificate, MintBatch, MintJob, MintJobStatus


class MintJobRepository(Protocol):
    """Mint jobs (one per order, enforced at commit: ConcurrentUpdate) and the batches they were sent in.

    Two transactions changing one job: the second to commit gets ConcurrentUpdate.
    """

    @abstractmethod
    def add(self, job: MintJob) -> None: ...

    @abstractmethod
    async def get(self, job_id: UUID) -> MintJob | None: ...

    @abstractmethod
    async def get_for_order(self, order_id: UUID) -> MintJob | None: ...

    @abstractmethod
    async def due(self, status: MintJobStatus, now: datetime | None, *, limit: int) -> Sequence[MintJob]:
        """Jobs of `status` whose back-off has passed at `now` (all of them when None), oldest first."""

    @abstractmethod
    async def list(
        self, *, status: MintJobStatus | None, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[MintJob]:
        """Newest first, strictly before the given (created_at, id) position."""

    @abstractmethod
    async def count_by_status(self) -> dict[MintJobStatus, int]: ...

    @abstractmethod
    def add_batch(self, batch: MintBatch) -> None:
        """Keep a prepared transaction (its signed bytes); a transaction id is stored once."""

    @abstractmethod
    async def get_batch(self, transaction_id: str) -> MintBatch | None: ...


class CertificateRepository(Protocol):
    """Issued certificates; one per order and one per (token id, serial), enforced at commit."""

    @abstractmethod
    def add(self, certificate: Certificate) -> None: ...

    @abstractmethod
    async def get(self, certificate_id: UUID) -> Certificate | None: ...

    @abstractmethod
    async def list_for_owner(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[Certificate]:
        """Newest first, strictly before the given (issued_at, id) position."""


class LeaseRepository(Protocol):
    """Named leases that one holder at a time may own until they expire; commit required."""

    @abstractmethod
    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take or renew the lease for `ttl` if it is free, expired or already ours; True when ours."""

    @abstractmethod
    async def release(self, name: str, holder: str) -> None:
        """Give the lease up if we hold it (someone else's lease is left alone)."""
