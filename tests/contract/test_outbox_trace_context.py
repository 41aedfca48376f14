"""The outbox keeps the trace of the work that wrote each message, once per implementation.

A message added inside a traced request reads back with that request's W3C `traceparent`,
so the worker's handling of it joins the same trace; outside any trace it carries none.
"""

from __future__ import annotations

from uuid import uuid4

from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from tests.support.persistence import NOW, Storage

from artmarket.application.messaging import OutboxMessage, Topic

TRACE_ID = 0x4BF92F3577B34DA6A3CE929D0E0E4736
SPAN_ID = 0x00F067AA0BA902B7


def a_message() -> OutboxMessage:
    return OutboxMessage(uuid4(), Topic.ORDER_PAID, f"order-paid:{uuid4()}", {"order_id": "o-1"}, NOW)


async def test_a_message_written_inside_a_trace_reads_back_with_its_traceparent(storage: Storage) -> None:
    request_span = NonRecordingSpan(
        SpanContext(TRACE_ID, SPAN_ID, is_remote=False, trace_flags=TraceFlags(1))
    )
    message = a_message()
    with trace.use_span(request_span):
        async with storage.new_uow() as uow:
            uow.outbox.add(message)
            await uow.commit()

    async with storage.new_uow() as uow:
        loaded = await uow.outbox.get(message.id)

    assert loaded is not None
    assert loaded.trace_context == {"traceparent": f"00-{TRACE_ID:032x}-{SPAN_ID:016x}-01"}


async def test_a_message_written_outside_any_trace_carries_none(storage: Storage) -> None:
    message = a_message()
    async with storage.new_uow() as uow:
        uow.outbox.add(message)
        await uow.commit()

    async with storage.new_uow() as uow:
        loaded = await uow.outbox.get(message.id)

    assert loaded is not None
    assert loaded.trace_context is None
