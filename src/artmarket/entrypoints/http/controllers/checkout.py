"""Checkout routes: orders, the Paystack webhook and callback, payout accounts."""

from __future__ import annotations

from datetime import datetime
from inspect import getdoc
from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.params import FromPath, JSONBody, Parameter
from litestar.response import Redirect
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from artmarket.application.checkout.callback import ReturnFromCheckout
from artmarket.application.checkout.orders import GetOrder, ListMyOrders
from artmarket.application.checkout.payments import ReceivePaymentWebhook
from artmarket.application.checkout.payouts import GetPayoutAccount, SavePayoutAccount
from artmarket.application.checkout.placing import ISSUED_REFERENCE, PlaceOrder
from artmarket.application.checkout.reservations import CancelOrder
from artmarket.application.cursor import CursorCodec
from artmarket.application.order_views import OrderView, recipient_for
from artmarket.application.pages import decode_position, page_of
from artmarket.application.payments.ports import PaymentGateway
from artmarket.application.principal import Principal
from artmarket.application.shipping.use_cases import (
    ConfirmDelivery,
    DeleteSavedAddress,
    ListMyShipments,
    ListSavedAddresses,
    MarkShipped,
    ReportDeliveryProblem,
    SaveAddress,
)
from artmarket.domain.errors import InvalidValue, NotAllowed, NotFound
from artmarket.domain.identity import Role
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.shipments import ShipmentStatus
from artmarket.entrypoints.http.auth import (
    BEARER_SECURITY,
    optional_principal,
    requires_login,
    requires_role,
)
from artmarket.entrypoints.http.bodies import check_json_limits
from artmarket.entrypoints.http.checkout_schemas import (
    CheckoutPayment,
    CheckoutStatusOut,
    OrderCreate,
    OrderList,
    OrderOut,
    PayoutAccountIn,
    PayoutAccountOut,
    PlacedOrderOut,
    WebhookAck,
)
from artmarket.entrypoints.http.delivery_schemas import (
    AddressIO,
    DeliveryProblemIn,
    SavedAddressList,
    SavedAddressOut,
    ShipmentIn,
    ShipmentItemOut,
    ShipmentList,
)
from artmarket.entrypoints.http.network import ClientAddresses, WebhookSources

MY_ORDERS_LISTING = "my-orders"
MY_SHIPMENTS_LISTING = "my-shipments"


def order_position(view: OrderView) -> tuple[datetime, UUID]:
    """Where an order stands in the buyer's newest-first list (what its cursor records)."""
    return view.order.created_at, view.order.id


#: Exactly the form of the references artmarket issues: anything else is 400 before any lookup.
PaymentReference = Annotated[str, Parameter(max_length=100, pattern=f"^{ISSUED_REFERENCE.pattern}$")]


class IdempotencyKeyInvalid(InvalidValue):
    default_message = "An Idempotency-Key has 1 to 255 visible characters."
    field = "Idempotency-Key"


