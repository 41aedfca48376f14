"""Checkout over HTTP on the embedded profile: reserve, pay in the sandbox, confirm once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.support.api import PASSWORD, Api, FixedClockProvider, app_settings, running_app

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.adapters.payments.signing import sign
from artmarket.application.checkout.reservations import ExpireReservations
from artmarket.domain.money import Money
from artmarket.fakes.clock import FixedClock

WEBHOOK = "/api/v1/payments/paystack/webhook"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, max_open_orders="2")) as api:
        yield api


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    """Wait for the in-process worker (the relay runs every half second)."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.1)


async def order_status(api: Api, order_id: str, headers: dict[str, str]) -> str:
    return str((await api.client.get(f"/api/v1/orders/{order_id}", headers=headers)).json()["status"])


async def setup_sale(
    api: Api, price: int = 2_500_000
) -> tuple[dict[str, str], dict[str, Any], dict[str, str]]:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, price=price)
    buyer = await api.register("buyer")
    return artist, artwork, buyer


async def test_buy_now_pay_in_the_sandbox_and_the_order_is_paid_once(api: Api) -> None:
    artist, artwork, buyer = await setup_sale(api)
    placed = await api.client.post(
        "/api/v1/orders", json={"artwork_id": artwork["id"]}, headers={**buyer, "Idempotency-Key": "k-1"}
    )
    assert placed.status_code == 201, placed.text
    body = placed.json()
    order, payment = body["order"], body["payment"]
    assert (
        payment["authorization_url"]
        == f"http://127.0.0.1:8000/sandbox/paystack/checkout/{payment['reference']}"
    )
    assert order["status"] == "awaiting_payment"
    assert order["amount"] == {"amount": 2_500_000, "currency": "NGN"}
    assert order["split"]["platform_fee"] == {"amount": 250_000, "currency": "NGN"}
    assert (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()["status"] == "reserved"

    replay = await api.client.post(
        "/api/v1/orders", json={"artwork_id": artwork["id"]}, headers={**buyer, "Idempotency-Key": "k-1"}
    )
    assert (replay.status_code, replay.json()["order"]["id"]) == (201, order["id"])

    page = await api.client.get(f"/sandbox/paystack/checkout/{payment['reference']}")
    assert page.status_code == 200
    assert 'id="pay"' in page.text
    paid = await api.client.post(
        f"/sandbox/paystack/checkout/{payment['reference']}/pay", follow_redirects=False
    )
    assert paid.status_code == 303
    callback = await api.client.get(
        paid.headers["location"].removeprefix("http://127.0.0.1:8000"), follow_redirects=False
    )
    assert callback.status_code == 303
    assert callback.headers["location"] == f"/orders/{order['id']}"

    # Paid, then minted: the certificate completes the order.
    await eventually(lambda: _is(api, order["id"], buyer, "completed"), within=15)
    detail = (await api.client.get(f"/api/v1/orders/{order['id']}", headers=buyer)).json()
    lifecycle = ["awaiting_payment", "paid", "minting", "completed"]
    assert [c["status"] for c in detail["status_history"]] == lifecycle
    assert detail["payment"]["paid_at"]
    assert (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()["status"] == "sold"
    # The artist sees their sale; another buyer does not.
    assert (await api.client.get(f"/api/v1/orders/{order['id']}", headers=artist)).status_code == 200
    other = await api.register("buyer")
    assert (await api.client.get(f"/api/v1/orders/{order['id']}", headers=other)).status_code == 404

    # The webhook arriving again, any number of times, changes nothing.
    fake = api.gateway
    raw, signature = fake.webhook_for(payment["reference"])
    for _ in range(5):
        again = await api.client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature})
        assert again.status_code == 200
    await asyncio.sleep(0.7)
    detail = (await api.client.get(f"/api/v1/orders/{order['id']}", headers=buyer)).json()
    assert [c["status"] for c in detail["status_history"]] == lifecycle


