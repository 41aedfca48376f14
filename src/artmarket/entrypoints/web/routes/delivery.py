"""Delivery pages: the buyer's details step for a physical work, the buyer's shipment actions
and saved addresses, the artist's shipments.

A physical work cannot be reserved without the buyer's details and an address (`PlaceOrder`
needs them, and charges shipping to that country), so its Buy Now goes to a details page
first (`/artworks/{id}/checkout`); the reservation page that follows shows price, shipping
and total before payment. Digital works keep the one-click Buy Now (routes/checkout.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final
from uuid import UUID, uuid4

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from artmarket.application.catalog.artworks import GetArtwork
from artmarket.application.checkout.orders import GetOrder, ListMyOrders
from artmarket.application.checkout.placing import PlaceOrder
from artmarket.application.checkout_details import AddressInput, BuyerInput, CheckoutDetails
from artmarket.application.media import ContentStore
from artmarket.application.principal import Principal
from artmarket.application.shipping.ports import SavedAddress
from artmarket.application.shipping.use_cases import (
    ConfirmDelivery,
    DeleteSavedAddress,
    ListMyShipments,
    ListSavedAddresses,
    MarkShipped,
    ReportDeliveryProblem,
    SaveAddress,
    ShipmentView,
)
from artmarket.domain.catalog import Artwork
from artmarket.domain.delivery import COUNTRIES, Delivery, DestinationNotServed, PostalAddress
from artmarket.domain.errors import Conflict, DomainError, InvalidValue, NotFound
from artmarket.domain.identity import Role
from artmarket.domain.purchase import may_buy
from artmarket.domain.shipments import ShipmentStatus
from artmarket.entrypoints.http.network import ClientAddresses
from artmarket.entrypoints.web.formatting import country_name, label, money
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.checkout import SHIPMENT_BADGE, open_order_for, thumbnail
from artmarket.entrypoints.web.sessions import page_requires_role, require_principal, web_state

SHIPMENTS_PAGE: Final = 50

#: Where the domain's field names (as the API reports them) are on the details form.
DETAILS_FIELDS: Final = {
    "buyer": "full_name",
    "buyer.full_name": "full_name",
    "buyer.phone": "phone",
    "buyer.email": "email",
    "delivery_address": "line1",
    "delivery_address.name": "name",
    "delivery_address.lines": "line1",
    "delivery_address.city": "city",
    "delivery_address.region": "region",
    "delivery_address.postal_code": "postal_code",
    "delivery_address.country": "country",
    "delivery_address_id": "saved_address",
}
#: The address form alone (saved addresses page): the domain names the parts without a prefix.
ADDRESS_FIELDS: Final = {"lines": "line1"}
#: A saved address that fails (unknown, or a country not shipped to) is reported beside the picker.
SAVED_FIELDS: Final = {**DETAILS_FIELDS, "delivery_address.country": "saved_address"}


def ships_to(delivery: Delivery) -> list[dict[str, Any]]:
    """The artwork's zones for display: countries (named) and the shipping price."""
    return [
        {"countries": [country_name(code) for code in rate.countries], "price": rate.price}
        for rate in sorted(delivery.shipping_rates, key=lambda rate: rate.price.amount)
    ]


def cheapest_shipping(delivery: Delivery) -> Any:
    rates = delivery.shipping_rates
    return min((rate.price for rate in rates), key=lambda price: price.amount) if rates else None


def country_options(delivery: Delivery) -> dict[str, list[tuple[str, str]]]:
    """The country select: the countries the work ships to (with the price), then all the others."""
    served = []
    for rate in delivery.shipping_rates:
        served += [(code, f"{country_name(code)}: shipping {money(rate.price)}") for code in rate.countries]
    others = [(code, f"{country_name(code)}: not shipped to") for code in COUNTRIES - delivery.countries]
    return {
        "served": sorted(served, key=lambda option: option[1]),
        "others": sorted(others, key=lambda option: option[1]),
    }


def address_lines(address: PostalAddress) -> list[str]:
    """An address as the lines of an envelope."""
    town = " ".join(part for part in (address.city, address.region, address.postal_code) if part)
    return [address.name, *address.lines, town, country_name(address.country)]


