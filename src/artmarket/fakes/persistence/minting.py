"""In-memory repositories of minting: mint jobs and batches, certificates, leases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from artmarket.domain.certificates import Certificate, MintBatch, MintJob, MintJobStatus
from artmarket.fakes.persistence.database import (
    Workspace,
    newest_first,
)


class InMemoryMintJobRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, job: MintJob) -> None:
        self._work.mint_jobs.add(job.id, job)

    async def get(self, job_id: UUID) -> MintJob | None:
        return self._work.mint_jobs.get(job_id)

    async def get_for_order(self, order_id: UUID) -> MintJob | None:
        return next(iter(self._work.mint_jobs.select(lambda job: job.order_id == order_id)), None)

    async def due(self, status: MintJobStatus, now: datetime | None, *, limit: int) -> Sequence[MintJob]:
        found = self._work.mint_jobs.select(
            lambda job: (
                job.status is status
                and (now is None or job.next_attempt_at is None or job.next_attempt_at <= now)
            )
        )
        return sorted(found, key=lambda job: (job.created_at, job.id))[:limit]

    async def list(
        self, *, status: MintJobStatus | None, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[MintJob]:
        found = self._work.mint_jobs.select(
            lambda job: (
                (status is None or job.status is status)
                and (before is None or (job.created_at, job.id) < before)
            )
        )
        return newest_first(found, "created_at", "id")[:limit]

    async def count_by_status(self) -> dict[MintJobStatus, int]:
        counts = dict.fromkeys(MintJobStatus, 0)
        for job in self._work.mint_jobs.select(lambda job: True):
            counts[job.status] += 1
        return counts

    def add_batch(self, batch: MintBatch) -> None:
        self._work.added_mint_batches[batch.transaction_id] = replace(batch, job_ids=list(batch.job_ids))

    async def get_batch(self, transaction_id: str) -> MintBatch | None:
        batch = self._work.added_mint_batches.get(transaction_id) or self._work.mint_batches.get(
            transaction_id
        )
        return None if batch is None else replace(batch, job_ids=list(batch.job_ids))


class InMemoryCertificateRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, certificate: Certificate) -> None:
        self._work.certificates.add(certificate.id, certificate)

    async def get(self, certificate_id: UUID) -> Certificate | None:
        return self._work.certificates.get(certificate_id)

    async def get_for_order(self, order_id: UUID) -> Certificate | None:
        return next(iter(self._work.certificates.select(lambda c: c.order_id == order_id)), None)

    async def get_by_public_code(self, code: str) -> Certificate | None:
        return next(iter(self._work.certificates.select(lambda c: c.public_code == code)), None)

    async def get_by_token_serial(self, token_id: str, serial: int) -> Certificate | None:
        found = self._work.certificates.select(lambda c: (c.token_id, c.serial) == (token_id, serial))
        return next(iter(found), None)

    async def list_for_owner(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[Certificate]:
        found = self._work.certificates.select(
            lambda c: c.owner_id == owner_id and (before is None or (c.issued_at, c.id) < before)
        )
        return newest_first(found, "issued_at", "id")[:limit]


class InMemoryLeaseRepository:
    """Read at the call, checked again at commit: the second of two takers gets ConcurrentUpdate."""

    def __init__(self, work: Workspace) -> None:
        self._work = work

    def _current(self, name: str) -> tuple[str | None, datetime | None]:
        if name in self._work.leases:
            return self._work.leases[name]
        return self._work.base_leases.get(name, (None, None))

    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        current, expires_at = self._current(name)
        if current is None or current == holder or (expires_at is not None and expires_at <= now):
            self._work.leases[name] = (holder, now + ttl)
            return True
        return False

    async def release(self, name: str, holder: str) -> None:
        if self._current(name)[0] == holder:
            self._work.leases[name] = (None, None)
