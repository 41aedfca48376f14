"""Delivery use cases: saved addresses, the artist ships, the buyer confirms, admins resolve.

Every change of a shipment is one transaction with the outbox message it causes (the
buyer's "shipped" email, the artist's reminders, the admins' alert).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, Final
from uuid import UUID

from artmarket.application.audit import Actor
from artmarket.application.audited_steps import AuditedSteps
from artmarket.application.checkout_details import AddressInput
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.messages import DeliveryProblemReported, ShipmentReminderDue, ShipmentShipped
from artmarket.application.messaging import OutboxMessage
from artmarket.application.order_views import OrderView, Recipient, order_view, recipient_for
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.principal import Principal
from artmarket.application.shipping.ports import SavedAddress
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import reason_text
from artmarket.domain.audit import AuditAction
from artmarket.domain.catalog import Artwork
from artmarket.domain.errors import Conflict, NotFound
from artmarket.domain.orders import Order
from artmarket.domain.shipments import (
    REMINDERS,
    DeliveryConfirmer,
    Shipment,
    ShipmentStatus,
    Tracking,
)

#: The most addresses one buyer keeps.
MAX_SAVED_ADDRESSES: Final = 20


class TooManySavedAddresses(Conflict):
    default_message = f"You can keep at most {MAX_SAVED_ADDRESSES} addresses; delete one first."


class NothingToShip(Conflict):
    default_message = "This order is of a digital work, or it is not paid: there is nothing to ship."


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How long a shipped work waits for the buyer's word before delivery is confirmed for them."""

    auto_confirm_after: timedelta


class ListSavedAddresses:
    """The caller's saved delivery addresses, newest first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal) -> Sequence[SavedAddress]:
        async with self._uow as uow:
            return await uow.saved_addresses.list_for_buyer(principal.id)


class SaveAddress:
    """A buyer keeps a delivery address for later purchases (checked like one given at checkout).

    Rules: at most 20 per buyer; invalid parts → 422 naming the field.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, principal: Principal, typed: AddressInput) -> SavedAddress:
        address = typed.to_address()
        saved = SavedAddress(self._ids.new_id(), principal.id, address, self._clock.now())
        async with self._uow as uow:
            if len(await uow.saved_addresses.list_for_buyer(principal.id)) >= MAX_SAVED_ADDRESSES:
                raise TooManySavedAddresses()
            await uow.saved_addresses.add(saved)
            await uow.commit()
        return saved


class DeleteSavedAddress:
    """A buyer forgets one of their saved addresses; another buyer's is 404. Orders keep theirs."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, address_id: UUID) -> None:
        async with self._uow as uow:
            saved = await uow.saved_addresses.get(address_id)
            if saved is None or saved.buyer_id != principal.id:
                raise NotFound("No such saved address.")
            await uow.saved_addresses.remove(address_id)
            await uow.commit()


@dataclass(frozen=True, slots=True)
class ShipmentView:
    """One shipment as its artist sees it; the recipient only while the address window is open."""

    shipment: Shipment
    order: Order
    artwork: Artwork | None
    recipient: Recipient | None


class ListMyShipments:
    """The artist's shipments (paid orders of their physical works, refunded ones left out),
    newest first, optionally of one status; each with the buyer's name, phone and address
    from payment until 30 days after delivery."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self,
        principal: Principal,
        *,
        status: ShipmentStatus | None,
        before: tuple[datetime, UUID] | None,
        limit: int,
    ) -> Sequence[ShipmentView]:
        now = self._clock.now()
        views = []
        async with self._uow as uow:
            found = await uow.shipments.list_for_artist(
                principal.id, status=status, before=before, limit=limit
            )
            # Two lookups per shipment, bounded by the page size (at most 100).
            for shipment in found:
                order = await uow.orders.get(shipment.order_id)
                if order is None:
                    continue
                recipient = recipient_for(principal.id, order, shipment, now)
                views.append(
                    ShipmentView(shipment, order, await uow.artworks.get(order.artwork_id), recipient)
                )
        return views


async def _order_and_shipment(
    uow: UnitOfWork, order_id: UUID, party: UUID, role: str
) -> tuple[Order, Shipment]:
    """The order (404 unless `party` is its `role`, buyer or artist) and its shipment (409 if none)."""
    order = await uow.orders.get(order_id)
    owner = None if order is None else (order.buyer_id if role == "buyer" else order.artist_id)
    if order is None or owner != party:
        raise NotFound("No such order.")
    shipment = await uow.shipments.get(order.id)
    if shipment is None:
        raise NothingToShip()
    return order, shipment


