"""A limited edition through checkout, on the in-memory unit of work: each order takes the lowest
free number; a lapsed order gives it back; the last payment sells the edition out; a refund keeps
its number retired (an admin's refund or one made at the provider); a late payment takes a free
number again; and a drop opens on time, early attempts counting against the order rate limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from tests.support.editions import POLICY, START, EditionShop, an_edition
from tests.support.persistence import an_artwork

from artmarket.application.errors import RateLimited
from artmarket.application.ports import Limit
from artmarket.domain.catalog import ArtworkNotAvailable, ArtworkStatus
from artmarket.domain.editions import NotYetAvailable
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.entrypoints.http.problems import status_for
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork


@pytest.fixture
async def shop() -> EditionShop:
    db = InMemoryDatabase()
    opened = EditionShop(lambda: InMemoryUnitOfWork(db))
    await opened.open()
    return opened


async def test_orders_take_the_lowest_free_numbers_and_a_lapsed_one_is_given_back(shop: EditionShop) -> None:
    edition = an_edition(shop.artist, 3)
    await shop.add(edition)
    first, second, third = await shop.buyers(3)

    one = await shop.place(first, edition.id, "192.0.2.1")
    two = await shop.place(second, edition.id, "192.0.2.2")
    await shop.cancel(first, one.order.id)
    again = await shop.place(third, edition.id, "192.0.2.3")

    assert (one.order.edition_number, two.order.edition_number, again.order.edition_number) == (1, 2, 1)
    cancelled, _ = await shop.orders([one.order.id, two.order.id])
    assert (cancelled.status, cancelled.edition_number) == (OrderStatus.CANCELLED, None)
    artwork = await shop.artwork(edition.id)
    assert (artwork.status, artwork.edition_available, artwork.edition_sold) == (
        ArtworkStatus.PUBLISHED,
        1,
        0,
    )


async def test_the_last_numbers_reserved_then_paid_sell_the_edition_out(shop: EditionShop) -> None:
    edition = an_edition(shop.artist, 2)
    await shop.add(edition)
    buyers = await shop.buyers(3)
    placed = [await shop.place(buyer, edition.id, f"192.0.2.{n}") for n, buyer in enumerate(buyers[:2])]

    with pytest.raises(ArtworkNotAvailable):
        await shop.place(buyers[2], edition.id, "192.0.2.9")
    reserved = await shop.artwork(edition.id)
    await shop.pay(placed[0].order.reference)
    half_paid = await shop.artwork(edition.id)
    await shop.pay(placed[1].order.reference)
    sold_out = await shop.artwork(edition.id)

    assert (reserved.status, reserved.edition_available) == (ArtworkStatus.RESERVED, 0)
    assert (half_paid.status, half_paid.edition_sold) == (ArtworkStatus.RESERVED, 1)
    assert (sold_out.status, sold_out.edition_sold, sold_out.is_sold_out) == (ArtworkStatus.SOLD, 2, True)


async def test_expired_reservations_give_their_numbers_back_in_one_sweep(shop: EditionShop) -> None:
    edition = an_edition(shop.artist, 3)
    await shop.add(edition)
    buyers = await shop.buyers(3)
    for n, buyer in enumerate(buyers):
        await shop.place(buyer, edition.id, f"192.0.2.{n}")

    shop.clock.advance(timedelta(minutes=16))
    expired = await shop.expire()

    artwork = await shop.artwork(edition.id)
    assert expired == 3
    assert (artwork.status, artwork.edition_available, artwork.edition_sold) == (
        ArtworkStatus.PUBLISHED,
        3,
        0,
    )
    assert (await shop.stock(artwork)).available == 3


async def test_a_refunded_number_stays_retired_and_is_never_offered_again(shop: EditionShop) -> None:
    edition = an_edition(shop.artist, 2)
    await shop.add(edition)
    first, second, third = await shop.buyers(3)
    refunded = await shop.place(first, edition.id, "192.0.2.1")
    await shop.pay(refunded.order.reference)

    order = await shop.refund(refunded.order.id)
    after_refund = await shop.artwork(edition.id)
    kept = await shop.place(second, edition.id, "192.0.2.2")
    await shop.pay(kept.order.reference)
    with pytest.raises(ArtworkNotAvailable):
        await shop.place(third, edition.id, "192.0.2.3")

    assert (order.status, order.edition_number) == (OrderStatus.REFUNDED, 1)
    assert (after_refund.status, after_refund.edition_available, after_refund.edition_sold) == (
        ArtworkStatus.PUBLISHED,
        1,
        0,
    )
    assert kept.order.edition_number == 2
    artwork = await shop.artwork(edition.id)
    stock = await shop.stock(artwork)
    assert (artwork.status, artwork.edition_available, artwork.edition_sold) == (ArtworkStatus.SOLD, 0, 1)
    assert (stock.retired, stock.sold) == (1, 1)


async def test_a_refund_of_a_sold_out_edition_leaves_it_sold_out(shop: EditionShop) -> None:
    edition = an_edition(shop.artist, 2)
    await shop.add(edition)
    buyers = await shop.buyers(2)
    placed = [await shop.place(buyer, edition.id, f"192.0.2.{n}") for n, buyer in enumerate(buyers)]
    for each in placed:
        await shop.pay(each.order.reference)

    await shop.refund(placed[1].order.id)

    artwork = await shop.artwork(edition.id)
    assert (artwork.status, artwork.edition_available, artwork.edition_sold) == (ArtworkStatus.SOLD, 0, 1)


async def test_a_late_payment_takes_the_lowest_free_number_again(shop: EditionShop) -> None:
    edition = an_edition(shop.artist, 3)
    await shop.add(edition)
    late, early = await shop.buyers(2)
    lapsed = await shop.place(late, edition.id, "192.0.2.1")
    shop.clock.advance(timedelta(minutes=16))
    await shop.expire()
    taken = await shop.place(early, edition.id, "192.0.2.2")  # number 1 again

    paid = await shop.pay(lapsed.order.reference)

    assert taken.order.edition_number == 1
    assert (paid.status, paid.edition_number) == (OrderStatus.PAID, 2)
    artwork = await shop.artwork(edition.id)
    assert (artwork.status, artwork.edition_available, artwork.edition_sold) == (
        ArtworkStatus.PUBLISHED,
        1,
        1,
    )


async def test_a_late_payment_for_a_sold_out_edition_is_refunded_without_a_number(shop: EditionShop) -> None:
    edition = an_edition(shop.artist, 2)
    await shop.add(edition)
    late, *others = await shop.buyers(3)
    lapsed = await shop.place(late, edition.id, "192.0.2.1")
    shop.clock.advance(timedelta(minutes=16))
    await shop.expire()
    for n, buyer in enumerate(others):
        await shop.pay((await shop.place(buyer, edition.id, f"192.0.2.{n + 2}")).order.reference)

    unpaid = await shop.pay(lapsed.order.reference)
    refunded = await shop.refund_late_payment(lapsed.order.id)

    assert (unpaid.status, unpaid.edition_number) == (OrderStatus.EXPIRED, None)
    assert (refunded.status, refunded.edition_number) == (OrderStatus.REFUNDED, None)
    artwork = await shop.artwork(edition.id)
    assert (artwork.status, artwork.edition_available, artwork.edition_sold) == (ArtworkStatus.SOLD, 0, 2)


async def test_a_drop_is_refused_with_409_until_it_opens_then_sold(shop: EditionShop) -> None:
    opens = START + timedelta(hours=2)
    edition = an_edition(shop.artist, 5, available_from=opens)
    await shop.add(edition)
    (buyer,) = await shop.buyers(1)

    with pytest.raises(NotYetAvailable) as early:
        await shop.place(buyer, edition.id, "192.0.2.1")
    untouched = await shop.artwork(edition.id)
    shop.clock.advance(opens - START)
    placed = await shop.place(buyer, edition.id, "192.0.2.1")

    assert status_for(early.value) == 409
    assert "01 Jun 2026 11:00 UTC" in early.value.message
    assert (untouched.status, untouched.edition_available) == (ArtworkStatus.PUBLISHED, 5)
    assert (placed.order.status, placed.order.edition_number) == (OrderStatus.AWAITING_PAYMENT, 1)


async def test_a_unique_work_with_a_drop_time_waits_for_it_too(shop: EditionShop) -> None:
    work = an_artwork(shop.artist)
    work.available_from = START + timedelta(minutes=1)
    await shop.add(work)
    (buyer,) = await shop.buyers(1)

    with pytest.raises(NotYetAvailable):
        await shop.place(buyer, work.id, "192.0.2.1")
    shop.clock.advance(timedelta(minutes=1))
    placed = await shop.place(buyer, work.id, "192.0.2.1")

    assert (placed.order.edition_number, placed.artwork.status) == (None, ArtworkStatus.RESERVED)


async def test_a_refund_made_at_the_provider_retires_the_number_too(shop: EditionShop) -> None:
    edition = an_edition(shop.artist, 2)
    await shop.add(edition)
    (buyer,) = await shop.buyers(1)
    paid = await shop.pay((await shop.place(buyer, edition.id, "192.0.2.1")).order.reference)

    tracked = await shop.refund_at_the_provider(paid)

    assert tracked is not None
    assert (tracked.status, tracked.edition_number) == (OrderStatus.REFUNDED, 1)
    artwork = await shop.artwork(edition.id)
    assert (artwork.status, artwork.edition_available, artwork.edition_sold) == (
        ArtworkStatus.PUBLISHED,
        1,
        0,
    )
    assert (await shop.stock(artwork)).lowest_free == 2


async def test_one_sweep_expires_orders_of_two_editions_and_a_unique_work(shop: EditionShop) -> None:
    editions, unique = [an_edition(shop.artist, 2), an_edition(shop.artist, 3)], an_artwork(shop.artist)
    await shop.add(*editions, unique)
    buyers = await shop.buyers(4)
    for n, (buyer, work) in enumerate(zip(buyers, [*editions, editions[1], unique], strict=True)):
        await shop.place(buyer, work.id, f"192.0.2.{n}")

    shop.clock.advance(timedelta(minutes=16))
    assert await shop.expire() == 4

    after = [await shop.artwork(work.id) for work in (*editions, unique)]
    assert [(a.status, a.edition_available) for a in after] == [
        (ArtworkStatus.PUBLISHED, 2),
        (ArtworkStatus.PUBLISHED, 3),
        (ArtworkStatus.PUBLISHED, None),
    ]


async def test_asking_before_a_drop_opens_counts_against_the_order_rate_limit() -> None:
    db = InMemoryDatabase()
    policy = replace(POLICY, order_rate=Limit(2, timedelta(minutes=1)))
    shop = EditionShop(lambda: InMemoryUnitOfWork(db), policy=policy)
    await shop.open()
    opens = START + timedelta(seconds=30)
    edition = an_edition(shop.artist, 5, available_from=opens)
    await shop.add(edition)
    eager, patient = await shop.buyers(2)

    for _ in range(2):
        with pytest.raises(NotYetAvailable):
            await shop.place(eager, edition.id, "192.0.2.1")
    shop.clock.advance(opens - START)

    with pytest.raises(RateLimited):
        await shop.place(eager, edition.id, "192.0.2.1")
    placed = await shop.place(patient, edition.id, "192.0.2.2")
    assert placed.order.edition_number == 1