def typed_address(form: Form) -> AddressInput:
    return AddressInput(
        name=form.raw("name"),
        lines=[line for line in (form.raw("line1"), form.raw("line2")) if line],
        city=form.raw("city"),
        country=form.raw("country"),
        region=form.raw("region") or None,
        postal_code=form.raw("postal_code") or None,
    )


# ---------------------------------------------------------------- the buyer's details step


async def _buyable_physical(
    request: Request[Any, Any, Any], artwork_id: UUID, principal: Principal, get_artwork: GetArtwork
) -> Artwork | Redirect:
    artwork = await get_artwork(artwork_id, principal)
    if not artwork.delivery.is_physical:
        return Redirect(f"/artworks/{artwork_id}", status_code=303)
    if not may_buy(artwork, principal.id, artist_active=not artwork.artist_suspended):
        web_state(request).flash("This work cannot be bought right now.")
        return Redirect(f"/artworks/{artwork_id}", status_code=303)
    return artwork


async def _details_page(
    request: Request[Any, Any, Any],
    artwork: Artwork,
    saved: Sequence[SavedAddress],
    store: ContentStore,
    form: Form,
) -> Template:
    return await render(
        request,
        "delivery/details.html",
        {
            "artwork": artwork,
            "image": thumbnail(artwork, store),
            "zones": ships_to(artwork.delivery),
            "countries": country_options(artwork.delivery),
            "saved": [
                {"id": str(s.id), "lines": address_lines(s.address), "country": s.address.country}
                for s in saved
            ],
        },
        form=form,
        status=form.status,
    )


@get(
    "/artworks/{artwork_id:uuid}/checkout",
    name="checkout-details",
    guards=[page_requires_role(Role.BUYER)],
)
@inject
async def details_form(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    get_artwork: FromDishka[GetArtwork],
    addresses: FromDishka[ListSavedAddresses],
    store: FromDishka[ContentStore],
) -> Response[Any]:
    """Buy Now for a physical work: who the buyer is and where the work goes, before the reservation."""
    principal = await require_principal(request)
    artwork = await _buyable_physical(request, artwork_id, principal, get_artwork)
    if isinstance(artwork, Redirect):
        return artwork
    saved = await addresses(principal)
    form = Form(
        {
            "email": str(principal.user.email),
            "saved_address": str(saved[0].id) if saved else "new",
            "idempotency_key": uuid4().hex,
        }
    )
    return await _details_page(request, artwork, saved, store, form)


@post(
    "/artworks/{artwork_id:uuid}/checkout",
    name="checkout-details-send",
    guards=[page_requires_role(Role.BUYER)],
)
@inject
async def send_details(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    get_artwork: FromDishka[GetArtwork],
    addresses: FromDishka[ListSavedAddresses],
    place: FromDishka[PlaceOrder],
    save: FromDishka[SaveAddress],
    orders: FromDishka[ListMyOrders],
    store: FromDishka[ContentStore],
    client_addresses: FromDishka[ClientAddresses],
) -> Response[Any]:
    """Reserve the work with the buyer's details and address: every mistake is shown beside its
    field at once, with everything typed kept."""
    principal = await require_principal(request)
    artwork = await _buyable_physical(request, artwork_id, principal, get_artwork)
    if isinstance(artwork, Redirect):
        return artwork
    saved = await addresses(principal)
    form = await Form.read(request)
    form.require("full_name", "phone")
    buyer = BuyerInput(form.raw("full_name"), form.raw("phone"), form.raw("email") or None)
    try:
        buyer.to_contact(principal.user.email)
    except InvalidValue as error:
        form.fail(error, fields=DETAILS_FIELDS)

    choice = form.raw("saved_address") or "new"
    address: AddressInput | None = None
    address_id: UUID | None = None
    if choice == "new":
        form.require("name", "line1", "city")
        form.require("country", message="Choose the country the work goes to.")
        address = typed_address(form)
        try:
            country = address.to_address("delivery_address").country
            artwork.delivery.shipping_to(country)
        except InvalidValue as error:
            form.fail(error, fields=DETAILS_FIELDS)
    else:
        chosen = next((s for s in saved if str(s.id) == choice), None)
        if chosen is None:
            form.add_error("saved_address", "Choose one of your saved addresses or a new one.")
        else:
            address_id = chosen.id
            try:
                artwork.delivery.shipping_to(chosen.address.country)
            except DestinationNotServed as error:
                form.fail(error, fields=SAVED_FIELDS)

    if form.ok:
        key = form.raw("idempotency_key")
        try:
            placed = await place(
                principal,
                artwork_id,
                idempotency_key=f"web:{key}" if key.isalnum() and len(key) <= 64 else None,
                client_address=str(client_addresses.of(request) or "unknown"),
                details=CheckoutDetails(buyer, address, address_id),
            )
        except Conflict as error:
            mine = await open_order_for(principal, artwork_id, orders)
            if mine is not None:
                return Redirect(f"/checkout/{mine.id}", status_code=303)
            form.fail(error)
        except NotFound:
            raise
        except DomainError as error:
            form.fail(error, fields=SAVED_FIELDS if address_id else DETAILS_FIELDS)
        else:
            if address is not None and form.checked("save_address"):
                try:
                    await save(principal, address)
                except DomainError as error:
                    web_state(request).flash(f"The address was not saved: {error.message}")
            return Redirect(f"/checkout/{placed.order.id}", status_code=303)
    return await _details_page(request, artwork, saved, store, form)


