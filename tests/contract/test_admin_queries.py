"""The admin console's and dashboards' storage, once per implementation: in memory, SQLite, PostgreSQL.

The orders table (filters, search, keyset pages) and the dashboard aggregates (read models that
exist in SQL only, so over SQLite and PostgreSQL), the user search,
the append-only audit log, and an artist's suspension hiding their works from the gallery.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text
from tests.support.persistence import (
    NOW,
    Storage,
    a_user,
    an_artwork,
    an_order,
    store,
)

from artmarket.adapters.persistence.admin_queries import SqlAdminOrderQueries, SqlDashboardQueries
from artmarket.application.admin.ports import AdminOrderQueries, OrderFilter, OrderRow
from artmarket.application.audit import AuditFilter
from artmarket.application.catalog.ports import GalleryFilter, GallerySort
from artmarket.application.dashboards.ports import DashboardQueries
from artmarket.domain.audit import AuditChannel, AuditEntry
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.identity import Role, User, UserStatus
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order, PaymentEvidence


def order_queries(storage: Storage) -> AdminOrderQueries:
    assert storage.engine is not None
    return SqlAdminOrderQueries(storage.engine)


def dashboard_queries(storage: Storage) -> DashboardQueries:
    assert storage.engine is not None
    return SqlDashboardQueries(storage.engine)


def paid(order: Order, at: datetime) -> Order:
    evidence = PaymentEvidence(order.reference, True, order.amount, order.amount, at, "success")
    order.confirm_payment(evidence, at)
    return order


async def seed_sales(
    storage: Storage,
) -> tuple[User, tuple[User, User], list[Artwork], tuple[Order, ...]]:
    artist = a_user("Kemi Artist", role=Role.ARTIST)
    other_artist = a_user("Other Artist", role=Role.ARTIST)
    ada, bob = a_user("Ada Buyer"), a_user("Bob Buyer")
    works = [
        an_artwork(artist, "Harmattan Light", favorites_count=3),
        an_artwork(artist, "=cmd|' /C calc'!A0", favorites_count=7),
        an_artwork(artist, "Lagos Rain", price=Money.of(50_000, "USD"), favorites_count=1),
        an_artwork(artist, "Unsold Dawn", favorites_count=0),
        an_artwork(other_artist, "Someone Else's", favorites_count=9),
    ]
    draft = an_artwork(artist, "Draft", published_at=None)
    january, february = NOW.replace(month=1, day=15), NOW.replace(month=2, day=3)
    o1 = paid(an_order(ada, works[0], at=january), january)
    o2 = paid(an_order(bob, works[1], at=february), february)
    o3 = paid(an_order(ada, works[2], at=february + timedelta(hours=1)), february + timedelta(hours=1))
    o4 = paid(an_order(bob, works[4], at=february), february)
    refunded = paid(an_order(bob, works[3], at=january + timedelta(hours=2)), january + timedelta(hours=2))
    refunded.refund("changed mind", february)
    unpaid = an_order(ada, works[3], at=NOW)
    for order, work in ((o1, works[0]), (o2, works[1]), (o3, works[2]), (o4, works[4])):
        work.reserve(order.created_at)
        work.sell(order.created_at)
    works[3].reserve(NOW)
    await store(storage, artist, other_artist, ada, bob, *works, draft, o1, o2, o3, o4, refunded, unpaid)
    return artist, (ada, bob), works, (o1, o2, o3, o4, refunded, unpaid)


async def test_the_orders_table_filters_searches_and_pages_newest_first(sql_storage: Storage) -> None:
    _, (ada, bob), _works, orders = await seed_sales(sql_storage)
    queries = order_queries(sql_storage)

    everything = await queries.search(OrderFilter(), before=None, limit=100)
    assert [r.id for r in everything] == [
        o.id for o in sorted(orders, key=lambda o: (o.created_at, o.id), reverse=True)
    ]
    row = next(r for r in everything if r.id == orders[0].id)
    assert (row.buyer_email, row.buyer_name, row.artwork_title) == (
        str(ada.email),
        "Ada Buyer",
        "Harmattan Light",
    )
    assert row.status is OrderStatus.PAID
    assert row.amount == Money.of(2_500_000, "NGN")

    pages: list[OrderRow] = []
    before: tuple[datetime, UUID] | None = None
    while True:
        page = await queries.search(OrderFilter(), before=before, limit=2)
        pages.extend(page)
        if len(page) < 2:
            break
        before = (page[-1].created_at, page[-1].id)
    assert [r.id for r in pages] == [r.id for r in everything]

    def ids(rows: Sequence[OrderRow]) -> set[UUID]:
        return {r.id for r in rows}

    assert ids(await queries.search(OrderFilter(status=OrderStatus.REFUNDED), before=None, limit=100)) == {
        orders[4].id
    }
    assert ids(await queries.search(OrderFilter(currency="USD"), before=None, limit=100)) == {orders[2].id}
    february = NOW.replace(month=2, day=1)
    assert ids(
        await queries.search(OrderFilter(created_from=february, created_to=NOW), before=None, limit=100)
    ) == {orders[1].id, orders[2].id, orders[3].id}
    assert ids(await queries.search(OrderFilter(q="LAGOS"), before=None, limit=100)) == {orders[2].id}
    assert ids(await queries.search(OrderFilter(q=str(bob.email).upper()), before=None, limit=100)) == {
        orders[1].id,
        orders[3].id,
        orders[4].id,
    }
    assert ids(await queries.search(OrderFilter(q=orders[0].reference[3:20]), before=None, limit=100)) == {
        orders[0].id
    }
    assert await queries.search(OrderFilter(q="100%_"), before=None, limit=100) == []


async def test_the_dashboard_adds_up_one_artists_sales_per_currency_and_month(sql_storage: Storage) -> None:
    artist, _, _works, orders = await seed_sales(sql_storage)
    queries = dashboard_queries(sql_storage)

    counts = await queries.artworks_by_status(artist.id)
    assert counts == {ArtworkStatus.SOLD: 3, ArtworkStatus.RESERVED: 1, ArtworkStatus.DRAFT: 1}

    sales = await queries.sales(artist.id, limit=50)
    # Paid orders of the artist's works only (the refunded one too), newest payment first.
    assert [s.order_id for s in sales] == [orders[2].id, orders[1].id, orders[4].id, orders[0].id]
    assert sales[0].buyer_name == "Ada Buyer"
    assert sales[2].status is OrderStatus.REFUNDED

    months = await queries.revenue_by_month(artist.id)
    share = Money.of(2_500_000, "NGN") - Money.of(2_500_000, "NGN").percentage(10)
    assert [(m.month, m.currency, m.gross, m.artist_share, m.orders) for m in months] == [
        ("2026-01", "NGN", 2_500_000, share.amount, 1),
        ("2026-02", "NGN", 2_500_000, share.amount, 1),
        ("2026-02", "USD", 50_000, 45_000, 1),
    ]

    top = await queries.top_works(artist.id, limit=2)
    assert [(t.title, t.favorites_count) for t in top] == [("=cmd|' /C calc'!A0", 7), ("Harmattan Light", 3)]


async def test_users_are_searched_by_email_or_name_and_paged(storage: Storage) -> None:
    people = [a_user(f"Person {n}", at=NOW + timedelta(minutes=n)) for n in range(5)]
    artist = a_user("Zed Painter", role=Role.ARTIST, at=NOW + timedelta(minutes=9))
    await store(storage, *people, artist)
    async with storage.new_uow() as uow:
        found = await uow.users.list(q="zed paint")
        assert [u.id for u in found] == [artist.id]
        found = await uow.users.list(q=str(people[1].email).upper())
        assert [u.id for u in found] == [people[1].id]
        first = await uow.users.list(role=Role.BUYER, limit=2)
        assert [u.id for u in first] == [people[4].id, people[3].id]
        rest = await uow.users.list(role=Role.BUYER, before=(first[-1].created_at, first[-1].id), limit=10)
        assert [u.id for u in rest] == [people[2].id, people[1].id, people[0].id]
        assert await uow.users.list(q="%") == []


def an_entry(at_minutes: int, action: str = "user.suspend", target: UUID | None = None) -> AuditEntry:
    return AuditEntry(
        id=uuid4(),
        at=NOW + timedelta(minutes=at_minutes),
        actor_id=uuid4(),
        actor_email="ops@example.com",
        action=action,
        target_type="user",
        target_id=str(target or uuid4()),
        reason="chargebacks",
        request_id="req-1",
        channel=AuditChannel.HTTP,
    )


async def test_the_audit_log_keeps_entries_of_committed_work_only_newest_first(storage: Storage) -> None:
    entries = [an_entry(n, "user.suspend" if n % 2 else "order.refund") for n in range(5)]
    async with storage.new_uow() as uow:
        for entry in entries:
            uow.audit_log.add(entry)
        await uow.commit()
    async with storage.new_uow() as uow:
        uow.audit_log.add(an_entry(10))  # never committed
    async with storage.new_uow() as uow:
        listed = await uow.audit_log.list(AuditFilter(), before=None, limit=3)
        assert listed == list(reversed(entries))[:3]
        rest = await uow.audit_log.list(AuditFilter(), before=(listed[-1].at, listed[-1].id), limit=10)
        assert rest == list(reversed(entries))[3:]
        refunds = await uow.audit_log.list(AuditFilter(action="order.refund"), before=None, limit=10)
        assert [e.id for e in refunds] == [entries[4].id, entries[2].id, entries[0].id]
        one = await uow.audit_log.list(
            AuditFilter(target_type="user", target_id=entries[3].target_id), before=None, limit=10
        )
        assert one == [entries[3]]


async def test_the_database_refuses_to_change_or_delete_an_audit_entry(storage: Storage) -> None:
    if storage.engine is None:
        # The fake, like the port, offers no way to change or remove an entry at all.
        async with storage.new_uow() as uow:
            assert {name for name in dir(uow.audit_log) if not name.startswith("_")} == {"add", "list"}
        return
    entry = an_entry(0)
    async with storage.new_uow() as uow:
        uow.audit_log.add(entry)
        await uow.commit()
    for statement in ("UPDATE audit_log SET reason = 'covered up'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            async with storage.engine.begin() as connection:
                await connection.execute(text(statement))
    async with storage.new_uow() as uow:
        assert await uow.audit_log.list(AuditFilter(), before=None, limit=10) == [entry]


async def test_a_suspended_artists_works_leave_the_gallery_and_come_back(storage: Storage) -> None:
    artist, other = a_user("Kemi Artist", role=Role.ARTIST), a_user("Tunde Artist", role=Role.ARTIST)
    mine = [an_artwork(artist, f"Mine {n}") for n in range(3)]
    theirs = an_artwork(other, "Theirs")
    await store(storage, artist, other, *mine, theirs)

    async def shown() -> set[UUID]:
        cards = await storage.gallery.search(GalleryFilter(), GallerySort.NEWEST, None, 100)
        return {c.id for c in cards}

    async def directory() -> set[UUID]:
        return {a.id for a in await storage.gallery.artists(limit=10, after=None)}

    assert await shown() == {*(w.id for w in mine), theirs.id}
    async with storage.new_uow() as uow:
        user = await uow.users.get(artist.id)
        assert user is not None
        user.suspend("fraud")
        await uow.artworks.mark_artist_suspended(artist.id, True)
        loaded = await uow.artworks.get(mine[0].id)
        assert loaded is not None
        assert loaded.artist_suspended
        assert not loaded.is_public
        await uow.commit()
    assert await shown() == {theirs.id}
    assert await directory() == {other.id}
    async with storage.new_uow() as uow:
        reread = await uow.artworks.get(mine[1].id)
        assert reread is not None
        assert reread.artist_suspended
        user = await uow.users.get(artist.id)
        assert user is not None
        assert user.status is UserStatus.SUSPENDED
        user.reinstate("appeal upheld")
        await uow.artworks.mark_artist_suspended(artist.id, False)
        await uow.commit()
    assert await shown() == {*(w.id for w in mine), theirs.id}


async def test_a_taken_down_work_keeps_its_reason(storage: Storage) -> None:
    artist = a_user("Kemi Artist", role=Role.ARTIST)
    work = an_artwork(artist)
    await store(storage, artist, work)
    async with storage.new_uow() as uow:
        loaded = await uow.artworks.get(work.id)
        assert loaded is not None
        loaded.take_down("copyright complaint", NOW)
        await uow.commit()
    async with storage.new_uow() as uow:
        reread = await uow.artworks.get(work.id)
    assert reread is not None
    assert (reread.status, reread.taken_down_reason) == (ArtworkStatus.WITHDRAWN, "copyright complaint")
