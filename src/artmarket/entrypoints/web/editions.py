"""What the buyer's pages say of editions and drops: "Edition of 25 · 12 available", "Sold out",
"Available from …" with its countdown, "Print 7/25". The rules are the domain's (`domain/editions.py`,
`Artwork.is_sold_out`, `Artwork.on_sale_yet`); this module holds only the words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from artmarket.application.i18n import gettext as _
from artmarket.application.i18n import ngettext
from artmarket.domain.catalog import Artwork
from artmarket.domain.editions import Edition, NumberState, number_state, on_sale_yet
from artmarket.domain.orders import Order


@dataclass(frozen=True, slots=True)
class Drop:
    """A drop not open yet: when it opens, and the seconds its countdown starts from.

    The seconds are the server's count, so a phone with a wrong clock still counts down to the
    right moment (static/drop.js counts from when the page arrived).
    """

    opens_at: datetime
    seconds_left: int


def drop_of(available_from: datetime | None, now: datetime) -> Drop | None:
    """The drop still to open, or None when the work is on sale (or was never a drop)."""
    if available_from is None or on_sale_yet(available_from, now):
        return None
    return Drop(available_from, math.ceil((available_from - now).total_seconds()))


def availability(edition: Edition, available: int | None, *, sold_out: bool) -> str | None:
    """A listing's line: "Sold out", "Edition of 25 · 12 available"; None for a unique work on sale."""
    if sold_out:
        return _("Sold out")
    if not edition.is_limited:
        return None
    if available is None:
        return _("Edition of %(size)s") % {"size": edition.size}
    return _("Edition of %(size)s · %(available)s available") % {"size": edition.size, "available": available}


def proofs_words(edition: Edition) -> str | None:
    """The artist proofs of a limited edition, which the shop never sells."""
    proofs = edition.artist_proofs
    if not edition.is_limited or proofs == 0:
        return None
    return ngettext("%(num)d artist proof, not for sale", "%(num)d artist proofs, not for sale", proofs) % {
        "num": proofs
    }


def print_words(order: Order, artwork: Artwork | None) -> str | None:
    """The print an order holds, "Print 7/25" (the edition's size cannot change once a number is
    held, so the artwork's is the order's); None for a unique work or a number given back."""
    if order.edition_number is None:
        return None
    number = order.edition_number if artwork is None else artwork.edition.label(order.edition_number)
    return _("Print %(number)s") % {"number": number}


def number_retired(order: Order) -> bool:
    """The order's number will never be sold again (its order was refunded)."""
    return order.edition_number is not None and number_state(order.status) is NumberState.RETIRED
