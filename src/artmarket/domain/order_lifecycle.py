"""The order life cycle: its statuses, the events that move it, the transition table, refund progress."""

from __future__ import annotations

import enum
from typing import Final


# No docstring: the API schema shows an enum's docstring, and OrderStatus is in it.
class OrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    MINTING = "minting"
    COMPLETED = "completed"
    PAYMENT_FAILED = "payment_failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


#: Statuses that hold the artwork: at most one such order per artwork (a database rule too).
LIVE_STATUSES: Final = frozenset(
    {OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.MINTING, OrderStatus.COMPLETED}
)
#: Statuses an order can be in when a payment arrives too late to be expected.
LAPSED_STATUSES: Final = frozenset({OrderStatus.EXPIRED, OrderStatus.CANCELLED, OrderStatus.PAYMENT_FAILED})
#: Statuses of an order whose payment was accepted and not given back (refunds: REFUNDABLE_STATUSES).
PAID_STATUSES: Final = frozenset({OrderStatus.PAID, OrderStatus.MINTING, OrderStatus.COMPLETED})
REFUNDABLE_STATUSES: Final = frozenset({OrderStatus.PAID, OrderStatus.COMPLETED})


class RefundStatus(enum.StrEnum):
    """Where the provider is with a refund; Paystack reports each step as a `refund.*` event."""

    #: An admin asked for the refund and artmarket is calling the provider (not a Paystack state).
    REQUESTED = "requested"
    PENDING = "pending"
    PROCESSING = "processing"
    NEEDS_ATTENTION = "needs_attention"
    FAILED = "failed"
    PROCESSED = "processed"


#: How far along each refund status is. Events can arrive out of order and more than once,
#: so a report never moves a refund backwards; a failed or stuck refund can still complete.
REFUND_PROGRESS: Final = {
    RefundStatus.REQUESTED: 0,
    RefundStatus.PENDING: 1,
    RefundStatus.PROCESSING: 2,
    RefundStatus.NEEDS_ATTENTION: 3,
    RefundStatus.FAILED: 3,
    RefundStatus.PROCESSED: 4,
}


class OrderEvent(enum.StrEnum):
    """What happens to an order; `TRANSITIONS` gives the status it leads to."""

    PAY = "pay"
    FAIL = "fail"
    EXPIRE = "expire"
    CANCEL = "cancel"
    START_MINTING = "start_minting"
    COMPLETE = "complete"
    REFUND = "refund"


#: The order life cycle. Anything not listed is refused with `OrderStateConflict`.
TRANSITIONS: Final[dict[tuple[OrderStatus, OrderEvent], OrderStatus]] = {
    (OrderStatus.AWAITING_PAYMENT, OrderEvent.PAY): OrderStatus.PAID,
    (OrderStatus.AWAITING_PAYMENT, OrderEvent.FAIL): OrderStatus.PAYMENT_FAILED,
    (OrderStatus.AWAITING_PAYMENT, OrderEvent.EXPIRE): OrderStatus.EXPIRED,
    (OrderStatus.AWAITING_PAYMENT, OrderEvent.CANCEL): OrderStatus.CANCELLED,
    # A verified payment that arrives after the reservation lapsed: accepted when the
    # artwork could be reserved again, otherwise refunded.
    (OrderStatus.EXPIRED, OrderEvent.PAY): OrderStatus.PAID,
    (OrderStatus.CANCELLED, OrderEvent.PAY): OrderStatus.PAID,
    (OrderStatus.PAYMENT_FAILED, OrderEvent.PAY): OrderStatus.PAID,
    (OrderStatus.EXPIRED, OrderEvent.REFUND): OrderStatus.REFUNDED,
    (OrderStatus.CANCELLED, OrderEvent.REFUND): OrderStatus.REFUNDED,
    (OrderStatus.PAYMENT_FAILED, OrderEvent.REFUND): OrderStatus.REFUNDED,
    (OrderStatus.PAID, OrderEvent.START_MINTING): OrderStatus.MINTING,
    (OrderStatus.MINTING, OrderEvent.COMPLETE): OrderStatus.COMPLETED,
    (OrderStatus.PAID, OrderEvent.REFUND): OrderStatus.REFUNDED,
    (OrderStatus.COMPLETED, OrderEvent.REFUND): OrderStatus.REFUNDED,
}