async def _is(api: Api, order_id: str, headers: dict[str, str], status: str) -> bool:
    return await order_status(api, order_id, headers) == status


async def test_a_second_buyer_gets_409_and_the_same_key_with_another_body_422(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    first_work = await api.published_artwork(artist)
    second_work = await api.published_artwork(artist, title="Second")
    first, second = await api.register("buyer"), await api.register("buyer")
    assert (
        await api.client.post(
            "/api/v1/orders",
            json={"artwork_id": first_work["id"]},
            headers={**first, "Idempotency-Key": "same"},
        )
    ).status_code == 201
    taken = await api.client.post("/api/v1/orders", json={"artwork_id": first_work["id"]}, headers=second)
    assert taken.status_code == 409
    other_body = await api.client.post(
        "/api/v1/orders", json={"artwork_id": second_work["id"]}, headers={**first, "Idempotency-Key": "same"}
    )
    assert other_body.status_code == 422
    assert (await api.client.get(f"/api/v1/artworks/{second_work['id']}")).json()["status"] == "published"
    own = await api.client.post("/api/v1/orders", json={"artwork_id": second_work["id"]}, headers=artist)
    assert own.status_code == 403  # artists have no buyer role


async def test_a_buyer_holds_at_most_the_allowed_unpaid_orders(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    works = [await api.published_artwork(artist, title=f"W{n}") for n in range(3)]
    buyer = await api.register("buyer")
    statuses = [
        (await api.client.post("/api/v1/orders", json={"artwork_id": w["id"]}, headers=buyer)).status_code
        for w in works
    ]
    assert statuses == [201, 201, 409]
    assert (await api.client.get(f"/api/v1/artworks/{works[2]['id']}")).json()["status"] == "published"


async def test_bad_signatures_and_bodies_change_nothing(api: Api) -> None:
    _, artwork, buyer = await setup_sale(api)
    placed = (
        await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    ).json()
    reference = placed["payment"]["reference"]
    fake = api.gateway
    fake.complete(reference, outcome="success")
    raw, signature = fake.webhook_for(reference)
    reserialised = json.dumps(json.loads(raw), indent=2).encode()
    flipped = bytes([raw[0]]) + bytes([raw[1] ^ 1]) + raw[2:]
    for body, sig in [
        (reserialised, signature),
        (flipped, signature),
        (raw, sign(raw, "sk_test_someone_else")),
        (raw, ""),
    ]:
        response = await api.client.post(WEBHOOK, content=body, headers={"x-paystack-signature": sig})
        assert response.status_code == 401, response.text
    garbage = b"{not json"
    response = await api.client.post(
        WEBHOOK, content=garbage, headers={"x-paystack-signature": fake_sign(fake, garbage)}
    )
    assert response.status_code == 400
    await asyncio.sleep(0.7)
    assert await order_status(api, placed["order"]["id"], buyer) == "awaiting_payment"


def fake_sign(fake: SandboxPaymentGateway, body: bytes) -> str:
    return sign(body, fake._secret_key)


async def test_the_callback_never_pays_what_verify_does_not_confirm(api: Api) -> None:
    _, artwork, buyer = await setup_sale(api)
    placed = (
        await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    ).json()
    reference = placed["payment"]["reference"]
    callback = await api.client.get(
        f"/api/v1/payments/paystack/callback?reference={reference}", headers={"Accept": "application/json"}
    )
    assert callback.status_code == 200
    assert callback.json()["status"] == "awaiting_payment"
    declined = await api.client.post(
        f"/sandbox/paystack/checkout/{reference}/decline", follow_redirects=False
    )
    assert declined.status_code == 303
    assert await order_status(api, placed["order"]["id"], buyer) == "awaiting_payment"


async def test_a_wrong_amount_is_never_paid_and_is_flagged(api: Api) -> None:
    _, artwork, buyer = await setup_sale(api)
    placed = (
        await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    ).json()
    reference = placed["payment"]["reference"]
    fake = api.gateway
    fake.complete(reference, outcome="success", amount=Money.of(1_000, "NGN"))
    callback = await api.client.get(
        f"/api/v1/payments/paystack/callback?reference={reference}", headers={"Accept": "application/json"}
    )
    assert callback.json()["status"] == "awaiting_payment"
    detail = (await api.client.get(f"/api/v1/orders/{placed['order']['id']}", headers=buyer)).json()
    assert detail["needs_attention"]


async def test_refund_webhooks_move_the_refund_forward_once_and_never_back(api: Api) -> None:
    _, artwork, buyer = await setup_sale(api)
    placed = (
        await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    ).json()
    order_id, reference = placed["order"]["id"], placed["payment"]["reference"]
    fake = api.gateway
    fake.complete(reference, outcome="success")
    raw, signature = fake.webhook_for(reference)
    assert (
        await api.client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature})
    ).is_success
    # Refunds come after the certificate (a refund reported while minting only flags the order).
    await eventually(lambda: _is(api, order_id, buyer, "completed"), within=15)

    # Someone refunds the payment from the provider's dashboard, not through artmarket.
    refund = await fake.refund(reference, reason="customer asked the bank")
    processed = fake.refund_webhook_for(refund.refund_id, "processed")
    pending = fake.refund_webhook_for(refund.refund_id, "pending")
    for body, sig in [pending, processed, processed, pending]:  # duplicated and out of order
        answer = await api.client.post(WEBHOOK, content=body, headers={"x-paystack-signature": sig})
        assert answer.status_code == 200, answer.text

    # The worker asks the gateway what each event claims (processed), then moves the refund.
    await eventually(lambda: _is(api, order_id, buyer, "refunded"))
    detail = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
    assert detail["status"] == "refunded"
    assert detail["refund_status"] == "processed"
    assert detail["refund_reason"] == "Refunded at the payment provider."
    assert "outside artmarket" in detail["needs_attention"]
    history = ["awaiting_payment", "paid", "minting", "completed", "refunded"]
    assert [c["status"] for c in detail["status_history"]] == history


