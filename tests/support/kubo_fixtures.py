"""Pytest fixtures for the Kubo stand-in; register with `pytest_plugins`.

`kubo_standin`: one node per test session (per xdist worker), emptied before and after
every test, and restarted if a test took it down. `kubo_store`: the real
`KuboContentStore` pointed at it, with short timeouts and backoff so fault tests stay fast.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from artmarket.adapters.ipfs.kubo import KuboContentStore
from tests.support.kubo_standin import KuboStandIn

#: Client timeout used against the stand-in; `hold_next` and network searches last longer.
STANDIN_CLIENT_TIMEOUT = 1.0


@pytest.fixture(scope="session")
def kubo_standin_server() -> Iterator[KuboStandIn]:
    with KuboStandIn() as server:
        yield server


@pytest.fixture
def kubo_standin(kubo_standin_server: KuboStandIn) -> Iterator[KuboStandIn]:
    kubo_standin_server.reset()
    yield kubo_standin_server
    if not kubo_standin_server.running:  # a test took the node down
        kubo_standin_server.start()
    kubo_standin_server.reset()


@pytest.fixture
async def kubo_store(kubo_standin: KuboStandIn) -> AsyncIterator[KuboContentStore]:
    store = KuboContentStore(
        kubo_standin.api_url, timeout=STANDIN_CLIENT_TIMEOUT, max_retries=2, backoff=0.01
    )
    try:
        yield store
    finally:
        await store.aclose()
