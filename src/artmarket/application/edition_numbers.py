"""A limited edition's numbers through checkout, each handed to one order only and never lost.

Every change to a limited edition's numbers happens under the artwork's placement turn: the
turn is taken before any order of the artwork changes in the transaction (a transaction that
locked an order row and then waited for the turn could wait in a circle with one that holds the
turn and changes that order), the artwork is read after it (so its version is current), and
the stock is counted from the orders that hold numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork
from artmarket.domain.editions import EditionStock
from artmarket.domain.errors import NotFound
from artmarket.domain.orders import Order


def artwork_holder(artwork_id: UUID) -> str:
    """The placement turn of one artwork: always the last holder a placement names."""
    return f"artwork:{artwork_id}"


async def take_artwork_turns(uow: UnitOfWork, artwork_ids: Iterable[UUID], now: datetime) -> None:
    """Wait for the turns of these artworks, in one fixed order (two sweeps never wait in a circle)."""
    holders = sorted({artwork_holder(artwork_id) for artwork_id in artwork_ids})
    if holders:
        await uow.orders.take_placement_turn(holders, now)


async def turn_for_number(uow: UnitOfWork, order: Order, now: datetime) -> bool:
    """Take the turn of the order's artwork when the order holds an edition number; True if it did.

    Called before the order changes; the caller then `recount`s the artwork.
    """
    if order.edition_number is None:
        return False
    await take_artwork_turns(uow, (order.artwork_id,), now)
    return True


async def stock_of(uow: UnitOfWork, artwork: Artwork) -> EditionStock:
    """The edition's numbers as the orders hold them (this transaction's changes included)."""
    return EditionStock.of(artwork.edition, await uow.orders.edition_holdings(artwork.id))


async def reserve_number(uow: UnitOfWork, artwork: Artwork, now: datetime) -> int:
    """The lowest free number of a limited edition, for a new order; the artwork follows its stock.

    Under the artwork's turn, with `artwork` read after it; `ArtworkNotAvailable` when none is free.
    """
    return artwork.take_number(await stock_of(uow, artwork), now)


async def recount(uow: UnitOfWork, artwork_id: UUID, now: datetime) -> Artwork:
    """A limited edition's stored counts and status follow its numbers (a unique work is left as is).

    Under the artwork's turn, taken before the orders changed.
    """
    artwork = await uow.artworks.get(artwork_id)
    if artwork is None:
        raise NotFound("No such artwork.")
    if artwork.edition.is_limited:
        artwork.follow_stock(await stock_of(uow, artwork), now)
    return artwork


async def refund_keeping_number(uow: UnitOfWork, order: Order, reason: str, now: datetime) -> None:
    """The order is refunded; a number it holds stays retired (never sold again), and its
    edition's counts follow (one fewer sold; the status never goes back on sale)."""
    numbered = await turn_for_number(uow, order, now)
    order.refund(reason, now)
    if numbered:
        await recount(uow, order.artwork_id, now)
