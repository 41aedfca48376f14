"""Periodic jobs: relay the outbox, send due emails, expire reservations, re-verify orders whose
webhook was lost, mint queued certificates, reconcile submitted mints, start minting for orders
whose message was lost, remind artists to ship and confirm quiet deliveries."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from dishka import AsyncContainer
from taskiq import AckableMessage, AsyncBroker
from taskiq.acks import AcknowledgeType
from taskiq.receiver import Receiver

from artmarket.adapters.queue.taskiq_queue import ReconnectingRedisStreamBroker
from artmarket.application.checkout.use_cases import ExpireReservations, ReverifyStaleOrders
from artmarket.application.minting.use_cases import MintQueuedJobs, ReconcileSubmittedJobs, StartMissedMinting
from artmarket.application.notifications.use_cases import SendDueEmails
from artmarket.application.relay import RelayOutbox
from artmarket.application.shipping.use_cases import ConfirmOverdueDeliveries, RemindArtistsToShip

log = structlog.get_logger("artmarket.scheduler")


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    every_seconds: float
    run: Callable[[AsyncContainer], Awaitable[int]]


async def _relay(scope: AsyncContainer) -> int:
    return await (await scope.get(RelayOutbox))()


async def _expire(scope: AsyncContainer) -> int:
    return await (await scope.get(ExpireReservations))()


async def _reverify(scope: AsyncContainer) -> int:
    return await (await scope.get(ReverifyStaleOrders))()


async def _send_emails(scope: AsyncContainer) -> int:
    return await (await scope.get(SendDueEmails))()


async def _mint(scope: AsyncContainer) -> int:
    return await (await scope.get(MintQueuedJobs))()


async def _reconcile(scope: AsyncContainer) -> int:
    return (await (await scope.get(ReconcileSubmittedJobs))()).settled


async def _start_missed(scope: AsyncContainer) -> int:
    return await (await scope.get(StartMissedMinting))()


async def _remind_to_ship(scope: AsyncContainer) -> int:
    return await (await scope.get(RemindArtistsToShip))()


async def _confirm_deliveries(scope: AsyncContainer) -> int:
    return await (await scope.get(ConfirmOverdueDeliveries))()


def default_jobs(relay_every: float = 1.0, mint_every: float = 1.0) -> list[PeriodicJob]:
    return [
        PeriodicJob("relay-outbox", relay_every, _relay),
        # Emails whose first attempt failed, once their back-off has passed.
        PeriodicJob("send-due-emails", 5.0, _send_emails),
        PeriodicJob("expire-reservations", 30.0, _expire),
        PeriodicJob("reverify-awaiting-payments", 60.0, _reverify),
        # Batches that lingered long enough, and jobs whose back-off has passed.
        PeriodicJob("mint-queued", mint_every, _mint),
        PeriodicJob("reconcile-submitted-mints", 10.0, _reconcile),
        PeriodicJob("start-missed-minting", 30.0, _start_missed),
        # Reminders count days and confirmation weeks: a few minutes late is on time.
        PeriodicJob("remind-artists-to-ship", 300.0, _remind_to_ship),
        PeriodicJob("confirm-overdue-deliveries", 300.0, _confirm_deliveries),
    ]


async def run_periodic(container: AsyncContainer, jobs: list[PeriodicJob], stop: asyncio.Event) -> None:
    """Run each job every `every_seconds` until `stop` is set; a failing job is logged and retried."""
    due = dict.fromkeys((job.name for job in jobs), 0.0)
    while not stop.is_set():
        for job in jobs:
            if stop.is_set():  # SIGTERM: the job in hand finished, start no other
                break
            if time.monotonic() < due[job.name]:
                continue
            due[job.name] = time.monotonic() + job.every_seconds
            try:
                async with container() as scope:
                    done = await job.run(scope)
                if done:
                    log.info("periodic job", job=job.name, items=done)
            except Exception as error:  # one bad run must not stop the scheduler
                log.warning("periodic job failed", job=job.name, error=f"{type(error).__name__}: {error}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=min(job.every_seconds for job in jobs) / 2)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def run_scheduler(container: AsyncContainer, broker: AsyncBroker) -> None:
    """`artmarket scheduler`: the periodic jobs in their own process, until SIGTERM.

    On SIGTERM the job in hand finishes (its transaction commits or rolls back as usual),
    no other starts, and the broker is shut down; jobs are periodic, so nothing is lost.
    """
    stop = asyncio.Event()
    _stop_on_signals(stop)
    await broker.startup()
    try:
        await run_periodic(container, default_jobs(), stop)
    finally:
        await broker.shutdown()
    log.info("scheduler stopped")


class _TrackingReceiver(Receiver):
    """A receiver that knows which tasks are running, so shutdown can cut off the late ones.

    A task that is cut off must not be acknowledged: taskiq's `run_task` catches the
    cancellation like any error and would then ack the message as done. Its ack is skipped
    here, so the entry stays pending and `return_unfinished` puts it back on the stream.
    """

    def __init__(self, broker: AsyncBroker, **options: Any) -> None:
        super().__init__(broker, **options)
        self.running: set[asyncio.Task[Any]] = set()
        self.cut_off: set[asyncio.Task[Any]] = set()

    async def callback(self, message: bytes | AckableMessage, raise_err: bool = False) -> None:
        task = asyncio.current_task()
        assert task is not None
        if isinstance(message, AckableMessage):
            message = AckableMessage(data=message.data, ack=self._unless_cut_off(task, message.ack))
        self.running.add(task)
        try:
            await super().callback(message, raise_err)
        finally:
            self.running.discard(task)

    def _unless_cut_off(
        self, task: asyncio.Task[Any], ack: Callable[[], Awaitable[None] | None]
    ) -> Callable[[], Awaitable[None]]:
        async def acknowledge() -> None:
            if task in self.cut_off:
                return
            outcome = ack()
            if outcome is not None:
                await outcome

        return acknowledge

    async def cancel_running(self) -> int:
        """Cancel the tasks still running (past the grace period) and wait for them to unwind."""
        late = [task for task in self.running if not task.done()]
        self.cut_off.update(late)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        return len(late)


async def run_worker(broker: AsyncBroker, *, concurrency: int = 8, grace: float = 25.0) -> None:
    """`artmarket worker`: take tasks from the broker until SIGTERM, then finish or return them.

    A task is acknowledged only after it ran (taskiq's `when_executed`), so one that never
    completed stays pending; while it runs, the worker keeps it from looking abandoned. On
    SIGTERM the worker takes no new task, gives the running ones `grace` seconds (taskiq's
    `wait_tasks_timeout`), cancels the rest, and puts every task it took but did not
    complete back on the stream for another worker. A worker that dies without SIGTERM
    leaves its tasks pending; another takes them over after the redelivery timeout
    (`ReconnectingRedisStreamBroker`).
    """
    stop = asyncio.Event()
    _stop_on_signals(stop)
    broker.is_worker_process = True
    receiver = _TrackingReceiver(
        broker,
        max_async_tasks=concurrency,
        propagate_exceptions=False,
        wait_tasks_timeout=grace,
        ack_type=AcknowledgeType.WHEN_EXECUTED,
    )
    stream = broker if isinstance(broker, ReconnectingRedisStreamBroker) else None
    keep_alive = asyncio.create_task(stream.keep_alive()) if stream else None
    try:
        await receiver.listen(stop)
        cut_off = await receiver.cancel_running()
        if keep_alive is not None:
            keep_alive.cancel()
        returned = await stream.return_unfinished() if stream else 0
        log.info("worker stopped", cut_off=cut_off, returned=returned)
    finally:
        if keep_alive is not None:
            keep_alive.cancel()
        await broker.shutdown()
