"""The outbox relay survives a Redis outage: nothing is lost, and the message is delivered
once Redis is back, by the same long-lived broker that saw the outage (as in the scheduler
process: no new broker and no second `startup()` needed; the failed kick drops the dead
pooled connection and the next one connects afresh).

Two more cases need what taskiq-redis does not do on its own, which our broker adds
(`ReconnectingRedisStreamBroker`): retry a command on a pooled connection that went stale
while the relay was idle, and keep a worker listening after a connection error.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from tests.support.redis_server import RecordingWorker, RedisServer

from artmarket.adapters.queue.taskiq_queue import TaskiqQueue, redis_stream_broker
from artmarket.application.messaging import OutboxMessage, OutboxStatus, Topic
from artmarket.application.relay import RelayOutbox
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork

pytestmark = pytest.mark.redis


async def _stored(uow: UnitOfWork, message_id: uuid.UUID) -> OutboxMessage:
    async with uow:
        message = await uow.outbox.get(message_id)
    assert message is not None
    return message


async def test_the_relay_keeps_a_message_through_a_redis_outage_and_delivers_it_once(
    redis_server: RedisServer, redis_url: str
) -> None:
    clock = FixedClock()
    db = InMemoryDatabase()
    uow = InMemoryUnitOfWork(db)
    queue_name = f"test-{uuid.uuid4().hex[:12]}"
    # One broker for the relay's whole life, as in the scheduler process.
    broker = redis_stream_broker(redis_url, queue_name=queue_name)
    await broker.startup()
    relay = RelayOutbox(uow, TaskiqQueue(broker), clock)
    message = OutboxMessage(
        id=uuid.uuid4(),
        topic=Topic.ORDER_PAID,
        key=f"order-paid:{uuid.uuid4()}",
        payload={"order_id": "o-1"},
        created_at=clock.now(),
    )
    async with uow:
        uow.outbox.add(message)
        await uow.commit()
    worker = RecordingWorker(redis_stream_broker(redis_url, queue_name=queue_name))
    try:
        redis_server.stop()
        try:
            assert await relay() == 0

            failed = await _stored(uow, message.id)
            assert failed.status == OutboxStatus.PENDING
            assert failed.attempts == 1
            assert failed.available_at is not None
            assert failed.available_at > clock.now()
            assert failed.last_error
        finally:
            redis_server.start()

        assert await relay() == 0  # Redis is back, but the back-off has not passed yet

        assert failed.available_at is not None
        clock.advance(failed.available_at - clock.now() + timedelta(seconds=1))
        assert await relay() == 1

        await worker.start()
        assert await worker.take(1, within=5, settle=1.0) == [
            (Topic.ORDER_PAID, {"order_id": "o-1"}, message.id)
        ]

        assert await relay() == 0
        published = await _stored(uow, message.id)
        assert published.status == OutboxStatus.PUBLISHED
        assert published.published_at == clock.now()
        assert published.attempts == 1
        assert await worker.take(0, settle=0.2) == []
    finally:
        await worker.stop()
        await broker.shutdown()


def _message(clock: FixedClock) -> OutboxMessage:
    return OutboxMessage(
        id=uuid.uuid4(),
        topic=Topic.ORDER_PAID,
        key=f"order-paid:{uuid.uuid4()}",
        payload={"order_id": str(uuid.uuid4())},
        created_at=clock.now(),
    )


async def test_the_relay_publishes_on_its_first_run_after_a_restart_it_did_not_see(
    redis_server: RedisServer, redis_url: str
) -> None:
    clock = FixedClock()
    uow = InMemoryUnitOfWork(InMemoryDatabase())
    broker = redis_stream_broker(redis_url, queue_name=f"test-{uuid.uuid4().hex[:12]}")
    await broker.startup()
    relay = RelayOutbox(uow, TaskiqQueue(broker), clock)
    try:
        async with uow:
            uow.outbox.add(_message(clock))
            await uow.commit()
        assert await relay() == 1  # the broker's pooled connection is open now
        redis_server.stop()  # between two runs, so the relay never sees the outage
        redis_server.start()
        async with uow:
            uow.outbox.add(_message(clock))
            await uow.commit()

        assert await relay() == 1
    finally:
        await broker.shutdown()


async def test_a_worker_keeps_listening_across_a_redis_restart(
    redis_server: RedisServer, redis_url: str
) -> None:
    queue_name = f"test-{uuid.uuid4().hex[:12]}"
    sender = redis_stream_broker(redis_url, queue_name=queue_name)
    await sender.startup()
    worker = RecordingWorker(redis_stream_broker(redis_url, queue_name=queue_name))
    await worker.start()
    before, after = uuid.uuid4(), uuid.uuid4()
    try:
        await TaskiqQueue(sender).enqueue(Topic.ORDER_PAID, {"order_id": "o-1"}, message_id=before)
        assert [delivery[2] for delivery in await worker.take(1, settle=0)] == [before]
        redis_server.stop()
        await asyncio.sleep(1.0)  # longer than a connection retry would bridge
        redis_server.start()

        await TaskiqQueue(sender).enqueue(Topic.ORDER_PAID, {"order_id": "o-2"}, message_id=after)

        assert [delivery[2] for delivery in await worker.take(1, within=8, settle=0)] == [after]
    finally:
        await sender.shutdown()
        await worker.stop()
