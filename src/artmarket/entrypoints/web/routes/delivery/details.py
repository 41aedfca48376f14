"""The buyer's details step for a physical work (`/artworks/{id}/checkout`).

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
from litestar.params import FromPath
from litestar.response import Redirect, Template

from artmarket.application.catalog.artworks import GetArtwork
from artmarket.application.checkout.orders import ListMyOrders
from artmarket.application.checkout.placing import PlaceOrder
from artmarket.application.checkout_details import AddressInput, BuyerInput, CheckoutDetails
from artmarket.application.i18n import gettext as _
from artmarket.application.media import ContentStore
from artmarket.application.principal import Principal
from artmarket.application.shipping.ports import SavedAddress
from artmarket.application.shipping.use_cases import ListSavedAddresses, SaveAddress
from artmarket.domain.catalog import Artwork
from artmarket.domain.delivery import Delivery, DestinationNotServed
from artmarket.domain.errors import Conflict, DomainError, InvalidValue, NotFound
from artmarket.domain.identity import Role
from artmarket.domain.purchase import may_buy
from artmarket.entrypoints.http.network import ClientAddresses
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.countries import country_choices, country_name
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.formatting import money
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.order_view import thumbnail
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.checkout import idempotency_key, open_order_for
from artmarket.entrypoints.web.routes.delivery.addresses import address_lines, typed_address
from artmarket.entrypoints.web.sessions import page_requires_role, require_principal, web_state

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
#: A saved address that fails (unknown, or a country not shipped to) is reported beside the picker.
SAVED_FIELDS: Final = {**DETAILS_FIELDS, "delivery_address.country": "saved_address"}


def ships_to(delivery: Delivery) -> list[dict[str, Any]]:
    """The artwork's zones for display: countries (named) and the shipping price."""
    return [
        {"countries": [country_name(code) for code in rate.countries], "price": rate.price}
        for rate in sorted(delivery.shipping_rates, key=lambda rate: rate.price.amount)
    ]


def country_options(delivery: Delivery) -> dict[str, list[tuple[str, str]]]:
    """The country select: the countries the work ships to (with the price), then all the others."""
    served = []
    for rate in delivery.shipping_rates:
        price = money(rate.price)
        served += [
            (code, _("%(country)s: shipping %(price)s") % {"country": country_name(code), "price": price})
            for code in rate.countries
        ]
    others = [
        (code, _("%(country)s: not shipped to") % {"country": name})
        for code, name in country_choices()
        if code not in delivery.countries
    ]
    return {"served": sorted(served, key=lambda option: option[1]), "others": others}


async def _buyable_physical(
    request: Request[Any, Any, Any], artwork_id: UUID, principal: Principal, get_artwork: GetArtwork
) -> Artwork | Redirect:
    artwork = await get_artwork(artwork_id, principal)
    if not artwork.delivery.is_physical:
        return Redirect(f"/artworks/{artwork_id}", status_code=303)
    if not may_buy(artwork, principal.id, artist_active=not artwork.artist_suspended):
        web_state(request).flash(_("This work cannot be bought right now."))
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
    form = failed_forms.recall(request) or Form(
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
        form.require("country", message=_("Choose the country the work goes to."))
        address = typed_address(form)
        try:
            country = address.to_address("delivery_address").country
            artwork.delivery.shipping_to(country)
        except InvalidValue as error:
            form.fail(error, fields=DETAILS_FIELDS)
    else:
        chosen = next((s for s in saved if str(s.id) == choice), None)
        if chosen is None:
            form.add_error("saved_address", _("Choose one of your saved addresses or a new one."))
        else:
            address_id = chosen.id
            try:
                artwork.delivery.shipping_to(chosen.address.country)
            except DestinationNotServed as error:
                form.fail(error, fields=SAVED_FIELDS)

    if form.ok:
        try:
            placed = await place(
                principal,
                artwork_id,
                idempotency_key=idempotency_key(form),
                client_address=client_addresses.label(request),
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
                    unsaved = _("The address was not saved: %(reason)s") % {"reason": error_text(error)}
                    web_state(request).flash(unsaved)
            return Redirect(f"/checkout/{placed.order.id}", status_code=303)
    return failed_forms.remember(request, form, f"/artworks/{artwork_id}/checkout") or await _details_page(
        request, artwork, saved, store, form
    )


ROUTES: list[Any] = [details_form, send_details]
