"""Pipelined minting: several TokenMints await their receipts at once, and still every order gets
exactly one certificate. The real `HederaLedger` talks gRPC to the fake consensus node, which
has a consensus latency, throttles NFT mints and counts what it minted, so each test checks
what the network did.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hiero_sdk_python import PrivateKey  # type: ignore[import-untyped]  # no py.typed in 0.3.0
from tests.support.fake_hedera_node import FakeHederaNode
from tests.support.hedera_fixtures import minting_in_the_container
from tests.support.minting import Minting

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.adapters.security.clock import SystemClock
from artmarket.application.messaging import Topic
from artmarket.application.minting.batches import MintQueuedJobs
from artmarket.application.relay import MessageHandlers
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order
from artmarket.fakes.clock import FixedClock


@pytest.fixture
def database_url(migrated_sqlite_url: str) -> str:
    return migrated_sqlite_url


#: SDK options that wait out the node's consensus latency (the fast ones give up after ~0.1 s).
PATIENT: dict[str, Any] = {"max_attempts": 200, "max_backoff": 0.05}


@pytest.fixture
def patient(minting: Minting, make_hedera_ledger: Callable[..., HederaLedger]) -> Minting:
    """`minting` whose ledger waits for receipts as long as consensus takes here."""
    minting.ledger = make_hedera_ledger(**PATIENT)
    return minting


async def queued(minting: Minting, count: int, *, in_flight: int) -> list[Order]:
    """`count` paid orders with their jobs queued, minted with up to `in_flight` batches at once."""
    minting.policy = replace(minting.policy, max_in_flight=in_flight)
    orders = await minting.paid_orders(count)
    for order in orders:
        await minting.start()(order.id)
    return orders


async def assert_one_certificate_each(
    minting: Minting, node: FakeHederaNode, orders: Sequence[Order]
) -> None:
    """Every order completed with its own certificate, and the network minted one NFT per order."""
    certificates = await minting.certificates(orders)
    assert sorted(c.order_id for c in certificates) == sorted(o.id for o in orders)
    on_chain = node.nfts(minting.policy.token_id or "")
    assert len(on_chain) == len(orders)
    assert {serial: metadata.decode() for serial, metadata in on_chain.items()} == {
        c.serial: c.metadata_uri for c in certificates
    }
    assert {(await minting.order(o.id)).status for o in orders} == {OrderStatus.COMPLETED}


async def test_three_batches_in_flight_overlap_at_the_node_and_each_order_gets_one_certificate(
    patient: Minting, fake_hedera_node: FakeHederaNode
) -> None:
    minting = patient
    # Long enough that the second and third batches are sent while the first waits, even on a
    # machine busy enough to delay each submission (0.2 s overlapped only on a quiet one).
    fake_hedera_node.consensus_latency = 1.0
    orders = await queued(minting, 30, in_flight=3)

    assert await minting.mint()() == 30

    assert fake_hedera_node.max_mints_in_flight >= 2
    assert fake_hedera_node.mint_transactions == 3
    await assert_one_certificate_each(minting, fake_hedera_node, orders)
    # Serials follow the metadata order within each batch: a batch's jobs got consecutive serials.
    jobs = await minting.jobs()
    for transaction_id in {job.transaction_id for job in jobs}:
        serials = sorted(job.serial or 0 for job in jobs if job.transaction_id == transaction_id)
        assert serials == list(range(serials[0], serials[0] + len(serials)))


async def test_the_node_answering_busy_above_its_throttle_delays_batches_without_losing_or_doubling_any(
    minting: Minting, fake_hedera_node: FakeHederaNode, make_hedera_ledger: Callable[..., HederaLedger]
) -> None:
    fake_hedera_node.consensus_latency = 0.05
    fake_hedera_node.throttle_mints(40, burst=10)  # one batch at a time, four per second
    minting.ledger = make_hedera_ledger(**PATIENT)
    orders = await queued(minting, 30, in_flight=3)

    assert await minting.mint()() == 30

    assert fake_hedera_node.mint_throttle is not None
    assert fake_hedera_node.mint_throttle.refused > 0
    assert fake_hedera_node.calls.count("mintToken") > 3  # the same bytes again after BUSY ...
    assert fake_hedera_node.mint_transactions == 3  # ... and each batch minted once
    await assert_one_certificate_each(minting, fake_hedera_node, orders)


async def test_a_crash_after_the_node_accepted_one_of_several_batches_in_flight_is_reconciled_minting_once(
    minting: Minting, fake_hedera_node: FakeHederaNode, make_hedera_ledger: Callable[..., HederaLedger]
) -> None:
    fake_hedera_node.consensus_latency = 0.1
    minting.ledger = make_hedera_ledger(**PATIENT)
    orders = await queued(minting, 25, in_flight=3)
    fake_hedera_node.crash_after_accept_next()

    assert await minting.mint()() < 25  # the first batch's answer never came back
    jobs = await minting.jobs()
    assert MintJobStatus.SUBMITTED in {job.status for job in jobs}
    assert {job.status for job in jobs} <= {MintJobStatus.SUBMITTED, MintJobStatus.SUCCEEDED}

    # A restart: a new ledger client, and the worker's periodic reconcile and mint.
    minting.ledger = make_hedera_ledger(**PATIENT)
    outcome = await minting.reconcile()()
    assert outcome.unknown == 0
    assert await minting.mint()() == 0

    assert fake_hedera_node.mint_transactions == 3
    await assert_one_certificate_each(minting, fake_hedera_node, orders)
    # Every job kept the transaction it was stored with: nothing was sent under a second id.
    assert {job.id: job.transaction_id for job in jobs} == {
        job.id: job.transaction_id for job in await minting.jobs()
    }


async def test_submissions_that_never_arrived_are_resent_with_the_same_bytes_once(
    minting: Minting, fake_hedera_node: FakeHederaNode, make_hedera_ledger: Callable[..., HederaLedger]
) -> None:
    fake_hedera_node.consensus_latency = 0.1
    minting.ledger = make_hedera_ledger(**PATIENT)
    orders = await queued(minting, 25, in_flight=3)
    fake_hedera_node.unavailable_next(1)  # one submission never reaches the node

    assert await minting.mint()() < 25
    stored = {job.id: job.transaction_id for job in await minting.jobs()}
    assert len(set(stored.values())) == 3

    minting.ledger = make_hedera_ledger(**PATIENT)
    await minting.reconcile()()

    assert fake_hedera_node.mint_transactions == 3
    await assert_one_certificate_each(minting, fake_hedera_node, orders)
    assert {job.id: job.transaction_id for job in await minting.jobs()} == stored


async def test_a_batch_throttled_at_consensus_is_minted_again_under_a_new_transaction(
    minting: Minting, fake_hedera_node: FakeHederaNode
) -> None:
    orders = await queued(minting, 25, in_flight=3)
    fake_hedera_node.throttle_at_consensus_next(1)

    issued = await minting.mint()()
    throttled = [job for job in await minting.jobs() if job.status is MintJobStatus.QUEUED]
    assert len(throttled) in (5, 10)  # one batch minted nothing; the other two did
    assert issued + len(throttled) == 25
    assert all((job.last_error or "").startswith("THROTTLED_AT_CONSENSUS") for job in throttled)

    minting.clock = FixedClock(SystemClock().now() + timedelta(minutes=1))  # after its back-off
    assert await minting.mint()() == len(throttled)

    assert fake_hedera_node.mint_transactions == 3  # minted: 3 transactions, one of them the retry
    await assert_one_certificate_each(minting, fake_hedera_node, orders)


async def test_each_paid_order_delivered_three_times_with_batches_in_flight_is_one_certificate(
    database_url: str,
    tmp_path: Path,
    fake_hedera_node: FakeHederaNode,
    hedera_operator_key: PrivateKey,
    make_hedera_ledger: Callable[..., HederaLedger],
) -> None:
    async with minting_in_the_container(
        database_url,
        tmp_path,
        fake_hedera_node,
        hedera_operator_key,
        make_hedera_ledger,
        max_supply=50,
        ARTMARKET_MINT_BATCH_SIZE="4",
        ARTMARKET_MINT_MAX_IN_FLIGHT="3",
    ) as (container, minting):
        orders = await minting.paid_orders(12)
        fake_hedera_node.consensus_latency = 0.1

        async def deliver(order: Order) -> None:
            async with container() as scope:
                handlers = await scope.get(MessageHandlers)
                await handlers.handle(Topic.ORDER_PAID, {"order_id": str(order.id)})

        # At least once: each message three times, concurrently, as workers may get them.
        await asyncio.gather(*(deliver(order) for order in orders for _ in range(3)))
        async with container() as scope:  # the periodic mint job takes whatever was queued last
            await (await scope.get(MintQueuedJobs))()

        assert await minting.statuses() == {MintJobStatus.SUCCEEDED: 12}
        await assert_one_certificate_each(minting, fake_hedera_node, orders)


async def test_a_receipt_is_asked_for_every_second_so_a_slow_consensus_holds_its_slot_no_longer(
    fake_hedera_node: FakeHederaNode, make_hedera_ledger: Callable[..., HederaLedger]
) -> None:
    # The production back-offs: the SDK alone would ask at 0.5, 1.5, 3.5 and 7.5 s.
    ledger = make_hedera_ledger(min_backoff=0.25, max_backoff=8.0, max_attempts=10, call_timeout=30.0)
    token_id = await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=10)
    fake_hedera_node.consensus_latency = 4.0
    prepared = await ledger.prepare_mint(token_id, [b"ipfs://bafkreislow"])

    started = time.monotonic()
    receipt = await ledger.submit_mint(prepared)

    assert receipt.serials == (1,)
    assert time.monotonic() - started < 6.0  # asked at 4.5 s at the latest, not 7.5 s
