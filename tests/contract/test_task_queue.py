"""The `TaskQueue` contract, held by the recording fake and by taskiq over Redis Streams.

Delivery is at least once: the queue does not deduplicate by message id, so a message
enqueued twice (a relay that crashed after the queue accepted it but before it marked the
message published) is delivered twice, and every handler must be idempotent.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from tests.support.redis_server import Delivery, RecordingWorker

from artmarket.adapters.queue.taskiq_queue import TaskiqQueue, redis_stream_broker
from artmarket.application.messaging import TaskQueue, Topic
from artmarket.fakes.queue import RecordingQueue


@dataclass
class QueueUnderTest:
    """A queue and the way its consumer's deliveries are read back."""

    queue: TaskQueue
    #: `delivered(count)`: everything delivered since the last call, once `count` arrived (a real
    #: queue waits, bounded, and a little longer for any extra delivery that should not come).
    delivered: Callable[[int], Awaitable[list[Delivery]]]
    #: The trace context each delivered message was handled in, in order.
    traces: Callable[[], list[dict[str, str]]]
    #: The message version each delivered message was handed over with, in order.
    versions: Callable[[], list[int]]


@contextlib.asynccontextmanager
async def redis_queue(url: str) -> AsyncIterator[QueueUnderTest]:
    queue_name = f"test-{uuid.uuid4().hex[:12]}"
    sender = redis_stream_broker(url, queue_name=queue_name)
    worker = RecordingWorker(redis_stream_broker(url, queue_name=queue_name))
    await sender.startup()  # every sender starts its broker first (python-stack.md 7.5)
    try:
        await worker.start()
        try:
            yield QueueUnderTest(
                TaskiqQueue(sender), worker.take, lambda: list(worker.traces), lambda: list(worker.versions)
            )
        finally:
            await worker.stop()
    finally:
        await sender.shutdown()


def recording_queue() -> QueueUnderTest:
    queue = RecordingQueue()
    traces: list[dict[str, str]] = []
    versions: list[int] = []

    async def drain(count: int) -> list[Delivery]:
        taken = queue.take()
        traces.extend(m.trace_context or {} for m in taken)
        versions.extend(m.version for m in taken)
        return [(m.topic, m.payload, m.message_id) for m in taken]

    return QueueUnderTest(queue, drain, lambda: list(traces), lambda: list(versions))


@pytest.fixture(params=["recording", pytest.param("redis", marks=pytest.mark.redis)])
async def queue(request: pytest.FixtureRequest) -> AsyncIterator[QueueUnderTest]:
    if request.param == "recording":
        yield recording_queue()
        return
    async with redis_queue(request.getfixturevalue("redis_url")) as under_test:
        yield under_test


async def test_an_enqueued_message_arrives_with_its_topic_payload_and_id(queue: QueueUnderTest) -> None:
    message_id = uuid.uuid4()

    await queue.queue.enqueue(Topic.ORDER_PAID, {"order_id": "o-1", "note": "ünïcode"}, message_id=message_id)

    assert await queue.delivered(1) == [
        (Topic.ORDER_PAID, {"order_id": "o-1", "note": "ünïcode"}, message_id)
    ]


async def test_messages_arrive_in_order_for_a_single_consumer(queue: QueueUnderTest) -> None:
    sent = [(Topic.PAYMENT_EVENT_RECEIVED, {"reference": f"ref-{n}"}, uuid.uuid4()) for n in range(5)]

    for topic, payload, message_id in sent:
        await queue.queue.enqueue(topic, payload, message_id=message_id)

    assert await queue.delivered(len(sent)) == sent


async def test_the_same_message_enqueued_twice_is_delivered_twice(queue: QueueUnderTest) -> None:
    """At least once, no deduplication: handlers must be idempotent."""
    message_id = uuid.uuid4()

    for _ in range(2):
        await queue.queue.enqueue(Topic.LATE_PAYMENT_REFUND, {"order_id": "o-2"}, message_id=message_id)

    assert await queue.delivered(2) == [(Topic.LATE_PAYMENT_REFUND, {"order_id": "o-2"}, message_id)] * 2


async def test_a_message_is_handled_in_the_trace_it_was_enqueued_with(queue: QueueUnderTest) -> None:
    """The request's trace continues in the worker (the sender's own span may sit in between)."""
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    request = {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}

    await queue.queue.enqueue(
        Topic.ORDER_PAID, {"order_id": "o-3"}, message_id=uuid.uuid4(), trace_context=request
    )
    await queue.queue.enqueue(Topic.ORDER_PAID, {"order_id": "o-4"}, message_id=uuid.uuid4())

    assert len(await queue.delivered(2)) == 2
    traced, untraced = queue.traces()
    assert traced["traceparent"].split("-")[1] == trace_id
    assert "traceparent" not in untraced


async def test_a_message_arrives_with_its_version_one_when_none_is_given(queue: QueueUnderTest) -> None:
    await queue.queue.enqueue(Topic.ORDER_PAID, {"order_id": "o-5"}, message_id=uuid.uuid4(), version=2)
    await queue.queue.enqueue(Topic.ORDER_PAID, {"order_id": "o-6"}, message_id=uuid.uuid4())

    assert len(await queue.delivered(2)) == 2
    assert queue.versions() == [2, 1]
