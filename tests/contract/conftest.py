"""Fixtures shared by the contract suites."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from tests.support.persistence import SQL_KINDS, Storage, open_storage


@pytest.fixture(params=SQL_KINDS)
async def sql_storage(request: pytest.FixtureRequest) -> AsyncIterator[Storage]:
    """Storage for read models that exist in SQL only (the in-memory database has none)."""
    async with open_storage(request) as opened:
        yield opened
