"""The rules of buying a work: who may buy it, how many unpaid orders may wait, how the payment divides."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from artmarket.domain.catalog import Artwork, ArtworkNotAvailable, ArtworkStatus
from artmarket.domain.errors import Conflict
from artmarket.domain.money import Money
from artmarket.domain.orders import PaymentSplit


class OwnArtwork(Conflict):
    default_message = "Artists cannot buy their own work."


class TooManyOpenOrders(Conflict):
    default_message = "You already have the most unpaid orders allowed; pay or cancel one first."


class TooManyOpenOrdersFromAddress(Conflict):
    default_message = (
        "Your network already holds the most unpaid orders allowed; pay or cancel one, or wait "
        "for a reservation to run out."
    )


def ensure_may_buy(artwork: Artwork, buyer_id: UUID | None, *, artist_active: bool) -> None:
    """A buyer may reserve a published work of an active artist, never their own work.

    Their own work is named first: an artist is told why, whatever the work's status.
    """
    if artwork.is_by(buyer_id):
        raise OwnArtwork()
    if artwork.status is not ArtworkStatus.PUBLISHED or not artist_active:
        raise ArtworkNotAvailable()


def may_buy(artwork: Artwork, buyer_id: UUID | None, *, artist_active: bool) -> bool:
    """What the artwork page offers: `ensure_may_buy` accepts (a visitor is offered to sign in)."""
    try:
        ensure_may_buy(artwork, buyer_id, artist_active=artist_active)
    except (OwnArtwork, ArtworkNotAvailable):
        return False
    return True


@dataclass(frozen=True, slots=True)
class OpenOrderLimits:
    """How many unpaid orders may wait at once: per buyer, and over all accounts behind one client address."""

    per_buyer: int
    per_address: int

    def check(self, *, open_by_buyer: int, open_from_address: int) -> None:
        """Refuse one more order when either count already reached its limit."""
        if open_by_buyer >= self.per_buyer:
            raise TooManyOpenOrders()
        if open_from_address >= self.per_address:
            raise TooManyOpenOrdersFromAddress()


def split_payment(
    price: Money, shipping: Money, *, commission_percent: int, subaccount: str | None
) -> PaymentSplit:
    """The commission is taken on the price only: shipping goes to the artist, who pays the carrier."""
    fee = price.percentage(commission_percent)
    return PaymentSplit(artist_share=price - fee + shipping, platform_fee=fee, subaccount=subaccount)