class OrderController(Controller):
    path = "/orders"
    tags = ["orders"]
    security = BEARER_SECURITY

    @post(
        "",
        status_code=HTTP_201_CREATED,
        operation_id="placeOrder",
        guards=[requires_role(Role.BUYER)],
        description=getdoc(PlaceOrder),
    )
    @inject
    async def place(
        self,
        data: JSONBody[OrderCreate],
        request: Request[Any, Any, Any],
        principal: FromDishka[Principal],
        place: FromDishka[PlaceOrder],
        gateway: FromDishka[PaymentGateway],
        addresses: FromDishka[ClientAddresses],
        idempotency_key: Annotated[str | None, Parameter(header="Idempotency-Key")] = None,
    ) -> PlacedOrderOut:
        if idempotency_key is not None and not (
            1 <= len(idempotency_key) <= 255 and idempotency_key.isprintable()
        ):
            raise IdempotencyKeyInvalid()
        placed = await place(
            principal,
            data.artwork_id,
            idempotency_key=idempotency_key,
            client_address=addresses.label(request),
            details=data.details(),
        )
        order = placed.order
        # The buyer's own details, shown back to them (nobody else gets this answer).
        recipient = recipient_for(principal.id, order, None, order.created_at)
        answer = OrderOut.of(order, placed.artwork, None, recipient, gateway=gateway)
        return PlacedOrderOut(
            order=answer,
            payment=CheckoutPayment("paystack", order.reference, answer.payment.authorization_url),
        )

    @get("/{order_id:uuid}", operation_id="getOrder", guards=[requires_login], description=getdoc(GetOrder))
    @inject
    async def one(
        self,
        order_id: FromPath[UUID],
        principal: FromDishka[Principal],
        get_order: FromDishka[GetOrder],
        gateway: FromDishka[PaymentGateway],
    ) -> OrderOut:
        return OrderOut.of_view(await get_order(principal, order_id), gateway=gateway)

    @post(
        "/{order_id:uuid}/cancel",
        status_code=HTTP_200_OK,
        operation_id="cancelOrder",
        guards=[requires_role(Role.BUYER)],
        description=getdoc(CancelOrder),
    )
    @inject
    async def cancel(
        self, order_id: FromPath[UUID], principal: FromDishka[Principal], cancel: FromDishka[CancelOrder]
    ) -> OrderOut:
        return OrderOut.of(await cancel(principal, order_id), None)

    @post(
        "/{order_id:uuid}/shipment",
        status_code=HTTP_200_OK,
        operation_id="markShipped",
        guards=[requires_role(Role.ARTIST)],
        description=getdoc(MarkShipped),
    )
    @inject
    async def ship(
        self,
        order_id: FromPath[UUID],
        data: JSONBody[ShipmentIn],
        principal: FromDishka[Principal],
        ship: FromDishka[MarkShipped],
    ) -> OrderOut:
        view = await ship(
            principal,
            order_id,
            carrier=data.carrier,
            tracking_number=data.tracking_number,
            tracking_url=data.tracking_url,
        )
        return OrderOut.of_view(view)

    @post(
        "/{order_id:uuid}/delivery-confirmation",
        status_code=HTTP_200_OK,
        operation_id="confirmDelivery",
        guards=[requires_role(Role.BUYER)],
        description=getdoc(ConfirmDelivery),
    )
    @inject
    async def confirm_delivery(
        self, order_id: FromPath[UUID], principal: FromDishka[Principal], confirm: FromDishka[ConfirmDelivery]
    ) -> OrderOut:
        return OrderOut.of_view(await confirm(principal, order_id))

    @post(
        "/{order_id:uuid}/delivery-problem",
        status_code=HTTP_200_OK,
        operation_id="reportDeliveryProblem",
        guards=[requires_role(Role.BUYER)],
        description=getdoc(ReportDeliveryProblem),
    )
    @inject
    async def report_problem(
        self,
        order_id: FromPath[UUID],
        data: JSONBody[DeliveryProblemIn],
        principal: FromDishka[Principal],
        report: FromDishka[ReportDeliveryProblem],
    ) -> OrderOut:
        return OrderOut.of_view(await report(principal, order_id, message=data.message))