async def test_cancel_and_expiry_put_the_artwork_back_on_sale(tmp_path: Path) -> None:
    clock = FixedClock(datetime.now(UTC))
    async with running_app(app_settings(tmp_path), FixedClockProvider(clock)) as api:
        admin = await api.admin()
        artist = await api.approved_artist(admin)
        first, second = await api.published_artwork(artist), await api.published_artwork(artist, title="Two")
        buyer_email = "patient.buyer@example.com"
        await api.client.post(
            "/api/v1/auth/register",
            json={"email": buyer_email, "password": PASSWORD, "display_name": "Pat", "role": "buyer"},
        )
        buyer = await api.login(buyer_email)
        one = (
            await api.client.post("/api/v1/orders", json={"artwork_id": first["id"]}, headers=buyer)
        ).json()
        cancelled = await api.client.post(f"/api/v1/orders/{one['order']['id']}/cancel", headers=buyer)
        assert cancelled.json()["status"] == "cancelled"
        assert (await api.client.get(f"/api/v1/artworks/{first['id']}")).json()["status"] == "published"
        again = await api.client.post(f"/api/v1/orders/{one['order']['id']}/cancel", headers=buyer)
        assert again.status_code == 409

        two = (
            await api.client.post("/api/v1/orders", json={"artwork_id": second["id"]}, headers=buyer)
        ).json()
        async with api.container() as scope:
            assert await (await scope.get(ExpireReservations))() == 0  # not lapsed yet
        clock.advance(timedelta(minutes=16))
        async with api.container() as scope:
            assert await (await scope.get(ExpireReservations))() == 1
        buyer = await api.login(buyer_email)  # the old access token expired with the reservation
        assert await order_status(api, two["order"]["id"], buyer) == "expired"
        assert (await api.client.get(f"/api/v1/artworks/{second['id']}")).json()["status"] == "published"
