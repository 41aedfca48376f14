"""A `RateLimiter` over Litestar's key-value stores: the in-process one (`MemoryStore`) for
the embedded profile and the tests; production counts in Redis (`RedisRateLimiter`)."""

from __future__ import annotations

import asyncio

from litestar.stores.base import Store

from artmarket.application.ports import Limit


class StoreRateLimiter:
    """Counts events per key in a fixed window that starts with the first event.

    Reads and writes are separate store calls, so a lock keeps concurrent hits of this
    process from losing counts; it cannot do that across processes (a shared store needs
    `RedisRateLimiter`).
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = asyncio.Lock()

    async def retry_after(self, key: str, limit: Limit) -> int | None:
        count = await self._count(key)
        if count < limit.attempts:
            return None
        remaining = await self._store.expires_in(key)
        return remaining if remaining and remaining > 0 else int(limit.window.total_seconds())

    async def hit(self, key: str, limit: Limit) -> None:
        async with self._lock:
            count = await self._count(key)
            remaining = await self._store.expires_in(key) if count else None
            window = remaining if remaining and remaining > 0 else int(limit.window.total_seconds())
            await self._store.set(key, str(count + 1), expires_in=window)

    async def reset(self, key: str) -> None:
        await self._store.delete(key)

    async def _count(self, key: str) -> int:
        value = await self._store.get(key)
        return int(value) if value else 0
