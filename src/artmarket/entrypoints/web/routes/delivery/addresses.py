"""The buyer's saved addresses (`/me/addresses`), and reading and showing a postal address."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from artmarket.application.checkout_details import AddressInput
from artmarket.application.i18n import gettext as _
from artmarket.application.shipping.ports import SavedAddress
from artmarket.application.shipping.use_cases import DeleteSavedAddress, ListSavedAddresses, SaveAddress
from artmarket.domain.delivery import PostalAddress
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import Role
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.countries import country_choices, country_name
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.sessions import page_requires_role, require_principal, web_state

#: The address form alone (saved addresses page): the domain names the parts without a prefix.
ADDRESS_FIELDS: Final = {"lines": "line1"}


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


async def _addresses_page(
    request: Request[Any, Any, Any], saved: Sequence[SavedAddress], form: Form
) -> Template:
    countries = [("", _("Choose a country")), *country_choices()]
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
    form = failed_forms.recall(request) or Form()
    return await _addresses_page(request, await addresses(principal), form)


@post("/me/addresses", name="add-address", guards=[page_requires_role(Role.BUYER)])
@inject
async def add_address(
    request: Request[Any, Any, Any], addresses: FromDishka[ListSavedAddresses], save: FromDishka[SaveAddress]
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("name", "line1", "city")
    form.require("country", message=_("Choose a country."))
    if form.ok:
        try:
            await save(principal, typed_address(form))
        except DomainError as error:
            form.fail(error, fields=ADDRESS_FIELDS)
        else:
            web_state(request).flash(_("Address saved."))
            return Redirect("/me/addresses", status_code=303)
    return failed_forms.remember(request, form, "/me/addresses") or await _addresses_page(
        request, await addresses(principal), form
    )


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
    web_state(request).flash(_("Address deleted."))
    return Redirect("/me/addresses", status_code=303)


ROUTES: list[Any] = [my_addresses, add_address, delete_address]
