"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.support.postgres import PostgresServer
from tests.support.redis_server import RedisServer
from tests.support.stack import ProductionStack, production_stack


@pytest.fixture(scope="module")
def stack_settings() -> dict[str, str]:
    """Settings the module's production stack runs with besides the defaults (a module overrides
    this fixture to tune, say, its shutdown timings)."""
    return {}


@pytest.fixture(scope="module")
def stack(
    request: pytest.FixtureRequest,
    stack_settings: dict[str, str],
    postgres_server: PostgresServer,
    redis_server: RedisServer,
    moto_endpoint: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ProductionStack]:
    """A production deployment shared by the module's tests, on an emptied Redis."""
    redis_server.start()
    redis_server.flushall()
    root = tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2])
    with production_stack(postgres_server, redis_server.url, moto_endpoint, root, **stack_settings) as stack:
        yield stack
