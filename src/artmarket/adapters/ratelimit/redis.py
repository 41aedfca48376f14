"""A `RateLimiter` on Redis: one counter per key, shared by every API process.

Each hit is one atomic transaction (`SET key 0 NX PX window` then `INCR key`): the first
hit of a window starts the counter and its expiry, later hits only count (INCR keeps the
expiry), so concurrent hits from any number of processes are counted exactly.
"""

from __future__ import annotations

from redis.asyncio import Redis

from artmarket.application.ports import Limit

PREFIX = "artmarket:ratelimit:"


class RedisRateLimiter:
    """Fixed windows that start with the first event, counted in Redis."""

    def __init__(self, url: str, *, prefix: str = PREFIX, timeout: float = 2.0) -> None:
        self._redis = Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self._prefix = prefix

    def __repr__(self) -> str:
        return f"RedisRateLimiter(prefix={self._prefix!r})"

    async def aclose(self) -> None:
        await self._redis.aclose()

    async def retry_after(self, key: str, limit: Limit) -> int | None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.get(self._prefix + key)
            pipe.pttl(self._prefix + key)
            count, remaining_ms = await pipe.execute()
        if int(count or 0) < limit.attempts:
            return None
        if remaining_ms is not None and remaining_ms > 0:
            return max(1, -(-int(remaining_ms) // 1000))  # whole seconds, rounded up
        return max(1, int(limit.window.total_seconds()))

    async def hit(self, key: str, limit: Limit) -> None:
        window_ms = max(1, int(limit.window.total_seconds() * 1000))
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._prefix + key, 0, nx=True, px=window_ms)
            pipe.incr(self._prefix + key)
            await pipe.execute()

    async def reset(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)
