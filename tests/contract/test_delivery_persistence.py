"""Delivery's storage, run once per implementation: in memory, SQLite, PostgreSQL.

Artworks' delivery, orders' shipping and recipient, shipments with their steps and the
sweepers' queries, buyers' saved addresses, and the admin and dashboard read models.
Every test asserts what a fresh unit of work reads back, never how it was stored.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from tests.contract.test_admin_queries import dashboard_queries, order_queries, paid
from tests.support.persistence import (
    LAGOS,
    NOW,
    Storage,
    a_user,
    an_artwork,
    an_order,
    ships_to,
    store,
)

from artmarket.application.admin.ports import OrderFilter
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.shipping.ports import SavedAddress
from artmarket.domain.delivery import BuyerContact, Delivery, DeliveryKind, PostalAddress, ShippingRate
from artmarket.domain.identity import Role
from artmarket.domain.money import Money
from artmarket.domain.orders import Order
from artmarket.domain.shipments import (
    DeliveryConfirmer,
    Shipment,
    ShipmentStatus,
    ShipmentStep,
    Tracking,
)

ACCRA = PostalAddress("Kofi Mensah", ("7 Oxford Street",), "Accra", None, None, "GH")


def started(order: Order, at: datetime = NOW) -> Shipment:
    return Shipment.start(order_id=order.id, artist_id=order.artist_id, buyer_id=order.buyer_id, now=at)


async def a_sale(storage: Storage, *, at=NOW, ship_to: PostalAddress = LAGOS):  # type: ignore[no-untyped-def]
    """A paid order of a physical work and its shipment, stored."""
    artist, buyer = a_user("Ada", role=Role.ARTIST), a_user("Bola")
    work = an_artwork(artist, delivery=ships_to((("NG",), 250_000), (("GH", "KE"), 900_000)))
    order = paid(an_order(buyer, work, at=at, ship_to=ship_to), at)
    work.reserve(at)
    work.sell(at)
    shipment = started(order, at)
    await store(storage, artist, buyer, work, order, shipment)
    return artist, buyer, work, order, shipment


async def test_an_artworks_delivery_reads_back_and_digital_is_the_default(storage: Storage) -> None:
    artist = a_user("Ada", role=Role.ARTIST)
    digital = an_artwork(artist, "Certificate only")
    physical = an_artwork(artist, "Bronze", delivery=ships_to((("NG",), 250_000), (("GH", "KE"), 0)))
    await store(storage, artist, digital, physical)

    async with storage.new_uow() as uow:
        loaded_digital = await uow.artworks.get(digital.id)
        loaded = await uow.artworks.get(physical.id)
        assert loaded_digital is not None
        assert loaded is not None
        assert loaded_digital.delivery == Delivery()
        assert loaded.delivery == physical.delivery
        assert loaded.delivery.kind is DeliveryKind.PHYSICAL
        assert loaded.delivery.shipping_to("KE") == Money.of(0, "NGN")
        loaded.edit(now=NOW, delivery=ships_to((("US", "CA"), 5_000_000), weight=12_000))
        loaded_digital.edit(now=NOW, delivery=ships_to((("NG",), 100)))
        await uow.commit()

    async with storage.new_uow() as uow:
        again = await uow.artworks.get(physical.id)
        now_physical = await uow.artworks.get(digital.id)
    assert again is not None
    assert now_physical is not None
    assert again.delivery == Delivery.physical(
        weight_grams=12_000, shipping_rates=[ShippingRate(("CA", "US"), Money.of(5_000_000, "NGN"))]
    )
    assert now_physical.delivery.countries == {"NG"}


async def test_an_order_keeps_its_shipping_the_buyers_contact_and_the_address(storage: Storage) -> None:
    artist, buyer = a_user("Ada", role=Role.ARTIST), a_user("Bola")
    physical = an_artwork(artist, delivery=ships_to((("GH",), 900_000)))
    digital = an_artwork(artist, "Digital")
    shipped = an_order(buyer, physical, ship_to=ACCRA)
    plain = an_order(buyer, digital)
    await store(storage, artist, buyer, physical, digital, shipped, plain)

    async with storage.new_uow() as uow:
        loaded = await uow.orders.get(shipped.id)
        loaded_plain = await uow.orders.get(plain.id)
    assert loaded is not None
    assert loaded_plain is not None
    assert (loaded.amount, loaded.shipping_fee, loaded.price) == (
        Money.of(3_400_000, "NGN"),
        Money.of(900_000, "NGN"),
        Money.of(2_500_000, "NGN"),
    )
    assert loaded.buyer_contact == BuyerContact("Bola", "+2348031234567", buyer.email)
    assert loaded.delivery_address == ACCRA
    assert loaded.split.artist_share == Money.of(2_250_000 + 900_000, "NGN")
    assert (loaded_plain.shipping_fee, loaded_plain.buyer_contact, loaded_plain.delivery_address) == (
        Money.of(0, "NGN"),
        None,
        None,
    )
    async with storage.new_uow() as uow:
        lagos = await uow.orders.get(shipped.id)
        assert lagos is not None
        assert lagos.needs_shipping


async def test_a_shipment_reads_back_with_every_step_in_order(storage: Storage) -> None:
    _, _, _, order, _ = await a_sale(storage)

    async with storage.new_uow() as uow:
        loaded = await uow.shipments.get(order.id)
        assert loaded is not None
        assert loaded.history == [ShipmentStep(ShipmentStatus.AWAITING_SHIPMENT, NOW)]
        loaded.ship(Tracking.of("DHL", "JD0146", None), NOW + timedelta(days=1))
        loaded.mark_reminded(1)
        await uow.commit()
    async with storage.new_uow() as uow:
        loaded = await uow.shipments.get(order.id)
        assert loaded is not None
        loaded.report_problem("The frame arrived broken", NOW + timedelta(days=3))
        loaded.confirm_delivery(NOW + timedelta(days=4), by=DeliveryConfirmer.ADMIN, note="carrier proof")
        await uow.commit()

    async with storage.new_uow() as uow:
        final = await uow.shipments.get(order.id)
        missing = await uow.shipments.get(uuid4())
    assert missing is None
    assert final is not None
    assert [step.status for step in final.history] == [
        ShipmentStatus.AWAITING_SHIPMENT,
        ShipmentStatus.SHIPPED,
        ShipmentStatus.DELIVERY_PROBLEM,
        ShipmentStatus.DELIVERED,
    ]
    assert final.history[1] == ShipmentStep(ShipmentStatus.SHIPPED, NOW + timedelta(days=1), "DHL JD0146")
    assert final.history[-1].note == "carrier proof"
    assert (final.carrier, final.tracking_number, final.shipped_at) == (
        "DHL",
        "JD0146",
        NOW + timedelta(days=1),
    )
    assert final.tracking_url is not None
    assert final.tracking_url.startswith("https://www.dhl.com/")
    assert (final.problem, final.problem_reported_at) == ("The frame arrived broken", NOW + timedelta(days=3))
    assert (final.delivered_at, final.confirmed_by) == (NOW + timedelta(days=4), DeliveryConfirmer.ADMIN)
    assert (final.reminders_sent, final.artist_id, final.buyer_id) == (1, order.artist_id, order.buyer_id)


async def test_a_second_shipment_for_one_order_is_refused_and_nothing_is_kept(storage: Storage) -> None:
    _, _, _, order, _ = await a_sale(storage)
    async with storage.new_uow() as uow:
        uow.shipments.add(started(order, NOW + timedelta(minutes=1)))
        with pytest.raises(ConcurrentUpdate):
            await uow.commit()
    async with storage.new_uow() as uow:
        kept = await uow.shipments.get(order.id)
    assert kept is not None
    assert kept.awaiting_since == NOW


async def test_two_changes_of_one_shipment_at_once_cannot_both_win(storage: Storage) -> None:
    _, _, _, order, _ = await a_sale(storage)
    async with storage.new_uow() as uow:
        loaded = await uow.shipments.get(order.id)
        assert loaded is not None
        loaded.ship(Tracking.of("DHL", "1", None), NOW)
        await uow.commit()

    async def confirm(by: DeliveryConfirmer, gate: asyncio.Event, go: asyncio.Event) -> str:
        async with storage.new_uow() as uow:
            shipment = await uow.shipments.get(order.id)
            assert shipment is not None
            gate.set()
            await go.wait()
            shipment.confirm_delivery(NOW + timedelta(days=21), by=by)
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return "lost"
            return "won"

    read_a, read_b, go = asyncio.Event(), asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(confirm(DeliveryConfirmer.BUYER, read_a, go))
    second = asyncio.create_task(confirm(DeliveryConfirmer.AUTOMATIC, read_b, go))
    await read_a.wait()
    await read_b.wait()
    go.set()
    assert sorted(await asyncio.gather(first, second)) == ["lost", "won"]
    async with storage.new_uow() as uow:
        final = await uow.shipments.get(order.id)
    assert final is not None
    assert [step.status for step in final.history].count(ShipmentStatus.DELIVERED) == 1


async def test_the_artists_listing_and_the_sweepers_queries(storage: Storage) -> None:
    artist, buyer = a_user("Ada", role=Role.ARTIST), a_user("Bola")
    other_artist = a_user("Other", role=Role.ARTIST)
    works = [an_artwork(artist, f"W{n}", delivery=ships_to((("NG",), 1_000))) for n in range(5)]
    elsewhere = an_artwork(other_artist, "Theirs", delivery=ships_to((("NG",), 1_000)))
    days = [NOW + timedelta(days=n) for n in range(5)]
    orders = [paid(an_order(buyer, work, at=day), day) for work, day in zip(works, days, strict=True)]
    theirs = paid(an_order(buyer, elsewhere, at=NOW), NOW)
    shipments = [started(order, day) for order, day in zip(orders, days, strict=True)]
    shipments[1].ship(Tracking.of("DHL", "1", None), days[1] + timedelta(hours=1))
    shipments[2].ship(Tracking.of("DHL", "2", None), days[2] + timedelta(hours=1))
    shipments[2].report_problem("Lost", days[3])
    shipments[3].mark_reminded(2)
    orders[4].refund("out of stock", days[4])  # refunded: nothing to ship, left out everywhere
    await store(storage, artist, other_artist, buyer, *works, elsewhere, *orders, theirs, *shipments)
    await store(storage, started(theirs))

    async with storage.new_uow() as uow:
        everything = await uow.shipments.list_for_artist(artist.id, status=None, before=None, limit=10)
        awaiting = await uow.shipments.list_for_artist(
            artist.id, status=ShipmentStatus.AWAITING_SHIPMENT, before=None, limit=10
        )
        first_page = await uow.shipments.list_for_artist(artist.id, status=None, before=None, limit=2)
        last = first_page[-1]
        second_page = await uow.shipments.list_for_artist(
            artist.id, status=None, before=(last.awaiting_since, last.order_id), limit=2
        )
        due = await uow.shipments.awaiting_before(NOW + timedelta(days=10), reminders_below=2, limit=10)
        not_yet = await uow.shipments.awaiting_before(NOW, reminders_below=2, limit=10)
        quiet = await uow.shipments.shipped_before(NOW + timedelta(days=30), limit=10)
        early = await uow.shipments.shipped_before(days[1], limit=10)

    assert [s.order_id for s in everything] == [o.id for o in reversed(orders[:4])]
    assert [s.order_id for s in awaiting] == [orders[3].id, orders[0].id]
    assert [s.order_id for s in [*first_page, *second_page]] == [o.id for o in reversed(orders[:4])]
    # Oldest first (the id breaks the tie); 3 had both reminders, 1 and 2 were shipped.
    assert [s.order_id for s in due] == sorted([theirs.id, orders[0].id])
    assert not_yet == []
    assert [s.order_id for s in quiet] == [orders[1].id]  # the one with a problem waits for an admin
    assert early == []


async def test_saved_addresses_are_kept_listed_and_forgotten(storage: Storage) -> None:
    buyer, other = a_user("Bola"), a_user("Chi")
    await store(storage, buyer, other)
    home = SavedAddress(uuid4(), buyer.id, LAGOS, NOW)
    work = SavedAddress(uuid4(), buyer.id, ACCRA, NOW + timedelta(minutes=1))
    theirs = SavedAddress(uuid4(), other.id, LAGOS, NOW)
    async with storage.new_uow() as uow:
        for saved in (home, work, theirs):
            await uow.saved_addresses.add(saved)
        await uow.commit()
    async with storage.new_uow() as uow:
        await uow.saved_addresses.add(SavedAddress(uuid4(), buyer.id, ACCRA, NOW))  # never committed

    async with storage.new_uow() as uow:
        assert await uow.saved_addresses.list_for_buyer(buyer.id) == [work, home]
        assert await uow.saved_addresses.get(home.id) == home
        assert await uow.saved_addresses.remove(home.id)
        assert not await uow.saved_addresses.remove(uuid4())
        assert await uow.saved_addresses.get(home.id) is None
        await uow.commit()
    async with storage.new_uow() as uow:
        assert await uow.saved_addresses.list_for_buyer(buyer.id) == [work]
        assert await uow.saved_addresses.list_for_buyer(other.id) == [theirs]
        assert await uow.saved_addresses.remove(work.id)
        # Not committed: still there.
    async with storage.new_uow() as uow:
        assert await uow.saved_addresses.get(work.id) == work


async def test_the_orders_table_filters_shipments_and_the_dashboard_splits_shipping(
    sql_storage: Storage,
) -> None:
    artist, buyer = a_user("Ada", role=Role.ARTIST), a_user("Bola")
    works = [an_artwork(artist, f"W{n}", delivery=ships_to((("NG",), 250_000))) for n in range(3)]
    digital = an_artwork(artist, "Digital")
    day = NOW.replace(month=2, day=1)
    orders = [paid(an_order(buyer, work, at=day), day) for work in works]
    plain = paid(an_order(buyer, digital, at=day), day)
    shipments = [started(order, day + timedelta(days=n)) for n, order in enumerate(orders)]
    shipments[2].ship(Tracking.of("DHL", "1", None), day)
    shipments[2].report_problem("Lost", day + timedelta(days=1))
    await store(sql_storage, artist, buyer, *works, digital, *orders, plain, *shipments)
    queries = order_queries(sql_storage)

    problems = await queries.search(
        OrderFilter(shipment_status=ShipmentStatus.DELIVERY_PROBLEM), before=None, limit=10
    )
    stuck = await queries.search(
        OrderFilter(awaiting_shipment_before=day + timedelta(hours=12)), before=None, limit=10
    )
    rows = {row.id: row for row in await queries.search(OrderFilter(), before=None, limit=10)}
    assert [row.id for row in problems] == [orders[2].id]
    assert [row.id for row in stuck] == [orders[0].id]
    assert (rows[orders[0].id].shipping, rows[orders[0].id].destination_country) == (
        Money.of(250_000, "NGN"),
        "NG",
    )
    assert rows[orders[0].id].shipment_status is ShipmentStatus.AWAITING_SHIPMENT
    assert rows[orders[0].id].awaiting_shipment_since == day
    assert (rows[plain.id].shipping, rows[plain.id].shipment_status, rows[plain.id].destination_country) == (
        Money.of(0, "NGN"),
        None,
        None,
    )

    dashboard = dashboard_queries(sql_storage)
    (month,) = await dashboard.revenue_by_month(artist.id)
    assert (month.gross, month.shipping, month.artwork, month.orders) == (
        4 * 2_500_000 + 3 * 250_000,
        3 * 250_000,
        4 * 2_500_000,
        4,
    )
    sales = {sale.order_id: sale for sale in await dashboard.sales(artist.id, limit=10)}
    assert (sales[orders[0].id].price, sales[orders[0].id].shipping) == (
        Money.of(2_500_000, "NGN"),
        Money.of(250_000, "NGN"),
    )
    assert sales[plain.id].shipping == Money.of(0, "NGN")
