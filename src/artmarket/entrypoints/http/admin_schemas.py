"""msgspec structs of the admin console and the dashboards."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from artmarket.application.admin.orders import AdminOrderView
from artmarket.application.admin.ports import OrderRow
from artmarket.application.dashboards.use_cases import ArtistDashboard
from artmarket.application.payments.records import PaymentEventRecord
from artmarket.domain.audit import AuditEntry
from artmarket.entrypoints.http.catalog_schemas import MoneyIO
from artmarket.entrypoints.http.checkout_schemas import OrderOut
from artmarket.entrypoints.http.minting_schemas import MintJobOut
from artmarket.entrypoints.http.schemas import UserOut


class ReasonIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class BuyerRef(msgspec.Struct):
    id: UUID
    email: str
    display_name: str


class AdminOrderRowOut(msgspec.Struct):
    id: UUID
    reference: str
    status: str
    amount: MoneyIO
    artist_share: MoneyIO
    platform_fee: MoneyIO
    buyer: BuyerRef
    artwork: dict[str, Any]
    artist_id: UUID
    created_at: datetime
    paid_at: datetime | None
    refund_status: str | None
    needs_attention: str | None
    shipping: MoneyIO | None = None
    shipment_status: str | None = None
    awaiting_shipment_since: datetime | None = None
    #: The country a physical work goes to; admins never see the address itself.
    destination_country: str | None = None
    #: The print of a limited edition the order holds (null for a unique work).
    edition_number: int | None = None

    @classmethod
    def of(cls, row: OrderRow) -> AdminOrderRowOut:
        return cls(
            id=row.id,
            reference=row.reference,
            status=row.status.value,
            amount=MoneyIO.of(row.amount),
            artist_share=MoneyIO.of(row.artist_share),
            platform_fee=MoneyIO.of(row.platform_fee),
            buyer=BuyerRef(row.buyer_id, row.buyer_email, row.buyer_name),
            artwork={"id": str(row.artwork_id), "title": row.artwork_title},
            artist_id=row.artist_id,
            created_at=row.created_at,
            paid_at=row.paid_at,
            refund_status=row.refund_status.value if row.refund_status else None,
            needs_attention=row.attention,
            shipping=MoneyIO.of(row.shipping) if row.shipping else None,
            shipment_status=row.shipment_status.value if row.shipment_status else None,
            awaiting_shipment_since=row.awaiting_shipment_since,
            destination_country=row.destination_country,
            edition_number=row.edition_number,
        )


class AdminOrderList(msgspec.Struct):
    items: list[AdminOrderRowOut]
    next_cursor: str | None


class PaymentEventOut(msgspec.Struct):
    key: str
    provider: str
    event: str
    received_at: datetime
    payload: dict[str, Any]

    @classmethod
    def of(cls, e: PaymentEventRecord) -> PaymentEventOut:
        return cls(e.key, e.provider, e.event, e.received_at, dict(e.payload))


class AdminOrderOut(msgspec.Struct):
    """The order as its buyer sees it, plus the buyer, every payment event and the mint job
    (its attempts and last error)."""

    order: OrderOut
    buyer: BuyerRef | None
    payment_events: list[PaymentEventOut]
    mint_job: MintJobOut | None

    @classmethod
    def of(cls, view: AdminOrderView) -> AdminOrderOut:
        buyer = view.buyer
        return cls(
            order=OrderOut.of(view.order, view.artwork, view.shipment),
            buyer=BuyerRef(buyer.id, str(buyer.email), str(buyer.display_name)) if buyer else None,
            payment_events=[PaymentEventOut.of(e) for e in view.payment_events],
            mint_job=MintJobOut.of(view.mint_job) if view.mint_job else None,
        )


class AdminUserOut(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    roles: list[str]
    status: str
    status_reason: str | None
    created_at: datetime


def admin_user(user: Any) -> AdminUserOut:
    base = UserOut.of(user)
    return AdminUserOut(
        base.id, base.email, base.display_name, base.roles, base.status, user.status_reason, base.created_at
    )


class AdminUserList(msgspec.Struct):
    items: list[AdminUserOut]
    next_cursor: str | None


class AuditEntryOut(msgspec.Struct):
    id: UUID
    at: datetime
    actor: dict[str, str]
    action: str
    target: dict[str, str]
    reason: str | None
    request_id: str | None
    channel: str

    @classmethod
    def of(cls, e: AuditEntry) -> AuditEntryOut:
        return cls(
            id=e.id,
            at=e.at,
            actor={"id": str(e.actor_id), "email": e.actor_email},
            action=e.action,
            target={"type": e.target_type, "id": e.target_id},
            reason=e.reason,
            request_id=e.request_id,
            channel=e.channel.value,
        )


class AuditLogOut(msgspec.Struct):
    items: list[AuditEntryOut]
    next_cursor: str | None


class SaleOut(msgspec.Struct):
    """`amount` is `price` (the artwork) plus `shipping`."""

    order_id: UUID
    artwork: dict[str, str]
    buyer_display_name: str
    amount: MoneyIO
    artist_share: MoneyIO
    status: str
    paid_at: datetime
    price: MoneyIO | None = None
    shipping: MoneyIO | None = None


class MonthOut(msgspec.Struct):
    month: str
    amount: MoneyIO
    artist_share: MoneyIO
    orders: int
    artwork: MoneyIO | None = None
    shipping: MoneyIO | None = None


class RevenueOut(msgspec.Struct):
    """One amount per currency in `total` and `artist_share`; `by_month` has one entry per
    month and currency (oldest first). Only paid, minting and completed orders count.
    `total` is artwork revenue (`artwork`) plus what buyers paid for shipping (`shipping`)."""

    total: list[MoneyIO]
    artist_share: list[MoneyIO]
    by_month: list[MonthOut]
    artwork: list[MoneyIO] = msgspec.field(default_factory=list)
    shipping: list[MoneyIO] = msgspec.field(default_factory=list)


class TopWorkOut(msgspec.Struct):
    id: UUID
    title: str
    status: str
    favorites_count: int


class PayoutsOut(msgspec.Struct):
    state: str
    bank_code: str | None = None
    account_number_last4: str | None = None
    subaccount_code: str | None = None
    commission_percent: int | None = None
    updated_at: datetime | None = None


class ArtistDashboardOut(msgspec.Struct):
    """`revenue` holds one entry per currency: amounts in different currencies are never added."""

    artworks_by_status: dict[str, int]
    sales: list[SaleOut]
    revenue: RevenueOut
    top_works: list[TopWorkOut]
    payouts: PayoutsOut

    @classmethod
    def of(cls, d: ArtistDashboard) -> ArtistDashboardOut:
        account = d.payout_account
        return cls(
            artworks_by_status={status.value: count for status, count in d.artworks_by_status.items()},
            sales=[
                SaleOut(
                    s.order_id,
                    {"id": str(s.artwork_id), "title": s.artwork_title},
                    s.buyer_name,
                    MoneyIO.of(s.amount),
                    MoneyIO.of(s.artist_share),
                    s.status.value,
                    s.paid_at,
                    MoneyIO.of(s.price),
                    MoneyIO.of(s.shipping) if s.shipping else MoneyIO(0, s.amount.currency.code),
                )
                for s in d.sales
            ],
            revenue=RevenueOut(
                total=[MoneyIO(r.gross, r.currency) for r in d.revenue],
                artist_share=[MoneyIO(r.artist_share, r.currency) for r in d.revenue],
                by_month=[
                    MonthOut(
                        m.month,
                        MoneyIO(m.gross, m.currency),
                        MoneyIO(m.artist_share, m.currency),
                        m.orders,
                        MoneyIO(m.artwork, m.currency),
                        MoneyIO(m.shipping, m.currency),
                    )
                    for m in sorted(
                        (m for r in d.revenue for m in r.by_month), key=lambda m: (m.month, m.currency)
                    )
                ],
                artwork=[MoneyIO(r.artwork, r.currency) for r in d.revenue],
                shipping=[MoneyIO(r.shipping, r.currency) for r in d.revenue],
            ),
            top_works=[
                TopWorkOut(w.artwork_id, w.title, w.status.value, w.favorites_count) for w in d.top_works
            ],
            payouts=PayoutsOut("missing")
            if account is None
            else PayoutsOut(
                "active",
                account.bank_code,
                account.account_number_last4,
                account.subaccount_code,
                account.commission_percent,
                account.updated_at,
            ),
        )
