"""Admin console use cases: the orders table, refunds, user moderation, take-downs, the audit log.

Every action is recorded on the audit log in the same transaction as the change itself,
naming the admin, the request (or CLI command) and the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final, Generic, TypeVar
from uuid import UUID

from artmarket.application.admin.ports import AdminOrderQueries, OrderFilter, OrderRow
from artmarket.application.audit import Actor, AuditFilter, record_audit
from artmarket.application.catalog.cursor import CursorCodec
from artmarket.application.catalog.images import store_images_as_listed
from artmarket.application.catalog.ports import GalleryPosition
from artmarket.application.checkout.ports import PaymentEventRecord
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.media import ContentStore
from artmarket.application.payments.ports import PaymentGateway, PaymentRequestRejected
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import reason_text
from artmarket.domain.audit import AuditAction, AuditEntry
from artmarket.domain.catalog import Artwork
from artmarket.domain.certificates import MintJob
from artmarket.domain.errors import Conflict, InvalidValue, NotFound
from artmarket.domain.identity import Role, User, UserStatus, check_not_self_suspension
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order
from artmarket.domain.shipments import Shipment
from artmarket.domain.text import check_text

T = TypeVar("T")

ORDERS_LISTING: Final = "admin-orders"
USERS_LISTING: Final = "admin-users"
AUDIT_LISTING: Final = "audit-log"
#: The most rows one CSV export holds; narrow the filter for more.
EXPORT_MAX_ROWS: Final = 50_000


class InvalidDateRange(InvalidValue):
    default_message = "`from` must be before `to`."
    field = "from"


class ExportTooLarge(InvalidValue):
    default_message = f"The export is limited to {EXPORT_MAX_ROWS} orders; narrow the filter."
    field = "q"


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


def decode_position(cursors: CursorCodec, cursor: str | None, listing: str) -> tuple[datetime, UUID] | None:
    """The (time, id) a signed cursor of `listing` points after; None for the first page."""
    if not cursor:
        return None
    position = cursors.decode(cursor, listing, "newest")
    try:
        moment = datetime.fromisoformat(str(position.key))
    except ValueError as error:
        raise InvalidValue("The cursor is not valid for this listing; start again without it.") from error
    return moment, position.id


def next_page_cursor(cursors: CursorCodec, listing: str, last: tuple[datetime, UUID] | None) -> str | None:
    if last is None:
        return None
    return cursors.encode(listing, "newest", GalleryPosition(last[0].isoformat(), last[1]))


def _check_range(where: OrderFilter) -> None:
    if where.created_from and where.created_to and where.created_from >= where.created_to:
        raise InvalidDateRange()


def _resolved(where: OrderFilter, clock: Clock) -> OrderFilter:
    """The filter with "awaiting shipment for more than N days" as an instant."""
    _check_range(where)
    if where.awaiting_shipment_days is None:
        return where
    if where.awaiting_shipment_days < 0:
        raise InvalidValue("A number of days is 0 or more.", field="awaiting_shipment_days")
    before = clock.now() - timedelta(days=where.awaiting_shipment_days)
    return replace(where, awaiting_shipment_before=before)


class ListOrders:
    """The admin orders table: newest first, filtered by status, currency and creation time
    (`from` inclusive, `to` exclusive), by shipment status or shipments awaiting for more
    than N days, searched by reference, buyer email or artwork title; signed keyset cursors."""

    def __init__(self, queries: AdminOrderQueries, cursors: CursorCodec, clock: Clock) -> None:
        self._queries = queries
        self._cursors = cursors
        self._clock = clock

    async def __call__(self, where: OrderFilter, *, cursor: str | None, limit: int) -> Page[OrderRow]:
        where = _resolved(where, self._clock)
        before = decode_position(self._cursors, cursor, ORDERS_LISTING)
        found = await self._queries.search(where, before=before, limit=limit + 1)
        items = list(found[:limit])
        last = (items[-1].created_at, items[-1].id) if len(found) > limit and items else None
        return Page(items, next_page_cursor(self._cursors, ORDERS_LISTING, last))


class ExportOrders:
    """Every order the same filter lists, newest first, for a CSV export (at most 50,000)."""

    def __init__(self, queries: AdminOrderQueries, clock: Clock) -> None:
        self._queries = queries
        self._clock = clock

    async def __call__(self, where: OrderFilter, *, batch: int = 500) -> Sequence[OrderRow]:
        where = _resolved(where, self._clock)
        rows: list[OrderRow] = []
        before: tuple[datetime, UUID] | None = None
        while True:
            found = await self._queries.search(where, before=before, limit=batch)
            rows.extend(found)
            if len(rows) > EXPORT_MAX_ROWS:
                raise ExportTooLarge()
            if len(found) < batch:
                return rows
            before = (found[-1].created_at, found[-1].id)


@dataclass(frozen=True, slots=True)
class AdminOrderView:
    order: Order
    artwork: Artwork | None
    buyer: User | None
    payment_events: Sequence[PaymentEventRecord]
    #: The order's certificate job, with its attempts and last error (None before payment).
    mint_job: MintJob | None = None
    #: The shipment of a physical work (None for digital works and before payment).
    shipment: Shipment | None = None


class GetOrderForAdmin:
    """One order with its buyer, artwork, every payment-provider event, its mint job and its
    shipment (never the delivery address or the buyer's phone)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, order_id: UUID) -> AdminOrderView:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None:
                raise NotFound("No such order.")
            return AdminOrderView(
                order,
                await uow.artworks.get(order.artwork_id),
                await uow.users.get(order.buyer_id),
                await uow.payment_events.list_for_reference(order.reference),
                await uow.mint_jobs.get_for_order(order.id),
                await uow.shipments.get(order.id) if order.needs_shipping else None,
            )


class RefundOrder:
    """An admin refunds a paid or completed order in full through the payment provider.

    Rules: a reason is required; the refund is claimed on the order (and audited) in one
    transaction before the provider is called, so a second request — however fast — is a
    409 and never reaches the provider; the provider is called outside any transaction;
    its acceptance refunds the order (refund status `pending`, then moved by `refund.*`
    webhooks until Paystack reports it processed); a refusal drops the claim and flags the
    order; when the provider cannot be reached the claim stays (the outcome is unknown,
    and a refund webhook settles it) and the order is flagged. The artwork stays sold and
    the certificate is left as it is.
    """

    def __init__(self, uow: UnitOfWork, gateway: PaymentGateway, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._gateway = gateway
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, order_id: UUID, *, reason: str) -> Order:
        reason = reason_text(reason)
        now = self._clock.now()
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None:
                raise NotFound("No such order.")
            order.request_refund(reason, now)
            record_audit(
                uow.audit_log,
                actor,
                AuditAction.ORDER_REFUND,
                ("order", order.id),
                reason=reason,
                ids=self._ids,
                now=now,
            )
            try:
                await uow.commit()
            except ConcurrentUpdate:
                raise Conflict(
                    "Someone else changed this order at the same time; look at it again."
                ) from None
        try:
            await self._gateway.refund(order.reference, amount=order.amount, reason=reason)
        except PaymentRequestRejected as error:
            await self._record_refusal(actor, order_id, error.message)
            raise
        except Exception:
            await self._flag(order_id, "The refund request's outcome is unknown; check the payment provider.")
            raise
        for _ in range(3):
            try:
                return await self._refunded(order_id, reason)
            except ConcurrentUpdate:
                continue  # a refund webhook moved the order meanwhile: read it again
        return await self._refunded(order_id, reason)

    async def _refunded(self, order_id: UUID, reason: str) -> Order:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None:
                raise NotFound("No such order.")
            if order.status is not OrderStatus.REFUNDED:
                order.refund(reason, self._clock.now())
                await uow.commit()
        return order

    async def _record_refusal(self, actor: Actor, order_id: UUID, problem: str) -> None:
        now = self._clock.now()
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is None:
                return
            order.refund_request_failed(problem)
            record_audit(
                uow.audit_log,
                actor,
                AuditAction.ORDER_REFUND_FAILED,
                ("order", order.id),
                reason=problem,
                ids=self._ids,
                now=now,
            )
            await uow.commit()

    async def _flag(self, order_id: UUID, note: str) -> None:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            if order is not None:
                order.flag(note)
                await uow.commit()


@dataclass(frozen=True, slots=True)
class UserFilter:
    role: Role | None = None
    status: UserStatus | None = None
    q: str | None = None

    def __post_init__(self) -> None:
        if self.q is not None:
            check_text(self.q, field="q")  # as in `OrderFilter`


class BrowseUsers:
    """Users newest first, by role and status, searched by email or display name; signed cursors."""

    def __init__(self, uow: UnitOfWork, cursors: CursorCodec) -> None:
        self._uow = uow
        self._cursors = cursors

    async def __call__(self, where: UserFilter, *, cursor: str | None, limit: int) -> Page[User]:
        before = decode_position(self._cursors, cursor, USERS_LISTING)
        async with self._uow as uow:
            found = await uow.users.list(
                role=where.role, status=where.status, q=where.q, before=before, limit=limit + 1
            )
        items = list(found[:limit])
        last = (items[-1].created_at, items[-1].id) if len(found) > limit and items else None
        return Page(items, next_page_cursor(self._cursors, USERS_LISTING, last))


class SuspendUser:
    """An admin suspends an account with a reason.

    Rules: the user can no longer sign in, and every session is revoked; an artist's
    works disappear from the gallery, the artist directory and their pages, and new orders
    on them are refused (404); reservations already made are honoured (the buyer may still
    pay and the sale completes); admins cannot suspend themselves.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, user_id: UUID, *, reason: str) -> User:
        reason = reason_text(reason)
        check_not_self_suspension(user_id, actor.user_id)
        now = self._clock.now()
        async with self._uow as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise NotFound("No such user.")
            user.suspend(reason)
            for family in await uow.token_families.list_live_for_user(user.id):
                family.revoke("account suspended", now)
            if user.has_role(Role.ARTIST):
                await uow.artworks.mark_artist_suspended(user.id, True)
            record_audit(
                uow.audit_log,
                actor,
                AuditAction.USER_SUSPEND,
                ("user", user.id),
                reason=reason,
                ids=self._ids,
                now=now,
            )
            await uow.commit()
        return user


class ReinstateUser:
    """An admin lifts a suspension with a reason; an artist's works are shown again as they were."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, user_id: UUID, *, reason: str) -> User:
        reason = reason_text(reason)
        now = self._clock.now()
        async with self._uow as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise NotFound("No such user.")
            user.reinstate(reason)
            if user.has_role(Role.ARTIST):
                await uow.artworks.mark_artist_suspended(user.id, False)
            record_audit(
                uow.audit_log,
                actor,
                AuditAction.USER_REINSTATE,
                ("user", user.id),
                reason=reason,
                ids=self._ids,
                now=now,
            )
            await uow.commit()
        return user


class UnpublishArtwork:
    """An admin takes a draft or published work down with a reason (→ withdrawn).

    The artist cannot publish it again; a reserved or sold work is refused (409): its
    order stands, refund that instead. Its images become private files.
    """

    def __init__(self, uow: UnitOfWork, store: ContentStore, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, artwork_id: UUID, *, reason: str) -> Artwork:
        reason = reason_text(reason)
        now = self._clock.now()
        async with self._uow as uow:
            artwork = await uow.artworks.get(artwork_id)
            if artwork is None:
                raise NotFound("No such artwork.")
            artwork.take_down(reason, now)
            await store_images_as_listed(self._store, artwork)
            record_audit(
                uow.audit_log,
                actor,
                AuditAction.ARTWORK_UNPUBLISH,
                ("artwork", artwork.id),
                reason=reason,
                ids=self._ids,
                now=now,
            )
            await uow.commit()
        return artwork


class ReadAuditLog:
    """The audit log, newest first, optionally of one action, actor or target; signed cursors."""

    def __init__(self, uow: UnitOfWork, cursors: CursorCodec) -> None:
        self._uow = uow
        self._cursors = cursors

    async def __call__(self, where: AuditFilter, *, cursor: str | None, limit: int) -> Page[AuditEntry]:
        before = decode_position(self._cursors, cursor, AUDIT_LISTING)
        async with self._uow as uow:
            found = await uow.audit_log.list(where, before=before, limit=limit + 1)
        items = list(found[:limit])
        last = (items[-1].at, items[-1].id) if len(found) > limit and items else None
        return Page(items, next_page_cursor(self._cursors, AUDIT_LISTING, last))
