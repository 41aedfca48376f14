"""Pytest fixtures: a fake Hedera node, and real `HederaLedger`s talking to it over loopback gRPC.

Register with `pytest_plugins = ["tests.support.hedera_fixtures"]` in the top-level conftest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from dishka import AsyncContainer
from hiero_sdk_python import PrivateKey  # type: ignore[import-untyped]  # no py.typed in 0.3.0

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.adapters.persistence.database import create_engine, create_session_factory
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.adapters.security.clock import SystemClock
from artmarket.application.media import ContentStore
from artmarket.bootstrap import make_container
from artmarket.settings import load_settings
from tests.support.fake_hedera_mirror import FakeHederaNetwork
from tests.support.fake_hedera_node import FakeHederaNode
from tests.support.minting import Minting, policy

#: The operator (payer, treasury) account the fake node knows.
HEDERA_OPERATOR_ID = "0.0.1001"

#: Small SDK backoffs and attempt counts so that retries and give-ups take milliseconds.
FAST_LEDGER_OPTIONS: dict[str, Any] = {
    "call_timeout": 5.0,
    "grpc_deadline": 2.0,
    "max_attempts": 6,
    "lookup_attempts": 3,
    "min_backoff": 0.005,
    "max_backoff": 0.02,
}


@pytest.fixture(scope="session")
def hedera_operator_key() -> PrivateKey:
    return PrivateKey.generate_ed25519()


@pytest.fixture
def fake_hedera_node(hedera_operator_key: PrivateKey) -> Iterator[FakeHederaNetwork]:
    """A started fake consensus node + mirror node that requires the operator's signature.

    It also burns, transfers, airdrops and keeps topics (certificates' later life).
    """
    with FakeHederaNetwork(accounts={HEDERA_OPERATOR_ID: hedera_operator_key.public_key()}) as node:
        yield node


@pytest_asyncio.fixture
async def make_hedera_ledger(
    fake_hedera_node: FakeHederaNetwork, hedera_operator_key: PrivateKey
) -> AsyncIterator[Callable[..., HederaLedger]]:
    """Build HederaLedgers against the fake node (fast backoffs); overrides go to the constructor."""
    made: list[HederaLedger] = []

    def make(**overrides: Any) -> HederaLedger:
        options: dict[str, Any] = {
            "operator_id": HEDERA_OPERATOR_ID,
            "operator_key": hedera_operator_key.to_string_der(),
            "network": "custom",
            "nodes": fake_hedera_node.network_map,
            "mirror_url": fake_hedera_node.mirror_url,
            **FAST_LEDGER_OPTIONS,
            **overrides,
        }
        ledger = HederaLedger(**options)
        made.append(ledger)
        return ledger

    yield make
    for ledger in made:
        await ledger.aclose()


@pytest.fixture
def hedera_ledger(make_hedera_ledger: Callable[..., HederaLedger]) -> HederaLedger:
    """The real Hedera adapter over real gRPC to `fake_hedera_node`."""
    return make_hedera_ledger()


@pytest_asyncio.fixture
async def minting(
    database_url: str, make_hedera_ledger: Callable[..., HederaLedger]
) -> AsyncIterator[Minting]:
    """Minting on the real HederaLedger against the fake node, over the module's `database_url`."""
    start_mappers()
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    ledger = make_hedera_ledger()
    token_id = await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=1000)
    try:
        yield Minting(lambda: SqlAlchemyUnitOfWork(sessions), ledger, SystemClock(), policy(token_id))
    finally:
        await engine.dispose()


@asynccontextmanager
async def minting_in_the_container(
    database_url: str,
    data_dir: Path,
    node: FakeHederaNode,
    operator_key: PrivateKey,
    make_ledger: Callable[..., HederaLedger],
    *,
    max_supply: int,
    **settings: str,
) -> AsyncIterator[tuple[AsyncContainer, Minting]]:
    """The real composition root on `ARTMARKET_LEDGER=hedera` against the fake node (no linger;
    `settings` adds `ARTMARKET_*` values), with a `Minting` view of the same database."""
    token_id = await make_ledger().create_collection(
        name="Certificates", symbol="ACOA", max_supply=max_supply
    )
    loaded = load_settings(
        {
            "ARTMARKET_DATA_DIR": str(data_dir / "var"),
            "ARTMARKET_DATABASE_URL": database_url,
            "ARTMARKET_LEDGER": "hedera",
            "ARTMARKET_HEDERA_NETWORK": "custom",
            "ARTMARKET_HEDERA_NODES": f"{node.address}={node.node_account_id}",
            "ARTMARKET_HEDERA_MIRROR_URL": node.mirror_url,
            "ARTMARKET_HEDERA_OPERATOR_ID": HEDERA_OPERATOR_ID,
            "ARTMARKET_HEDERA_OPERATOR_KEY": operator_key.to_string_der(),
            "ARTMARKET_HEDERA_TOKEN_ID": token_id,
            "ARTMARKET_MINT_LINGER_SECONDS": "0",
            **settings,
        },
        env_file=None,
    )
    start_mappers()
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    container = make_container(loaded)
    try:
        async with container() as scope:
            media = await scope.get(ContentStore)
        ledger = make_ledger()
        yield (
            container,
            Minting(
                lambda: SqlAlchemyUnitOfWork(sessions), ledger, SystemClock(), policy(token_id), media=media
            ),
        )
    finally:
        await container.close()
        await engine.dispose()
