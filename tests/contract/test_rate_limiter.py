"""The `RateLimiter` contract, held by the in-process limiter (embedded profile, tests) and by
the Redis one every API process shares in production."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from litestar.stores.memory import MemoryStore

from artmarket.adapters.ratelimit.redis import RedisRateLimiter
from artmarket.adapters.ratelimit.store import StoreRateLimiter
from artmarket.application.ports import Limit, RateLimiter

THREE_PER_MINUTE = Limit(3, timedelta(minutes=1))


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        store = MemoryStore()
        async with store:
            yield StoreRateLimiter(store)
        return
    redis = RedisRateLimiter(request.getfixturevalue("redis_url"))
    try:
        yield redis
    finally:
        await redis.aclose()


def a_key() -> str:
    return f"login:{uuid.uuid4()}"


async def test_a_key_under_its_limit_may_act(limiter: RateLimiter) -> None:
    key = a_key()
    for _ in range(THREE_PER_MINUTE.attempts - 1):
        await limiter.hit(key, THREE_PER_MINUTE)
    assert await limiter.retry_after(key, THREE_PER_MINUTE) is None


async def test_a_key_at_its_limit_waits_for_the_rest_of_the_window(limiter: RateLimiter) -> None:
    key = a_key()
    for _ in range(THREE_PER_MINUTE.attempts):
        await limiter.hit(key, THREE_PER_MINUTE)
    wait = await limiter.retry_after(key, THREE_PER_MINUTE)
    assert wait is not None
    assert 0 < wait <= 60


async def test_keys_are_counted_apart_and_reset_forgets_one(limiter: RateLimiter) -> None:
    busy, quiet = a_key(), a_key()
    for _ in range(THREE_PER_MINUTE.attempts):
        await limiter.hit(busy, THREE_PER_MINUTE)
    assert await limiter.retry_after(quiet, THREE_PER_MINUTE) is None
    await limiter.reset(busy)
    assert await limiter.retry_after(busy, THREE_PER_MINUTE) is None


async def test_concurrent_hits_are_all_counted(limiter: RateLimiter) -> None:
    key, limit = a_key(), Limit(50, timedelta(minutes=1))
    await asyncio.gather(*(limiter.hit(key, limit) for _ in range(49)))
    assert await limiter.retry_after(key, limit) is None
    await limiter.hit(key, limit)
    assert await limiter.retry_after(key, limit) is not None


async def test_the_window_starts_with_the_first_hit_and_ends_on_time(limiter: RateLimiter) -> None:
    key, limit = a_key(), Limit(1, timedelta(seconds=1))
    await limiter.hit(key, limit)
    assert await limiter.retry_after(key, limit) == 1
    await asyncio.sleep(1.1)  # the window itself is what is tested here
    assert await limiter.retry_after(key, limit) is None


async def test_two_processes_share_the_redis_counters(redis_url: str) -> None:
    key, limit = a_key(), Limit(4, timedelta(minutes=1))
    first, second = RedisRateLimiter(redis_url), RedisRateLimiter(redis_url)
    try:
        await asyncio.gather(
            *(first.hit(key, limit) for _ in range(2)), *(second.hit(key, limit) for _ in range(2))
        )
        assert await first.retry_after(key, limit) is not None
        assert await second.retry_after(key, limit) is not None
    finally:
        await first.aclose()
        await second.aclose()
