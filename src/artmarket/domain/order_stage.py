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


def N_(message: str) -> str:
    """Marks `message` for the French catalogs (`scripts/translations.py` finds `N_` calls): the
    English text is its message id, which the pages and emails translate where they show it;
    the domain itself speaks only English (the API's `stage.text`)."""
    return message


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
    Stage.AWAITING_PAYMENT: N_("Reserved · waiting for your payment"),
    Stage.PAYMENT_DECLINED: N_("Payment declined · the work was not charged"),
    Stage.EXPIRED: N_("Reservation expired before payment"),
    Stage.CANCELLED: N_("This order was cancelled"),
    Stage.PAID: N_("Paid · preparing your certificate"),
    Stage.CERTIFYING: N_("Paid · certificate being issued"),
    Stage.AWAITING_SHIPMENT: N_("Paid · certificate issued · awaiting shipment"),
    Stage.SHIPPED: N_("Paid · certificate issued · shipped"),
    Stage.DELIVERY_PROBLEM: N_("Paid · certificate issued · delivery problem reported"),
    Stage.DELIVERED: N_("Delivered · the work is yours and certified"),
    Stage.COMPLETE: N_("Complete · the work is yours and certified"),
    Stage.REFUND_REQUESTED: N_("Paid · a refund was requested"),
    Stage.REFUNDED: N_("Your payment was refunded"),
}
#: A short word for badges and lists.
STAGE_LABEL: Final = {
    Stage.AWAITING_PAYMENT: N_("Awaiting payment"),
    Stage.PAYMENT_DECLINED: N_("Payment declined"),
    Stage.EXPIRED: N_("Expired"),
    Stage.CANCELLED: N_("Cancelled"),
    Stage.PAID: N_("Paid"),
    Stage.CERTIFYING: N_("Paid"),
    Stage.AWAITING_SHIPMENT: N_("Awaiting shipment"),
    Stage.SHIPPED: N_("Shipped"),
    Stage.DELIVERY_PROBLEM: N_("Delivery problem"),
    Stage.DELIVERED: N_("Delivered"),
    Stage.COMPLETE: N_("Complete"),
    Stage.REFUND_REQUESTED: N_("Refund requested"),
    Stage.REFUNDED: N_("Refunded"),
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
