"""`TaskQueue` over a taskiq broker: every message goes to one dispatch task by name."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Mapping
from uuid import UUID

from opentelemetry.trace import SpanKind
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from taskiq import AckableMessage, AsyncBroker, InMemoryBroker
from taskiq.kicker import AsyncKicker
from taskiq_redis import RedisStreamBroker

from artmarket.adapters.observability.tracing import continued, current_trace_context, tracer
from artmarket.application.messaging import Topic

log = logging.getLogger(__name__)

#: The one task workers register; the adapter kicks it by name so it needs no entrypoint import.
DISPATCH_TASK = "artmarket.dispatch"


def in_process_broker() -> InMemoryBroker:
    """Runs tasks inside the current process (the embedded profile and tests)."""
    return InMemoryBroker(max_async_tasks=8, propagate_exceptions=False)


class ReconnectingRedisStreamBroker(RedisStreamBroker):
    """A stream broker whose worker keeps listening across a Redis restart.

    taskiq-redis's `listen` ends on the first connection error, which stops the receiver
    and with it `artmarket worker`; here the read loop starts again, with a back-off.
    """

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        delay = 0.1
        while True:
            try:
                async with contextlib.aclosing(super().listen()) as messages:
                    async for message in messages:
                        delay = 0.1
                        yield message
            except (RedisConnectionError, RedisTimeoutError) as error:
                log.warning("Redis unavailable, listening again in %.1f s: %s", delay, error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


def redis_stream_broker(url: str, *, queue_name: str = "artmarket") -> RedisStreamBroker:
    """Redis Streams with a consumer group and explicit acks (python-stack.md 7.5).

    `consumer_id="0"` makes a new group read messages sent before it existed, and the
    autoclaim lock expires so a crashed worker's task is picked up again. Commands retry
    on a fresh connection (redis-py's pool retries none by default), so the first kick
    after a Redis restart does not fail on a stale pooled connection.
    """
    return ReconnectingRedisStreamBroker(
        url,
        queue_name=queue_name,
        consumer_group_name="artmarket-workers",
        consumer_id="0",
        idle_timeout=60_000,
        unacknowledged_lock_timeout=30,
        maxlen=100_000,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 3),
    )


class TaskiqQueue:
    """Kicks the dispatch task; the broker must have been started (`await broker.startup()`).

    The send is a PRODUCER span continuing `trace_context` (the trace of the request that
    wrote the message), and the task's labels carry it on to the worker (`TraceContextMiddleware`).
    """

    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def enqueue(
        self,
        topic: Topic,
        payload: Mapping[str, str],
        *,
        message_id: UUID,
        trace_context: Mapping[str, str] | None = None,
    ) -> None:
        with (
            continued(trace_context),
            tracer().start_as_current_span(
                f"publish {topic.value}",
                kind=SpanKind.PRODUCER,
                attributes={
                    "messaging.system": "taskiq",
                    "messaging.operation.type": "send",
                    "messaging.message.id": str(message_id),
                    "artmarket.topic": topic.value,
                },
            ),
        ):
            kicker: AsyncKicker[..., None] = AsyncKicker(DISPATCH_TASK, self._broker, current_trace_context())
            await kicker.with_task_id(str(message_id)).kiq(topic.value, dict(payload), str(message_id))
