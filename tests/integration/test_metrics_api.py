"""`/metrics` over HTTP: Prometheus text with HTTP, pool, counter and business series.

The business gauges follow real activity (an order placed is a live reservation), the
webhook counters follow real webhooks, and a scrape within the cache window reuses the
last read. Worker and scheduler serve their own metrics on a port of their own.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.support.api import Api, app_settings, running_app
from tests.support.ports import free_port

from artmarket.adapters.observability.metrics import MetricsExposition, PoolCollector, serve_metrics
from artmarket.adapters.persistence.database import create_engine

WEBHOOK = "/api/v1/payments/paystack/webhook"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    # No cache: each scrape reads the database, so the test sees its own changes at once.
    async with running_app(app_settings(tmp_path, metrics_cache_seconds="0")) as api:
        yield api


def samples(text: str) -> dict[str, float]:
    """Every sample as `name{label="value",...}` (labels sorted) → value."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


async def scrape(api: Api) -> dict[str, float]:
    answer = await api.client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(answer.text)


async def test_metrics_follow_orders_webhooks_and_requests(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist)
    buyer = await api.register("buyer")
    before = await scrape(api)
    assert before["artmarket_business_metrics_up"] == 1
    assert before['artmarket_orders{status="awaiting_payment"}'] == 0

    placed = await api.client.post(
        "/api/v1/orders", json={"artwork_id": artwork["id"]}, headers={**buyer, "Idempotency-Key": "m-1"}
    )
    assert placed.status_code == 201
    refused = await api.client.post(
        WEBHOOK, content=b'{"event":"charge.success"}', headers={"x-paystack-signature": "0" * 128}
    )
    assert refused.status_code == 401
    after = await scrape(api)

    assert after['artmarket_orders{status="awaiting_payment"}'] == 1
    assert after["artmarket_reservations_live"] == 1
    assert after["artmarket_orders_stuck"] == 0
    assert (
        after["artmarket_webhook_signature_failures_total"]
        == before["artmarket_webhook_signature_failures_total"] + 1
    )
    key = 'artmarket_payment_webhooks_total{result="invalid_signature"}'
    assert after[key] == before[key] + 1
    # Messages written by the order (the buyer's email) go through the outbox and the queue.
    assert {
        'artmarket_outbox_messages{status="pending"}',
        "artmarket_outbox_oldest_pending_age_seconds",
    } <= set(after)
    assert set(after) >= {
        f'artmarket_mint_jobs{{status="{s}"}}' for s in ("queued", "submitted", "succeeded", "failed")
    }
    assert set(after) >= {'artmarket_emails{status="pending"}', 'artmarket_emails{status="failed"}'}
    assert after['artmarket_db_pool_connections{state="checked_out"}'] >= 0
    # HTTP series are per route template, never per URL.
    http = [name for name in after if name.startswith("artmarket_http_requests_total")]
    assert any('path="/api/v1/orders"' in name and 'status_code="201"' in name for name in http)
    assert not any(re.search(r"/[0-9a-f]{8}-[0-9a-f]{4}-", name) for name in http)
    assert not any('path="/metrics"' in name for name in http)


async def test_scrapes_within_the_cache_window_reuse_the_last_read(tmp_path: Path) -> None:
    async with running_app(app_settings(tmp_path, metrics_cache_seconds="300")) as api:
        first = await scrape(api)
        admin = await api.admin()
        artist = await api.approved_artist(admin)
        artwork = await api.published_artwork(artist)
        buyer = await api.register("buyer")
        placed = await api.client.post(
            "/api/v1/orders", json={"artwork_id": artwork["id"]}, headers={**buyer, "Idempotency-Key": "m-2"}
        )
        assert placed.status_code == 201

        assert (await scrape(api))["artmarket_reservations_live"] == first["artmarket_reservations_live"] == 0


def test_without_the_database_the_process_metrics_still_render() -> None:
    text = MetricsExposition().render(None).decode()

    found = samples(text)
    assert found["artmarket_business_metrics_up"] == 0
    assert "artmarket_webhook_signature_failures_total" in found
    assert not any(name.startswith("artmarket_orders{") for name in found)


async def test_a_worker_serves_its_own_metrics_on_its_port(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'worker.db'}")
    port = free_port()
    server, thread = serve_metrics("127.0.0.1", port, PoolCollector(engine))
    try:
        async with engine.connect(), httpx.AsyncClient() as client:
            answer = await client.get(f"http://127.0.0.1:{port}/metrics")
        found = samples(answer.text)
        assert found['artmarket_db_pool_connections{state="checked_out"}'] == 1
        assert any(name.startswith("artmarket_mint_duration_seconds_count") for name in found)
        assert "artmarket_business_metrics_up" not in found  # global gauges come from the API only
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        await engine.dispose()
