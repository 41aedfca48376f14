"""Time and ids: the system clock and UUIDv7 ids (the settable clock for tests is `artmarket.fakes.clock`)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import uuid_utils


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class Uuid7Ids:
    """Time-ordered UUIDv7 (RFC 9562), so new rows land at the end of B-tree indexes."""

    def new_id(self) -> UUID:
        return UUID(bytes=uuid_utils.uuid7().bytes)
