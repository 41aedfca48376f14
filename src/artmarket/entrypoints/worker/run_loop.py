"""The worker's run loop: take queued tasks from the broker until SIGTERM, then finish or
return the ones in hand."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from taskiq import AckableMessage, AsyncBroker
from taskiq.acks import AcknowledgeType
from taskiq.receiver import Receiver

from artmarket.adapters.queue.taskiq_queue import ReconnectingRedisStreamBroker
from artmarket.entrypoints.worker.signals import stop_on_signals

# The logger name the worker has always logged under, kept so log filters still match.
log = structlog.get_logger("artmarket.scheduler")


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
    stop_on_signals(stop)
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
