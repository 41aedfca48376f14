"""`TaskQueue` over a taskiq broker: every message goes to one dispatch task by name."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Mapping
from typing import Any, cast
from uuid import UUID

from opentelemetry.trace import SpanKind
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import LockError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.typing import StreamIdT
from taskiq import AckableMessage, AsyncBroker, InMemoryBroker
from taskiq.kicker import AsyncKicker
from taskiq_redis import RedisStreamBroker

from artmarket.adapters.observability.tracing import continued, current_trace_context, tracer
from artmarket.application.messaging import Topic

log = logging.getLogger(__name__)

#: The one task workers register; the adapter kicks it by name so it needs no entrypoint import.
DISPATCH_TASK = "artmarket.dispatch"

#: A stream entry as the broker's connections read it: its id and fields, undecoded bytes.
#: (The pool speaks RESP2; redis-py types each reply as any of its RESP2 and RESP3 shapes,
#: hence the casts below.)
_Entry = tuple[bytes, dict[bytes, bytes]]


def in_process_broker() -> InMemoryBroker:
    """Runs tasks inside the current process (the embedded profile and tests)."""
    return InMemoryBroker(max_async_tasks=8, propagate_exceptions=False)


class ReconnectingRedisStreamBroker(RedisStreamBroker):
    """A stream broker whose worker keeps listening across a Redis restart, takes over the
    tasks of a vanished worker even when no new task arrives, and hands back on shutdown
    what it took but did not finish.

    taskiq-redis's `listen` ends on the first connection error (which would stop
    `artmarket worker`), and reclaims a dead consumer's pending tasks (`XAUTOCLAIM`) only
    after a read that returned something, so in a quiet hour a crashed worker's task would
    wait for the next order. Here the read loop starts again with a
    back-off, and the reclaim runs every `claim_every` seconds whatever the reads return.

    "Idle" must mean "its worker is gone", not "its task is slow": while a worker holds
    tasks, `keep_alive` touches them every `claim_every` seconds (`XCLAIM ... JUSTID` to
    itself resets their idle time), so a task running longer than the redelivery timeout
    is not taken from a live worker, nor by its own reclaim.
    """

    def __init__(self, url: str, *, claim_every: float = 5.0, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.claim_every = claim_every
        self._in_hand: set[bytes] = set()

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        delay = 0.1
        while True:
            try:
                async with contextlib.aclosing(self._read()) as messages:
                    async for message in messages:
                        delay = 0.1
                        yield message
            except (RedisConnectionError, RedisTimeoutError) as error:
                log.warning("Redis unavailable, listening again in %.1f s: %s", delay, error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _read(self) -> AsyncGenerator[AckableMessage, None]:
        async with Redis(connection_pool=self.connection_pool) as redis:
            next_claim = time.monotonic() + self.claim_every
            while True:
                fetched = cast(
                    list[tuple[bytes, list[_Entry]]] | None,
                    await redis.xreadgroup(
                        self.consumer_group_name,
                        self.consumer_name,
                        {self.queue_name: ">"},
                        block=self.block,
                        noack=False,
                        count=self.count,
                    ),
                )
                for _stream, entries in fetched or []:
                    for message_id, fields in entries:
                        yield self._ackable(message_id, fields)
                if time.monotonic() >= next_claim:
                    next_claim = time.monotonic() + self.claim_every
                    for message_id, fields in await self._claim_abandoned(redis):
                        log.info("Took over task %s, unacknowledged for too long", message_id)
                        yield self._ackable(message_id, fields)

    async def _claim_abandoned(self, redis: Redis) -> list[_Entry]:
        """Entries pending longer than `idle_timeout` (their worker vanished), now ours.

        A lock keeps two workers from claiming the same batch; it expires by itself if its
        holder dies (`unacknowledged_lock_timeout`).
        """
        lock = redis.lock(
            f"autoclaim:{self.consumer_group_name}:{self.queue_name}",
            timeout=self.unacknowledged_lock_timeout,
            blocking=False,
        )
        if not await lock.acquire():
            return []
        try:
            answer = await redis.xautoclaim(
                self.queue_name,
                self.consumer_group_name,
                self.consumer_name,
                min_idle_time=self.idle_timeout,
                start_id="0-0",
                count=self.unacknowledged_batch_size,
            )
        finally:
            with contextlib.suppress(LockError):
                await lock.release()
        return [(message_id, fields) for message_id, fields in answer[1] if fields]

    def _ackable(self, message_id: bytes, fields: dict[bytes, bytes]) -> AckableMessage:
        self._in_hand.add(message_id)
        # taskiq-redis takes the id as text; redis-py sends it back as the same ASCII bytes.
        ack = self._ack_generator(message_id.decode(), self.queue_name)

        async def acknowledge() -> None:
            await ack()
            self._in_hand.discard(message_id)

        return AckableMessage(data=fields[b"data"], ack=acknowledge)

    async def keep_alive(self) -> None:
        """Until cancelled: every `claim_every` seconds, reset the idle time of the tasks in hand."""
        while True:
            await asyncio.sleep(self.claim_every)
            held: list[StreamIdT] = list(self._in_hand)
            if not held:
                continue
            try:
                async with Redis(connection_pool=self.connection_pool) as redis:
                    await redis.xclaim(
                        self.queue_name,
                        self.consumer_group_name,
                        self.consumer_name,
                        min_idle_time=0,
                        message_ids=held,
                        justid=True,
                    )
            except (RedisConnectionError, RedisTimeoutError) as error:
                log.warning("Could not keep %d tasks in hand: %s", len(held), error)

    async def return_unfinished(self) -> int:
        """Put back on the stream every task this worker took and did not acknowledge.

        Called when the worker stops, after its running tasks finished or were cancelled:
        what is still pending under this consumer was never completed (prefetched, or cut
        off by the grace period). Each entry is added again and the original acknowledged
        in one transaction, so another worker runs it at once instead of after the
        redelivery timeout. Handlers are idempotent, so a task cut off half-way may run again.
        """
        async with Redis(connection_pool=self.connection_pool) as redis:
            pending = await redis.xpending_range(
                self.queue_name,
                self.consumer_group_name,
                min="-",
                max="+",
                count=10_000,
                consumername=self.consumer_name,
            )
            ids: list[StreamIdT] = [entry["message_id"] for entry in pending]
            if not ids:
                return 0
            group, queue = self.consumer_group_name, self.queue_name
            # Without JUSTID, XCLAIM answers entries; one deleted meanwhile has no fields.
            claimed = cast(
                list[tuple[bytes, dict[bytes, bytes] | None]],
                await redis.xclaim(queue, group, self.consumer_name, min_idle_time=0, message_ids=ids),
            )
            returned = [fields for _, fields in claimed if fields]
            async with redis.pipeline(transaction=True) as pipe:
                for fields in returned:
                    pipe.xadd(queue, {b"data": fields[b"data"]}, maxlen=self.maxlen, approximate=True)
                pipe.xack(queue, group, *ids)
                await pipe.execute()
            self._in_hand.clear()
            return len(returned)


def redis_stream_broker(
    url: str, *, queue_name: str = "artmarket", redeliver_after: float = 60.0, read_count: int = 8
) -> ReconnectingRedisStreamBroker:
    """Redis Streams with a consumer group and explicit acks.

    `consumer_id="0"` makes a new group read messages sent before it existed, and the
    autoclaim lock expires so a crashed worker's task is picked up again after
    `redeliver_after` seconds unacknowledged. A worker reads at most `read_count` entries
    at a time (its concurrency), so a crash strands few. Commands retry on a fresh
    connection (redis-py's pool retries none by default), so the first kick after a Redis
    restart does not fail on a stale pooled connection.
    """
    return ReconnectingRedisStreamBroker(
        url,
        claim_every=min(5.0, redeliver_after / 2),
        queue_name=queue_name,
        consumer_group_name="artmarket-workers",
        consumer_id="0",
        idle_timeout=int(redeliver_after * 1000),
        unacknowledged_lock_timeout=30,
        xread_count=read_count,
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
        version: int = 1,
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
            await kicker.with_task_id(str(message_id)).kiq(
                topic.value, dict(payload), str(message_id), version=version
            )