# ---------------------------------------------------------------- the buyer's shipment


@post(
    "/orders/{order_id:uuid}/delivery-confirmation",
    name="confirm-delivery",
    guards=[page_requires_role(Role.BUYER)],
)
@inject
async def confirm_delivery(
    request: Request[Any, Any, Any], order_id: FromPath[UUID], confirm: FromDishka[ConfirmDelivery]
) -> Redirect:
    principal = await require_principal(request)
    try:
        await confirm(principal, order_id)
    except Conflict as error:
        web_state(request).flash(error.message)
    else:
        web_state(request).flash("Thank you: the delivery is confirmed.")
    return Redirect(f"/orders/{order_id}", status_code=303)


@post(
    "/orders/{order_id:uuid}/delivery-problem",
    name="report-delivery-problem",
    guards=[page_requires_role(Role.BUYER)],
)
@inject
async def report_problem(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    report: FromDishka[ReportDeliveryProblem],
    get_order: FromDishka[GetOrder],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("message", message="Describe the problem.")
    if form.ok:
        try:
            await report(principal, order_id, message=form.raw("message"))
        except NotFound:
            raise
        except DomainError as error:
            form.fail(error)
        else:
            web_state(request).flash("Thank you: our team will look into it and get back to you.")
            return Redirect(f"/orders/{order_id}", status_code=303)
    view = await get_order(principal, order_id)
    return await render(
        request,
        "delivery/problem.html",
        {"order": view.order, "artwork": view.artwork},
        form=form,
        status=form.status,
    )


# ---------------------------------------------------------------- saved addresses


async def _addresses_page(
    request: Request[Any, Any, Any], saved: Sequence[SavedAddress], form: Form
) -> Template:
    named = sorted(((code, country_name(code)) for code in COUNTRIES), key=lambda option: option[1])
    countries = [("", "Choose a country"), *named]
    return await render(
        request,
        "delivery/addresses.html",
        {"saved": [{"id": s.id, "lines": address_lines(s.address)} for s in saved], "countries": countries},
        form=form,
        status=form.status,
    )


@get("/me/addresses", name="my-addresses", guards=[page_requires_role(Role.BUYER)])
@inject
async def my_addresses(
    request: Request[Any, Any, Any], addresses: FromDishka[ListSavedAddresses]
) -> Template:
    principal = await require_principal(request)
    return await _addresses_page(request, await addresses(principal), Form())


@post("/me/addresses", name="add-address", guards=[page_requires_role(Role.BUYER)])
@inject
async def add_address(
    request: Request[Any, Any, Any], addresses: FromDishka[ListSavedAddresses], save: FromDishka[SaveAddress]
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("name", "line1", "city")
    form.require("country", message="Choose a country.")
    if form.ok:
        try:
            await save(principal, typed_address(form))
        except DomainError as error:
            form.fail(error, fields=ADDRESS_FIELDS)
        else:
            web_state(request).flash("Address saved.")
            return Redirect("/me/addresses", status_code=303)
    return await _addresses_page(request, await addresses(principal), form)


@post(
    "/me/addresses/{address_id:uuid}/delete",
    name="delete-address",
    guards=[page_requires_role(Role.BUYER)],
)
@inject
async def delete_address(
    request: Request[Any, Any, Any], address_id: FromPath[UUID], remove: FromDishka[DeleteSavedAddress]
) -> Redirect:
    principal = await require_principal(request)
    await remove(principal, address_id)
    web_state(request).flash("Address deleted.")
    return Redirect("/me/addresses", status_code=303)


# ---------------------------------------------------------------- the artist's shipments


def shipment_row(view: ShipmentView) -> dict[str, Any]:
    recipient = view.recipient
    return {
        "order": view.order,
        "shipment": view.shipment,
        "artwork": view.artwork,
        "badge": SHIPMENT_BADGE.get(view.shipment.status, "warn"),
        "buyer": recipient,
        "address": address_lines(recipient.address) if recipient and recipient.address else None,
    }


@get("/artist/shipments", name="artist-shipments", guards=[page_requires_role(Role.ARTIST)])
@inject
async def artist_shipments(
    request: Request[Any, Any, Any],
    shipments: FromDishka[ListMyShipments],
    status: FromQuery[str | None] = None,
) -> Template:
    """The artist's paid physical works, those awaiting shipment first shown by default."""
    principal = await require_principal(request)
    form = Form({"status": ShipmentStatus.AWAITING_SHIPMENT.value if status is None else status})
    chosen = form.choice("status", [s.value for s in ShipmentStatus])
    found = await shipments(
        principal, status=ShipmentStatus(chosen) if chosen else None, before=None, limit=SHIPMENTS_PAGE
    )
    statuses = [("", "All shipments")] + [(s.value, label(s)) for s in ShipmentStatus]
    return await render(
        request,
        "delivery/shipments.html",
        {"rows": [shipment_row(view) for view in found], "statuses": statuses},
        form=form,
    )


async def _artist_shipment(principal: Principal, order_id: UUID, get_order: GetOrder) -> dict[str, Any]:
    view = await get_order(principal, order_id)
    if view.order.artist_id != principal.id or view.shipment is None:
        raise NotFound("No such shipment.")
    return shipment_row(ShipmentView(view.shipment, view.order, view.artwork, view.recipient))


@get("/artist/shipments/{order_id:uuid}", name="artist-shipment", guards=[page_requires_role(Role.ARTIST)])
@inject
async def artist_shipment(
    request: Request[Any, Any, Any], order_id: FromPath[UUID], get_order: FromDishka[GetOrder]
) -> Template:
    """One shipment: where it goes (while the address may be seen) and the form to mark it shipped."""
    principal = await require_principal(request)
    row = await _artist_shipment(principal, order_id, get_order)
    return await render(request, "delivery/shipment.html", {"row": row})


@post("/artist/shipments/{order_id:uuid}/ship", name="mark-shipped", guards=[page_requires_role(Role.ARTIST)])
@inject
async def mark_shipped(
    request: Request[Any, Any, Any],
    order_id: FromPath[UUID],
    ship: FromDishka[MarkShipped],
    get_order: FromDishka[GetOrder],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("carrier", "tracking_number")
    if form.ok:
        try:
            await ship(
                principal,
                order_id,
                carrier=form.raw("carrier"),
                tracking_number=form.raw("tracking_number"),
                tracking_url=form.raw("tracking_url") or None,
            )
        except NotFound:
            raise
        except DomainError as error:
            form.fail(error)
        else:
            web_state(request).flash("Marked as shipped: the buyer has been sent the tracking details.")
            return Redirect("/artist/shipments", status_code=303)
    row = await _artist_shipment(principal, order_id, get_order)
    return await render(request, "delivery/shipment.html", {"row": row}, form=form, status=form.status)


ROUTES: list[Any] = [
    details_form,
    send_details,
    confirm_delivery,
    report_problem,
    my_addresses,
    add_address,
    delete_address,
    artist_shipments,
    artist_shipment,
    mark_shipped,
]
