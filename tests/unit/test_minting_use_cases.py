"""The mint worker over the in-memory unit of work and the simulated ledger: batches, content
addresses, idempotence, failures and their remediation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from tests.support.minting import OPERATOR, Minting, policy

from artmarket.adapters.ipfs.cid import compute_cid as cid_of
from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.application.audit import AuditFilter
from artmarket.application.messaging import Topic
from artmarket.application.minting.jobs import StartMissedMinting
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork

NOW = datetime(2026, 7, 1, 12, tzinfo=UTC)


async def world(max_supply: int = 1000, **changes: object) -> Minting:
    clock = FixedClock(NOW)
    ledger = SimulatedLedger(clock=clock)
    token_id = await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=max_supply)
    db = InMemoryDatabase()
    return Minting(lambda: InMemoryUnitOfWork(db), ledger, clock, policy(token_id, **changes))


async def test_twenty_five_paid_orders_mint_in_three_transactions_with_distinct_serials() -> None:
    minting = await world()
    orders = await minting.paid_orders(25)
    for order in orders:
        await minting.start()(order.id)

    assert await minting.mint()() == 25

    assert isinstance(minting.ledger, SimulatedLedger)
    assert minting.ledger.mint_count == 3
    certificates = await minting.certificates(orders)
    assert sorted(c.serial for c in certificates) == list(range(1, 26))
    for order, certificate in zip(orders, certificates, strict=True):
        stored = await minting.order(order.id)
        assert stored.status is OrderStatus.COMPLETED
        assert [c.status for c in stored.history][-2:] == [OrderStatus.MINTING, OrderStatus.COMPLETED]
        assert certificate.order_id == order.id
        assert certificate.owner_id == order.buyer_id
        # The on-chain metadata is the ipfs:// address of the exact bytes kept on the certificate.
        assert certificate.metadata_uri == f"ipfs://{cid_of(certificate.metadata_document)}"
        document = json.loads(certificate.metadata_document)
        assert document["properties"]["certificate_id"] == str(certificate.id)
        assert document["image"].startswith("ipfs://")
        assert minting.content.blocks[document["image"].removeprefix("ipfs://")]
        nft = await minting.ledger.nft(certificate.token_id, certificate.serial)
        assert nft is not None
        assert nft.metadata == certificate.metadata_uri.encode()
    async with minting.new_uow() as uow:
        messages = await uow.outbox.list(status=None, limit=1000)
    issued = [m for m in messages if m.topic is Topic.CERTIFICATE_ISSUED]
    assert {m.payload["order_id"] for m in issued} == {str(o.id) for o in orders}


async def test_the_same_order_paid_message_three_times_queues_one_job() -> None:
    minting = await world()
    (order,) = await minting.paid_orders(1)
    jobs = [await minting.start()(order.id) for _ in range(3)]
    assert len({job.id for job in jobs if job}) == 1
    await minting.mint()()
    await minting.start()(order.id)
    assert await minting.mint()() == 0
    assert len(await minting.certificates([order])) == 1
    assert await minting.statuses() == {MintJobStatus.SUCCEEDED: 1}


async def test_a_batch_that_is_not_full_waits_for_the_linger_time() -> None:
    minting = await world(linger=timedelta(seconds=2))
    orders = await minting.paid_orders(3)
    for order in orders:
        await minting.start()(order.id)
    assert await minting.mint()() == 0
    assert isinstance(minting.clock, FixedClock)
    minting.clock.advance(timedelta(seconds=2))
    assert await minting.mint()() == 3


async def test_a_content_store_outage_backs_off_and_fails_after_max_attempts_then_retry_mints() -> None:
    minting = await world(max_attempts=2)
    (order,) = await minting.paid_orders(1)
    await minting.start()(order.id)
    assert isinstance(minting.clock, FixedClock)
    minting.content.unavailable_next(100)
    assert await minting.mint()() == 0
    (job,) = await minting.jobs()
    assert (job.status, job.attempts) == (MintJobStatus.QUEUED, 1)
    assert job.next_attempt_at is not None
    minting.clock.advance(job.next_attempt_at - NOW)
    await minting.mint()()
    (job,) = await minting.jobs()
    assert job.status is MintJobStatus.FAILED
    assert job.last_error is not None
    assert "content store" in job.last_error

    minting.content.unavailable_next(0)
    await minting.retry()(OPERATOR, job.id)
    async with minting.new_uow() as uow:
        audited = await uow.audit_log.list(AuditFilter(action="mint_job.retry"), before=None, limit=10)
    assert [(e.actor_email, e.target_type, e.target_id) for e in audited] == [
        ("ops@example.com", "mint_job", str(job.id))
    ]
    assert await minting.mint()() == 1
    assert (await minting.order(order.id)).status is OrderStatus.COMPLETED


async def test_a_permanent_rejection_fails_the_jobs_and_retry_all_failed_mints_once_fixed() -> None:
    minting = await world(max_supply=2)
    orders = await minting.paid_orders(3)
    for order in orders:
        await minting.start()(order.id)
    assert await minting.mint()() == 0  # three do not fit in a supply of two: the batch is refused
    assert await minting.statuses() == {MintJobStatus.FAILED: 3}
    assert all("TOKEN_MAX_SUPPLY_REACHED" in (job.last_error or "") for job in await minting.jobs())
    assert {(await minting.order(o.id)).status for o in orders} == {OrderStatus.MINTING}

    bigger = await minting.ledger.create_collection(name="Certificates II", symbol="ACO2", max_supply=100)
    minting.policy = policy(bigger)
    assert len(await minting.retry_failed()(OPERATOR)) == 3
    assert await minting.mint()() == 3
    assert await minting.statuses() == {MintJobStatus.SUCCEEDED: 3}


async def test_a_paid_order_whose_message_was_lost_starts_minting_from_the_sweep() -> None:
    minting = await world()
    await minting.paid_orders(1)
    assert isinstance(minting.clock, FixedClock)
    minting.clock.advance(timedelta(minutes=1))
    assert await StartMissedMinting(minting.new_uow(), minting.start(), minting.clock)() == 1
    assert await minting.mint()() == 1
    assert await StartMissedMinting(minting.new_uow(), minting.start(), minting.clock)() == 0


async def test_a_sold_out_edition_minted_with_three_batches_in_flight_is_one_certificate_per_order() -> None:
    minting = await world(max_in_flight=3)
    orders = await minting.paid_edition_orders(25)
    for order in orders:
        await minting.start()(order.id)

    assert await minting.mint()() == 25

    assert isinstance(minting.ledger, SimulatedLedger)
    assert minting.ledger.mint_count == 3
    certificates = await minting.certificates(orders)
    assert sorted(c.order_id for c in certificates) == sorted(o.id for o in orders)
    assert sorted(c.serial for c in certificates) == list(range(1, 26))
    assert sorted(o.edition_number or 0 for o in orders) == list(range(1, 26))


def test_a_mint_policy_keeps_at_least_one_transaction_in_flight() -> None:
    with pytest.raises(ValueError, match="max_in_flight"):
        policy("0.0.1000", max_in_flight=0)
