"""The worker side of the queue's tracing: each task continues the trace its sender put in its labels."""

from __future__ import annotations

from typing import Any

import structlog
from opentelemetry import context, propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from taskiq import TaskiqMessage, TaskiqMiddleware, TaskiqResult

from artmarket.adapters.observability.tracing import tracer

#: Where the consumer span of a running task is kept (on the message: gone with it).
_ACTIVE = "_artmarket_trace"


class TraceContextMiddleware(TaskiqMiddleware):
    """Worker side of the queue: each task runs in a CONSUMER span continuing its sender's trace.

    The sender puts W3C headers in the task's labels (`TaskiqQueue.enqueue`); log lines of
    the task also name its topic and message id.
    """

    def pre_execute(self, message: TaskiqMessage) -> TaskiqMessage:
        topic = str(message.args[0]) if message.args else message.task_name
        parent = propagate.extract({k: str(v) for k, v in message.labels.items()})
        span = tracer().start_span(
            f"process {topic}",
            context=parent,
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "taskiq",
                "messaging.operation.type": "process",
                "messaging.message.id": message.task_id,
                "artmarket.topic": topic,
            },
        )
        token = context.attach(trace.set_span_in_context(span, parent))
        structlog.contextvars.bind_contextvars(topic=topic, message_id=message.task_id)
        object.__setattr__(message, _ACTIVE, (span, token))
        return message

    def on_error(self, message: TaskiqMessage, result: TaskiqResult[Any], exception: BaseException) -> None:
        active = getattr(message, _ACTIVE, None)
        if active is not None:
            active[0].record_exception(exception)

    def post_execute(self, message: TaskiqMessage, result: TaskiqResult[Any]) -> None:
        active = getattr(message, _ACTIVE, None)
        if active is None:
            return
        span, token = active
        object.__setattr__(message, _ACTIVE, None)
        if result.is_err:
            span.set_status(Status(StatusCode.ERROR, type(result.error).__name__))
        span.end()
        structlog.contextvars.unbind_contextvars("topic", "message_id")
        context.detach(token)
