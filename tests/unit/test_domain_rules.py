"""The named rules the pages, the API and the use cases ask: each says yes exactly when the
domain method it stands for accepts (checked over every status with hypothesis), and the
purchase rules that used to live in the checkout use case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artmarket.domain.artists import KycAlreadyInProgress, KycCase, KycStatus, may_submit_kyc
from artmarket.domain.catalog import MAX_IMAGES, Artwork, ArtworkNotAvailable, ArtworkStatus
from artmarket.domain.certificates import MintJob, MintJobStateConflict, MintJobStatus
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import DisplayName, Email, Role, User, UserStatus, check_not_self_suspension
from artmarket.domain.listing import ArtworkImage, Medium
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus, RefundStatus
from artmarket.domain.orders import Order, PaymentSplit
from artmarket.domain.purchase import (
    OpenOrderLimits,
    OwnArtwork,
    TooManyOpenOrders,
    TooManyOpenOrdersFromAddress,
    ensure_may_buy,
    may_buy,
    split_payment,
)
from artmarket.domain.shipments import (
    DeliveryConfirmer,
    Shipment,
    ShipmentStateConflict,
    ShipmentStatus,
    Tracking,
)

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
RESERVATION = timedelta(minutes=15)


def an_order(status: OrderStatus, refund: RefundStatus | None) -> Order:
    order = Order.place(
        id=uuid4(),
        buyer_id=uuid4(),
        artwork_id=uuid4(),
        artist_id=uuid4(),
        amount=Money.of(2_500_000, "NGN"),
        reference="am-ref-1",
        split=PaymentSplit(Money.of(2_250_000, "NGN"), Money.of(250_000, "NGN"), None),
        now=NOW,
        reservation=RESERVATION,
    )
    order.status, order.refund_status = status, refund
    return order


def an_image(position: int) -> ArtworkImage:
    return ArtworkImage(uuid4(), f"d{position}.jpg", f"t{position}.webp", "o.jpg", 1600, 1200, position, NOW)


def an_artwork(status: ArtworkStatus, images: int, taken_down: str | None) -> Artwork:
    artwork = Artwork.draft(
        id=uuid4(),
        artist_id=uuid4(),
        artist_name="Ada",
        title="Harmattan Light",
        description="",
        medium=Medium.PAINTING,
        price=Money.of(2_500_000, "NGN"),
        year=None,
        dimensions=None,
        now=NOW,
    )
    artwork.images = [an_image(n) for n in range(images)]
    artwork.status, artwork.taken_down_reason = status, taken_down
    return artwork


def accepted(action: Callable[[], object]) -> bool:
    try:
        action()
    except DomainError:
        return False
    return True


refunds = st.sampled_from([None, *RefundStatus])


@given(status=st.sampled_from(OrderStatus), refund=refunds)
def test_an_order_can_be_refunded_exactly_when_a_refund_request_is_accepted(
    status: OrderStatus, refund: RefundStatus | None
) -> None:
    order = an_order(status, refund)
    assert order.can_be_refunded == accepted(lambda: order.request_refund("Damaged", NOW))


def test_a_minting_order_is_paid_but_cannot_be_refunded_until_its_mint_settles() -> None:
    order = an_order(OrderStatus.MINTING, None)
    assert order.is_paid
    assert not order.can_be_refunded


@given(status=st.sampled_from(OrderStatus), after=st.integers(0, 30 * 60))
def test_an_order_can_be_paid_while_it_awaits_payment_within_its_reservation(
    status: OrderStatus, after: int
) -> None:
    order = an_order(status, None)
    now = NOW + timedelta(seconds=after)
    assert order.can_be_paid(now) == (status is OrderStatus.AWAITING_PAYMENT and now < NOW + RESERVATION)
    assert not (order.can_be_paid(now) and order.reservation_lapsed(now))


statuses = st.sampled_from(ArtworkStatus)
taken_down = st.sampled_from([None, "Copyright claim"])


@given(status=statuses, images=st.integers(0, MAX_IMAGES), reason=taken_down)
def test_each_artwork_predicate_says_yes_exactly_when_its_action_is_accepted(
    status: ArtworkStatus, images: int, reason: str | None
) -> None:
    def fresh() -> Artwork:
        return replace(artwork, images=list(artwork.images))

    artwork = an_artwork(status, images, reason)
    assert artwork.is_editable == accepted(lambda: fresh().edit(now=NOW, title="Another title"))
    assert artwork.accepts_images == accepted(lambda: fresh().add_image(an_image(images), NOW))
    assert artwork.can_be_withdrawn == accepted(lambda: fresh().withdraw(NOW))
    assert artwork.can_be_taken_down == accepted(lambda: fresh().take_down("Copyright claim", NOW))
    if images:  # publishing also needs an image and approved KYC; the predicate is about the status
        assert artwork.can_be_published == accepted(lambda: fresh().publish(kyc_approved=True, now=NOW))


@given(images=st.integers(0, MAX_IMAGES))
def test_the_cover_is_the_first_image(images: int) -> None:
    artwork = an_artwork(ArtworkStatus.DRAFT, images, None)
    assert artwork.cover == (artwork.images[0] if images else None)
    assert artwork.cover is None or artwork.cover.position == 0


def a_kyc_case(status: KycStatus) -> KycCase:
    case = KycCase.submit(
        id=uuid4(),
        artist_id=uuid4(),
        legal_name="Ada Obi",
        country="NG",
        document_key="kyc/a.pdf",
        document_content_type="application/pdf",
        now=NOW,
        previous=None,
    )
    case.status = status
    return case


@pytest.mark.parametrize("latest", [None, *KycStatus])
def test_an_artist_may_submit_kyc_exactly_when_a_new_case_is_accepted(latest: KycStatus | None) -> None:
    previous = a_kyc_case(latest) if latest is not None else None
    allowed = may_submit_kyc(previous)
    try:
        KycCase.submit(
            id=uuid4(),
            artist_id=uuid4(),
            legal_name="Ada Obi",
            country="NG",
            document_key="kyc/b.pdf",
            document_content_type="application/pdf",
            now=NOW,
            previous=previous,
        )
    except KycAlreadyInProgress:
        assert not allowed
    else:
        assert allowed
    assert allowed == (latest in (None, KycStatus.REJECTED, KycStatus.NOT_SUBMITTED))


@given(status=statuses, own=st.booleans(), active=st.booleans())
def test_a_buyer_may_buy_a_published_work_of_an_active_artist_never_their_own(
    status: ArtworkStatus, own: bool, active: bool
) -> None:
    artwork = an_artwork(status, 1, None)
    buyer = artwork.artist_id if own else uuid4()
    # What the artwork page offers is what the checkout accepts.
    assert may_buy(artwork, buyer, artist_active=active) == accepted(
        lambda: ensure_may_buy(artwork, buyer, artist_active=active)
    )
    if own:  # named first: an artist is told why, whatever the work's status
        with pytest.raises(OwnArtwork):
            ensure_may_buy(artwork, buyer, artist_active=active)
    elif status is not ArtworkStatus.PUBLISHED or not active:
        with pytest.raises(ArtworkNotAvailable):
            ensure_may_buy(artwork, buyer, artist_active=active)
    else:
        ensure_may_buy(artwork, buyer, artist_active=active)


@given(by_buyer=st.integers(0, 5), from_address=st.integers(0, 12))
def test_open_orders_are_capped_per_buyer_first_then_per_address(by_buyer: int, from_address: int) -> None:
    limits = OpenOrderLimits(per_buyer=3, per_address=10)
    if by_buyer >= 3:
        with pytest.raises(TooManyOpenOrders):
            limits.check(open_by_buyer=by_buyer, open_from_address=from_address)
    elif from_address >= 10:
        with pytest.raises(TooManyOpenOrdersFromAddress):
            limits.check(open_by_buyer=by_buyer, open_from_address=from_address)
    else:
        limits.check(open_by_buyer=by_buyer, open_from_address=from_address)


@given(price=st.integers(1, 10**12), shipping=st.integers(0, 10**9), percent=st.integers(0, 100))
def test_the_commission_is_taken_on_the_price_and_the_split_adds_up_to_the_amount(
    price: int, shipping: int, percent: int
) -> None:
    split = split_payment(
        Money.of(price, "NGN"), Money.of(shipping, "NGN"), commission_percent=percent, subaccount="ACCT_1"
    )
    assert split.platform_fee == Money.of(price, "NGN").percentage(percent)
    assert split.artist_share + split.platform_fee == Money.of(price + shipping, "NGN")
    assert split.subaccount == "ACCT_1"


@given(status=st.sampled_from(ShipmentStatus), order_status=st.sampled_from(OrderStatus))
def test_each_shipment_predicate_says_yes_exactly_when_its_action_is_accepted(
    status: ShipmentStatus, order_status: OrderStatus
) -> None:
    def fresh() -> Shipment:
        shipment = Shipment.start(order_id=uuid4(), artist_id=uuid4(), buyer_id=uuid4(), now=NOW)
        shipment.status = status
        return shipment

    def ship() -> None:
        shipment = fresh()
        shipment.check_may_ship(order)
        shipment.ship(Tracking.of("DHL", "JD0146", None), NOW)

    def confirm() -> None:
        if not fresh().confirm_delivery(NOW, by=DeliveryConfirmer.BUYER):
            raise ShipmentStateConflict()  # already delivered: nothing to confirm

    shipment, order = fresh(), an_order(order_status, None)
    assert shipment.may_ship(order) == accepted(ship)
    assert shipment.can_confirm_delivery == accepted(confirm)
    assert shipment.can_report_problem == accepted(lambda: fresh().report_problem("Never arrived", NOW))
    assert shipment.can_be_resolved == accepted(lambda: fresh().resolve("Refunded", NOW))


@given(status=st.sampled_from(KycStatus))
def test_a_kyc_case_can_be_decided_exactly_when_an_approval_or_a_rejection_is_accepted(
    status: KycStatus,
) -> None:
    case = a_kyc_case(status)
    reviewer = uuid4()
    assert case.can_be_decided == accepted(lambda: a_kyc_case(status).approve(reviewer_id=reviewer, now=NOW))
    assert case.can_be_decided == accepted(
        lambda: a_kyc_case(status).reject(reviewer_id=reviewer, now=NOW, reason="Blurred document")
    )


def a_user(status: UserStatus) -> User:
    user = User.register(
        id=uuid4(),
        email=Email("ada@example.com"),
        display_name=DisplayName("Ada"),
        password_hash="hash",
        role=Role.ARTIST,
        now=NOW,
    )
    user.status = status
    return user


@given(status=st.sampled_from(UserStatus), itself=st.booleans())
def test_an_account_can_be_suspended_or_reinstated_exactly_when_the_domain_accepts(
    status: UserStatus, itself: bool
) -> None:
    user = a_user(status)
    admin_id = user.id if itself else uuid4()

    def suspend() -> None:
        target = replace(user)
        check_not_self_suspension(target.id, admin_id)
        target.suspend("Chargeback fraud")

    assert user.can_be_suspended_by(admin_id) == accepted(suspend)
    assert user.can_be_reinstated == accepted(lambda: replace(user).reinstate("Appeal upheld"))


@given(status=st.sampled_from(MintJobStatus))
def test_only_a_failed_mint_job_is_retried(status: MintJobStatus) -> None:
    """A submitted job may still settle on the ledger: retrying it would mint the certificate twice."""
    job = MintJob(uuid4(), uuid4(), NOW)
    job.status = status
    assert job.can_be_retried == (status is MintJobStatus.FAILED)
    if job.can_be_retried:
        job.retry(NOW)
        assert job.status is MintJobStatus.QUEUED
    else:
        with pytest.raises(MintJobStateConflict):
            job.retry(NOW)
