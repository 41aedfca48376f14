"""SQLAlchemy repositories of minting: mint jobs and their batches, certificates, leases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import CursorResult, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.repositories import insert_if_absent, newest_first
from artmarket.adapters.persistence.tables.minting import certificates, leases, mint_jobs
from artmarket.domain.certificates import Certificate, MintBatch, MintJob, MintJobStatus


class SqlAlchemyMintJobRepository:
    """Mint jobs (optimistic version: the second of two changes of one job gets ConcurrentUpdate;
    a second job for one order is refused at commit with ConcurrentUpdate) and mint batches."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, job: MintJob) -> None:
        self._session.add(job)

    async def get(self, job_id: UUID) -> MintJob | None:
        with translated_errors():
            return await self._session.get(MintJob, job_id)

    async def get_for_order(self, order_id: UUID) -> MintJob | None:
        query = select(MintJob).where(mint_jobs.c.order_id == order_id)
        with translated_errors():
            return (await self._session.scalars(query)).one_or_none()

    async def due(self, status: MintJobStatus, now: datetime | None, *, limit: int) -> Sequence[MintJob]:
        query = (
            select(MintJob)
            .where(mint_jobs.c.status == status)
            .order_by(mint_jobs.c.created_at, mint_jobs.c.id)
            .limit(limit)
        )
        if now is not None:
            query = query.where(
                or_(mint_jobs.c.next_attempt_at.is_(None), mint_jobs.c.next_attempt_at <= now)
            )
        return await self._all(query)

    async def list(
        self, *, status: MintJobStatus | None, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[MintJob]:
        return await self._all(newest_first(MintJob, mint_jobs, limit=limit, status=status, before=before))

    async def count_by_status(self) -> dict[MintJobStatus, int]:
        query = select(mint_jobs.c.status, func.count()).group_by(mint_jobs.c.status)
        with translated_errors():
            rows = (await self._session.execute(query)).all()
        counts = dict.fromkeys(MintJobStatus, 0)
        counts.update({MintJobStatus(status): int(count) for status, count in rows})
        return counts

    def add_batch(self, batch: MintBatch) -> None:
        self._session.add(batch)

    async def get_batch(self, transaction_id: str) -> MintBatch | None:
        with translated_errors():
            return await self._session.get(MintBatch, transaction_id)

    async def _all(self, query: Any) -> Sequence[MintJob]:
        with translated_errors():
            return (await self._session.scalars(query)).all()


class SqlAlchemyCertificateRepository:
    """Certificates (optimistic version: the second of two changes gets ConcurrentUpdate); a
    second one for an order is refused at commit with ConcurrentUpdate."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, certificate: Certificate) -> None:
        self._session.add(certificate)

    async def get(self, certificate_id: UUID) -> Certificate | None:
        with translated_errors():
            return await self._session.get(Certificate, certificate_id)

    async def get_for_order(self, order_id: UUID) -> Certificate | None:
        return await self._one(select(Certificate).where(certificates.c.order_id == order_id))

    async def get_by_public_code(self, code: str) -> Certificate | None:
        return await self._one(select(Certificate).where(certificates.c.public_code == code))

    async def get_by_token_serial(self, token_id: str, serial: int) -> Certificate | None:
        query = select(Certificate).where(
            certificates.c.token_id == token_id, certificates.c.serial == serial
        )
        return await self._one(query)

    async def _one(self, query: Any) -> Certificate | None:
        with translated_errors():
            return (await self._session.scalars(query)).one_or_none()

    async def list_for_owner(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[Certificate]:
        query = (
            select(Certificate)
            .where(certificates.c.owner_id == owner_id)
            .order_by(certificates.c.issued_at.desc(), certificates.c.id.desc())
            .limit(limit)
        )
        if before is not None:
            query = query.where(tuple_(certificates.c.issued_at, certificates.c.id) < tuple(before))
        with translated_errors():
            return (await self._session.scalars(query)).all()


class SqlAlchemyLeaseRepository:
    """Leases as rows taken with one conditional UPDATE: on PostgreSQL a concurrent taker waits
    for the row and then finds it held; on SQLite the single writer serialises them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        with translated_errors():
            await insert_if_absent(
                self._session, leases, {"name": name, "holder": None, "expires_at": None}, key=("name",)
            )
            result = await self._session.execute(
                update(leases)
                .where(
                    leases.c.name == name,
                    or_(leases.c.holder.is_(None), leases.c.expires_at <= now, leases.c.holder == holder),
                )
                .values(holder=holder, expires_at=now + ttl)
            )
        return _rowcount(result) == 1

    async def release(self, name: str, holder: str) -> None:
        with translated_errors():
            await self._session.execute(
                update(leases)
                .where(leases.c.name == name, leases.c.holder == holder)
                .values(holder=None, expires_at=None)
            )


def _rowcount(result: Any) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0
