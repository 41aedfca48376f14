"""Admin rules in the domain: refund claims, take-downs, suspension, CSV cells."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from artmarket.application.admin.export import safe_cell
from artmarket.domain.catalog import Artwork, ArtworkStateConflict, ArtworkTakenDown
from artmarket.domain.identity import DisplayName, Email, Role, User, UserAlreadySuspended, UserNotSuspended
from artmarket.domain.listing import ArtworkImage, Medium
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus, RefundStatus
from artmarket.domain.orders import (
    Order,
    OrderAlreadyRefunded,
    OrderNotRefundable,
    PaymentEvidence,
    PaymentSplit,
)

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def a_paid_order() -> Order:
    order_id = uuid4()
    price = Money.of(10_000, "NGN")
    order = Order.place(
        id=order_id,
        buyer_id=uuid4(),
        artwork_id=uuid4(),
        artist_id=uuid4(),
        amount=price,
        reference=f"am-{order_id.hex}",
        split=PaymentSplit(Money.of(9_000, "NGN"), Money.of(1_000, "NGN"), None),
        now=NOW,
        reservation=timedelta(minutes=15),
    )
    order.confirm_payment(PaymentEvidence(order.reference, True, price, price, NOW, "success"), NOW)
    return order


def test_a_refund_is_claimed_once_and_a_second_request_is_a_conflict() -> None:
    order = a_paid_order()
    order.request_refund("damaged", NOW)
    assert (order.status, order.refund_status) == (OrderStatus.PAID, RefundStatus.REQUESTED)
    with pytest.raises(OrderAlreadyRefunded):
        order.request_refund("damaged", NOW)
    order.refund("damaged", NOW)
    assert (order.status, order.refund_status) == (OrderStatus.REFUNDED, RefundStatus.PENDING)
    with pytest.raises(OrderAlreadyRefunded):
        order.request_refund("again", NOW)


def test_a_refused_refund_releases_the_claim_and_flags_the_order() -> None:
    order = a_paid_order()
    order.request_refund("damaged", NOW)
    order.refund_request_failed("Transaction has been fully reversed")
    assert (order.status, order.refund_status) == (OrderStatus.PAID, None)
    assert order.attention is not None
    order.request_refund("retry", NOW)


def test_a_webhook_for_our_refund_that_beats_the_answer_refunds_without_a_flag() -> None:
    order = a_paid_order()
    order.request_refund("damaged", NOW)
    assert order.track_refund(RefundStatus.PROCESSED, NOW)
    assert (order.status, order.refund_status, order.attention) == (
        OrderStatus.REFUNDED,
        RefundStatus.PROCESSED,
        None,
    )
    assert order.history[-1].note == "damaged"


def test_only_paid_or_completed_orders_are_refundable() -> None:
    order = a_paid_order()
    order.start_minting(NOW)
    with pytest.raises(OrderNotRefundable):
        order.request_refund("x", NOW)


def an_artwork() -> Artwork:
    artwork = Artwork.draft(
        id=uuid4(),
        artist_id=uuid4(),
        artist_name="Kemi",
        title="Dusk",
        description="",
        medium=Medium.PAINTING,
        price=Money.of(10_000, "NGN"),
        year=None,
        dimensions=None,
        now=NOW,
    )
    artwork.add_image(ArtworkImage(uuid4(), "d", "t", "o", 10, 10, 0, NOW), NOW)
    artwork.publish(kyc_approved=True, now=NOW)
    return artwork


def test_a_taken_down_work_cannot_be_published_again_and_a_reserved_one_cannot_be_taken_down() -> None:
    artwork = an_artwork()
    artwork.take_down("copyright", NOW)
    assert not artwork.is_public
    with pytest.raises(ArtworkTakenDown):
        artwork.publish(kyc_approved=True, now=NOW)
    reserved = an_artwork()
    reserved.reserve(NOW)
    with pytest.raises(ArtworkStateConflict):
        reserved.take_down("copyright", NOW)


def test_a_suspended_artists_work_is_not_public() -> None:
    artwork = an_artwork()
    artwork.artist_suspended = True
    assert not artwork.is_public


def test_suspension_and_reinstatement_each_happen_once() -> None:
    user = User.register(
        id=uuid4(),
        email=Email("a@example.com"),
        display_name=DisplayName("A"),
        password_hash="x",
        role=Role.BUYER,
        now=NOW,
    )
    with pytest.raises(UserNotSuspended):
        user.reinstate("x")
    user.suspend("fraud")
    with pytest.raises(UserAlreadySuspended):
        user.suspend("fraud")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_ordinary_csv_cells_are_left_alone() -> None:
    assert [safe_cell(v) for v in ("Dusk", 2500, None, "a=b")] == ["Dusk", "2500", "", "a=b"]
