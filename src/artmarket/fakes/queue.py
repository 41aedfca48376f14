"""A recording task queue: the fake for unit tests, asserted on by what it holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from artmarket.application.messaging import Topic


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    topic: Topic
    payload: dict[str, str]
    message_id: UUID
    trace_context: dict[str, str] | None = None
    version: int = 1


class RecordingQueue:
    """Keeps every enqueued message in order; `fail_with` makes the next enqueues raise (queue down)."""

    def __init__(self) -> None:
        self.messages: list[QueuedMessage] = []
        self.fail_with: Exception | None = None

    async def enqueue(
        self,
        topic: Topic,
        payload: Mapping[str, str],
        *,
        message_id: UUID,
        version: int = 1,
        trace_context: Mapping[str, str] | None = None,
    ) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        context = dict(trace_context) if trace_context else None
        self.messages.append(QueuedMessage(topic, dict(payload), message_id, context, version))

    def take(self) -> list[QueuedMessage]:
        """Hand over (and forget) what was queued, as a worker would receive it."""
        taken, self.messages = self.messages, []
        return taken
