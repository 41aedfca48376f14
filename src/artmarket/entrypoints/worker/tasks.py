"""The taskiq task every outbox message is delivered to."""

from __future__ import annotations

from dishka import AsyncContainer
from dishka.integrations.taskiq import FromDishka, inject, setup_dishka
from taskiq import AsyncBroker

from artmarket.adapters.queue.taskiq_queue import DISPATCH_TASK
from artmarket.adapters.queue.tracing import TraceContextMiddleware
from artmarket.application.relay import MessageHandlers


def register_tasks(broker: AsyncBroker, container: AsyncContainer) -> None:
    """Register the dispatch task on `broker`, resolving handlers from `container` per task.

    Each task runs in a span continuing the trace of the request that caused it.
    """
    broker.add_middlewares(TraceContextMiddleware())

    @broker.task(task_name=DISPATCH_TASK)
    @inject(patch_module=True)
    async def dispatch(
        topic: str,
        payload: dict[str, str],
        message_id: str,
        handlers: FromDishka[MessageHandlers],
        version: int = 1,
    ) -> None:
        # Tasks queued before messages carried a version were all version 1.
        await handlers.handle(topic, payload, version)

    setup_dishka(container, broker)