class MyOrdersController(Controller):
    path = "/me"
    tags = ["orders"]
    security = BEARER_SECURITY

    @get("/orders", operation_id="listMyOrders", guards=[requires_login], description=getdoc(ListMyOrders))
    @inject
    async def orders(
        self,
        principal: FromDishka[Principal],
        orders: FromDishka[ListMyOrders],
        cursors: FromDishka[CursorCodec],
        gateway: FromDishka[PaymentGateway],
        status: OrderStatus | None = None,
        cursor: Annotated[str | None, Parameter(max_length=512)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 24,
    ) -> OrderList:
        before = decode_position(cursors, cursor, MY_ORDERS_LISTING)
        found = await orders(principal, status=status, limit=limit + 1, before=before)
        page = page_of(found, limit, cursors, MY_ORDERS_LISTING, order_position)
        return OrderList([OrderOut.of_view(view, gateway=gateway) for view in page.items], page.next_cursor)

    @get(
        "/shipments",
        operation_id="listMyShipments",
        guards=[requires_role(Role.ARTIST)],
        tags=["shipping"],
        description=getdoc(ListMyShipments),
    )
    @inject
    async def shipments(
        self,
        principal: FromDishka[Principal],
        shipments: FromDishka[ListMyShipments],
        cursors: FromDishka[CursorCodec],
        status: ShipmentStatus | None = None,
        cursor: Annotated[str | None, Parameter(max_length=512)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 24,
    ) -> ShipmentList:
        before = decode_position(cursors, cursor, MY_SHIPMENTS_LISTING)
        found = await shipments(principal, status=status, before=before, limit=limit + 1)
        page = page_of(
            found,
            limit,
            cursors,
            MY_SHIPMENTS_LISTING,
            lambda view: (view.shipment.awaiting_since, view.shipment.order_id),
        )
        return ShipmentList([ShipmentItemOut.of(view) for view in page.items], page.next_cursor)

    @get(
        "/addresses",
        operation_id="listMyAddresses",
        guards=[requires_role(Role.BUYER)],
        tags=["shipping"],
        description=getdoc(ListSavedAddresses),
    )
    @inject
    async def addresses(
        self, principal: FromDishka[Principal], addresses: FromDishka[ListSavedAddresses]
    ) -> SavedAddressList:
        return SavedAddressList([SavedAddressOut.of(saved) for saved in await addresses(principal)])

    @post(
        "/addresses",
        status_code=HTTP_201_CREATED,
        operation_id="saveMyAddress",
        guards=[requires_role(Role.BUYER)],
        tags=["shipping"],
        description=getdoc(SaveAddress),
    )
    @inject
    async def save_address(
        self, data: JSONBody[AddressIO], principal: FromDishka[Principal], save: FromDishka[SaveAddress]
    ) -> SavedAddressOut:
        return SavedAddressOut.of(await save(principal, data.to_input()))

    @delete(
        "/addresses/{address_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="deleteMyAddress",
        guards=[requires_role(Role.BUYER)],
        tags=["shipping"],
        description=getdoc(DeleteSavedAddress),
    )
    @inject
    async def delete_address(
        self,
        address_id: FromPath[UUID],
        principal: FromDishka[Principal],
        remove: FromDishka[DeleteSavedAddress],
    ) -> None:
        await remove(principal, address_id)

    @put(
        "/payout-account",
        operation_id="savePayoutAccount",
        guards=[requires_role(Role.ARTIST)],
        description=getdoc(SavePayoutAccount),
    )
    @inject
    async def save_payout(
        self,
        data: JSONBody[PayoutAccountIn],
        principal: FromDishka[Principal],
        save: FromDishka[SavePayoutAccount],
    ) -> PayoutAccountOut:
        return PayoutAccountOut.of(
            await save(principal, bank_code=data.bank_code, account_number=data.account_number)
        )

    @get("/payout-account", operation_id="getPayoutAccount", guards=[requires_role(Role.ARTIST)])
    @inject
    async def payout(
        self, principal: FromDishka[Principal], get_account: FromDishka[GetPayoutAccount]
    ) -> PayoutAccountOut:
        account = await get_account(principal)
        if account is None:
            raise NotFound("No payout account yet.")
        return PayoutAccountOut.of(account)


class PaystackController(Controller):
    path = "/payments/paystack"
    tags = ["payments"]

    @post(
        "/webhook",
        status_code=HTTP_200_OK,
        operation_id="paystackWebhook",
        description=getdoc(ReceivePaymentWebhook),
    )
    @inject
    async def webhook(
        self,
        request: Request[Any, Any, Any],
        receive: FromDishka[ReceivePaymentWebhook],
        sources: FromDishka[WebhookSources],
    ) -> WebhookAck:
        if not sources.allows(request):
            raise NotAllowed("Webhooks are accepted only from the payment provider's addresses.")
        raw = await request.body()
        # Refused (400) before the signature is checked: cheap, and it tells a sender nothing.
        check_json_limits(raw)
        new = await receive(raw, request.headers.get("x-paystack-signature"))
        return WebhookAck("ok", duplicate=not new)

    @get("/callback", operation_id="paystackCallback", description=getdoc(ReturnFromCheckout))
    @inject
    async def callback(
        self,
        request: Request[Any, Any, Any],
        return_from_checkout: FromDishka[ReturnFromCheckout],
        addresses: FromDishka[ClientAddresses],
        reference: PaymentReference,
    ) -> Response[Any]:
        returned = await return_from_checkout(
            reference,
            client_address=addresses.label(request),
            viewer=await optional_principal(request),
        )
        if "application/json" in request.headers.get("accept", ""):
            if returned.order is not None:
                return Response(OrderOut.of(returned.order, None))
            return Response(CheckoutStatusOut(returned.status.value))
        # The order page (entrypoints/web) polls the status until the certificate is ready; it
        # says so when the card was declined (the reservation still stands: try again).
        declined = "?payment=declined" if returned.declined else ""
        return Redirect(f"/orders/{returned.order_id}{declined}", status_code=303)
