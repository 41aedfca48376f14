"""Admin console routes (role admin): orders, refunds, users, take-downs, the audit log.

Every action is audited with the admin, the reason and the request's X-Request-ID.
"""

from __future__ import annotations

from datetime import datetime
from inspect import getdoc
from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import ValidationException
from litestar.params import FromPath, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK

from artmarket.application.admin.audit_log import ReadAuditLog
from artmarket.application.admin.orders import ExportOrders, GetOrderForAdmin, ListOrders
from artmarket.application.admin.ports import OrderFilter
from artmarket.application.admin.refunds import RefundOrder
from artmarket.application.admin.takedowns import UnpublishArtwork
from artmarket.application.admin.users import BrowseUsers, ReinstateUser, SuspendUser, UserFilter
from artmarket.application.audit import Actor, AuditFilter
from artmarket.application.media import ContentStore
from artmarket.application.shipping.use_cases import ConfirmDeliveryForBuyer, ResolveDeliveryProblem
from artmarket.domain.identity import Role, UserStatus
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.shipments import ShipmentStatus
from artmarket.entrypoints.http.admin_schemas import (
    AdminOrderList,
    AdminOrderOut,
    AdminOrderRowOut,
    AdminUserList,
    AdminUserOut,
    AuditEntryOut,
    AuditLogOut,
    ReasonIn,
    admin_user,
)
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_role
from artmarket.entrypoints.http.catalog_schemas import ArtworkOut
from artmarket.entrypoints.http.checkout_schemas import OrderOut
from artmarket.entrypoints.http.downloads import orders_csv_download
from artmarket.entrypoints.http.parameters import Limit

Cursor = Annotated[str | None, Parameter(max_length=512, description="`next_cursor` of the previous page")]
Search = Annotated[str | None, Parameter(max_length=200)]
Currency = Annotated[str | None, Parameter(pattern="^[A-Z]{3}$", description="ISO 4217 code")]
From = Annotated[
    datetime | None, Parameter(query="from", description="Created at or after (RFC 3339, inclusive)")
]
To = Annotated[datetime | None, Parameter(query="to", description="Created before (RFC 3339, exclusive)")]
ShipmentFilter = Annotated[
    ShipmentStatus | None, Parameter(description="Only orders whose shipment is in this status")
]
AwaitingDays = Annotated[
    int | None,
    Parameter(ge=0, le=3650, description="Only shipments awaiting shipment for more than this many days"),
]


def only_known_query_parameters(request: Request[Any, Any, Any]) -> None:
    """Refuse (400) a query parameter the route does not read (a `before_request` hook).

    A misspelt filter (`created_from` for `from`) would otherwise be ignored, and the listing
    or the export would silently cover every order.
    """
    known = {
        getattr(field.kwarg_definition, "query", None) or name
        for name, field in request.route_handler.parsed_fn_signature.parameters.items()
    }
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ValidationException(
            detail=f"Unknown query parameters: {', '.join(unknown)}.",
            extra=[{"key": name, "message": "This route has no such query parameter."} for name in unknown],
        )


def _filter(
    status: OrderStatus | None,
    currency: str | None,
    created_from: datetime | None,
    created_to: datetime | None,
    q: str | None,
    shipment_status: ShipmentStatus | None = None,
    awaiting_shipment_days: int | None = None,
) -> OrderFilter:
    return OrderFilter(
        status=status,
        currency=currency,
        created_from=created_from,
        created_to=created_to,
        q=q,
        shipment_status=shipment_status,
        awaiting_shipment_days=awaiting_shipment_days,
    )


