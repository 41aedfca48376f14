"""Shared by tests/security/: the real app on either store, and bodies no client should send."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tests.support.api import Api, app_settings, running_app

#: Every storage-related security test runs over both; PostgreSQL refuses what SQLite stores.
STORES = ("sqlite", "postgresql")
#: One level deeper than `entrypoints.http.bodies.MAX_JSON_DEPTH` allows.
TOO_DEEP = b"[" * 65 + b"]" * 65
#: Far past Python's recursion limit: msgspec raised RecursionError for it (a 500).
ABYSMAL = b"[" * 100_000 + b"]" * 100_000
#: 0xFF never occurs in UTF-8: msgspec raised UnicodeDecodeError for it (a 500).
NOT_UTF8 = b'{"email": "\xff\xfe"}'


@asynccontextmanager
async def app_on(
    store: str, request: pytest.FixtureRequest, tmp_path: Path, **settings: str
) -> AsyncIterator[Api]:
    """The embedded profile's app on SQLite, or on a fresh PostgreSQL database."""
    if store == "postgresql":
        settings["database_url"] = request.getfixturevalue("postgres_url")
    async with running_app(app_settings(tmp_path, **settings)) as api:
        yield api
