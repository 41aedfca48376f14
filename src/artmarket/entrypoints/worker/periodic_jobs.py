"""The scheduler's periodic jobs: relay the outbox, send due emails, expire reservations,
re-verify orders whose webhook was lost, mint queued certificates, reconcile submitted mints,
start minting for orders whose message was lost, submit and reconcile certificate ledger tasks,
remind artists to ship and confirm quiet deliveries; and `run_scheduler`, the process that runs them."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from dishka import AsyncContainer
from taskiq import AsyncBroker

from artmarket.application.checkout.payments import ReverifyStaleOrders
from artmarket.application.checkout.reservations import ExpireReservations
from artmarket.application.minting.batches import MintQueuedJobs
from artmarket.application.minting.jobs import StartMissedMinting
from artmarket.application.minting.ledger_tasks import ReconcileLedgerTasks, SubmitLedgerTasks
from artmarket.application.minting.reconciliation import ReconcileSubmittedJobs
from artmarket.application.notifications.sending import SendDueEmails
from artmarket.application.relay import RelayOutbox
from artmarket.application.shipping.use_cases import ConfirmOverdueDeliveries, RemindArtistsToShip
from artmarket.entrypoints.worker.signals import stop_on_signals

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


async def _submit_ledger_tasks(scope: AsyncContainer) -> int:
    return (await (await scope.get(SubmitLedgerTasks))()).succeeded


async def _reconcile_ledger_tasks(scope: AsyncContainer) -> int:
    outcome = await (await scope.get(ReconcileLedgerTasks))()
    return outcome.succeeded + outcome.requeued + outcome.failed


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
        # Burns, trail messages and custody moves whose message was lost or whose back-off passed.
        PeriodicJob("submit-ledger-tasks", 5.0, _submit_ledger_tasks),
        PeriodicJob("reconcile-ledger-tasks", 10.0, _reconcile_ledger_tasks),
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


async def run_scheduler(container: AsyncContainer, broker: AsyncBroker) -> None:
    """`artmarket scheduler`: the periodic jobs in their own process, until SIGTERM.

    On SIGTERM the job in hand finishes (its transaction commits or rolls back as usual),
    no other starts, and the broker is shut down; jobs are periodic, so nothing is lost.
    """
    stop = asyncio.Event()
    stop_on_signals(stop)
    await broker.startup()
    try:
        await run_periodic(container, default_jobs(), stop)
    finally:
        await broker.shutdown()
    log.info("scheduler stopped")