class AdminController(Controller):
    path = "/admin"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]
    security = BEARER_SECURITY

    @get(
        "/orders",
        operation_id="adminListOrders",
        description=getdoc(ListOrders),
        before_request=only_known_query_parameters,
    )
    @inject
    async def orders(
        self,
        list_orders: FromDishka[ListOrders],
        status: OrderStatus | None = None,
        currency: Currency = None,
        created_from: From = None,
        created_to: To = None,
        q: Search = None,
        shipment_status: ShipmentFilter = None,
        awaiting_shipment_days: AwaitingDays = None,
        cursor: Cursor = None,
        limit: Limit = 24,
    ) -> AdminOrderList:
        where = _filter(
            status, currency, created_from, created_to, q, shipment_status, awaiting_shipment_days
        )
        page = await list_orders(where, cursor=cursor, limit=limit)
        return AdminOrderList([AdminOrderRowOut.of(row) for row in page.items], page.next_cursor)

    @get(
        "/orders.csv",
        operation_id="adminExportOrders",
        media_type="text/csv",
        before_request=only_known_query_parameters,
        summary="The orders table as CSV (same filters as adminListOrders, every page)",
        description=(
            "Same filters and order as `GET /admin/orders`, all pages in one RFC 4180 file (at most"
            " 50,000 rows). Cells that a spreadsheet would run as a formula (starting with = + - @,"
            " their full-width forms, tab or CR) get a leading apostrophe."
        ),
    )
    @inject
    async def orders_csv(
        self,
        export: FromDishka[ExportOrders],
        status: OrderStatus | None = None,
        currency: Currency = None,
        created_from: From = None,
        created_to: To = None,
        q: Search = None,
        shipment_status: ShipmentFilter = None,
        awaiting_shipment_days: AwaitingDays = None,
    ) -> Response[str]:
        rows = await export(
            _filter(status, currency, created_from, created_to, q, shipment_status, awaiting_shipment_days)
        )
        return orders_csv_download(rows)

    @get("/orders/{order_id:uuid}", operation_id="adminGetOrder", description=getdoc(GetOrderForAdmin))
    @inject
    async def order(self, order_id: FromPath[UUID], get_order: FromDishka[GetOrderForAdmin]) -> AdminOrderOut:
        return AdminOrderOut.of(await get_order(order_id))

    @post(
        "/orders/{order_id:uuid}/refund",
        status_code=HTTP_200_OK,
        operation_id="adminRefundOrder",
        description=getdoc(RefundOrder),
    )
    @inject
    async def refund(
        self,
        order_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
        actor: FromDishka[Actor],
        refund: FromDishka[RefundOrder],
    ) -> OrderOut:
        return OrderOut.of(await refund(actor, order_id, reason=data.reason), None)

    @post(
        "/orders/{order_id:uuid}/shipment/resolve",
        status_code=HTTP_200_OK,
        operation_id="adminResolveDeliveryProblem",
        description=getdoc(ResolveDeliveryProblem),
    )
    @inject
    async def resolve_shipment(
        self,
        order_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
        actor: FromDishka[Actor],
        resolve: FromDishka[ResolveDeliveryProblem],
    ) -> OrderOut:
        return OrderOut.of_view(await resolve(actor, order_id, reason=data.reason))

    @post(
        "/orders/{order_id:uuid}/shipment/confirm-delivery",
        status_code=HTTP_200_OK,
        operation_id="adminConfirmDelivery",
        description=getdoc(ConfirmDeliveryForBuyer),
    )
    @inject
    async def confirm_delivery(
        self,
        order_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
        actor: FromDishka[Actor],
        confirm: FromDishka[ConfirmDeliveryForBuyer],
    ) -> OrderOut:
        return OrderOut.of_view(await confirm(actor, order_id, reason=data.reason))

    @get("/users", operation_id="adminListUsers", description=getdoc(BrowseUsers))
    @inject
    async def users(
        self,
        browse: FromDishka[BrowseUsers],
        role: Role | None = None,
        status: UserStatus | None = None,
        q: Search = None,
        cursor: Cursor = None,
        limit: Limit = 24,
    ) -> AdminUserList:
        page = await browse(UserFilter(role, status, q), cursor=cursor, limit=limit)
        return AdminUserList([admin_user(u) for u in page.items], page.next_cursor)

    @post(
        "/users/{user_id:uuid}/suspend",
        status_code=HTTP_200_OK,
        operation_id="adminSuspendUser",
        description=getdoc(SuspendUser),
    )
    @inject
    async def suspend(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
        actor: FromDishka[Actor],
        suspend: FromDishka[SuspendUser],
    ) -> AdminUserOut:
        return admin_user(await suspend(actor, user_id, reason=data.reason))

    @post(
        "/users/{user_id:uuid}/reinstate",
        status_code=HTTP_200_OK,
        operation_id="adminReinstateUser",
        description=getdoc(ReinstateUser),
    )
    @inject
    async def reinstate(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
        actor: FromDishka[Actor],
        reinstate: FromDishka[ReinstateUser],
    ) -> AdminUserOut:
        return admin_user(await reinstate(actor, user_id, reason=data.reason))

    @post(
        "/artworks/{artwork_id:uuid}/unpublish",
        status_code=HTTP_200_OK,
        operation_id="adminUnpublishArtwork",
        description=getdoc(UnpublishArtwork),
    )
    @inject
    async def unpublish(
        self,
        artwork_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
        actor: FromDishka[Actor],
        unpublish: FromDishka[UnpublishArtwork],
        store: FromDishka[ContentStore],
    ) -> ArtworkOut:
        return ArtworkOut.of(await unpublish(actor, artwork_id, reason=data.reason), store)

    @get("/audit-log", operation_id="adminAuditLog", description=getdoc(ReadAuditLog))
    @inject
    async def audit_log(
        self,
        read: FromDishka[ReadAuditLog],
        action: Annotated[str | None, Parameter(max_length=64)] = None,
        actor_id: UUID | None = None,
        target_type: Annotated[str | None, Parameter(max_length=32)] = None,
        target_id: Annotated[str | None, Parameter(max_length=64)] = None,
        cursor: Cursor = None,
        limit: Limit = 24,
    ) -> AuditLogOut:
        page = await read(AuditFilter(action, actor_id, target_type, target_id), cursor=cursor, limit=limit)
        return AuditLogOut([AuditEntryOut.of(e) for e in page.items], page.next_cursor)
