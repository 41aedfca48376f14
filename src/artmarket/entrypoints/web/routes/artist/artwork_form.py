"""The listing form of the studio's artwork pages: its choices, reading it into a draft,
and an artwork's values to fill it.
"""

from __future__ import annotations

import re
from typing import Any

from artmarket.application.catalog.artworks import ArtworkDraft, CatalogPolicy
from artmarket.application.i18n import N_
from artmarket.application.i18n import gettext as _
from artmarket.domain.catalog import Artwork
from artmarket.domain.delivery import MAX_SHIPPING_ZONES, Delivery, DeliveryKind, ShippingRate
from artmarket.domain.errors import DomainError, InvalidValue
from artmarket.domain.listing import Dimensions, Medium
from artmarket.domain.money import Money
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.formatting import exponent, label, plain_amount
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.routes.artist.edition_form import (
    EDITION_FIELDS,
    EDITION_KINDS,
    edition_values,
    read_drop,
    read_edition,
)

#: API field names → form fields (dimensions are typed as three numbers, zones as rows).
ARTWORK_FIELDS = {
    "dimensions": "height_mm",
    "delivery": "delivery",
    "delivery.weight_grams": "weight_grams",
    "delivery.shipping_rates": "zones",
    **EDITION_FIELDS,
}
#: The delivery choices, each translated where the form is shown (`listing_context`).
DELIVERY_KINDS = [
    (DeliveryKind.DIGITAL.value, N_("Digital: the buyer gets the certificate, nothing is shipped")),
    (DeliveryKind.PHYSICAL.value, N_("Physical: I ship the work to the buyer")),
]
#: Shipping zone rows the form always offers (blank rows are ignored); one more blank row
#: than the work has zones when it has more.
ZONE_ROWS = 3


def _currencies(policy: CatalogPolicy) -> list[tuple[str, str]]:
    return [(code, code) for code in sorted(policy.currencies)]


def _zone_rows(form: Form) -> int:
    """How many zone rows the page shows: at least `ZONE_ROWS`, and every row typed or saved."""
    used = [
        int(found.group(1))
        for name, value in form.values.items()
        if value and (found := re.fullmatch(r"zone_(\d{1,2})_(?:countries|price)", name))
    ]
    return min(MAX_SHIPPING_ZONES, max(ZONE_ROWS, max(used, default=-1) + 2))


def _delivery_values(delivery: Delivery, currency: str) -> dict[str, str]:
    values = {
        "delivery": delivery.kind.value,
        "weight_grams": str(delivery.weight_grams) if delivery.weight_grams is not None else "",
    }
    for row, rate in enumerate(delivery.shipping_rates):
        values[f"zone_{row}_countries"] = ", ".join(rate.countries)
        values[f"zone_{row}_price"] = plain_amount(rate.price.amount, currency)
    return values


def _read_delivery(form: Form, currency: str | None) -> Delivery | None:
    """Digital (the default), or physical with its weight and the zones typed in the rows (blank rows are
    ignored); None with the errors beside their fields. Fields of the physical part are
    ignored when the work is digital. The domain checks the rest, as for the API."""
    kind = form.choice("delivery", [k.value for k in DeliveryKind])
    if kind != DeliveryKind.PHYSICAL.value:
        return None if form.errors.get("delivery") else Delivery()  # digital, the default
    weight = form.integer("weight_grams")  # its bounds are the domain's (InvalidWeight)
    if not form.raw("weight_grams"):
        form.add_error("weight_grams", _("A physical work needs its weight in grams."))
    rates: list[ShippingRate] = []
    for row in range(_zone_rows(form)):
        countries_field, price_field = f"zone_{row}_countries", f"zone_{row}_price"
        codes = [code for code in re.split(r"[\s,;]+", form.raw(countries_field)) if code]
        if not codes and not form.raw(price_field):
            continue  # a blank row
        price = form.amount(price_field, exponent=exponent(currency or "NGN"))
        if not form.raw(price_field):
            form.add_error(price_field, _("Give the shipping price to these countries (0 for free)."))
        if not codes:
            form.add_error(countries_field, _("List the countries of this zone, e.g. NG, GH."))
        if price is None or not codes or currency is None:
            continue
        try:
            rates.append(ShippingRate.of(codes, Money.of(price, currency)))
        except InvalidValue as error:
            form.add_error(countries_field, error_text(error))
    if not form.ok or weight is None:
        return None
    try:
        return Delivery.physical(weight_grams=weight, shipping_rates=rates)
    except DomainError as error:
        form.fail(error, fields=ARTWORK_FIELDS)
        return None


def artwork_values(artwork: Artwork) -> dict[str, str]:
    dims = artwork.dimensions
    return {
        **_delivery_values(artwork.delivery, artwork.price.currency.code),
        **edition_values(artwork),
        "title": artwork.title,
        "description": artwork.description,
        "medium": artwork.medium.value,
        "price": plain_amount(artwork.price.amount, artwork.price.currency.code),
        "currency": artwork.price.currency.code,
        "year": str(artwork.year or ""),
        "height_mm": str(dims.height_mm) if dims else "",
        "width_mm": str(dims.width_mm) if dims else "",
        "depth_mm": str(dims.depth_mm or "") if dims else "",
    }


def read_artwork(form: Form, policy: CatalogPolicy) -> ArtworkDraft | None:
    """The listing typed into `form`, or None with the errors recorded beside their fields."""
    form.require("title", "price")
    medium = form.choice("medium", [m.value for m in Medium], required=True)
    currency = form.choice("currency", sorted(policy.currencies), required=True)
    price = form.amount("price", exponent=exponent(currency or "NGN"))
    year = form.integer("year", minimum=1000, maximum=9999)
    height = form.integer("height_mm", minimum=1, maximum=100_000)
    width = form.integer("width_mm", minimum=1, maximum=100_000)
    depth = form.integer("depth_mm", minimum=1, maximum=100_000)
    if (height is None) != (width is None) or (depth is not None and height is None):
        form.add_error("height_mm", _("Give both the height and the width (the depth is optional)."))
    delivery = _read_delivery(form, currency)
    edition = read_edition(form)
    available_from = read_drop(form)
    if (
        not form.ok
        or medium is None
        or currency is None
        or price is None
        or delivery is None
        or edition is None
    ):
        return None
    try:
        return ArtworkDraft(
            title=form.raw("title"),
            description=form.raw("description"),
            medium=Medium(medium),
            price=Money.of(price, currency),
            year=year,
            dimensions=Dimensions(height, width, depth) if height and width else None,
            delivery=delivery,
            edition=edition,
            available_from=available_from,
        )
    except DomainError as error:
        form.fail(error, fields=ARTWORK_FIELDS)
        return None


def _translated(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(value, _(text)) for value, text in choices]


def listing_context(policy: CatalogPolicy, form: Form, *, edition_locked: bool = False) -> dict[str, Any]:
    """What the listing's fields (`artist/_artwork_fields.html`) need besides the form;
    `edition_locked`: a number went to a buyer, the edition fields are shown disabled."""
    return {
        "mediums": [(m.value, label(m)) for m in Medium],
        "currencies": _currencies(policy),
        "delivery_kinds": _translated(DELIVERY_KINDS),
        "zone_rows": _zone_rows(form),
        "edition_kinds": _translated(EDITION_KINDS),
        "edition_locked": edition_locked,
    }
