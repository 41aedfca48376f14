"""Where a purchase stands for its buyer: the order's status and its delivery's, as one answer.

An order of a physical work is `completed` once its certificate is issued, yet the work is
not the buyer's until it arrives; every page and email that tells the buyer where they are
asks `buyer_stage`, so none of them says "complete" while the delivery is pending.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.shipments import ShipmentStatus


class Stage(enum.StrEnum):
    """One buyer-facing stage of a purchase."""

    AWAITING_PAYMENT = "awaiting_payment"
    PAYMENT_DECLINED = "payment_declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    PAID = "paid"
    CERTIFYING = "certifying"
    AWAITING_SHIPMENT = "awaiting_shipment"
    SHIPPED = "shipped"
    DELIVERY_PROBLEM = "delivery_problem"
    DELIVERED = "delivered"
    COMPLETE = "complete"
    REFUND_REQUESTED = "refund_requested"
    REFUNDED = "refunded"


#: What the buyer reads for each stage; a physical work's stages name both the order and the delivery.
STAGE_TEXT: Final = {
    Stage.AWAITING_PAYMENT: "Reserved · waiting for your payment",
    Stage.PAYMENT_DECLINED: "Payment declined · the work was not charged",
    Stage.EXPIRED: "Reservation expired before payment",
    Stage.CANCELLED: "This order was cancelled",
    Stage.PAID: "Paid · preparing your certificate",
    Stage.CERTIFYING: "Paid · certificate being issued",
    Stage.AWAITING_SHIPMENT: "Paid · certificate issued · awaiting shipment",
    Stage.SHIPPED: "Paid · certificate issued · shipped",
    Stage.DELIVERY_PROBLEM: "Paid · certificate issued · delivery problem reported",
    Stage.DELIVERED: "Delivered · the work is yours and certified",
    Stage.COMPLETE: "Complete · the work is yours and certified",
    Stage.REFUND_REQUESTED: "Paid · a refund was requested",
    Stage.REFUNDED: "Your payment was refunded",
}
#: A short word for badges and lists.
STAGE_LABEL: Final = {
    Stage.AWAITING_PAYMENT: "Awaiting payment",
    Stage.PAYMENT_DECLINED: "Payment declined",
    Stage.EXPIRED: "Expired",
    Stage.CANCELLED: "Cancelled",
    Stage.PAID: "Paid",
    Stage.CERTIFYING: "Paid",
    Stage.AWAITING_SHIPMENT: "Awaiting shipment",
    Stage.SHIPPED: "Shipped",
    Stage.DELIVERY_PROBLEM: "Delivery problem",
    Stage.DELIVERED: "Delivered",
    Stage.COMPLETE: "Complete",
    Stage.REFUND_REQUESTED: "Refund requested",
    Stage.REFUNDED: "Refunded",
}
_BY_ORDER: Final = {
    OrderStatus.AWAITING_PAYMENT: Stage.AWAITING_PAYMENT,
    OrderStatus.PAYMENT_FAILED: Stage.PAYMENT_DECLINED,
    OrderStatus.EXPIRED: Stage.EXPIRED,
    OrderStatus.CANCELLED: Stage.CANCELLED,
    OrderStatus.REFUNDED: Stage.REFUNDED,
    OrderStatus.PAID: Stage.PAID,
    OrderStatus.MINTING: Stage.CERTIFYING,
}
_BY_DELIVERY: Final = {
    ShipmentStatus.AWAITING_SHIPMENT: Stage.AWAITING_SHIPMENT,
    ShipmentStatus.SHIPPED: Stage.SHIPPED,
    ShipmentStatus.DELIVERY_PROBLEM: Stage.DELIVERY_PROBLEM,
    ShipmentStatus.DELIVERED: Stage.DELIVERED,
    ShipmentStatus.RESOLVED: Stage.DELIVERED,
}
_DONE: Final = frozenset({Stage.COMPLETE, Stage.DELIVERED})
_PENDING: Final = frozenset(
    {
        Stage.AWAITING_PAYMENT,
        Stage.PAID,
        Stage.CERTIFYING,
        Stage.AWAITING_SHIPMENT,
        Stage.SHIPPED,
        Stage.REFUND_REQUESTED,
    }
)


@dataclass(frozen=True, slots=True)
class BuyerStage:
    """Where a purchase stands for its buyer (see `buyer_stage`)."""

    stage: Stage

    @property
    def text(self) -> str:
        return STAGE_TEXT[self.stage]

    @property
    def label(self) -> str:
        return STAGE_LABEL[self.stage]

    @property
    def is_done(self) -> bool:
        """The work is the buyer's: certified, and in their hands when it is physical."""
        return self.stage in _DONE

    @property
    def tone(self) -> str:
        """`ok` when done, `warn` while something is still to happen, `bad` when it went wrong or ended."""
        if self.is_done:
            return "ok"
        return "warn" if self.stage in _PENDING else "bad"


def buyer_stage(
    status: OrderStatus, delivery: ShipmentStatus | None, *, refund_requested: bool = False
) -> BuyerStage:
    """The stage of an order in `status` whose physical work's delivery is in `delivery` (None: digital).

    A completed order is complete only when nothing is still to be delivered; before that
    the delivery's status says where the work is. A refund asked for and not yet accepted
    by the provider shows as requested.
    """
    if refund_requested and status is not OrderStatus.REFUNDED:
        return BuyerStage(Stage.REFUND_REQUESTED)
    if status is OrderStatus.COMPLETED:
        return BuyerStage(Stage.COMPLETE if delivery is None else _BY_DELIVERY[delivery])
    return BuyerStage(_BY_ORDER[status])
