"""Database fixtures: a throwaway PostgreSQL server per test session (per xdist worker),
a fresh database per test, and SQLite files in tmp_path.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
through `runuser`. Without the binaries the PostgreSQL tests are skipped, except on CI
(`CI=true`), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.support.postgres import PG_BIN, PostgresServer, create_database, throwaway_postgres

pytest_plugins = [
    "tests.support.hedera_fixtures",
    "tests.support.kubo_fixtures",
    "tests.support.moto_server",
    "tests.support.paystack_fixtures",
    "tests.support.redis_server",
    "tests.support.smtp_server",
]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL 15 server for the whole session (for each xdist worker)."""
    if not (PG_BIN / "pg_ctl").exists():
        reason = f"PostgreSQL binaries not found in {PG_BIN}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with throwaway_postgres() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database of its own: `postgresql+psycopg://postgres@127.0.0.1:PORT/NAME`."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    yield create_database(postgres_server, name)
    with psycopg.connect(postgres_server.conninfo(), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite database file (not yet created) in the test's own folder."""
    return f"sqlite+aiosqlite:///{tmp_path / 'artmarket.db'}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whatever uses the PostgreSQL server carries the `postgres` marker (`-m "not postgres"`)."""
    for item in items:
        if "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
