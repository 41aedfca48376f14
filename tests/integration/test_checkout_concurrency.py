"""Exactly once under pressure, on PostgreSQL: racing buyers and a storm of webhook replays."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import pytest
from tests.support.api import Api, app_settings, running_app

from artmarket.application.messaging import OutboxStatus, Topic
from artmarket.application.relay import RelayOutbox
from artmarket.application.unit_of_work import UnitOfWork

pytestmark = pytest.mark.postgres


@pytest.fixture
async def api(tmp_path: Path, migrated_postgres_url: str) -> AsyncIterator[Api]:
    settings = app_settings(
        tmp_path,
        database_url=migrated_postgres_url,
        db_pool_size="20",
        db_max_overflow="40",
        max_open_orders="5",
    )
    async with running_app(settings) as api:
        yield api


async def test_fifty_buyers_racing_for_one_artwork_get_one_201_and_49_409(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist)
    buyers = [await api.register("buyer") for _ in range(50)]

    responses = await asyncio.gather(
        *(api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=b) for b in buyers)
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 49, statuses
    assert (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()["status"] == "reserved"


async def test_a_hundred_replays_of_one_signed_webhook_pay_once_with_one_message(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist)
    buyer = await api.register("buyer")
    placed = (
        await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    ).json()
    reference, order_id = placed["payment"]["reference"], placed["order"]["id"]
    fake = api.gateway
    fake.complete(reference, outcome="success")
    raw, signature = fake.webhook_for(reference)

    async def deliver() -> int:
        response = await api.client.post(
            "/api/v1/payments/paystack/webhook", content=raw, headers={"x-paystack-signature": signature}
        )
        return response.status_code

    async def callback() -> int:
        response = await api.client.get(
            f"/api/v1/payments/paystack/callback?reference={reference}",
            headers={"Accept": "application/json"},
        )
        return response.status_code

    statuses = await asyncio.gather(*(deliver() for _ in range(100)), *(callback() for _ in range(10)))
    assert set(statuses) == {200}, statuses
    # Let the in-process relay and worker drain whatever the webhooks queued.
    async with api.container() as scope:
        await (await scope.get(RelayOutbox))()
    await asyncio.sleep(1.0)

    detail = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
    # Paid once; minting may already have moved it on, once too.
    history = [c["status"] for c in detail["status_history"]]
    assert history == ["awaiting_payment", "paid", "minting", "completed"][: len(history)]
    assert len(history) >= 2
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            messages = await uow.outbox.list(status=None, limit=1000)
            events = await uow.payment_events.list_for_reference(reference)
            order = await uow.orders.get(UUID(order_id))
    paid_messages = [m for m in messages if m.topic is Topic.ORDER_PAID and m.payload["order_id"] == order_id]
    assert len(paid_messages) == 1
    assert len([m for m in messages if m.topic is Topic.PAYMENT_EVENT_RECEIVED]) == 1
    assert len(events) == 1
    assert order is not None
    assert order.is_paid
    assert {m.status for m in paid_messages} <= {OutboxStatus.PENDING, OutboxStatus.PUBLISHED}
