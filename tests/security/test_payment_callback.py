"""The payment callback reveals nothing and calls out only for real orders.

Before: `GET /api/v1/payments/paystack/callback?reference=…` with `Accept: application/json`
answered the whole order (buyer, amounts, split, refund reason) to anyone holding the
reference, which was `am-<order id>`, derivable from any public certificate; any reference
Paystack's character set allows was sent to Paystack, `..` included, which made the
request name Paystack's list of every transaction; and the callback had no throttle.
The app runs the real Paystack adapter against the stand-in, which records every call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from tests.support.api import Api, app_settings, running_app
from tests.support.paystack_standin import PaystackStandIn
from tests.support.ports import free_port
from tests.support.security_apps import paystack_settings, served_client

from artmarket.adapters.payments.paystack import PaystackGateway
from artmarket.application.checkout.placing import ISSUED_REFERENCE
from artmarket.application.payments.ports import InvalidPaymentReference

CALLBACK = "/api/v1/payments/paystack/callback"
AS_JSON = {"Accept": "application/json"}
UNKNOWN_REFERENCE = f"am-{'0' * 32}-{'1' * 32}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def api(
    request: pytest.FixtureRequest, tmp_path: Path, paystack_standin: PaystackStandIn
) -> AsyncIterator[Api]:
    async with running_app(paystack_settings(tmp_path, paystack_standin, request)) as api:
        yield api


async def placed_order(api: Api, buyer: dict[str, str]) -> dict[str, Any]:
    admin = await api.admin()
    artwork = await api.published_artwork(await api.approved_artist(admin))
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    assert placed.status_code == 201, placed.text
    return dict(placed.json())


async def test_the_json_callback_answers_the_order_only_to_its_buyer(
    api: Api, paystack_standin: PaystackStandIn
) -> None:
    buyer, someone = await api.register("buyer"), await api.register("buyer")
    placed = await placed_order(api, buyer)
    reference, order_id = placed["payment"]["reference"], placed["order"]["id"]
    paystack_standin.pay(reference)

    for caller in ({}, someone):
        answer = await api.client.get(
            CALLBACK, params={"reference": reference}, headers={**AS_JSON, **caller}
        )
        assert answer.status_code == 200, answer.text
        # The status only: no buyer, amount, split, subaccount, refund reason or notes.
        assert list(answer.json()) == ["status"]
        assert answer.json()["status"] in ("paid", "minting", "completed")

    mine = await api.client.get(CALLBACK, params={"reference": reference}, headers={**AS_JSON, **buyer})
    assert (mine.json()["id"], mine.json()["payment"]["reference"]) == (order_id, reference)
    assert "split" in mine.json()


async def test_a_reference_is_not_derivable_from_the_public_order_id(
    api: Api, paystack_standin: PaystackStandIn
) -> None:
    placed = await placed_order(api, await api.register("buyer"))
    reference, order_id = placed["payment"]["reference"], UUID(placed["order"]["id"])
    assert ISSUED_REFERENCE.fullmatch(reference)
    random_part = reference.removeprefix(f"am-{order_id.hex}-")
    assert len(random_part) == 32, reference  # 128 random bits after the order id

    calls = len(paystack_standin.requests)
    derived = await api.client.get(CALLBACK, params={"reference": f"am-{order_id.hex}"}, headers=AS_JSON)
    assert derived.status_code == 404, derived.text
    assert paystack_standin.requests[calls:] == []


async def test_a_malformed_or_unknown_reference_never_reaches_the_provider(
    api: Api, paystack_standin: PaystackStandIn
) -> None:
    for reference, status in [
        ("..", 400),
        (".", 400),
        ("am-..", 400),
        ("am-" + "0" * 33, 400),
        ("=" * 100, 400),
        (f"am-{'0' * 32}", 404),
        (UNKNOWN_REFERENCE, 404),
    ]:
        for headers in (AS_JSON, {}):
            answer = await api.client.get(
                CALLBACK, params={"reference": reference}, headers=headers, follow_redirects=False
            )
            assert answer.status_code == status, (reference, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
    assert paystack_standin.requests == []


async def test_the_paystack_adapter_never_sends_a_dot_segment(
    paystack_gateway: PaystackGateway, paystack_standin: PaystackStandIn
) -> None:
    for reference in ("..", "."):
        with pytest.raises(InvalidPaymentReference):
            await paystack_gateway.verify(reference)
    assert paystack_standin.requests == []


async def test_the_callback_is_rate_limited_per_client_address(tmp_path: Path) -> None:
    settings = app_settings(
        tmp_path,
        port=str(free_port()),
        trusted_proxies="127.0.0.1",
        payment_callbacks_per_address_per_minute="3",
    )
    unknown = {"reference": UNKNOWN_REFERENCE}
    async with served_client(settings) as client:
        first = {**AS_JSON, "X-Forwarded-For": "198.51.100.1"}
        answers = [await client.get(CALLBACK, params=unknown, headers=first) for _ in range(4)]
        assert [a.status_code for a in answers] == [404, 404, 404, 429]
        assert int(answers[-1].headers["retry-after"]) >= 1
        other = await client.get(
            CALLBACK, params=unknown, headers={**AS_JSON, "X-Forwarded-For": "198.51.100.2"}
        )
        assert other.status_code == 404
