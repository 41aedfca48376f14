"""Readiness and `artmarket doctor`: Redis answers PING (a `DependencyCheck`)."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import RedisError

from artmarket.application.ports import NeedsAttention


class RedisUnavailable(Exception):
    """Redis did not answer PING."""


class RedisCheck:
    """Redis (the task queue and the shared rate limits) answers PING within `timeout` seconds.

    With `require_persistence` (`artmarket doctor` in production) it also reads the server's
    persistence settings and warns when the append-only file is off: queued tasks would be
    lost with a restart (the outbox re-sends only what it never handed over).
    """

    name = "redis"

    def __init__(self, url: str, *, timeout: float = 2.0, require_persistence: bool = False) -> None:
        self._url = url
        self._timeout = timeout
        self._require_persistence = require_persistence

    def __repr__(self) -> str:
        return "RedisCheck()"  # the URL may carry a password

    async def check(self) -> str | None:
        client = Redis.from_url(self._url, socket_timeout=self._timeout, socket_connect_timeout=self._timeout)
        try:
            await client.ping()
            if not self._require_persistence:
                return None
            server = await client.info("server")
            persistence = await client.info("persistence")
        except (RedisError, OSError) as error:
            raise RedisUnavailable(f"{type(error).__name__}: {str(error)[:160]}") from None
        finally:
            await client.aclose()
        found = f"Redis {server.get('redis_version', '?')}"
        if not int(persistence.get("aof_enabled", 0)):
            raise NeedsAttention(f"{found}: append-only file off, queued tasks would not survive a restart")
        return f"{found}; append-only file on"
