"""What operators watch: the business state behind the metrics, read cheaply and shared by scrapes."""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from artmarket.application.messaging import OutboxStatus
from artmarket.application.notifications.deliveries import DeliveryStatus
from artmarket.application.ports import Clock
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.ledger_tasks import TaskStatus
from artmarket.domain.order_lifecycle import OrderStatus


@dataclass(frozen=True, slots=True)
class OperationsSnapshot:
    """Counts of the business state at one instant; every status is present, zero or not.

    - `reservations_live`: unpaid orders whose reservation has not lapsed;
    - `orders_stuck`: orders paid (or minting) longer than the threshold without completing,
      plus unpaid orders that long past their expiry (the expiry job is not running);
    - `outbox_oldest_pending_age_seconds`: the relay's lag, 0 when nothing is pending.
    """

    taken_at: datetime
    orders_by_status: Mapping[OrderStatus, int]
    reservations_live: int
    orders_stuck: int
    outbox_by_status: Mapping[OutboxStatus, int]
    outbox_oldest_pending_age_seconds: float
    mint_jobs_by_status: Mapping[MintJobStatus, int]
    emails_by_status: Mapping[DeliveryStatus, int]
    #: Certificate ledger tasks (burns, trail messages, custody moves) by status.
    ledger_tasks_by_status: Mapping[TaskStatus, int] = field(default_factory=dict)


class OperationsQueries(Protocol):
    """Read-only aggregates of orders, the outbox, mint jobs and emails; no locks, no writes."""

    @abstractmethod
    async def snapshot(self, now: datetime, *, stuck_after: timedelta) -> OperationsSnapshot:
        """The state at `now`; "stuck" means older than `stuck_after` (see `OperationsSnapshot`)."""


@dataclass(frozen=True, slots=True)
class OperationsPolicy:
    """How fresh the metrics must be, and when an order counts as stuck."""

    max_age: timedelta = timedelta(seconds=5)
    stuck_after: timedelta = timedelta(minutes=15)


class ReadOperationsSnapshot:
    """The business state for metrics, read from the database at most once per `max_age`.

    Rules: every scrape (several Prometheus servers, several API replicas) within `max_age`
    of the last read gets that read; concurrent scrapes wait for one query instead of
    each running their own. The numbers are global: every process reports the same.
    """

    def __init__(self, queries: OperationsQueries, clock: Clock, policy: OperationsPolicy) -> None:
        self._queries = queries
        self._clock = clock
        self._policy = policy
        self._latest: OperationsSnapshot | None = None
        self._lock = asyncio.Lock()

    async def __call__(self) -> OperationsSnapshot:
        fresh = self._fresh()
        if fresh is not None:
            return fresh
        async with self._lock:
            fresh = self._fresh()
            if fresh is not None:
                return fresh
            latest = await self._queries.snapshot(self._clock.now(), stuck_after=self._policy.stuck_after)
            self._latest = latest
            return latest

    def _fresh(self) -> OperationsSnapshot | None:
        latest = self._latest
        if latest is not None and self._clock.now() - latest.taken_at < self._policy.max_age:
            return latest
        return None
