"""Pytest fixtures for the Paystack stand-in; register with `pytest_plugins`.

`paystack_standin`: one server per test session (per xdist worker), reset before and
after every test. `paystack_gateway`: the real `PaystackGateway` pointed at it, with
short timeouts and backoff so fault tests stay fast.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from artmarket.adapters.payments.paystack import PaystackGateway
from tests.support.paystack_standin import PaystackStandIn

#: Client timeout used against the stand-in; `timeout_next` holds connections far longer.
STANDIN_CLIENT_TIMEOUT = 0.5


@pytest.fixture(scope="session")
def paystack_standin_server() -> Iterator[PaystackStandIn]:
    with PaystackStandIn() as server:
        yield server


@pytest.fixture
def paystack_standin(paystack_standin_server: PaystackStandIn) -> Iterator[PaystackStandIn]:
    paystack_standin_server.reset()
    yield paystack_standin_server
    paystack_standin_server.reset()


@pytest.fixture
async def paystack_gateway(paystack_standin: PaystackStandIn) -> AsyncIterator[PaystackGateway]:
    gateway = PaystackGateway(
        paystack_standin.secret_key,
        base_url=paystack_standin.base_url,
        timeout=STANDIN_CLIENT_TIMEOUT,
        max_retries=2,
        backoff=0.01,
    )
    try:
        yield gateway
    finally:
        await gateway.aclose()
