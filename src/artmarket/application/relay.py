"""Relaying the outbox to the task queue, and routing delivered messages to their handlers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from uuid import UUID

from artmarket.application.messages import Message, decode_message
from artmarket.application.messaging import TaskQueue
from artmarket.application.ports import Clock
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.errors import NotFound

MAX_RELAY_ATTEMPTS = 10


class RelayOutbox:
    """Periodic: publish pending outbox messages to the queue, at least once, oldest first.

    A message is marked published only after the queue accepted it; if the queue is down
    the message stays pending with a back-off, so nothing is lost while Redis is away.
    """

    def __init__(self, uow: UnitOfWork, queue: TaskQueue, clock: Clock) -> None:
        self._uow = uow
        self._queue = queue
        self._clock = clock

    async def __call__(self, *, limit: int = 100) -> int:
        relayed = 0
        async with self._uow as uow:
            for message in await uow.outbox.pending(self._clock.now(), limit=limit):
                try:
                    await self._queue.enqueue(
                        message.topic,
                        message.payload,
                        message_id=message.id,
                        version=message.version,
                        trace_context=message.trace_context,
                    )
                except Exception as error:  # the queue's own errors vary by broker; all mean "later"
                    message.mark_attempt_failed(
                        f"{type(error).__name__}: {error}", self._clock.now(), max_attempts=MAX_RELAY_ATTEMPTS
                    )
                    break
                message.mark_published(self._clock.now())
                relayed += 1
            await uow.commit()
        return relayed


class RetryOutboxMessage:
    """An operator sends a failed message again."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, message_id: UUID) -> None:
        async with self._uow as uow:
            message = await uow.outbox.get(message_id)
            if message is None:
                raise NotFound("No such outbox message.")
            message.retry()
            await uow.commit()


#: A subscriber bound to its use case: called with the typed message it subscribed to.
Handler = Callable[[Any], Awaitable[object]]


class MessageHandlers:
    """Routes a delivered message, read as its typed class, to every (idempotent) subscriber.

    Handlers run in order; if one fails the message is delivered again later, and the
    handlers that already ran see it a second time, which is why each must be idempotent.
    """

    def __init__(self, routes: Mapping[type[Message], Sequence[Handler]]) -> None:
        self._routes = routes

    async def handle(self, topic: str, payload: Mapping[str, str], version: int = 1) -> None:
        """Deliver the message stored or queued as `topic`, `payload` and `version`."""
        await self.deliver(decode_message(topic, payload, version))

    async def deliver(self, message: Message) -> None:
        for handler in self._routes.get(type(message), ()):
            await handler(message)