class MarkShipped:
    """The artist hands the work to a carrier: awaiting shipment → shipped, with the tracking.

    Rules: only the order's artist (anyone else: 404); a refunded order is not shipped
    (409); the tracking URL is optional (made from the number for DHL, FedEx and UPS);
    the buyer is emailed the carrier, the tracking number and the link.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(
        self,
        principal: Principal,
        order_id: UUID,
        *,
        carrier: str,
        tracking_number: str,
        tracking_url: str | None,
    ) -> OrderView:
        tracking = Tracking.of(carrier, tracking_number, tracking_url)
        now = self._clock.now()
        async with self._uow as uow:
            order, shipment = await _order_and_shipment(uow, order_id, principal.id, "artist")
            shipment.check_may_ship(order)
            shipment.ship(tracking, now)
            uow.outbox.add(OutboxMessage.of(ShipmentShipped(order.id), self._ids.new_id(), now))
            await uow.commit()
            return await order_view(uow, order, principal.id, now)


class ConfirmDelivery:
    """The buyer confirms the work arrived: shipped (or delivery problem) → delivered.

    Rules: only the order's buyer (anyone else, the artist included: 404); confirming
    again changes nothing.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, order_id: UUID) -> OrderView:
        now = self._clock.now()
        async with self._uow as uow:
            order, shipment = await _order_and_shipment(uow, order_id, principal.id, "buyer")
            if shipment.confirm_delivery(now, by=DeliveryConfirmer.BUYER):
                await uow.commit()
            return await order_view(uow, order, principal.id, now)


class ReportDeliveryProblem:
    """The buyer reports a problem with a shipped work (lost, damaged, wrong item): → delivery problem.

    Rules: only the order's buyer (404 otherwise); a message of 1 to 2000 characters;
    administrators are alerted by email and resolve it.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, principal: Principal, order_id: UUID, *, message: str) -> OrderView:
        now = self._clock.now()
        async with self._uow as uow:
            order, shipment = await _order_and_shipment(uow, order_id, principal.id, "buyer")
            shipment.report_problem(message, now)
            problem = DeliveryProblemReported(order.id)
            uow.outbox.add(OutboxMessage.of(problem, self._ids.new_id(), now))
            await uow.commit()
            return await order_view(uow, order, principal.id, now)


class _AdminShipmentStep:
    """An admin's audited step on an order's shipment, with a reason; subclasses name the step."""

    action: ClassVar[AuditAction]

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._steps = AuditedSteps(uow, ids, clock)

    async def __call__(self, actor: Actor, order_id: UUID, *, reason: str) -> OrderView:
        reason = reason_text(reason)
        async with self._steps.begin(actor, self.action, ("order", order_id), reason=reason) as step:
            order = await step.uow.orders.get(order_id)
            shipment = None if order is None else await step.uow.shipments.get(order_id)
            if order is None or shipment is None:
                raise NotFound("No such shipment.")
            self._apply(shipment, reason, step.now)
            await step.commit()
            return await order_view(step.uow, order, None, step.now)

    def _apply(self, shipment: Shipment, reason: str, now: datetime) -> None:
        raise NotImplementedError


class ResolveDeliveryProblem(_AdminShipmentStep):
    """An admin closes a delivery problem with a reason (refunded, replaced, found): → resolved; audited."""

    action = AuditAction.SHIPMENT_RESOLVE

    def _apply(self, shipment: Shipment, reason: str, now: datetime) -> None:
        shipment.resolve(reason, now)


class ConfirmDeliveryForBuyer(_AdminShipmentStep):
    """An admin records that a shipped work arrived (the buyer told support, the carrier proved it),
    with a reason: shipped or delivery problem → delivered; audited."""

    action = AuditAction.SHIPMENT_CONFIRM_DELIVERY

    def _apply(self, shipment: Shipment, reason: str, now: datetime) -> None:
        if not shipment.confirm_delivery(now, by=DeliveryConfirmer.ADMIN, note=reason):
            raise Conflict("This shipment is already delivered.")


class RemindArtistsToShip:
    """Periodic: an artist whose paid work waits 3 days to be shipped is reminded by email, and again at 7.

    A reminder is recorded on the shipment with its outbox message, so each is sent once;
    after an outage only the latest reminder due is sent.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, *, limit: int = 100) -> int:
        now = self._clock.now()
        reminded = 0
        async with self._uow as uow:
            waiting = await uow.shipments.awaiting_before(
                now - REMINDERS[0], reminders_below=len(REMINDERS), limit=limit
            )
            for shipment in waiting:
                reminder = shipment.due_reminder(now)
                if reminder is None:
                    continue
                shipment.mark_reminded(reminder)
                due = ShipmentReminderDue(shipment.order_id, reminder)
                uow.outbox.add(OutboxMessage.of(due, self._ids.new_id(), now))
                reminded += 1
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return 0  # the artist shipped meanwhile, or another scheduler did this: next run
        return reminded


class ConfirmOverdueDeliveries:
    """Periodic: a work shipped `auto_confirm_after` ago (21 days by default) without a reported
    problem is confirmed delivered on the buyer's behalf."""

    def __init__(self, uow: UnitOfWork, clock: Clock, policy: DeliveryPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, *, limit: int = 100) -> int:
        now = self._clock.now()
        after = self._policy.auto_confirm_after
        days = after.days
        async with self._uow as uow:
            overdue = await uow.shipments.shipped_before(now - after, limit=limit)
            for shipment in overdue:
                shipment.confirm_delivery(
                    now,
                    by=DeliveryConfirmer.AUTOMATIC,
                    note=f"confirmed automatically {days} days after shipping, no problem reported",
                )
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return 0  # a buyer acted meanwhile: the next run takes the rest
        return len(overdue)
