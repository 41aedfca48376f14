"""Horizontal scale: two API processes and two workers (and the scheduler) on one PostgreSQL and
one Redis, production profile, Paystack stand-in and fake Hedera node: twenty purchases made
through both APIs in turn end in exactly twenty certificates, with distinct serials and not
one mint too many. Nothing in an API process is needed by the other: sessions, rate limits
and idempotency keys live in PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import TypeVar

import boto3
import pytest
from tests.support.moto_server import CREDENTIALS
from tests.support.stack import Marketplace, ProductionStack

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

PURCHASES = 20
BUYERS = 10
T = TypeVar("T")


async def at_most(limit: int, jobs: list[Awaitable[T]]) -> list[T]:
    """Run `jobs` concurrently, `limit` at a time (as that many clients would)."""
    gate = asyncio.Semaphore(limit)

    async def one(job: Awaitable[T]) -> T:
        async with gate:
            return await job

    return await asyncio.gather(*(one(job) for job in jobs))


async def until_no_task_pending(stack: ProductionStack, within: float = 30.0) -> None:
    """The emails that follow the certificates may still be on their way; then nothing is left."""
    for _ in range(int(within / 0.2)):
        if not stack.stream_pending():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"{stack.stream_pending()} tasks taken and never acknowledged")


async def test_two_apis_and_two_workers_complete_twenty_purchases_with_twenty_certificates(
    stack: ProductionStack,
) -> None:
    apis = [stack.api("api-1"), stack.api("api-2")]
    workers = [stack.worker("worker-1"), stack.worker("worker-2")]
    stack.scheduler()
    await asyncio.gather(*(asyncio.to_thread(api.wait_ready) for api in apis))
    market = Marketplace(stack, [api.url for api in apis])
    started = time.monotonic()
    try:
        admin = await market.create_admin()
        artist = await market.approved_artist(admin)
        artworks = await at_most(8, [market.published_artwork(artist, f"Work {n}") for n in range(PURCHASES)])
        buyers = await at_most(8, [market.register("buyer") for _ in range(BUYERS)])

        purchases = await at_most(
            8, [market.place_order(buyers[n % BUYERS], artworks[n]["id"]) for n in range(PURCHASES)]
        )
        await at_most(8, [market.pay(purchase) for purchase in purchases])
        orders = await at_most(8, [market.wait_for_status(p, "completed", within=90) for p in purchases])
    finally:
        await market.aclose()
    print(
        f"{PURCHASES} purchases, from the first registration to the last certificate: "
        f"{time.monotonic() - started:.1f} s"
    )

    # Exactly one certificate per order, every serial distinct, and the ledger agrees.
    certificates = stack.sql("SELECT order_id::text, token_id, serial FROM certificates")
    assert len(certificates) == PURCHASES
    assert {row[0] for row in certificates} == {p.order_id for p in purchases}
    assert {row[0] for row in certificates} == {o["id"] for o in orders}
    assert {row[1] for row in certificates} == {stack.token_id}
    assert len({row[2] for row in certificates}) == PURCHASES
    minted = stack.hedera.nfts(stack.token_id)
    assert sorted(minted) == sorted(row[2] for row in certificates), "a mint the database does not know of"
    assert len(set(minted.values())) == PURCHASES  # one metadata document per certificate
    assert stack.sql("SELECT count(*) FROM mint_jobs WHERE status = 'succeeded'") == [(PURCHASES,)]

    # Both APIs served, both workers worked: the load really was shared.
    for api in apis:
        assert api.output().count('"event": "request"') > PURCHASES, api.name
    for worker in workers:
        assert "artmarket.dispatch" in worker.output(), f"{worker.name} ran no task"
    await until_no_task_pending(stack)

    # Derivatives are immutable: the CDN and browsers may keep them for a year.
    image = artworks[0]["images"][0]["url"]
    assert image.startswith(stack.env["ARTMARKET_MEDIA_BASE_URL"])
    key = "public/" + image.removeprefix(stack.env["ARTMARKET_MEDIA_BASE_URL"] + "/")
    s3 = boto3.client("s3", endpoint_url=stack.s3_endpoint, **CREDENTIALS)
    origin = await asyncio.to_thread(s3.head_object, Bucket=stack.bucket, Key=key)  # what the CDN fetches
    assert origin["CacheControl"] == "public, max-age=31536000, immutable"
