"""Proof of exactly-once minting: the mint worker over a real database and the real
`HederaLedger` (hiero-sdk-python) talking gRPC on loopback to the fake consensus node.

The node counts the TokenMint transactions that reached consensus and keeps every NFT, so
each test checks what the network did, not what the application believes it did.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hiero_sdk_python import PrivateKey  # type: ignore[import-untyped]  # no py.typed in 0.3.0
from tests.support.fake_hedera_node import FakeHederaNode
from tests.support.hedera_fixtures import HEDERA_OPERATOR_ID, minting_in_the_container
from tests.support.minting import Minting, policy

from artmarket.adapters.ipfs.cid import compute_cid as cid_of
from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.adapters.persistence.database import create_engine, create_session_factory
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.adapters.security.clock import SystemClock
from artmarket.application.identity.registration import CreateAdmin
from artmarket.application.media import ContentStore
from artmarket.application.messaging import Topic
from artmarket.application.minting.batches import MintQueuedJobs
from artmarket.application.minting.jobs import ListMintJobs
from artmarket.application.relay import MessageHandlers
from artmarket.bootstrap import make_container
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.settings import load_settings

ARTMARKET = str(Path(sys.executable).parent / "artmarket")


@pytest.fixture
def database_url(migrated_sqlite_url: str) -> str:
    return migrated_sqlite_url


async def queue_all(minting: Minting, count: int) -> list[Any]:
    orders = await minting.paid_orders(count)
    for order in orders:
        await minting.start()(order.id)
    return orders


async def test_twenty_five_paid_orders_are_three_token_mints_and_twenty_five_distinct_serials(
    minting: Minting, fake_hedera_node: FakeHederaNode
) -> None:
    orders = await queue_all(minting, 25)

    assert await minting.mint()() == 25

    assert fake_hedera_node.mint_transactions == 3
    certificates = await minting.certificates(orders)
    assert len({c.serial for c in certificates}) == 25
    on_chain = fake_hedera_node.nfts(minting.policy.token_id or "")
    assert {serial: metadata.decode() for serial, metadata in on_chain.items()} == {
        c.serial: c.metadata_uri for c in certificates
    }
    for certificate in certificates:
        assert certificate.metadata_uri == f"ipfs://{cid_of(certificate.metadata_document)}"
        assert certificate.network == "custom"
    assert {(await minting.order(o.id)).status for o in orders} == {OrderStatus.COMPLETED}


async def test_busy_twice_then_success_mints_once(minting: Minting, fake_hedera_node: FakeHederaNode) -> None:
    (order,) = await queue_all(minting, 1)
    fake_hedera_node.busy_next(2)

    assert await minting.mint()() == 1

    assert fake_hedera_node.calls.count("mintToken") == 3  # the SDK resent the same bytes
    assert fake_hedera_node.mint_transactions == 1
    assert len(await minting.certificates([order])) == 1


async def test_a_crash_after_the_node_accepted_is_reconciled_into_certificates_without_a_second_mint(
    minting: Minting, fake_hedera_node: FakeHederaNode, make_hedera_ledger: Callable[..., HederaLedger]
) -> None:
    orders = await queue_all(minting, 4)
    fake_hedera_node.crash_after_accept_next()

    assert await minting.mint()() == 0  # the answer never came back

    assert fake_hedera_node.mint_transactions == 1  # ... but the network minted
    jobs = await minting.jobs()
    assert {job.status for job in jobs} == {MintJobStatus.SUBMITTED}
    assert len({job.transaction_id for job in jobs}) == 1
    assert await minting.certificates(orders) == []

    # A restart: a new process, a new ledger client, and the worker's periodic reconcile.
    minting.ledger = make_hedera_ledger()
    outcome = await minting.reconcile()()
    assert (outcome.issued, outcome.unknown) == (4, 0)
    assert await minting.mint()() == 0

    assert fake_hedera_node.mint_transactions == 1
    certificates = await minting.certificates(orders)
    assert sorted(c.serial for c in certificates) == [1, 2, 3, 4]
    assert {c.transaction_id for c in certificates} == {jobs[0].transaction_id}
    assert {(await minting.order(o.id)).status for o in orders} == {OrderStatus.COMPLETED}


async def test_a_submission_that_never_arrived_is_resent_with_the_same_bytes_once(
    minting: Minting, fake_hedera_node: FakeHederaNode
) -> None:
    (order,) = await queue_all(minting, 1)
    fake_hedera_node.unavailable_next(1)  # the submission never reaches the node

    assert await minting.mint()() == 0
    (job,) = await minting.jobs()
    assert job.status is MintJobStatus.SUBMITTED
    assert fake_hedera_node.mint_transactions == 0

    # Within its valid window the reconciler resends the very same bytes.
    outcome = await minting.reconcile()()
    assert outcome.issued == 1
    assert fake_hedera_node.mint_transactions == 1
    (certificate,) = await minting.certificates([order])
    assert certificate.transaction_id == job.transaction_id


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ARTMARKET, *args], env=env, capture_output=True, text=True, timeout=90, check=False
    )


async def test_a_permanent_rejection_fails_visibly_and_mint_retry_succeeds_once_the_cause_is_gone(
    database_url: str,
    tmp_path: Path,
    fake_hedera_node: FakeHederaNode,
    hedera_operator_key: PrivateKey,
    make_hedera_ledger: Callable[..., HederaLedger],
) -> None:
    ledger = make_hedera_ledger()
    small = await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=2)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ARTMARKET_")},
        "ARTMARKET_DATA_DIR": str(tmp_path / "var"),
        "ARTMARKET_DATABASE_URL": database_url,
        "ARTMARKET_LEDGER": "hedera",
        "ARTMARKET_HEDERA_NETWORK": "custom",
        "ARTMARKET_HEDERA_NODES": f"{fake_hedera_node.address}={fake_hedera_node.node_account_id}",
        "ARTMARKET_HEDERA_MIRROR_URL": fake_hedera_node.mirror_url,
        "ARTMARKET_HEDERA_OPERATOR_ID": HEDERA_OPERATOR_ID,
        "ARTMARKET_HEDERA_OPERATOR_KEY": hedera_operator_key.to_string_der(),
        "ARTMARKET_HEDERA_TOKEN_ID": small,
        "ARTMARKET_MINT_LINGER_SECONDS": "0",
    }
    start_mappers()
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    container = make_container(load_settings(env, env_file=None))
    try:
        async with container() as scope:
            media = await scope.get(ContentStore)
            await (await scope.get(CreateAdmin))(email="ops@example.com", password="a long operator password")
        minting = Minting(
            lambda: SqlAlchemyUnitOfWork(sessions),
            ledger,
            SystemClock(),
            policy(small),
            media=media,
        )
        orders = await queue_all(minting, 3)
        async with container() as scope:
            assert await (await scope.get(MintQueuedJobs))() == 0  # 3 do not fit in a supply of 2
        async with container() as scope:
            failed = await (await scope.get(ListMintJobs))(status=MintJobStatus.FAILED, limit=10)
        assert len(failed) == 3
        assert all((job.last_error or "").startswith("TOKEN_MAX_SUPPLY_REACHED") for job in failed)
        assert fake_hedera_node.mint_transactions == 0

        listed = cli("mint", "list", "--status", "failed", env=env)
        assert listed.returncode == 0, listed.stderr
        assert listed.stdout.count("TOKEN_MAX_SUPPLY_REACHED") == 3

        # The cause goes away: an operator creates a bigger collection and points settings at it.
        created = cli("ledger", "create-collection", "--max-supply", "100", env=env)
        assert created.returncode == 0, created.stderr
        bigger = created.stdout.split("collection created: ")[1].split()[0]
        env["ARTMARKET_HEDERA_TOKEN_ID"] = bigger
        retried = cli("mint", "retry", "--all-failed", "--operator", "ops@example.com", env=env)
        assert retried.returncode == 0, retried.stderr
        assert "queued again: 3" in retried.stdout
    finally:
        await container.close()

    container = make_container(load_settings(env, env_file=None))  # the worker restarted with new settings
    try:
        async with container() as scope:
            assert await (await scope.get(MintQueuedJobs))() == 3
    finally:
        await container.close()
    assert fake_hedera_node.mint_transactions == 1
    assert len(fake_hedera_node.nfts(bigger)) == 3
    assert {(await minting.order(o.id)).status for o in orders} == {OrderStatus.COMPLETED}
    status = cli("ledger", "status", env=env)
    assert status.returncode == 0, status.stderr
    assert "succeeded 3" in status.stdout
    await engine.dispose()


async def test_the_same_order_paid_delivered_three_times_is_one_certificate(
    database_url: str,
    tmp_path: Path,
    fake_hedera_node: FakeHederaNode,
    hedera_operator_key: PrivateKey,
    make_hedera_ledger: Callable[..., HederaLedger],
) -> None:
    async with minting_in_the_container(
        database_url, tmp_path, fake_hedera_node, hedera_operator_key, make_hedera_ledger, max_supply=10
    ) as (container, minting):
        (order,) = await minting.paid_orders(1)
        deliveries = []
        for _ in range(3):  # at least once: the same message, three times, as the worker gets it
            async with container() as scope:
                handlers = await scope.get(MessageHandlers)
                deliveries.append(handlers.handle(Topic.ORDER_PAID, {"order_id": str(order.id)}))
        await asyncio.gather(*deliveries)

        assert fake_hedera_node.mint_transactions == 1
        assert len(await minting.certificates([order])) == 1
        assert await minting.statuses() == {MintJobStatus.SUCCEEDED: 1}
        assert (await minting.order(order.id)).history[-1].status is OrderStatus.COMPLETED
