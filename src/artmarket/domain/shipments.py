"""Shipments: a paid physical work on its way from the artist to the buyer's door."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final
from urllib.parse import quote
from uuid import UUID

from artmarket.domain.errors import Conflict, InvalidValue
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order


class ShipmentStatus(enum.StrEnum):
    AWAITING_SHIPMENT = "awaiting_shipment"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    DELIVERY_PROBLEM = "delivery_problem"
    RESOLVED = "resolved"


class ShipmentEvent(enum.StrEnum):
    SHIP = "ship"
    CONFIRM_DELIVERY = "confirm_delivery"
    REPORT_PROBLEM = "report_problem"
    RESOLVE = "resolve"


#: The shipment life cycle. Anything not listed is refused with `ShipmentStateConflict`.
#: No status is ever entered twice, so an order's history lists each step once.
TRANSITIONS: Final[dict[tuple[ShipmentStatus, ShipmentEvent], ShipmentStatus]] = {
    (ShipmentStatus.AWAITING_SHIPMENT, ShipmentEvent.SHIP): ShipmentStatus.SHIPPED,
    (ShipmentStatus.SHIPPED, ShipmentEvent.CONFIRM_DELIVERY): ShipmentStatus.DELIVERED,
    (ShipmentStatus.SHIPPED, ShipmentEvent.REPORT_PROBLEM): ShipmentStatus.DELIVERY_PROBLEM,
    (ShipmentStatus.DELIVERY_PROBLEM, ShipmentEvent.RESOLVE): ShipmentStatus.RESOLVED,
    # The parcel turned up after all: the buyer (or an admin) confirms it.
    (ShipmentStatus.DELIVERY_PROBLEM, ShipmentEvent.CONFIRM_DELIVERY): ShipmentStatus.DELIVERED,
}
#: Statuses after which nothing happens to the shipment any more.
FINAL_STATUSES: Final = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.RESOLVED})

#: The artist is reminded after this long awaiting shipment (the n-th reminder, n = 1, 2).
REMINDERS: Final = (timedelta(days=3), timedelta(days=7))
#: How long after delivery (or resolution) the artist may still read the address.
ADDRESS_WINDOW: Final = timedelta(days=30)

CARRIER_MAX_LENGTH = 100
TRACKING_NUMBER_MAX_LENGTH = 100
TRACKING_URL_MAX_LENGTH = 500
MESSAGE_MAX_LENGTH = 2000

_TRACKING_NUMBER: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]*")
_URL: Final = re.compile(r"https?://[^\s<>\"'\\]+")
#: Tracking pages of carriers whose URL is known from the number alone (lower-case names).
CARRIER_TRACKING_URLS: Final = {
    "dhl": "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={}",
    "ups": "https://www.ups.com/track?tracknum={}",
}


class ShipmentStateConflict(Conflict):
    default_message = "The shipment's current status does not allow this."


class RefundedOrderNotShipped(Conflict):
    default_message = "This order was refunded: do not ship the work."


class InvalidCarrier(InvalidValue):
    default_message = f"A carrier has 1 to {CARRIER_MAX_LENGTH} characters."
    field = "carrier"


class InvalidTrackingNumber(InvalidValue):
    default_message = (
        f"A tracking number has 1 to {TRACKING_NUMBER_MAX_LENGTH} letters, digits, spaces, '.', '/' or '-'."
    )
    field = "tracking_number"


class InvalidTrackingUrl(InvalidValue):
    default_message = (
        f"A tracking URL is an http:// or https:// address of at most {TRACKING_URL_MAX_LENGTH} characters."
    )
    field = "tracking_url"


class InvalidProblemMessage(InvalidValue):
    default_message = f"Describe the problem in 1 to {MESSAGE_MAX_LENGTH} characters."
    field = "message"


class DeliveryConfirmer(enum.StrEnum):
    """Who said the work arrived."""

    BUYER = "buyer"
    ADMIN = "admin"
    AUTOMATIC = "automatic"


@dataclass(frozen=True, slots=True)
class ShipmentStep:
    status: ShipmentStatus
    at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Tracking:
    """The carrier and tracking number the artist gave, and where the buyer follows the parcel."""

    carrier: str
    number: str
    url: str | None

    @classmethod
    def of(cls, carrier: object, number: object, url: object = None) -> Tracking:
        name = " ".join(carrier.split()) if isinstance(carrier, str) else ""
        if not 1 <= len(name) <= CARRIER_MAX_LENGTH:
            raise InvalidCarrier()
        code = number.strip() if isinstance(number, str) else ""
        if len(code) > TRACKING_NUMBER_MAX_LENGTH or not _TRACKING_NUMBER.fullmatch(code):
            raise InvalidTrackingNumber()
        link = url.strip() if isinstance(url, str) else None
        if link:
            if len(link) > TRACKING_URL_MAX_LENGTH or not _URL.fullmatch(link):
                raise InvalidTrackingUrl()
        else:
            template = CARRIER_TRACKING_URLS.get(re.sub(r"[^a-z]", "", name.lower()))
            link = template.format(quote(code, safe="")) if template else None
        return cls(name, code, link)


def problem_message(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not 1 <= len(text) <= MESSAGE_MAX_LENGTH:
        raise InvalidProblemMessage()
    return text


@dataclass(eq=False)
class Shipment:
    """The delivery of one paid order of a physical work; its id is the order's.

    awaiting_shipment → shipped (carrier, tracking) → delivered (confirmed by the buyer,
    by an admin with a reason, or automatically after a quiet period); shipped →
    delivery_problem (the buyer's message) → resolved (an admin, with a reason), or →
    delivered when the parcel turns up after all. Every step is kept with its time.
    """

    order_id: UUID
    artist_id: UUID
    buyer_id: UUID
    awaiting_since: datetime
    status: ShipmentStatus = ShipmentStatus.AWAITING_SHIPMENT
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    confirmed_by: DeliveryConfirmer | None = None
    problem: str | None = None
    problem_reported_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: str | None = None
    #: How many of the `REMINDERS` the artist has had.
    reminders_sent: int = 0
    history: list[ShipmentStep] = field(default_factory=list)

    @classmethod
    def start(cls, *, order_id: UUID, artist_id: UUID, buyer_id: UUID, now: datetime) -> Shipment:
        """The order was paid: the artist now has a work to ship."""
        shipment = cls(order_id=order_id, artist_id=artist_id, buyer_id=buyer_id, awaiting_since=now)
        shipment.history.append(ShipmentStep(ShipmentStatus.AWAITING_SHIPMENT, now))
        return shipment

    def _apply(self, event: ShipmentEvent, now: datetime, note: str | None) -> None:
        target = TRANSITIONS.get((self.status, event))
        if target is None:
            state, action = self.status.value.replace("_", " "), event.value.replace("_", " ")
            raise ShipmentStateConflict(
                "A shipment that is {state} cannot {action}.", state=state, action=action
            )
        self.status = target
        self.history.append(ShipmentStep(target, now, note))

    def _allows(self, event: ShipmentEvent) -> bool:
        return (self.status, event) in TRANSITIONS

    @property
    def can_confirm_delivery(self) -> bool:
        """Shipped, or a problem was reported and the parcel turned up after all."""
        return self._allows(ShipmentEvent.CONFIRM_DELIVERY)

    @property
    def can_report_problem(self) -> bool:
        return self._allows(ShipmentEvent.REPORT_PROBLEM)

    @property
    def can_be_resolved(self) -> bool:
        return self._allows(ShipmentEvent.RESOLVE)

    def check_may_ship(self, order: Order) -> None:
        """A refunded order's work is not shipped (whether the shipment may be shipped is `ship`'s rule)."""
        if order.status is OrderStatus.REFUNDED:
            raise RefundedOrderNotShipped()

    def may_ship(self, order: Order) -> bool:
        """The artist may mark the work shipped: `check_may_ship` and `ship` both accept."""
        try:
            self.check_may_ship(order)
        except RefundedOrderNotShipped:
            return False
        return self._allows(ShipmentEvent.SHIP)

    def ship(self, tracking: Tracking, now: datetime) -> None:
        """awaiting_shipment → shipped, with the carrier's tracking."""
        self._apply(ShipmentEvent.SHIP, now, f"{tracking.carrier} {tracking.number}")
        self.carrier, self.tracking_number, self.tracking_url = (
            tracking.carrier,
            tracking.number,
            tracking.url,
        )
        self.shipped_at = now

    def confirm_delivery(self, now: datetime, *, by: DeliveryConfirmer, note: str | None = None) -> bool:
        """shipped | delivery_problem → delivered; False (nothing changes) when already delivered."""
        if self.status is ShipmentStatus.DELIVERED:
            return False
        self._apply(ShipmentEvent.CONFIRM_DELIVERY, now, note or f"confirmed by {by.value}")
        self.delivered_at = now
        self.confirmed_by = by
        return True

    def report_problem(self, message: str, now: datetime) -> None:
        """shipped → delivery_problem: the buyer says something went wrong."""
        text = problem_message(message)
        self._apply(ShipmentEvent.REPORT_PROBLEM, now, text)
        self.problem = text
        self.problem_reported_at = now

    def resolve(self, reason: str, now: datetime) -> None:
        """delivery_problem → resolved, by an admin with a reason."""
        self._apply(ShipmentEvent.RESOLVE, now, reason)
        self.resolution = reason
        self.resolved_at = now

    @property
    def closed_at(self) -> datetime | None:
        """When the shipment ended (delivered or resolved)."""
        return self.delivered_at if self.status is ShipmentStatus.DELIVERED else self.resolved_at

    def address_visible_to_artist(self, now: datetime) -> bool:
        """From payment until 30 days after the shipment ended."""
        closed = self.closed_at
        return closed is None or now < closed + ADDRESS_WINDOW

    def due_reminder(self, now: datetime) -> int | None:
        """The reminder the artist should get now (1 or 2), if any: only the latest one due."""
        if self.status is not ShipmentStatus.AWAITING_SHIPMENT:
            return None
        due = sum(1 for after in REMINDERS if self.awaiting_since + after <= now)
        return due if due > self.reminders_sent else None

    def mark_reminded(self, reminder: int) -> None:
        self.reminders_sent = max(self.reminders_sent, reminder)

    def confirmation_overdue(self, now: datetime, after: timedelta) -> bool:
        """Shipped `after` ago without a problem: delivery is confirmed automatically."""
        return (
            self.status is ShipmentStatus.SHIPPED
            and self.shipped_at is not None
            and self.shipped_at + after <= now
        )


def recipient_visible_to(viewer_id: UUID, order: Order, shipment: Shipment | None, now: datetime) -> bool:
    """Who may read an order's delivery address and the buyer's phone: the buyer, always; the
    artist of the order from payment until 30 days after delivery (never for a refunded
    order); nobody else, administrators included."""
    if viewer_id == order.buyer_id:
        return True
    return (
        viewer_id == order.artist_id
        and shipment is not None
        and order.status is not OrderStatus.REFUNDED
        and shipment.address_visible_to_artist(now)
    )
