"""An artist's sales per edition number, over SQLite and PostgreSQL: every number 1..size, free,
reserved, sold to its buyer or retired by a refund; an order that lapsed holds none."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from tests.support.persistence import NOW, Storage, a_user, an_artwork, an_order, store

from artmarket.adapters.persistence.admin_queries import SqlAdminOrderQueries, SqlDashboardQueries
from artmarket.application.admin.ports import OrderFilter
from artmarket.application.dashboards.editions import EditionPrint, PrintState, ShowEditionSales
from artmarket.application.principal import Principal
from artmarket.domain.catalog import Artwork
from artmarket.domain.editions import Edition
from artmarket.domain.errors import NotFound
from artmarket.domain.identity import Role, User
from artmarket.domain.orders import Order, PaymentEvidence

LATER = NOW + timedelta(minutes=5)


def numbered(buyer: User, prints: Artwork, number: int) -> Order:
    order = an_order(buyer, prints)
    order.edition_number = number  # as checkout hands out the lowest free number
    return order


def paid(order: Order) -> Order:
    order.confirm_payment(
        PaymentEvidence(order.reference, True, order.amount, order.amount, LATER, "success"), LATER
    )
    return order


def show(storage: Storage) -> ShowEditionSales:
    assert storage.engine is not None
    return ShowEditionSales(storage.new_uow(), SqlDashboardQueries(storage.engine))


async def test_every_number_of_an_edition_says_who_holds_it(sql_storage: Storage) -> None:
    artist, other = a_user("Kemi Artist", role=Role.ARTIST), a_user("Other Artist", role=Role.ARTIST)
    ada, bob, cy = a_user("Ada Buyer"), a_user("Bob Buyer"), a_user("Cy Buyer")
    prints = an_artwork(artist, "Harbour Prints")
    prints.change_edition(Edition.limited(6, 1), NOW)
    unique = an_artwork(artist, "The original")
    sold, reserved = paid(numbered(ada, prints, 1)), numbered(bob, prints, 3)
    refunded = paid(numbered(cy, prints, 4))
    refunded.refund("Damaged in transit", LATER)
    lapsed = numbered(cy, prints, 2)
    lapsed.expire(LATER)  # number 2 went back on sale
    await store(sql_storage, artist, other, ada, bob, cy, prints, unique, sold, reserved, refunded, lapsed)
    kemi = Principal(artist, uuid4())

    sales = await show(sql_storage)(kemi, prints.id)

    assert sales is not None
    assert (sales.title, sales.edition) == ("Harbour Prints", Edition.limited(6, 1))
    assert list(sales.prints) == [
        EditionPrint(1, PrintState.SOLD, sold.id, sold.reference, "Ada Buyer"),
        EditionPrint(2, PrintState.FREE),
        EditionPrint(3, PrintState.RESERVED, reserved.id, reserved.reference, "Bob Buyer"),
        EditionPrint(4, PrintState.RETIRED, refunded.id, refunded.reference, "Cy Buyer"),
        EditionPrint(5, PrintState.FREE),
        EditionPrint(6, PrintState.FREE),
    ]
    assert [sales.count(state) for state in PrintState] == [3, 1, 1, 1]
    assert await show(sql_storage)(kemi, unique.id) is None
    with pytest.raises(NotFound):
        await show(sql_storage)(Principal(other, uuid4()), prints.id)


async def test_the_admin_orders_table_shows_the_number_an_order_holds(sql_storage: Storage) -> None:
    artist, buyer = a_user("Kemi Artist", role=Role.ARTIST), a_user("Ada Buyer")
    prints, unique = an_artwork(artist, "Harbour Prints"), an_artwork(artist, "The original")
    prints.change_edition(Edition.limited(6), NOW)
    sixth, original = numbered(buyer, prints, 6), an_order(buyer, unique)
    await store(sql_storage, artist, buyer, prints, unique, sixth, original)
    assert sql_storage.engine is not None

    rows = await SqlAdminOrderQueries(sql_storage.engine).search(OrderFilter(), before=None, limit=10)

    assert {row.id: row.edition_number for row in rows} == {sixth.id: 6, original.id: None}
