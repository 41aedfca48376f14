"""Order rules: a payment is accepted once, only for exactly what the order asked."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus, RefundStatus
from artmarket.domain.orders import (
    InvalidReference,
    Order,
    OrderNotCancellable,
    OrderStateConflict,
    PaymentEvidence,
    PaymentOutcome,
    PaymentSplit,
)

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
PRICE = Money.of(2_500_000, "NGN")


def an_order(reference: str = "am-ref-1") -> Order:
    return Order.place(
        id=uuid4(),
        buyer_id=uuid4(),
        artwork_id=uuid4(),
        artist_id=uuid4(),
        amount=PRICE,
        reference=reference,
        split=PaymentSplit(Money.of(2_250_000, "NGN"), Money.of(250_000, "NGN"), None),
        now=NOW,
        reservation=timedelta(minutes=15),
    )


def evidence(
    charged: Money | None = PRICE,
    requested: Money | None = None,
    ok: bool = True,
    reference: str = "am-ref-1",
) -> PaymentEvidence:
    return PaymentEvidence(reference, ok, charged, requested, NOW, "success" if ok else "abandoned")


def test_a_verified_payment_of_the_exact_amount_pays_the_order_once() -> None:
    order = an_order()
    assert order.confirm_payment(evidence(), NOW) is PaymentOutcome.CONFIRMED
    assert order.confirm_payment(evidence(), NOW) is PaymentOutcome.ALREADY_CONFIRMED
    assert order.status is OrderStatus.PAID
    assert [c.status for c in order.history] == [OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID]


def test_fees_passed_to_the_customer_still_pay_the_requested_amount() -> None:
    order = an_order()
    charged = Money.of(PRICE.amount + 38_000, "NGN")
    assert order.confirm_payment(evidence(charged=charged, requested=PRICE), NOW) is PaymentOutcome.CONFIRMED


@pytest.mark.parametrize(
    "wrong",
    [
        evidence(charged=Money.of(2_400_000, "NGN")),
        evidence(charged=Money.of(2_500_000, "USD")),
        evidence(charged=Money.of(2_500_000, "NGN"), requested=Money.of(2_400_000, "NGN")),
        evidence(charged=None),
        evidence(reference="someone-else"),
    ],
)
def test_a_wrong_amount_currency_or_reference_never_pays_and_is_flagged(wrong: PaymentEvidence) -> None:
    order = an_order()
    assert order.confirm_payment(wrong, NOW) is PaymentOutcome.MISMATCH
    assert order.status is OrderStatus.AWAITING_PAYMENT
    assert order.attention


def test_an_unsuccessful_verification_changes_nothing() -> None:
    order = an_order()
    assert order.confirm_payment(evidence(ok=False), NOW) is PaymentOutcome.NOT_SUCCESSFUL
    assert order.status is OrderStatus.AWAITING_PAYMENT


def test_a_payment_after_expiry_is_late_and_can_be_accepted_or_refunded() -> None:
    accepted, refunded = an_order(), an_order()
    for order in (accepted, refunded):
        order.expire(NOW)
        assert order.confirm_payment(evidence(), NOW) is PaymentOutcome.LATE
        assert order.status is OrderStatus.EXPIRED
    accepted.accept_late_payment(evidence(), NOW)
    refunded.refund("artwork sold meanwhile", NOW)
    assert (accepted.status, refunded.status) == (OrderStatus.PAID, OrderStatus.REFUNDED)


def test_cancel_only_while_awaiting_payment() -> None:
    order = an_order()
    order.confirm_payment(evidence(), NOW)
    with pytest.raises(OrderNotCancellable):
        order.cancel(NOW)


def test_the_full_happy_path_and_no_skipping() -> None:
    order = an_order()
    with pytest.raises(OrderStateConflict):
        order.start_minting(NOW)
    order.confirm_payment(evidence(), NOW)
    order.start_minting(NOW)
    certificate = uuid4()
    order.complete(certificate, NOW)
    assert (order.status, order.certificate_id) == (OrderStatus.COMPLETED, certificate)


@pytest.mark.parametrize("reference", ["", "has space", "semi;colon", "x" * 101])
def test_payment_references_use_only_paystack_characters(reference: str) -> None:
    with pytest.raises(InvalidReference):
        an_order(reference)


def a_refunded_order() -> Order:
    order = an_order()
    order.confirm_payment(evidence(), NOW)
    order.refund("The artwork was sold to someone else.", NOW)
    return order


def test_a_refund_we_ask_for_starts_pending_and_only_moves_forward() -> None:
    order = a_refunded_order()
    assert order.refund_status is RefundStatus.PENDING
    assert order.track_refund(RefundStatus.PROCESSED, NOW) is True
    # Late or repeated reports of earlier steps change nothing.
    assert order.track_refund(RefundStatus.PROCESSING, NOW) is False
    assert order.track_refund(RefundStatus.PROCESSED, NOW) is False
    assert (order.refund_status, order.attention) == (RefundStatus.PROCESSED, None)


def test_a_failed_refund_is_flagged_and_can_still_complete() -> None:
    order = a_refunded_order()
    assert order.track_refund(RefundStatus.FAILED, NOW) is True
    assert order.attention == "The refund is failed at the payment provider."
    assert order.track_refund(RefundStatus.PENDING, NOW) is False
    assert order.track_refund(RefundStatus.PROCESSED, NOW) is True
    assert order.refund_status is RefundStatus.PROCESSED


def test_a_refund_made_at_the_provider_refunds_a_paid_order_and_flags_it() -> None:
    order = an_order()
    order.confirm_payment(evidence(), NOW)
    assert order.track_refund(RefundStatus.PENDING, NOW) is True
    assert order.status is OrderStatus.PAID  # not refunded until the money went back
    assert order.track_refund(RefundStatus.PROCESSED, NOW) is True
    assert (order.status, order.refund_reason) == (OrderStatus.REFUNDED, "Refunded at the payment provider.")
    assert order.attention is not None
    assert "outside artmarket" in order.attention
    assert order.history[-1].status is OrderStatus.REFUNDED
