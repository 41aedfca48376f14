"""Fixtures shared by the contract suites."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from tests.support.persistence import KINDS, SQL_KINDS, Storage, open_storage


@pytest.fixture(params=KINDS)
async def storage(request: pytest.FixtureRequest) -> AsyncIterator[Storage]:
    """Storage over every implementation: the in-memory database, SQLite and PostgreSQL."""
    async with open_storage(request) as opened:
        yield opened


@pytest.fixture(params=SQL_KINDS)
async def sql_storage(request: pytest.FixtureRequest) -> AsyncIterator[Storage]:
    """Storage for read models that exist in SQL only (the in-memory database has none)."""
    async with open_storage(request) as opened:
        yield opened
