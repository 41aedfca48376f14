"""Readiness and `artmarket doctor`: Redis answers PING (a `DependencyCheck`)."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import RedisError


class RedisUnavailable(Exception):
    """Redis did not answer PING."""


class RedisCheck:
    """Redis (the task queue and the shared rate limits) answers PING within `timeout` seconds."""

    name = "redis"

    def __init__(self, url: str, *, timeout: float = 2.0) -> None:
        self._url = url
        self._timeout = timeout

    def __repr__(self) -> str:
        return "RedisCheck()"  # the URL may carry a password

    async def check(self) -> None:
        client = Redis.from_url(self._url, socket_timeout=self._timeout, socket_connect_timeout=self._timeout)
        try:
            await client.ping()
        except (RedisError, OSError) as error:
            raise RedisUnavailable(f"{type(error).__name__}: {str(error)[:160]}") from None
        finally:
            await client.aclose()
