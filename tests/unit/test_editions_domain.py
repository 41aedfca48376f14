"""Editions in the domain: what an edition may be, how its numbers are handed out, and how the
listing's status follows them; drops."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artmarket.domain.catalog import Artwork, ArtworkNotAvailable, ArtworkStatus
from artmarket.domain.certificate_metadata import hip412_document
from artmarket.domain.certificates import ArtworkSnapshot
from artmarket.domain.editions import (
    UNIQUE,
    Edition,
    EditionKind,
    EditionLocked,
    EditionStock,
    InvalidEdition,
    NotYetAvailable,
    NumberState,
)
from artmarket.domain.listing import ArtworkImage, Medium
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order, PaymentSplit

NOW = datetime(2026, 12, 8, 12, tzinfo=UTC)


def an_edition_on_sale(edition: Edition, *, available_from: datetime | None = None) -> Artwork:
    artwork = Artwork.draft(
        id=uuid4(),
        artist_id=uuid4(),
        artist_name="Ada",
        title="Harmattan Light",
        description="Giclée print.",
        medium=Medium.PRINT,
        price=Money.of(50_000, "NGN"),
        year=2026,
        dimensions=None,
        now=NOW,
        edition=edition,
        available_from=available_from,
    )
    artwork.add_image(ArtworkImage(uuid4(), "d.jpg", "t.webp", "o.jpg", 1600, 1200, 0, NOW), NOW)
    artwork.publish(kyc_approved=True, now=NOW)
    return artwork


@pytest.mark.parametrize(
    ("kind", "size", "proofs"),
    [
        (EditionKind.UNIQUE, 2, 0),
        (EditionKind.UNIQUE, 1, 1),
        (EditionKind.LIMITED, 1, 0),
        (EditionKind.LIMITED, 10_001, 0),
        (EditionKind.LIMITED, 5, 6),
        (EditionKind.LIMITED, 5, -1),
        (EditionKind.LIMITED, True, 0),
    ],
)
def test_an_edition_out_of_bounds_is_refused_naming_the_field(
    kind: EditionKind, size: int, proofs: int
) -> None:
    with pytest.raises(InvalidEdition) as refused:
        Edition(kind, size, proofs)
    assert refused.value.location == "edition"


def test_a_limited_edition_prints_its_number_over_its_size_and_a_unique_work_one_of_one() -> None:
    assert Edition.limited(25, 2).label(7) == "7/25"
    assert UNIQUE.label(None) == "1/1"


def test_the_next_buyer_gets_the_lowest_number_nobody_holds() -> None:
    stock = EditionStock.of(
        Edition.limited(5),
        [(1, OrderStatus.PAID), (2, OrderStatus.AWAITING_PAYMENT), (4, OrderStatus.REFUNDED)],
    )
    assert stock.lowest_free == 3
    assert (stock.available, stock.sold, stock.reserved, stock.retired) == (2, 1, 1, 1)


def test_a_number_held_twice_is_an_error_not_a_count() -> None:
    with pytest.raises(ValueError, match="held twice"):
        EditionStock.of(Edition.limited(5), [(1, OrderStatus.PAID), (1, OrderStatus.AWAITING_PAYMENT)])


def test_a_lapsed_order_holds_no_number() -> None:
    with pytest.raises(ValueError, match="holds no edition number"):
        EditionStock.of(Edition.limited(5), [(1, OrderStatus.EXPIRED)])


def test_an_edition_stays_on_sale_until_its_last_number_is_taken_then_sells_out() -> None:
    artwork = an_edition_on_sale(Edition.limited(2))
    first = artwork.take_number(EditionStock.of(artwork.edition, []), NOW)
    assert (first, artwork.status, artwork.edition_available) == (1, ArtworkStatus.PUBLISHED, 1)
    second = artwork.take_number(EditionStock.of(artwork.edition, [(1, OrderStatus.AWAITING_PAYMENT)]), NOW)
    assert (second, artwork.status, artwork.edition_available) == (2, ArtworkStatus.RESERVED, 0)

    both_paid = EditionStock.of(artwork.edition, [(1, OrderStatus.PAID), (2, OrderStatus.PAID)])
    artwork.follow_stock(both_paid, NOW)
    assert (artwork.status, artwork.is_sold_out, artwork.edition_sold) == (ArtworkStatus.SOLD, True, 2)


def test_a_number_given_back_puts_a_reserved_edition_back_on_sale() -> None:
    artwork = an_edition_on_sale(Edition.limited(2))
    artwork.follow_stock(
        EditionStock.of(artwork.edition, [(1, OrderStatus.PAID), (2, OrderStatus.PAID)]), NOW
    )
    artwork = an_edition_on_sale(Edition.limited(2))
    held = [(1, OrderStatus.PAID), (2, OrderStatus.AWAITING_PAYMENT)]
    artwork.follow_stock(EditionStock.of(artwork.edition, held), NOW)
    assert artwork.status is ArtworkStatus.RESERVED
    artwork.follow_stock(EditionStock.of(artwork.edition, held[:1]), NOW)
    assert (artwork.status, artwork.edition_available) == (ArtworkStatus.PUBLISHED, 1)


def test_a_refund_retires_its_number_and_the_edition_never_goes_back_on_sale_for_it() -> None:
    artwork = an_edition_on_sale(Edition.limited(2))
    artwork.follow_stock(
        EditionStock.of(artwork.edition, [(1, OrderStatus.PAID), (2, OrderStatus.REFUNDED)]), NOW
    )
    assert (artwork.status, artwork.edition_sold, artwork.edition_available) == (ArtworkStatus.SOLD, 1, 0)


def test_a_sold_out_edition_has_no_number_to_give() -> None:
    artwork = an_edition_on_sale(Edition.limited(2))
    full = EditionStock.of(artwork.edition, [(1, OrderStatus.PAID), (2, OrderStatus.PAID)])
    with pytest.raises(ArtworkNotAvailable):
        artwork.take_number(full, NOW)


@given(st.lists(st.sampled_from(list(OrderStatus)), max_size=8))
def test_the_status_of_an_edition_always_follows_its_numbers(statuses: list[OrderStatus]) -> None:
    artwork = an_edition_on_sale(Edition.limited(8))
    holding = [
        (number, status)
        for number, status in enumerate(statuses, start=1)
        if status in {OrderStatus.AWAITING_PAYMENT, OrderStatus.REFUNDED}
        or status.value in {"paid", "minting"}
    ]
    stock = EditionStock.of(artwork.edition, holding)
    artwork.follow_stock(stock, NOW)
    expected = (
        ArtworkStatus.PUBLISHED
        if stock.available
        else ArtworkStatus.RESERVED
        if stock.reserved
        else ArtworkStatus.SOLD
    )
    assert artwork.status is expected
    assert stock.available + stock.sold + stock.reserved + stock.retired == 8
    assert set(stock.held.values()) <= set(NumberState)


def test_the_edition_is_fixed_once_a_number_went_to_a_buyer() -> None:
    artwork = an_edition_on_sale(Edition.limited(5))
    artwork.change_edition(Edition.limited(10), NOW)  # nothing taken yet
    assert artwork.edition_available == 10
    artwork.take_number(EditionStock.of(artwork.edition, []), NOW)
    with pytest.raises(EditionLocked):
        artwork.change_edition(Edition.limited(20), NOW)
    assert artwork.edition == Edition.limited(10)


def test_a_drop_cannot_be_bought_before_it_opens() -> None:
    opens = NOW + timedelta(hours=2)
    artwork = an_edition_on_sale(Edition.limited(5), available_from=opens)
    assert not artwork.on_sale_yet(NOW)
    with pytest.raises(NotYetAvailable) as refused:
        artwork.ensure_on_sale_yet(NOW)
    assert "08 Dec 2026 14:00 UTC" in refused.value.message
    artwork.ensure_on_sale_yet(opens)  # open on the minute


def test_the_certificate_metadata_carries_the_number_and_the_size() -> None:
    snapshot = ArtworkSnapshot(
        artwork_id=uuid4(),
        title="Harmattan Light",
        artist_id=uuid4(),
        artist_name="Ada",
        medium="print",
        year=2026,
        dimensions=None,
        image_uri=None,
        edition_number=7,
        edition_size=25,
    )
    document = hip412_document(
        certificate_id=uuid4(), order_id=uuid4(), artwork=snapshot, issued_at=NOW, description="Certificate"
    )
    assert snapshot.edition == "7/25"
    assert b'"edition":"7 of 25","edition_number":7,"edition_size":25' in document


def an_edition_order(number: int) -> Order:
    return Order.place(
        id=uuid4(),
        buyer_id=uuid4(),
        artwork_id=uuid4(),
        artist_id=uuid4(),
        amount=Money.of(50_000, "NGN"),
        reference=f"am-{uuid4().hex}",
        split=PaymentSplit(Money.of(45_000, "NGN"), Money.of(5_000, "NGN"), None),
        now=NOW,
        reservation=timedelta(minutes=15),
        edition_number=number,
    )


@pytest.mark.parametrize("lapse", ["expire", "cancel", "fail"])
def test_an_order_that_lapses_gives_its_number_back_and_says_so(lapse: str) -> None:
    order = an_edition_order(7)
    if lapse == "expire":
        order.expire(NOW)
    elif lapse == "cancel":
        order.cancel(NOW)
    else:
        order.mark_payment_failed("abandoned", NOW)
    assert order.edition_number is None
    assert "edition number 7 given back" in (order.history[-1].note or "")


def test_a_refunded_order_keeps_its_number_retired() -> None:
    order = an_edition_order(7)
    order.status = OrderStatus.PAID
    order.refund("damaged in transit", NOW)
    assert (order.status, order.edition_number) == (OrderStatus.REFUNDED, 7)
