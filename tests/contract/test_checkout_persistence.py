"""Checkout's repositories and the outbox, run once per implementation: in memory, SQLite, PostgreSQL.

Every test asserts the state a fresh unit of work reads back, never how it was stored.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import uuid4

import pytest
from tests.support.persistence import (
    NOW,
    Storage,
    a_user,
    an_artwork,
    an_order,
    store,
)

from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.messaging import OutboxMessage, OutboxStatus, Topic
from artmarket.application.payments.records import PaymentEventRecord, PayoutAccount
from artmarket.domain.catalog import ArtworkNotAvailable
from artmarket.domain.identity import Role, User
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import PaymentEvidence, PaymentSplit, StatusChange


def paid(reference: str, amount: Money) -> PaymentEvidence:
    return PaymentEvidence(reference, True, amount, amount, NOW + timedelta(minutes=3), "success")


async def people(storage: Storage) -> tuple[User, User, User]:
    artist, buyer, other = a_user("Ada", role=Role.ARTIST), a_user("Bob"), a_user("Cy")
    await store(storage, artist, buyer, other)
    return artist, buyer, other


async def test_an_order_reads_back_with_its_money_split_and_history(storage: Storage) -> None:
    artist, buyer, _ = await people(storage)
    work, other_work = an_artwork(artist, price=Money.of(1_000_001, "NGN")), an_artwork(artist)
    order = an_order(buyer, work, subaccount="ACCT_ada")
    order.attach_checkout("https://checkout.paystack.com/abc")
    uncommissioned = an_order(buyer, other_work, subaccount=None)
    await store(storage, work, other_work, order, uncommissioned)

    async with storage.new_uow() as uow:
        loaded = await uow.orders.get(order.id)
        plain = await uow.orders.get(uncommissioned.id)
        missing = await uow.orders.get(uuid4())
    assert missing is None
    assert loaded is not None
    assert plain is not None
    assert loaded.amount == Money.of(1_000_001, "NGN")
    assert loaded.split == PaymentSplit(Money.of(900_001, "NGN"), Money.of(100_000, "NGN"), "ACCT_ada")
    assert plain.split.subaccount is None
    assert loaded.history == [StatusChange(OrderStatus.AWAITING_PAYMENT, NOW)]
    assert (loaded.buyer_id, loaded.artwork_id, loaded.artist_id) == (buyer.id, work.id, artist.id)
    assert (loaded.reference, loaded.status, loaded.authorization_url) == (
        order.reference,
        OrderStatus.AWAITING_PAYMENT,
        "https://checkout.paystack.com/abc",
    )
    assert (loaded.created_at, loaded.expires_at, loaded.paid_at) == (NOW, NOW + timedelta(minutes=15), None)
    assert (loaded.certificate_id, loaded.attention, loaded.refund_reason) == (None, None, None)


async def test_every_transition_is_saved_in_the_history_in_order(storage: Storage) -> None:
    artist, buyer, _ = await people(storage)
    work = an_artwork(artist)
    order = an_order(buyer, work)
    await store(storage, work, order)
    certificate = uuid4()

    async with storage.new_uow() as uow:
        loaded = await uow.orders.get(order.id)
        assert loaded is not None
        loaded.confirm_payment(paid(order.reference, order.amount), NOW + timedelta(minutes=4))
        await uow.commit()
    async with storage.new_uow() as uow:
        loaded = await uow.orders.get_by_reference(order.reference)
        assert loaded is not None
        loaded.start_minting(NOW + timedelta(minutes=5))
        loaded.complete(certificate, NOW + timedelta(minutes=6))
        loaded.refund("damaged in transit", NOW + timedelta(days=3))
        await uow.commit()

    async with storage.new_uow() as uow:
        reread = await uow.orders.get(order.id)
    assert reread is not None
    assert reread.history == [
        StatusChange(OrderStatus.AWAITING_PAYMENT, NOW),
        StatusChange(OrderStatus.PAID, NOW + timedelta(minutes=4)),
        StatusChange(OrderStatus.MINTING, NOW + timedelta(minutes=5)),
        StatusChange(OrderStatus.COMPLETED, NOW + timedelta(minutes=6)),
        StatusChange(OrderStatus.REFUNDED, NOW + timedelta(days=3), "damaged in transit"),
    ]
    assert reread.status is OrderStatus.REFUNDED
    assert (reread.paid_at, reread.certificate_id, reread.refund_reason) == (
        NOW + timedelta(minutes=3),
        certificate,
        "damaged in transit",
    )


async def test_orders_are_found_by_reference_and_by_idempotency_key(storage: Storage) -> None:
    artist, buyer, other = await people(storage)
    work = an_artwork(artist)
    order = an_order(buyer, work)
    async with storage.new_uow() as uow:
        uow.artworks.add(work)
        uow.orders.add(order)
        uow.orders.remember_idempotency_key(order, "key-1", "f" * 64)
        await uow.commit()

    async with storage.new_uow() as uow:
        by_reference = await uow.orders.get_by_reference(order.reference)
        unknown_reference = await uow.orders.get_by_reference("am-unknown")
        by_key = await uow.orders.get_by_idempotency_key(buyer.id, "key-1")
        other_buyer = await uow.orders.get_by_idempotency_key(other.id, "key-1")
        other_key = await uow.orders.get_by_idempotency_key(buyer.id, "key-2")

    assert by_reference is not None
    assert by_reference.id == order.id
    assert unknown_reference is None
    assert by_key is not None
    assert (by_key[0].id, by_key[1]) == (order.id, "f" * 64)
    assert other_buyer is None
    assert other_key is None


async def test_a_second_live_order_for_an_artwork_is_refused_at_commit_and_nothing_is_kept(
    storage: Storage,
) -> None:
    artist, buyer, other = await people(storage)
    work, unrelated = an_artwork(artist, "Harbour"), an_artwork(artist, "Dusk")
    first = an_order(buyer, work)
    await store(storage, work, unrelated, first)
    second, bystander = an_order(other, work), an_order(other, unrelated)

    async with storage.new_uow() as uow:
        uow.orders.add(bystander)  # same transaction: must vanish as well
        uow.orders.add(second)
        with pytest.raises(ArtworkNotAvailable):
            await uow.commit()

    async with storage.new_uow() as uow:
        assert await uow.orders.get(second.id) is None
        assert await uow.orders.get(bystander.id) is None
        assert await uow.orders.get(first.id) is not None


@pytest.mark.parametrize("lapse", ["expire", "cancel", "mark_payment_failed"])
async def test_an_order_that_no_longer_holds_its_artwork_does_not_block_a_new_one(
    storage: Storage, lapse: str
) -> None:
    artist, buyer, other = await people(storage)
    work = an_artwork(artist)
    first = an_order(buyer, work)
    await store(storage, work, first)
    async with storage.new_uow() as uow:
        loaded = await uow.orders.get(first.id)
        assert loaded is not None
        if lapse == "mark_payment_failed":
            loaded.mark_payment_failed("abandoned", NOW + timedelta(minutes=1))
        else:
            getattr(loaded, lapse)(NOW + timedelta(minutes=1))
        await uow.commit()

    second = an_order(other, work, at=NOW + timedelta(minutes=2))
    await store(storage, second)
    third = an_order(buyer, work, at=NOW + timedelta(minutes=3))
    with pytest.raises(ArtworkNotAvailable):
        await store(storage, third)
    async with storage.new_uow() as uow:
        # Paying the lapsed order late while the second is live breaks the rule too.
        lapsed = await uow.orders.get(first.id)
        assert lapsed is not None
        lapsed.accept_late_payment(paid(first.reference, first.amount), NOW + timedelta(minutes=4))
        with pytest.raises(ArtworkNotAvailable):
            await uow.commit()


async def test_two_buyers_racing_for_one_artwork_get_one_live_order(storage: Storage) -> None:
    artist, buyer, other = await people(storage)
    work = an_artwork(artist)
    await store(storage, work)
    first, second = storage.new_uow(), storage.new_uow()
    orders = [an_order(buyer, work), an_order(other, work)]

    async with first, second:
        first.orders.add(orders[0])
        second.orders.add(orders[1])
        outcomes = await asyncio.gather(first.commit(), second.commit(), return_exceptions=True)

    assert outcomes.count(None) == 1, outcomes
    assert [type(o) for o in outcomes if o is not None] == [ArtworkNotAvailable], outcomes
    winner = orders[outcomes.index(None)]
    async with storage.new_uow() as uow:
        kept = [await uow.orders.get(o.id) for o in orders]
    assert [o.id for o in kept if o is not None] == [winner.id]


async def test_two_concurrent_confirmations_of_one_order_cannot_both_win(storage: Storage) -> None:
    artist, buyer, _ = await people(storage)
    work = an_artwork(artist)
    order = an_order(buyer, work)
    await store(storage, work, order)
    first, second = storage.new_uow(), storage.new_uow()

    async with first, second:
        for uow in (first, second):
            loaded = await uow.orders.get_by_reference(order.reference)
            assert loaded is not None
            loaded.confirm_payment(paid(order.reference, order.amount), NOW + timedelta(minutes=4))
        outcomes = await asyncio.gather(first.commit(), second.commit(), return_exceptions=True)

    assert outcomes.count(None) == 1, outcomes
    assert [type(o) for o in outcomes if o is not None] == [ConcurrentUpdate], outcomes
    async with storage.new_uow() as uow:
        stored = await uow.orders.get(order.id)
    assert stored is not None
    assert [change.status for change in stored.history] == [OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID]


async def test_one_idempotency_key_used_twice_at_once_keeps_one_order(storage: Storage) -> None:
    artist, buyer, _ = await people(storage)
    harbour, dusk = an_artwork(artist, "Harbour"), an_artwork(artist, "Dusk")
    await store(storage, harbour, dusk)
    first, second = storage.new_uow(), storage.new_uow()

    async with first, second:
        for uow, work in ((first, harbour), (second, dusk)):
            order = an_order(buyer, work)
            uow.orders.add(order)
            uow.orders.remember_idempotency_key(order, "same-key", work.title)
        outcomes = await asyncio.gather(first.commit(), second.commit(), return_exceptions=True)

    assert outcomes.count(None) == 1, outcomes
    assert [type(o) for o in outcomes if o is not None] == [ConcurrentUpdate], outcomes
    async with storage.new_uow() as uow:
        found = await uow.orders.get_by_idempotency_key(buyer.id, "same-key")
    assert found is not None
    assert found[1] == ("Harbour" if outcomes[0] is None else "Dusk")


async def test_buyer_listings_and_the_sweepers_queries(storage: Storage) -> None:
    artist, buyer, other = await people(storage)
    works = [an_artwork(artist, f"Work {n}") for n in range(5)]
    orders = [an_order(buyer, w, at=NOW + timedelta(minutes=n)) for n, w in enumerate(works[:4])]
    others = an_order(other, works[4], at=NOW)
    orders[1].cancel(NOW + timedelta(minutes=2))
    orders[3].confirm_payment(paid(orders[3].reference, orders[3].amount), NOW + timedelta(minutes=4))
    await store(storage, *works, *orders, others)
    ids = [o.id for o in orders]

    async with storage.new_uow() as uow:
        awaiting = await uow.orders.count_awaiting_payment(buyer.id)
        everything = await uow.orders.list_for_buyer(buyer.id, status=None, limit=10, before=None)
        page = await uow.orders.list_for_buyer(
            buyer.id, status=None, limit=2, before=(orders[3].created_at, orders[3].id)
        )
        cancelled = await uow.orders.list_for_buyer(
            buyer.id, status=OrderStatus.CANCELLED, limit=10, before=None
        )
        lapsed = await uow.orders.lapsed(NOW + timedelta(minutes=16), limit=10)
        lapsed_one = await uow.orders.lapsed(NOW + timedelta(hours=1), limit=1)
        stale = await uow.orders.awaiting_since(NOW + timedelta(minutes=1), limit=10)

    assert awaiting == 2
    assert [o.id for o in everything] == ids[::-1]
    assert [o.id for o in page] == [ids[2], ids[1]]
    assert [o.id for o in cancelled] == [ids[1]]
    assert sorted(o.id for o in lapsed) == sorted([ids[0], others.id])
    assert len(lapsed_one) == 1
    assert sorted(o.id for o in stale) == sorted([ids[0], others.id])


async def test_a_payment_event_is_stored_once_per_key(storage: Storage) -> None:
    event = PaymentEventRecord(
        key="evt-1",
        provider="paystack",
        event="charge.success",
        reference="am-123",
        payload={"event": "charge.success", "data": {"amount": 2_500_000, "paid": True, "tags": ["a", "b"]}},
        received_at=NOW,
    )
    again = PaymentEventRecord("evt-1", "paystack", "charge.success", "am-123", {"event": "dup"}, NOW)
    other = PaymentEventRecord("evt-2", "paystack", "charge.failed", "am-123", {}, NOW + timedelta(seconds=1))

    async with storage.new_uow() as uow:  # not committed: nothing kept
        assert await uow.payment_events.add_if_new(event)
    async with storage.new_uow() as uow:
        assert await uow.payment_events.add_if_new(event)
        assert not await uow.payment_events.add_if_new(again)
        await uow.commit()
    async with storage.new_uow() as uow:
        assert not await uow.payment_events.add_if_new(again)
        assert await uow.payment_events.add_if_new(other)
        await uow.commit()

    async with storage.new_uow() as uow:
        stored = await uow.payment_events.list_for_reference("am-123")
        unknown = await uow.payment_events.list_for_reference("am-999")
    assert stored == [event, other]
    assert unknown == []


async def test_a_payout_account_is_saved_and_replaced(storage: Storage) -> None:
    artist, _, _ = await people(storage)
    first = PayoutAccount(artist.id, "058", "1234", "ACCT_one", 10, NOW)
    second = PayoutAccount(artist.id, "044", "9876", "ACCT_two", 15, NOW + timedelta(days=1))

    async with storage.new_uow() as uow:
        assert await uow.payout_accounts.get(artist.id) is None
        await uow.payout_accounts.save(first)
        assert await uow.payout_accounts.get(artist.id) == first
        await uow.commit()
    async with storage.new_uow() as uow:
        await uow.payout_accounts.save(second)
        await uow.commit()

    async with storage.new_uow() as uow:
        assert await uow.payout_accounts.get(artist.id) == second


def a_message(key: str, *, at_minute: int, topic: Topic = Topic.ORDER_PAID) -> OutboxMessage:
    return OutboxMessage(uuid4(), topic, key, {"order_id": key}, NOW + timedelta(minutes=at_minute))


async def test_pending_outbox_messages_come_oldest_first_once_their_back_off_passed(storage: Storage) -> None:
    oldest, backing_off, ready, sent, newest = (
        a_message("m1", at_minute=1),
        a_message("m2", at_minute=2),
        a_message("m3", at_minute=3),
        a_message("m4", at_minute=4),
        a_message("m5", at_minute=5),
    )
    backing_off.mark_attempt_failed("redis down", NOW + timedelta(minutes=10), max_attempts=10)  # +2 s
    ready.mark_attempt_failed("redis down", NOW, max_attempts=10)
    sent.mark_published(NOW + timedelta(minutes=6))
    async with storage.new_uow() as uow:
        for message in (newest, sent, ready, backing_off, oldest):
            uow.outbox.add(message)
        await uow.commit()

    async with storage.new_uow() as uow:
        before_back_off = await uow.outbox.pending(NOW + timedelta(minutes=10), limit=10)
        after_back_off = await uow.outbox.pending(NOW + timedelta(minutes=10, seconds=2), limit=10)
        first_two = await uow.outbox.pending(NOW + timedelta(hours=1), limit=2)
    assert [m.key for m in before_back_off] == ["m1", "m3", "m5"]
    assert [m.key for m in after_back_off] == ["m1", "m2", "m3", "m5"]
    assert [m.key for m in first_two] == ["m1", "m2"]


async def test_outbox_messages_read_back_and_their_changes_are_saved(storage: Storage) -> None:
    message = a_message("order-paid:1", at_minute=0)
    async with storage.new_uow() as uow:
        uow.outbox.add(message)
        assert await uow.outbox.has_key("order-paid:1")
        await uow.commit()

    async with storage.new_uow() as uow:
        loaded = await uow.outbox.get(message.id)
        assert loaded is not None
        assert (loaded.topic, loaded.payload, loaded.status, loaded.attempts) == (
            Topic.ORDER_PAID,
            {"order_id": "order-paid:1"},
            OutboxStatus.PENDING,
            0,
        )
        for _ in range(3):
            loaded.mark_attempt_failed("Timeout: queue", NOW, max_attempts=3)
        await uow.commit()

    async with storage.new_uow() as uow:
        failed = await uow.outbox.list(status=OutboxStatus.FAILED, limit=10)
        assert [(m.id, m.attempts, m.last_error) for m in failed] == [(message.id, 3, "Timeout: queue")]
        failed[0].retry()
        await uow.commit()
    async with storage.new_uow() as uow:
        retried = await uow.outbox.get(message.id)
        unknown = await uow.outbox.get(uuid4())
        has = (await uow.outbox.has_key("order-paid:1"), await uow.outbox.has_key("order-paid:2"))
    assert retried is not None
    assert (retried.status, retried.attempts, retried.available_at) == (OutboxStatus.PENDING, 0, None)
    assert unknown is None
    assert has == (True, False)


async def test_outbox_listing_is_newest_first_and_filters_by_status(storage: Storage) -> None:
    messages = [a_message(f"m{n}", at_minute=n) for n in range(4)]
    messages[1].mark_published(NOW)
    async with storage.new_uow() as uow:
        for message in messages:
            uow.outbox.add(message)
        await uow.commit()

    async with storage.new_uow() as uow:
        everything = await uow.outbox.list(status=None, limit=3)
        pending = await uow.outbox.list(status=OutboxStatus.PENDING, limit=10)
    assert [m.key for m in everything] == ["m3", "m2", "m1"]
    assert [m.key for m in pending] == ["m3", "m2", "m0"]


async def test_a_second_message_with_the_same_key_is_refused_as_a_concurrent_update(storage: Storage) -> None:
    await_first = a_message("order-paid:1", at_minute=0)
    async with storage.new_uow() as uow:
        uow.outbox.add(await_first)
        await uow.commit()

    async with storage.new_uow() as uow:
        uow.outbox.add(a_message("order-paid:1", at_minute=1))
        uow.outbox.add(a_message("order-paid:2", at_minute=1))
        with pytest.raises(ConcurrentUpdate):
            await uow.commit()

    async with storage.new_uow() as uow:
        assert [m.id for m in await uow.outbox.list(status=None, limit=10)] == [await_first.id]


# Row locks (FOR UPDATE SKIP LOCKED) are PostgreSQL's: SQLite has a single writer, and the
# in-memory fake a single thread.
@pytest.mark.parametrize("storage", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
async def test_two_relays_at_once_never_get_the_same_pending_message(storage: Storage) -> None:
    messages = [a_message(f"m{n}", at_minute=n) for n in range(5)]
    async with storage.new_uow() as uow:
        for message in messages:
            uow.outbox.add(message)
        await uow.commit()

    first, second = storage.new_uow(), storage.new_uow()
    async with first, second:
        batch_one = await first.outbox.pending(NOW + timedelta(hours=1), limit=3)
        batch_two = await second.outbox.pending(NOW + timedelta(hours=1), limit=3)
    assert [m.key for m in batch_one] == ["m0", "m1", "m2"]
    assert [m.key for m in batch_two] == ["m3", "m4"]
