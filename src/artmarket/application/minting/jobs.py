"""Mint jobs: one per paid order, started, listed and retried by operators."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from artmarket.application.audit import Actor, record_audit
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.messages import OrderPaid
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.audit import AuditAction
from artmarket.domain.certificates import (
    MintJob,
    MintJobStatus,
)
from artmarket.domain.errors import NotFound
from artmarket.domain.order_lifecycle import OrderStatus


class StartMinting:
    """OrderPaid: the order goes `minting` and one mint job is queued for it.

    Rules: idempotent (a second delivery, or a race of two, leaves one job); an order that
    is no longer `paid` (refunded) is left alone.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def handle(self, message: OrderPaid) -> MintJob | None:
        return await self(message.order_id)

    async def __call__(self, order_id: UUID) -> MintJob | None:
        now = self._clock.now()
        async with self._uow as uow:
            existing = await uow.mint_jobs.get_for_order(order_id)
            if existing is not None:
                return existing
            order = await uow.orders.get(order_id)
            if order is None:
                raise NotFound("No such order.")
            if order.status is not OrderStatus.PAID:
                return None
            order.start_minting(now)
            job = MintJob(id=self._ids.new_id(), order_id=order.id, created_at=now, updated_at=now)
            uow.mint_jobs.add(job)
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return None  # another delivery of the same message won
        return job


class StartMissedMinting:
    """Periodic: orders paid a while ago whose OrderPaid was lost start minting now."""

    def __init__(self, uow: UnitOfWork, start: StartMinting, clock: Clock) -> None:
        self._uow = uow
        self._start = start
        self._clock = clock

    async def __call__(self, *, older_than: timedelta = timedelta(seconds=30), limit: int = 100) -> int:
        async with self._uow as uow:
            stranded = await uow.orders.paid_before(self._clock.now() - older_than, limit=limit)
        started = 0
        for order in stranded:
            if await self._start(order.id) is not None:
                started += 1
        return started


class RetryMintJob:
    """An operator retries a failed mint job: queued again, attempts from zero (409 otherwise). Audited."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, job_id: UUID) -> MintJob:
        now = self._clock.now()
        async with self._uow as uow:
            job = await uow.mint_jobs.get(job_id)
            if job is None:
                raise NotFound("No such mint job.")
            _retry_audited(uow, actor, job, reason=None, ids=self._ids, now=now)
            await uow.commit()
        return job


class RetryFailedMintJobs:
    """An operator retries every failed mint job at once; each retry is audited."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, *, limit: int = 1000) -> Sequence[MintJob]:
        now = self._clock.now()
        async with self._uow as uow:
            failed = await uow.mint_jobs.list(status=MintJobStatus.FAILED, limit=limit)
            for job in failed:
                _retry_audited(uow, actor, job, reason="all failed jobs", ids=self._ids, now=now)
            await uow.commit()
        return failed


def _retry_audited(
    uow: UnitOfWork, actor: Actor, job: MintJob, *, reason: str | None, ids: IdGenerator, now: datetime
) -> None:
    """Queue a failed job again and write who retried it to the audit log; the caller commits."""
    job.retry(now)
    record_audit(
        uow.audit_log,
        actor,
        AuditAction.MINT_JOB_RETRY,
        ("mint_job", job.id),
        reason=reason,
        ids=ids,
        now=now,
    )


class ListMintJobs:
    """Mint jobs, newest first, optionally of one status, with attempts and last error."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, *, status: MintJobStatus | None, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[MintJob]:
        async with self._uow as uow:
            return await uow.mint_jobs.list(status=status, limit=limit, before=before)
