"""Pytest fixtures for the Kubo stand-in; register with `pytest_plugins`.

`kubo_standin`: one node per test session (per xdist worker), emptied before and after
every test, and restarted if a test took it down. `kubo_store`: the real
`KuboContentStore` pointed at it, with short timeouts and backoff so fault tests stay fast.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from artmarket.adapters.ipfs.kubo import KuboContentStore
from artmarket.adapters.ipfs.mirrored import MirroredContentStore
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


@pytest.fixture(scope="session")
def kubo_mirror_standin_server() -> Iterator[KuboStandIn]:
    with KuboStandIn() as server:
        yield server


@pytest.fixture
def kubo_mirror_standin(kubo_mirror_standin_server: KuboStandIn) -> Iterator[KuboStandIn]:
    """A second Kubo node, a pinning mirror; emptied before and after every test."""
    kubo_mirror_standin_server.reset()
    yield kubo_mirror_standin_server
    if not kubo_mirror_standin_server.running:
        kubo_mirror_standin_server.start()
    kubo_mirror_standin_server.reset()


@pytest.fixture
async def mirrored_store(
    kubo_store: KuboContentStore, kubo_mirror_standin: KuboStandIn
) -> AsyncIterator[MirroredContentStore]:
    """The real `MirroredContentStore`: `kubo_standin` as the primary, `kubo_mirror_standin` as a mirror."""
    mirror = KuboContentStore(
        kubo_mirror_standin.api_url, timeout=STANDIN_CLIENT_TIMEOUT, max_retries=2, backoff=0.01
    )
    try:
        yield MirroredContentStore(kubo_store, [mirror])
    finally:
        await mirror.aclose()
