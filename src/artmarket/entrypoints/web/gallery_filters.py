"""The gallery's filter form: what the visitor chose, and every mistake at once, named as the form names it.

Sorting by price compares prices within one currency (₦25,000 is not "more" than $15,000):
with no currency chosen, a price sort shows the works of one currency (the reference rates'
base when the marketplace sells in it) and the page says so. Converting every price in the
keyset-paginated query was the other option; it would sort on an expression no index
holds, on the gallery's hot path, and the rates are indicative only.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from artmarket.application.catalog.artworks import CatalogPolicy
from artmarket.application.catalog.ports import GalleryFilter, GallerySort
from artmarket.application.i18n import N_
from artmarket.application.i18n import gettext as _
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.exchange import ReferenceRates
from artmarket.domain.listing import Medium
from artmarket.entrypoints.web.formatting import exponent, label
from artmarket.entrypoints.web.forms import Form

SORTS = [
    (GallerySort.NEWEST.value, N_("Newest")),
    (GallerySort.PRICE_ASC.value, N_("Price: low to high")),
    (GallerySort.PRICE_DESC.value, N_("Price: high to low")),
    (GallerySort.POPULAR.value, N_("Most favourited")),
    (GallerySort.OLDEST.value, N_("Oldest")),
]
#: The query parameters of the gallery form (everything but the cursor).
FILTER_FIELDS = ("q", "medium", "artist", "currency", "min_price", "max_price", "sort")
PRICE_SORTS = frozenset({GallerySort.PRICE_ASC, GallerySort.PRICE_DESC})
#: The labels the form shows, which its error messages use.
LABELS = {"min_price": N_("Lowest price"), "max_price": N_("Highest price")}
#: What to do about a value that is not one of a list's options.
CHOICE_ERRORS = {
    "currency": N_("Choose a currency from the list."),
    "medium": N_("Choose a medium from the list."),
    "sort": N_("Choose an order from the “Sort by” list."),
}
CURRENCY_FOR_PRICES = N_("Choose a currency to filter by price.")
RANGE_REVERSED = N_("The lowest price is above the highest price.")


def sort_options() -> list[tuple[str, str]]:
    """The "Sort by" list, in the page's language."""
    return [(value, _(text)) for value, text in SORTS]


def medium_options() -> list[tuple[str, str]]:
    """The "Medium" list, in the page's language."""
    return [("", _("Any medium")), *((m.value, label(m)) for m in Medium)]


@dataclass(frozen=True, slots=True)
class GalleryQuery:
    where: GalleryFilter
    sort: GallerySort
    #: A price sort with no currency chosen: the currency shown (the page says prices are
    #: compared within one currency).
    sorted_within: str | None = None


def _choice(form: Form, name: str, options: list[str]) -> str | None:
    value = form.choice(name, options)
    if name in form.errors:
        form.errors[name] = _(CHOICE_ERRORS[name])
    return value


def _amount(form: Form, name: str, places: int) -> int | None:
    value = form.amount(name, exponent=places)
    if name in form.errors:
        message = form.errors[name]
        form.errors[name] = _("%(field)s: %(problem)s") % {
            "field": _(LABELS[name]),
            "problem": message[:1].lower() + message[1:],
        }
    return value


def price_sort_currency(policy: CatalogPolicy, rates: ReferenceRates) -> str:
    """The currency a price sort shows when none was chosen: the rates' base, else the first sold in."""
    return rates.base if rates.base in policy.currencies else min(policy.currencies)


def read_filters(form: Form, policy: CatalogPolicy, rates: ReferenceRates) -> GalleryQuery:
    """The gallery form's values as the use case's filter; every bad value is recorded on the form."""
    currency = _choice(form, "currency", sorted(policy.currencies))
    places = exponent(currency or "")
    min_price = _amount(form, "min_price", places)
    max_price = _amount(form, "max_price", places)
    medium = _choice(form, "medium", [m.value for m in Medium])
    sort = GallerySort(_choice(form, "sort", [s.value for s in GallerySort]) or GallerySort.NEWEST)
    artist_id = None
    if form.raw("artist"):
        try:
            artist_id = UUID(form.raw("artist"))
        except ValueError:
            form.add_error("artist", _("Choose an artist from the list."))
    priced = bool(form.raw("min_price") or form.raw("max_price"))
    if priced and not form.raw("currency"):
        form.add_error("currency", _(CURRENCY_FOR_PRICES))
    if min_price is not None and max_price is not None and min_price > max_price:
        form.add_error("min_price", _(RANGE_REVERSED))
    sorted_within = None
    if sort in PRICE_SORTS and not form.raw("currency") and not priced:
        currency = sorted_within = price_sort_currency(policy, rates)
        # Kept on the form: the currency list shows it, and "Load more" carries it.
        form.values["currency"] = currency
    where = GalleryFilter(
        status=ArtworkStatus.PUBLISHED,
        q=form.raw("q")[:200] or None,
        medium=Medium(medium) if medium else None,
        artist_id=artist_id,
        currency=currency,
        min_price=min_price,
        max_price=max_price,
    )
    return GalleryQuery(where, sort, sorted_within)
