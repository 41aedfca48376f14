"""Ports shared by every use-case family: time, ids, readiness and rate limits (and the
one way use cases apply a limit)."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from artmarket.application.errors import RateLimited


class Clock(Protocol):
    """The current time, always timezone-aware UTC."""

    @abstractmethod
    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    """New unique ids, ordered by creation time (UUIDv7) so indexes stay compact."""

    @abstractmethod
    def new_id(self) -> UUID: ...


class DependencyCheck(Protocol):
    """Readiness of one outside dependency: raise with a short reason when it is not ready.

    A check may return a one-line summary of what it found (`artmarket doctor` prints it)."""

    name: str

    @abstractmethod
    async def check(self) -> str | None: ...


class NeedsAttention(Exception):
    """The dependency works, but in a way an operator should look at (doctor warns, not fails)."""


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `attempts` events per `window`."""

    attempts: int
    window: timedelta


class RateLimiter(Protocol):
    """Counts events per key within a fixed window; shared by every process in production."""

    @abstractmethod
    async def retry_after(self, key: str, limit: Limit) -> int | None:
        """Seconds until `key` may act again, or None while it is under the limit."""

    @abstractmethod
    async def hit(self, key: str, limit: Limit) -> None:
        """Count one event for `key`."""

    @abstractmethod
    async def reset(self, key: str) -> None:
        """Forget the events counted for `key`."""


async def count_or_refuse(limiter: RateLimiter, key: str, limit: Limit, refusal: str) -> None:
    """Count one attempt for `key`, or refuse it with RateLimited (429, saying `refusal`)
    while `key` is over `limit`; a refused attempt is not counted."""
    wait = await limiter.retry_after(key, limit)
    if wait is not None:
        raise RateLimited(wait, refusal)
    await limiter.hit(key, limit)
