"""The task queue (in-process or Redis Streams), the outbox relay, and which handlers each topic runs."""

from __future__ import annotations

from uuid import UUID

from dishka import Provider, Scope, provide
from taskiq import AsyncBroker

from artmarket.adapters.queue.taskiq_queue import TaskiqQueue, in_process_broker, redis_stream_broker
from artmarket.application.checkout.use_cases import ConfirmPayment, RefundLatePayment, TrackRefund
from artmarket.application.identity.use_cases import SendPasswordResetLink
from artmarket.application.messaging import TaskQueue, Topic
from artmarket.application.minting.use_cases import MintQueuedJobs, StartMinting
from artmarket.application.notifications.use_cases import NotifyByEmail
from artmarket.application.relay import Handler, MessageHandlers, RelayOutbox, RetryOutboxMessage
from artmarket.settings import Settings

#: Topics whose only subscriber is email (ORDER_PAID has other subscribers too).
EMAIL_TOPICS = (
    Topic.USER_REGISTERED,
    Topic.PASSWORD_RESET_REQUESTED,
    Topic.ORDER_AWAITING_PAYMENT,
    Topic.RESERVATION_EXPIRED,
    Topic.ORDER_REFUNDED,
    Topic.KYC_DECIDED,
    Topic.CERTIFICATE_ISSUED,
)

#: Delivery's topics, each told by email (shipped to the buyer, reminders to the artist,
#: a problem to the admins); the artist's "ship this work" rides on ORDER_PAID.
SHIPPING_EMAIL_TOPICS = (Topic.SHIPMENT_SHIPPED, Topic.SHIPMENT_REMINDER, Topic.DELIVERY_PROBLEM_REPORTED)


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
    def handlers(
        self,
        confirm: ConfirmPayment,
        track_refund: TrackRefund,
        refund_late: RefundLatePayment,
        notify: NotifyByEmail,
        start_minting: StartMinting,
        mint: MintQueuedJobs,
        send_reset_link: SendPasswordResetLink,
    ) -> MessageHandlers:
        def email(topic: Topic) -> Handler:
            return lambda payload: notify(topic, payload)

        return MessageHandlers(
            {
                Topic.PAYMENT_EVENT_RECEIVED: [lambda payload: confirm(payload["reference"])],
                Topic.REFUND_EVENT_RECEIVED: [lambda payload: track_refund(payload["reference"])],
                Topic.LATE_PAYMENT_REFUND: [lambda payload: refund_late(UUID(payload["order_id"]))],
                Topic.PASSWORD_RESET_ASKED: [
                    lambda payload: send_reset_link(payload["email"], payload["request_id"])
                ],
                # Queue the order's job; tell the buyer the payment arrived and the artist the
                # work sold; then mint whatever batch is ready (a lease keeps one minter). The
                # mint goes last: if the ledger is away, the periodic minter takes the job.
                Topic.ORDER_PAID: [
                    lambda payload: start_minting(UUID(payload["order_id"])),
                    email(Topic.ORDER_PAID),
                    lambda _: mint(),
                ],
                **{topic: [email(topic)] for topic in EMAIL_TOPICS},
                **{topic: [email(topic)] for topic in SHIPPING_EMAIL_TOPICS},
            }
        )
