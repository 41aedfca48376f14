"""Email deliveries and account tokens, run once per implementation: in memory, SQLite, PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from tests.support.persistence import NOW, Storage, a_user, store

from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.notifications.deliveries import DeliveryStatus, EmailDelivery, EmailKind
from artmarket.domain.identity import AccountToken, AccountTokenPurpose

LEASE = timedelta(minutes=1)


def a_delivery(
    name: str = "a", *, at: timedelta = timedelta(0), kind: EmailKind = EmailKind.PAYMENT_RECEIVED
) -> EmailDelivery:
    return EmailDelivery(
        id=uuid4(),
        message_id=f"<{uuid4()}.{kind.value}@art.example>",
        kind=kind,
        recipient=f"{name}@example.com",
        recipient_name=f"Ada “{name}” Obi",
        context={
            "recipient_name": "Ada",
            "artwork_title": "<b>Harmattan</b> & co",
            "amount": "NGN 25,000.00",
        },
        created_at=NOW + at,
        next_attempt_at=NOW + at,
    )


async def add(storage: Storage, *deliveries: EmailDelivery) -> None:
    async with storage.new_uow() as uow:
        for delivery in deliveries:
            uow.email_deliveries.add(delivery)
        await uow.commit()


async def test_a_delivery_reads_back_as_it_was_recorded(storage: Storage) -> None:
    delivery = a_delivery()
    await add(storage, delivery)

    async with storage.new_uow() as uow:
        loaded = await uow.email_deliveries.get(delivery.id)
        by_message_id = await uow.email_deliveries.get_by_message_id(delivery.message_id)
        missing = await uow.email_deliveries.get_by_message_id("<nothing@art.example>")
    assert missing is None
    assert loaded is not None
    assert by_message_id is not None
    assert by_message_id.id == delivery.id
    assert (loaded.message_id, loaded.kind, loaded.recipient, loaded.recipient_name) == (
        delivery.message_id,
        EmailKind.PAYMENT_RECEIVED,
        "a@example.com",
        "Ada “a” Obi",
    )
    assert loaded.context == delivery.context
    assert (loaded.status, loaded.attempts, loaded.created_at, loaded.next_attempt_at) == (
        DeliveryStatus.PENDING,
        0,
        NOW,
        NOW,
    )
    assert (loaded.claimed_until, loaded.sent_at, loaded.last_error) == (None, None, None)


async def test_a_second_delivery_with_a_known_message_id_is_refused(storage: Storage) -> None:
    first = a_delivery()
    await add(storage, first)
    twin = a_delivery("b")
    twin.message_id = first.message_id

    with pytest.raises(ConcurrentUpdate):
        await add(storage, twin)

    async with storage.new_uow() as uow:
        assert [d.id for d in await uow.email_deliveries.list(status=None, limit=10)] == [first.id]


async def test_due_lists_pending_deliveries_whose_time_came_and_nobody_holds_oldest_first(
    storage: Storage,
) -> None:
    older, newer = a_delivery("older", at=-timedelta(minutes=5)), a_delivery("newer")
    later = a_delivery("later", at=timedelta(minutes=1))
    held, lapsed_hold = (
        a_delivery("held", at=-timedelta(minutes=3)),
        a_delivery("lapsed", at=-timedelta(minutes=4)),
    )
    sent, failed = (
        a_delivery("sent", at=-timedelta(minutes=2)),
        a_delivery("failed", at=-timedelta(minutes=2)),
    )
    assert held.claim(NOW, LEASE)
    assert lapsed_hold.claim(NOW - timedelta(minutes=2), LEASE)
    sent.mark_sent(NOW)
    failed.mark_attempt_failed("550 no", NOW, max_attempts=1, permanent=True)
    await add(storage, older, newer, later, held, lapsed_hold, sent, failed)

    async with storage.new_uow() as uow:
        due = await uow.email_deliveries.due(NOW, limit=10)
        first = await uow.email_deliveries.due(NOW, limit=1)

    assert [d.recipient for d in due] == ["older@example.com", "lapsed@example.com", "newer@example.com"]
    assert [d.recipient for d in first] == ["older@example.com"]


async def test_of_two_senders_claiming_one_delivery_only_the_first_to_commit_holds_it(
    storage: Storage,
) -> None:
    delivery = a_delivery()
    await add(storage, delivery)
    first, second = storage.new_uow(), storage.new_uow()

    async with first, second:
        mine = await first.email_deliveries.get(delivery.id)
        theirs = await second.email_deliveries.get(delivery.id)
        assert mine is not None
        assert theirs is not None
        assert mine.claim(NOW, LEASE)
        assert theirs.claim(NOW, LEASE)
        await first.commit()
        with pytest.raises(ConcurrentUpdate):
            await second.commit()

    async with storage.new_uow() as uow:
        stored = await uow.email_deliveries.get(delivery.id)
        assert stored is not None
        assert (stored.attempts, stored.claimed_until) == (1, NOW + LEASE)
        assert await uow.email_deliveries.due(NOW, limit=10) == []


async def test_a_sent_or_failed_delivery_reads_back_with_its_outcome(storage: Storage) -> None:
    sent, failed = a_delivery("sent"), a_delivery("failed", at=timedelta(seconds=1))
    await add(storage, sent, failed)
    async with storage.new_uow() as uow:
        for delivery in (await uow.email_deliveries.get(sent.id), await uow.email_deliveries.get(failed.id)):
            assert delivery is not None
            assert delivery.claim(NOW + timedelta(seconds=1), LEASE)
        loaded_sent = await uow.email_deliveries.get(sent.id)
        loaded_failed = await uow.email_deliveries.get(failed.id)
        assert loaded_sent is not None
        assert loaded_failed is not None
        loaded_sent.mark_sent(NOW + timedelta(seconds=2))
        loaded_failed.mark_attempt_failed("rejected: 550 no such user", NOW, max_attempts=5, permanent=True)
        await uow.commit()

    async with storage.new_uow() as uow:
        failed_list = await uow.email_deliveries.list(status=DeliveryStatus.FAILED, limit=10)
        everything = await uow.email_deliveries.list(status=None, limit=10)
    assert [(d.id, d.last_error, d.attempts) for d in failed_list] == [
        (failed.id, "rejected: 550 no such user", 1)
    ]
    assert [d.id for d in everything] == [failed.id, sent.id]  # newest first
    assert (everything[1].status, everything[1].sent_at, everything[1].claimed_until) == (
        DeliveryStatus.SENT,
        NOW + timedelta(seconds=2),
        None,
    )


def a_token(user_id: object, purpose: AccountTokenPurpose, *, at: timedelta = timedelta(0)) -> AccountToken:
    return AccountToken.issue(
        id=uuid4(),
        user_id=user_id,  # type: ignore[arg-type]
        purpose=purpose,
        token_hash=uuid4().hex + uuid4().hex,
        now=NOW + at,
        ttl=timedelta(hours=1),
    )


async def test_account_tokens_are_found_by_hash_and_only_live_ones_of_a_purpose_are_listed(
    storage: Storage,
) -> None:
    user, other = a_user("Ada"), a_user("Bob")
    await store(storage, user, other)
    live = a_token(user.id, AccountTokenPurpose.RESET_PASSWORD, at=timedelta(minutes=-1))
    newer = a_token(user.id, AccountTokenPurpose.RESET_PASSWORD)
    used = a_token(user.id, AccountTokenPurpose.RESET_PASSWORD)
    used.use(AccountTokenPurpose.RESET_PASSWORD, NOW)
    expired = a_token(user.id, AccountTokenPurpose.RESET_PASSWORD, at=-timedelta(hours=2))
    verify = a_token(user.id, AccountTokenPurpose.VERIFY_EMAIL)
    theirs = a_token(other.id, AccountTokenPurpose.RESET_PASSWORD)
    async with storage.new_uow() as uow:
        for token in (live, newer, used, expired, verify, theirs):
            uow.account_tokens.add(token)
        await uow.commit()

    async with storage.new_uow() as uow:
        found = await uow.account_tokens.find_by_hash(verify.token_hash)
        unknown = await uow.account_tokens.find_by_hash("0" * 64)
        listed = await uow.account_tokens.live_for_user(user.id, AccountTokenPurpose.RESET_PASSWORD, NOW)
    assert unknown is None
    assert found is not None
    assert (found.id, found.user_id, found.purpose, found.expires_at, found.used_at) == (
        verify.id,
        user.id,
        AccountTokenPurpose.VERIFY_EMAIL,
        NOW + timedelta(hours=1),
        None,
    )
    assert [t.id for t in listed] == [live.id, newer.id]


async def test_a_token_spent_by_two_transactions_at_once_is_spent_by_one(storage: Storage) -> None:
    user = a_user()
    await store(storage, user)
    token = a_token(user.id, AccountTokenPurpose.VERIFY_EMAIL)
    async with storage.new_uow() as uow:
        uow.account_tokens.add(token)
        await uow.commit()
    first, second = storage.new_uow(), storage.new_uow()

    async with first, second:
        mine = await first.account_tokens.get(token.id)
        theirs = await second.account_tokens.get(token.id)
        assert mine is not None
        assert theirs is not None
        mine.use(AccountTokenPurpose.VERIFY_EMAIL, NOW)
        theirs.use(AccountTokenPurpose.VERIFY_EMAIL, NOW + timedelta(seconds=1))
        await first.commit()
        with pytest.raises(ConcurrentUpdate):
            await second.commit()

    async with storage.new_uow() as uow:
        stored = await uow.account_tokens.get(token.id)
    assert stored is not None
    assert stored.used_at == NOW


async def test_a_users_email_verification_time_is_kept(storage: Storage) -> None:
    user = a_user()
    await store(storage, user)
    async with storage.new_uow() as uow:
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        assert not loaded.email_verified
        loaded.verify_email(NOW)
        await uow.commit()

    async with storage.new_uow() as uow:
        again = await uow.users.get(user.id)
    assert again is not None
    assert again.email_verified_at == NOW
