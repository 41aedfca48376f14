"""200 buyers race for the 25 numbers of one edition, on SQLite and PostgreSQL: exactly 25 orders,
numbered 1 to 25, and 175 refusals (409 `ArtworkNotAvailable`); once all 25 pay, it is sold out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from tests.support.editions import EditionShop, an_edition
from tests.support.persistence import SQL_KINDS, Storage, open_storage

from artmarket.application.checkout.placing import PlacedOrder
from artmarket.domain.catalog import ArtworkNotAvailable, ArtworkStatus
from artmarket.domain.order_lifecycle import OrderStatus

SIZE, RACERS = 25, 200


@pytest.fixture(params=SQL_KINDS)
async def storage(request: pytest.FixtureRequest) -> AsyncIterator[Storage]:
    async with open_storage(request) as opened:
        yield opened


async def test_two_hundred_buyers_get_the_25_numbers_once_each_and_175_refusals(storage: Storage) -> None:
    shop = EditionShop(storage.new_uow)
    await shop.open()
    edition = an_edition(shop.artist, SIZE)
    await shop.add(edition)
    buyers = await shop.buyers(RACERS)

    # Distinct accounts behind distinct addresses: only the edition decides, never a cap.
    answers = await asyncio.gather(
        *(shop.place(buyer, edition.id, f"10.0.{n // 250}.{n % 250}") for n, buyer in enumerate(buyers)),
        return_exceptions=True,
    )

    placed = [a for a in answers if isinstance(a, PlacedOrder)]
    refused = [a for a in answers if not isinstance(a, PlacedOrder)]
    assert sorted(p.order.edition_number or 0 for p in placed) == list(range(1, SIZE + 1))
    assert len(refused) == RACERS - SIZE
    assert all(isinstance(error, ArtworkNotAvailable) for error in refused), {repr(e) for e in refused}
    reserved = await shop.artwork(edition.id)
    assert (reserved.status, reserved.edition_available, reserved.edition_sold) == (
        ArtworkStatus.RESERVED,
        0,
        0,
    )

    paid = await asyncio.gather(*(shop.pay(p.order.reference) for p in placed))

    assert {order.status for order in paid} == {OrderStatus.PAID}
    sold_out = await shop.artwork(edition.id)
    assert (sold_out.status, sold_out.edition_available, sold_out.edition_sold) == (
        ArtworkStatus.SOLD,
        0,
        SIZE,
    )
    stored = await shop.orders([p.order.id for p in placed])
    assert sorted(o.edition_number or 0 for o in stored) == list(range(1, SIZE + 1))
