"""Tasks outlive the worker that took them: a worker that stops hands back what it did not
finish, and the task of a worker that vanished is taken over even when nothing new arrives.
(The same, with real `artmarket worker` processes and SIGTERM, is in test_graceful_shutdown.)"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
import redis.asyncio as redis
from tests.support.redis_server import RecordingWorker

from artmarket.adapters.queue.taskiq_queue import TaskiqQueue, redis_stream_broker
from artmarket.application.messaging import Topic

pytestmark = pytest.mark.redis

GROUP = "artmarket-workers"


async def pending(url: str, queue_name: str) -> int:
    client = redis.Redis.from_url(url)
    try:
        return int((await client.xpending(queue_name, GROUP))["pending"])
    finally:
        await client.aclose()


async def test_a_stopping_worker_returns_the_tasks_it_took_and_another_runs_them_at_once(
    redis_url: str,
) -> None:
    queue_name = f"test-{uuid.uuid4().hex[:12]}"
    sender = redis_stream_broker(redis_url, queue_name=queue_name)
    await sender.startup()
    stopping = redis_stream_broker(redis_url, queue_name=queue_name, redeliver_after=600)
    await stopping.startup()
    taken, other = uuid.uuid4(), uuid.uuid4()
    worker = RecordingWorker(redis_stream_broker(redis_url, queue_name=queue_name, redeliver_after=600))
    try:
        await TaskiqQueue(sender).enqueue(Topic.ORDER_PAID, {"order_id": "o-1"}, message_id=taken)
        await TaskiqQueue(sender).enqueue(Topic.ORDER_PAID, {"order_id": "o-2"}, message_id=other)
        async with contextlib.aclosing(stopping.listen()) as messages:
            await anext(messages)  # read (two, in fact) and never acknowledged: cut off mid-task
        assert await pending(redis_url, queue_name) == 2

        assert await stopping.return_unfinished() == 2

        await worker.start()
        delivered = await worker.take(2, within=5, settle=0.3)
        assert sorted(str(d[2]) for d in delivered) == sorted([str(taken), str(other)])
        assert await pending(redis_url, queue_name) == 0
        assert await stopping.return_unfinished() == 0
    finally:
        await worker.stop()
        await stopping.shutdown()
        await sender.shutdown()


async def test_the_task_of_a_vanished_worker_is_taken_over_without_new_traffic(redis_url: str) -> None:
    queue_name = f"test-{uuid.uuid4().hex[:12]}"
    sender = redis_stream_broker(redis_url, queue_name=queue_name)
    await sender.startup()
    orphan = uuid.uuid4()
    await TaskiqQueue(sender).enqueue(Topic.ORDER_PAID, {"order_id": "o-1"}, message_id=orphan)
    # A worker reads it and dies (SIGKILL, OOM): the entry stays pending under its name.
    client = redis.Redis.from_url(redis_url)
    try:
        read = await client.xreadgroup(GROUP, "dead-worker", {queue_name: ">"}, count=1)
        assert isinstance(read, list)  # RESP2: [[stream, entries]]
        assert len(read[0][1]) == 1
    finally:
        await client.aclose()
    worker = RecordingWorker(redis_stream_broker(redis_url, queue_name=queue_name, redeliver_after=1.0))
    try:
        await worker.start()
        delivered = await worker.take(1, within=6, settle=0.2)
        assert [d[2] for d in delivered] == [orphan]
        assert await pending(redis_url, queue_name) == 0
    finally:
        await worker.stop()
        await sender.shutdown()


async def test_a_slow_task_of_a_live_worker_is_not_taken_from_it(redis_url: str) -> None:
    queue_name = f"test-{uuid.uuid4().hex[:12]}"
    sender = redis_stream_broker(redis_url, queue_name=queue_name)
    await sender.startup()
    busy = redis_stream_broker(redis_url, queue_name=queue_name, redeliver_after=1.0)
    await busy.startup()
    other = RecordingWorker(redis_stream_broker(redis_url, queue_name=queue_name, redeliver_after=1.0))
    keep_alive = asyncio.create_task(busy.keep_alive())
    try:
        await TaskiqQueue(sender).enqueue(Topic.ORDER_PAID, {"order_id": "o-1"}, message_id=uuid.uuid4())
        async with contextlib.aclosing(busy.listen()) as messages:
            in_hand = await anext(messages)
        await other.start()
        # Three redelivery timeouts pass while the task runs: it stays with the live worker.
        assert await other.take(0, within=0, settle=3.0) == []
        await in_hand.ack()  # type: ignore[misc]
        assert await pending(redis_url, queue_name) == 0
    finally:
        keep_alive.cancel()
        await other.stop()
        await busy.shutdown()
        await sender.shutdown()
