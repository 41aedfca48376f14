"""Time and ids: the system clock, a settable clock for tests, UUIDv7 ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import uuid_utils


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to; for tests."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class Uuid7Ids:
    """Time-ordered UUIDv7 (RFC 9562), so new rows land at the end of B-tree indexes."""

    def new_id(self) -> UUID:
        return UUID(bytes=uuid_utils.uuid7().bytes)
