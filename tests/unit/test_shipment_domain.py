"""Shipments: the explicit life cycle, tracking, reminders, automatic confirmation, who sees the address.

A hypothesis state machine throws every event at a shipment in any order: only the
transition table moves it, a refused event changes nothing, and the history lists each
step once, in time order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from artmarket.domain.delivery import BuyerContact, PostalAddress
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order, PaymentEvidence, PaymentSplit
from artmarket.domain.shipments import (
    ADDRESS_WINDOW,
    FINAL_STATUSES,
    TRANSITIONS,
    DeliveryConfirmer,
    InvalidCarrier,
    InvalidProblemMessage,
    InvalidTrackingNumber,
    InvalidTrackingUrl,
    Shipment,
    ShipmentEvent,
    ShipmentStateConflict,
    ShipmentStatus,
    ShipmentStep,
    Tracking,
    recipient_visible_to,
)

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TRACKING = Tracking.of("GIG Logistics", "GIG-123456", "https://giglogistics.com/track/GIG-123456")


def a_shipment(at: datetime = NOW) -> Shipment:
    return Shipment.start(order_id=uuid4(), artist_id=uuid4(), buyer_id=uuid4(), now=at)


def test_a_shipment_goes_from_paid_to_the_buyers_door() -> None:
    shipment = a_shipment()
    assert shipment.status is ShipmentStatus.AWAITING_SHIPMENT
    shipment.ship(TRACKING, NOW + timedelta(days=1))
    assert (shipment.carrier, shipment.tracking_number, shipment.tracking_url) == (
        "GIG Logistics",
        "GIG-123456",
        "https://giglogistics.com/track/GIG-123456",
    )
    assert shipment.confirm_delivery(NOW + timedelta(days=4), by=DeliveryConfirmer.BUYER)
    assert not shipment.confirm_delivery(NOW + timedelta(days=5), by=DeliveryConfirmer.BUYER)  # said twice
    assert [step.status for step in shipment.history] == [
        ShipmentStatus.AWAITING_SHIPMENT,
        ShipmentStatus.SHIPPED,
        ShipmentStatus.DELIVERED,
    ]
    assert (shipment.delivered_at, shipment.confirmed_by) == (
        NOW + timedelta(days=4),
        DeliveryConfirmer.BUYER,
    )
    assert shipment.closed_at == NOW + timedelta(days=4)


def test_a_problem_is_raised_by_the_buyer_and_resolved_by_an_admin() -> None:
    shipment = a_shipment()
    with pytest.raises(ShipmentStateConflict):
        shipment.report_problem("Nothing came", NOW)  # not shipped yet
    shipment.ship(TRACKING, NOW)
    with pytest.raises(InvalidProblemMessage):
        shipment.report_problem("  ", NOW)
    shipment.report_problem(" The frame arrived broken ", NOW + timedelta(days=3))
    assert (shipment.status, shipment.problem) == (
        ShipmentStatus.DELIVERY_PROBLEM,
        "The frame arrived broken",
    )
    with pytest.raises(ShipmentStateConflict):
        shipment.ship(TRACKING, NOW)
    shipment.resolve("Refunded in full; the buyer keeps the work", NOW + timedelta(days=4))
    assert shipment.status is ShipmentStatus.RESOLVED
    assert shipment.history[-1] == ShipmentStep(
        ShipmentStatus.RESOLVED, NOW + timedelta(days=4), "Refunded in full; the buyer keeps the work"
    )
    with pytest.raises(ShipmentStateConflict):
        shipment.confirm_delivery(NOW + timedelta(days=5), by=DeliveryConfirmer.BUYER)


def test_tracking_is_checked_and_known_carriers_get_their_link() -> None:
    assert Tracking.of(" DHL ", "JD014600", None).url == (
        "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=JD014600"
    )
    assert Tracking.of("FedEx", "7946 1234", "").url == "https://www.fedex.com/fedextrack/?trknbr=7946%201234"
    assert Tracking.of("Local courier", "LC-1", None).url is None
    with pytest.raises(InvalidCarrier):
        Tracking.of("", "1", None)
    with pytest.raises(InvalidTrackingNumber):
        Tracking.of("DHL", "<script>", None)
    for url in ("javascript:alert(1)", "ftp://x", "https://a b", "https://" + "x" * 500):
        with pytest.raises(InvalidTrackingUrl):
            Tracking.of("DHL", "1", url)


def test_the_artist_is_reminded_after_three_and_seven_days_once_each() -> None:
    shipment = a_shipment()
    assert shipment.due_reminder(NOW + timedelta(days=2, hours=23)) is None
    assert shipment.due_reminder(NOW + timedelta(days=3)) == 1
    shipment.mark_reminded(1)
    assert shipment.due_reminder(NOW + timedelta(days=5)) is None
    assert shipment.due_reminder(NOW + timedelta(days=7)) == 2
    shipment.mark_reminded(2)
    assert shipment.due_reminder(NOW + timedelta(days=30)) is None
    late = a_shipment()
    assert late.due_reminder(NOW + timedelta(days=9)) == 2  # after an outage, only the latest
    shipped = a_shipment()
    shipped.ship(TRACKING, NOW + timedelta(days=1))
    assert shipped.due_reminder(NOW + timedelta(days=8)) is None


def test_delivery_is_confirmed_automatically_only_for_a_quiet_shipment() -> None:
    after = timedelta(days=21)
    shipment = a_shipment()
    assert not shipment.confirmation_overdue(NOW + timedelta(days=40), after)  # never shipped
    shipment.ship(TRACKING, NOW)
    assert not shipment.confirmation_overdue(NOW + timedelta(days=20), after)
    assert shipment.confirmation_overdue(NOW + timedelta(days=21), after)
    shipment.report_problem("Lost", NOW + timedelta(days=10))
    assert not shipment.confirmation_overdue(NOW + timedelta(days=30), after)


def _order(status_paid: bool = True) -> Order:
    order = Order.place(
        id=uuid4(),
        buyer_id=uuid4(),
        artwork_id=uuid4(),
        artist_id=uuid4(),
        amount=Money.of(2_750_000, "NGN"),
        reference=f"am-{uuid4().hex}",
        split=PaymentSplit(Money.of(2_500_000, "NGN"), Money.of(250_000, "NGN"), None),
        now=NOW,
        reservation=timedelta(minutes=15),
        shipping=Money.of(250_000, "NGN"),
        buyer_contact=BuyerContact.of(full_name="Bola", phone="+2348031234567", email="b@example.com"),
        delivery_address=PostalAddress.of(name="Bola", lines=["1 Road"], city="Ikeja", country="NG"),
    )
    if status_paid:
        amount = order.amount
        order.confirm_payment(PaymentEvidence(order.reference, True, amount, amount, NOW, "success"), NOW)
    return order


def test_the_address_is_for_the_buyer_and_for_the_artist_until_30_days_after_delivery() -> None:
    order = _order()
    shipment = Shipment.start(order_id=order.id, artist_id=order.artist_id, buyer_id=order.buyer_id, now=NOW)
    stranger = uuid4()
    assert recipient_visible_to(order.buyer_id, order, shipment, NOW)
    assert recipient_visible_to(
        order.artist_id, order, shipment, NOW + timedelta(days=90)
    )  # not yet delivered
    assert not recipient_visible_to(stranger, order, shipment, NOW)
    assert not recipient_visible_to(order.artist_id, order, None, NOW)  # unpaid: no shipment yet
    shipment.ship(TRACKING, NOW)
    delivered = NOW + timedelta(days=5)
    shipment.confirm_delivery(delivered, by=DeliveryConfirmer.BUYER)
    assert recipient_visible_to(
        order.artist_id, order, shipment, delivered + ADDRESS_WINDOW - timedelta(seconds=1)
    )
    assert not recipient_visible_to(order.artist_id, order, shipment, delivered + ADDRESS_WINDOW)
    assert recipient_visible_to(order.buyer_id, order, shipment, delivered + timedelta(days=365))
    order.refund("damaged", NOW + timedelta(days=6))
    assert order.status is OrderStatus.REFUNDED
    assert not recipient_visible_to(order.artist_id, order, shipment, NOW + timedelta(days=6))


@given(st.sampled_from(list(ShipmentStatus)), st.sampled_from(list(ShipmentEvent)))
def test_the_transition_table_is_the_only_way_to_move(status: ShipmentStatus, event: ShipmentEvent) -> None:
    shipment = a_shipment()
    shipment.status = status
    before = list(shipment.history)
    actions: dict[ShipmentEvent, Callable[[], object]] = {
        ShipmentEvent.SHIP: lambda: shipment.ship(TRACKING, NOW),
        ShipmentEvent.CONFIRM_DELIVERY: lambda: shipment.confirm_delivery(NOW, by=DeliveryConfirmer.ADMIN),
        ShipmentEvent.REPORT_PROBLEM: lambda: shipment.report_problem("Lost", NOW),
        ShipmentEvent.RESOLVE: lambda: shipment.resolve("Refunded", NOW),
    }
    act = actions[event]
    target = TRANSITIONS.get((status, event))
    if target is not None:
        act()
        assert shipment.status is target
        assert shipment.history[-1].status is target
    elif status is ShipmentStatus.DELIVERED and event is ShipmentEvent.CONFIRM_DELIVERY:
        assert act() is False  # confirming again is harmless
        assert shipment.history == before
    else:
        with pytest.raises(ShipmentStateConflict):
            act()
        assert (shipment.status, shipment.history) == (status, before)


@settings(max_examples=60, stateful_step_count=25, deadline=None)
class ShipmentLife(RuleBasedStateMachine):
    """Every event at any time, legal or not."""

    @initialize()
    def paid(self) -> None:
        self.now = NOW
        self.shipment = a_shipment(NOW)

    @rule(hours=st.integers(min_value=0, max_value=24 * 10))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    def _try(self, action: object) -> None:
        before = (self.shipment.status, list(self.shipment.history), self.shipment.reminders_sent)
        try:
            action()  # type: ignore[operator]
        except ShipmentStateConflict:
            assert (self.shipment.status, self.shipment.history, self.shipment.reminders_sent) == before

    @rule(carrier=st.sampled_from(["DHL", "GIG Logistics"]))
    def artist_ships(self, carrier: str) -> None:
        self._try(lambda: self.shipment.ship(Tracking.of(carrier, "T-1", None), self.now))

    @rule(by=st.sampled_from(list(DeliveryConfirmer)))
    def someone_confirms_delivery(self, by: DeliveryConfirmer) -> None:
        self._try(lambda: self.shipment.confirm_delivery(self.now, by=by))

    @rule()
    def buyer_reports_a_problem(self) -> None:
        self._try(lambda: self.shipment.report_problem("It never came", self.now))

    @rule()
    def admin_resolves(self) -> None:
        self._try(lambda: self.shipment.resolve("Refunded", self.now))

    @rule()
    def scheduler_reminds(self) -> None:
        due = self.shipment.due_reminder(self.now)
        if due is not None:
            assert due > self.shipment.reminders_sent
            self.shipment.mark_reminded(due)

    @rule()
    def scheduler_auto_confirms(self) -> None:
        if self.shipment.confirmation_overdue(self.now, timedelta(days=21)):
            assert self.shipment.confirm_delivery(self.now, by=DeliveryConfirmer.AUTOMATIC)

    @invariant()
    def each_step_once_in_time_order_along_the_table(self) -> None:
        steps = self.shipment.history
        statuses = [step.status for step in steps]
        assert statuses[0] is ShipmentStatus.AWAITING_SHIPMENT
        assert len(statuses) == len(set(statuses))
        assert statuses[-1] is self.shipment.status
        assert all(a.at <= b.at for a, b in itertools.pairwise(steps))
        events = {target: event for (_, event), target in TRANSITIONS.items()}
        for a, b in itertools.pairwise(statuses):
            assert TRANSITIONS.get((a, events[b])) is b

    @invariant()
    def the_fields_tell_the_same_story(self) -> None:
        s = self.shipment
        statuses = {step.status for step in s.history}
        assert (s.shipped_at is not None) == (ShipmentStatus.SHIPPED in statuses)
        assert (s.tracking_number is not None) == (ShipmentStatus.SHIPPED in statuses)
        assert (s.delivered_at is not None) == (s.status is ShipmentStatus.DELIVERED)
        assert (s.confirmed_by is not None) == (s.status is ShipmentStatus.DELIVERED)
        assert (s.problem is not None) == (ShipmentStatus.DELIVERY_PROBLEM in statuses)
        assert (s.resolved_at is not None) == (s.status is ShipmentStatus.RESOLVED)
        assert (s.closed_at is not None) == (s.status in FINAL_STATUSES)
        assert 0 <= s.reminders_sent <= 2


TestShipmentLife = ShipmentLife.TestCase
