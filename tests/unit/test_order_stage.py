"""Where a purchase stands for its buyer: the order's status and its delivery's never contradict."""

from __future__ import annotations

from itertools import product

import pytest

from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.order_stage import Stage, buyer_stage
from artmarket.domain.shipments import ShipmentStatus

DELIVERIES: list[ShipmentStatus | None] = [None, *ShipmentStatus]
IN_HANDS = {None, ShipmentStatus.DELIVERED, ShipmentStatus.RESOLVED}


@pytest.mark.parametrize(("status", "delivery"), list(product(OrderStatus, DELIVERIES)))
def test_a_purchase_is_done_only_once_certified_and_in_the_buyers_hands(
    status: OrderStatus, delivery: ShipmentStatus | None
) -> None:
    stage = buyer_stage(status, delivery)

    assert stage.is_done == (status is OrderStatus.COMPLETED and delivery in IN_HANDS)
    assert ("the work is yours" in stage.text) == stage.is_done == (stage.tone == "ok")
    assert stage.text != stage.label  # the badge and the sentence beside it never repeat each other


def test_a_certified_physical_work_reads_as_awaiting_shipment_then_shipped_then_delivered() -> None:
    steps = [
        buyer_stage(OrderStatus.COMPLETED, delivery)
        for delivery in (ShipmentStatus.AWAITING_SHIPMENT, ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED)
    ]

    assert [s.text for s in steps] == [
        "Paid · certificate issued · awaiting shipment",
        "Paid · certificate issued · shipped",
        "Delivered · the work is yours and certified",
    ]
    assert [s.tone for s in steps] == ["warn", "warn", "ok"]
    assert buyer_stage(OrderStatus.COMPLETED, None).stage is Stage.COMPLETE


def test_a_declined_payment_and_a_refund_say_so() -> None:
    assert buyer_stage(OrderStatus.PAYMENT_FAILED, None).text.startswith("Payment declined")
    assert buyer_stage(OrderStatus.PAYMENT_FAILED, None).tone == "bad"
    asked = buyer_stage(OrderStatus.COMPLETED, ShipmentStatus.AWAITING_SHIPMENT, refund_requested=True)
    assert asked.stage is Stage.REFUND_REQUESTED
    refunded = buyer_stage(OrderStatus.REFUNDED, ShipmentStatus.AWAITING_SHIPMENT, refund_requested=True)
    assert (refunded.label, refunded.text) == ("Refunded", "Your payment was refunded")
