"""`refund.*` webhooks are re-verified with Paystack before they move a refund.

Before: a correctly signed `refund.processed` moved the order's refund at once, on the
event's word: an order nobody refunded became "refunded", a pending refund "processed".
`charge.success` was already only a prompt to ask Paystack's verify. The app runs the real
Paystack adapter against the stand-in, which plays Paystack and records every call.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.api import Api, running_app
from tests.support.paystack_standin import PaystackStandIn
from tests.support.security_apps import paystack_settings

from artmarket.adapters.payments.signing import sign
from artmarket.application.checkout.payments import TrackRefund

WEBHOOK = "/api/v1/payments/paystack/webhook"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def api(
    request: pytest.FixtureRequest, tmp_path: Path, paystack_standin: PaystackStandIn
) -> AsyncIterator[Api]:
    async with running_app(paystack_settings(tmp_path, paystack_standin, request)) as api:
        yield api


async def paid_order(api: Api, standin: PaystackStandIn) -> tuple[dict[str, Any], dict[str, str]]:
    """A paid order (confirmed by the buyer's return) once its certificate is minted, and the
    admin's headers (refunds are of paid or completed orders, not of ones being minted)."""
    admin = await api.admin()
    artwork = await api.published_artwork(await api.approved_artist(admin))
    buyer = await api.register("buyer")
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    reference = placed.json()["payment"]["reference"]
    standin.pay(reference)
    confirmed = await api.client.get(
        "/api/v1/payments/paystack/callback",
        params={"reference": reference},
        headers={"Accept": "application/json", **buyer},
    )
    assert confirmed.json()["status"] in ("paid", "minting", "completed"), confirmed.text
    for _ in range(300):
        order = await order_of(api, confirmed.json()["id"], admin)
        if order["status"] == "completed":
            return order, admin
        await asyncio.sleep(0.05)
    raise AssertionError(f"the order was not completed: {order['status']}")


def signed_refund_event(secret_key: str, reference: str, status: str, amount: int) -> tuple[bytes, str]:
    """A refund event in Paystack's documented shape (refund-processed sample), correctly signed."""
    document = {
        "event": f"refund.{status}",
        "data": {
            "status": status,
            "transaction_reference": reference,
            "refund_reference": "132013318360",
            "amount": str(amount),
            "currency": "NGN",
            "processor": "mpgs_zen",
            "customer": {"first_name": None, "last_name": None, "email": "buyer@example.com"},
            "integration": 412829,
            "domain": "test",
        },
    }
    body = json.dumps(document, separators=(",", ":")).encode()
    return body, sign(body, secret_key)


async def deliver(api: Api, event: tuple[bytes, str]) -> None:
    body, signature = event
    answer = await api.client.post(WEBHOOK, content=body, headers={"x-paystack-signature": signature})
    assert answer.status_code == 200, answer.text  # authentic: acknowledged, kept


async def reverified(api: Api, standin: PaystackStandIn, reference: str, asked_before: int) -> None:
    """Wait until the worker asked Paystack about the refund, then ask once more the same way,
    so the assertions after this see what re-verification decides, whatever the worker's timing."""
    for _ in range(300):  # the relay runs every half second; a busy machine is slower
        if standin.count("/refund", "GET") > asked_before:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the refund event was never re-verified with Paystack")
    async with api.container() as scope:
        await (await scope.get(TrackRefund))(reference)


async def order_of(api: Api, order_id: str, admin: dict[str, str]) -> dict[str, Any]:
    return dict((await api.client.get(f"/api/v1/orders/{order_id}", headers=admin)).json())


async def test_a_signed_refund_event_paystack_does_not_confirm_refunds_nothing(
    api: Api, paystack_standin: PaystackStandIn
) -> None:
    order, admin = await paid_order(api, paystack_standin)
    reference = order["payment"]["reference"]
    forged = signed_refund_event(
        paystack_standin.secret_key, reference, "processed", order["amount"]["amount"]
    )

    await deliver(api, forged)
    await reverified(api, paystack_standin, reference, asked_before=0)

    after = await order_of(api, order["id"], admin)
    assert after["status"] == "completed"
    assert (after["refund_status"], after["refund_reason"], after["needs_attention"]) == (None, None, None)
    assert paystack_standin.refunds == []  # nothing was refunded at Paystack either


async def test_a_refund_moves_only_as_far_as_paystack_reports(
    api: Api, paystack_standin: PaystackStandIn
) -> None:
    order, admin = await paid_order(api, paystack_standin)
    reference, amount = order["payment"]["reference"], order["amount"]["amount"]
    refunded = await api.client.post(
        f"/api/v1/admin/orders/{order['id']}/refund", json={"reason": "Damaged in transit"}, headers=admin
    )
    assert refunded.json()["refund_status"] == "pending", refunded.text

    # Signed, but Paystack still reports the refund pending: the order's refund stays pending
    # and nobody is sent to look at a failure that did not happen.
    await deliver(api, signed_refund_event(paystack_standin.secret_key, reference, "failed", amount))
    await reverified(api, paystack_standin, reference, asked_before=0)
    before = await order_of(api, order["id"], admin)
    assert (before["refund_status"], before["needs_attention"]) == ("pending", None)

    # Paystack processes it and says so: now the event is confirmed.
    asked = paystack_standin.count("/refund", "GET")
    await deliver(api, paystack_standin.refund_webhook_for(paystack_standin.refunds[0]["id"], "processed"))
    await reverified(api, paystack_standin, reference, asked_before=asked)
    after = await order_of(api, order["id"], admin)
    assert (after["status"], after["refund_status"], after["needs_attention"]) == (
        "refunded",
        "processed",
        None,
    )
