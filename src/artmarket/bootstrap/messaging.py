"""The task queue (in-process or Redis Streams), the outbox relay, and the binding of the
application's subscription table (which use cases handle each message)."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, Scope, provide
from taskiq import AsyncBroker

from artmarket.adapters.queue.taskiq_queue import TaskiqQueue, in_process_broker, redis_stream_broker
from artmarket.application.messaging import TaskQueue
from artmarket.application.relay import MessageHandlers, RelayOutbox, RetryOutboxMessage
from artmarket.application.subscriptions import SUBSCRIPTIONS
from artmarket.settings import Settings


class MessagingProvider(Provider):
    """The task queue (in-process or Redis Streams), the outbox relay and message routing."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def broker(self, settings: Settings) -> AsyncBroker:
        if settings.queue == "redis":
            assert settings.redis_url is not None  # settings refuse redis without a URL
            return redis_stream_broker(
                settings.redis_url,
                redeliver_after=settings.queue_redeliver_after_seconds,
                read_count=settings.worker_concurrency,
            )
        return in_process_broker()

    @provide(scope=Scope.APP)
    def queue(self, broker: AsyncBroker) -> TaskQueue:
        return TaskiqQueue(broker)

    relay = provide(RelayOutbox)
    retry = provide(RetryOutboxMessage)

    @provide
    async def handlers(self, container: AsyncContainer) -> MessageHandlers:
        """Binds the application's subscription table: each named use case from the container."""
        return MessageHandlers(
            {
                message: [(await container.get(use_case)).handle for use_case in use_cases]
                for message, use_cases in SUBSCRIPTIONS.items()
            }
        )
