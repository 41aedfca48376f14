"""Ports of minting: mint jobs and batches, certificates, their trail and ledger tasks, leases."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from artmarket.application.minting.certificate_transactions import PreparedTransaction
from artmarket.domain.certificates import Certificate, MintBatch, MintJob, MintJobStatus
from artmarket.domain.ledger_tasks import LedgerTask, TaskStatus
from artmarket.domain.provenance import ProvenanceEntry


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
    async def get_for_order(self, order_id: UUID) -> Certificate | None: ...

    @abstractmethod
    async def get_by_public_code(self, code: str) -> Certificate | None:
        """The certificate whose QR link carries `code`."""

    @abstractmethod
    async def get_by_token_serial(self, token_id: str, serial: int) -> Certificate | None:
        """The certificate of one NFT (wall labels and NFC tags name the NFT)."""

    @abstractmethod
    async def list_for_owner(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[Certificate]:
        """Newest first, strictly before the given (issued_at, id) position."""


class ProvenanceRepository(Protocol):
    """Provenance entries; one per (certificate, position), enforced at commit (ConcurrentUpdate)."""

    @abstractmethod
    def add(self, entry: ProvenanceEntry) -> None: ...

    @abstractmethod
    async def trail(self, certificate_id: UUID) -> Sequence[tuple[ProvenanceEntry, LedgerTask]]:
        """The certificate's entries in position order, each with the ledger task that records it."""


class LedgerTaskRepository(Protocol):
    """Certificate ledger tasks and their prepared transactions (signed bytes kept before submission).

    A task's `dedupe_key` is unique: a second burn of a certificate, or a second record of one
    entry, is refused at commit with ConcurrentUpdate.
    """

    @abstractmethod
    def add(self, task: LedgerTask, *, dedupe_key: str) -> None: ...

    @abstractmethod
    async def get(self, task_id: UUID) -> LedgerTask | None: ...

    @abstractmethod
    async def for_certificate(self, certificate_id: UUID) -> Sequence[LedgerTask]:
        """The certificate's tasks, oldest first."""

    @abstractmethod
    async def due(self, status: TaskStatus, now: datetime | None, *, limit: int) -> Sequence[LedgerTask]:
        """Tasks of `status` whose back-off has passed at `now` (all of them when None), oldest first."""

    @abstractmethod
    async def count_by_status(self) -> dict[TaskStatus, int]: ...

    @abstractmethod
    def add_transaction(self, task_id: UUID, prepared: PreparedTransaction) -> None:
        """Keep a prepared transaction's signed bytes before it is submitted; an id is stored once."""

    @abstractmethod
    async def get_transaction(self, transaction_id: str) -> PreparedTransaction | None: ...


class LeaseRepository(Protocol):
    """Named leases that one holder at a time may own until they expire; commit required."""

    @abstractmethod
    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take or renew the lease for `ttl` if it is free, expired or already ours; True when ours."""

    @abstractmethod
    async def release(self, name: str, holder: str) -> None:
        """Give the lease up if we hold it (someone else's lease is left alone)."""
