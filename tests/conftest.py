"""Database fixtures: a throwaway PostgreSQL server per test session (per xdist worker),
a fresh database per test, and SQLite files in tmp_path; the `migrated_*` ones are already at
the schema's head (copies of a template migrated once per worker, tests/support/schema_templates.py).

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
through `runuser`. Without the binaries the PostgreSQL tests are skipped, except on CI
(`CI=true`), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.support.postgres import PG_BIN, PostgresServer, create_database, throwaway_postgres
from tests.support.schema_templates import copy_migrated_sqlite, create_postgres_template

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


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    """The name of a database on the server migrated to the schema's head, to copy from."""
    return create_postgres_template(postgres_server)


@contextmanager
def _own_database(server: PostgresServer, *, template: str | None = None) -> Iterator[str]:
    name = f"test_{uuid.uuid4().hex[:16]}"
    yield create_database(server, name, template=template)
    with psycopg.connect(server.conninfo(), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database of its own: `postgresql+psycopg://postgres@127.0.0.1:PORT/NAME`."""
    with _own_database(postgres_server) as url:
        yield url


@pytest.fixture
def migrated_postgres_url(postgres_server: PostgresServer, postgres_template: str) -> Iterator[str]:
    """A fresh database of its own at the schema's head (a copy of the migrated template)."""
    with _own_database(postgres_server, template=postgres_template) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite database file (not yet created) in the test's own folder."""
    return f"sqlite+aiosqlite:///{tmp_path / 'artmarket.db'}"


@pytest.fixture
def migrated_sqlite_url(tmp_path: Path) -> str:
    """A SQLite database file in the test's own folder at the schema's head (a template copy)."""
    path = tmp_path / "artmarket.db"
    copy_migrated_sqlite(path)
    return f"sqlite+aiosqlite:///{path}"


#: What real adapters run against (servers, stand-ins, database files); the in-memory fakes need none.
REAL_ADAPTER_FIXTURES = frozenset(
    {
        "postgres_server",
        "sqlite_url",
        "migrated_sqlite_url",
        "redis_server",
        "moto_endpoint",
        "paystack_standin_server",
        "kubo_standin_server",
        "kubo_mirror_standin_server",
        "fake_hedera_node",
        "smtp_server",
    }
)
#: The parameters that pick a real adapter in the contract tests (the others pick a fake).
REAL_ADAPTER_PARAMS = frozenset(
    {"sqlite", "postgresql", "redis", "paystack", "s3", "kubo", "mirrored", "hedera", "smtp"}
)


def _uses_a_real_adapter(item: pytest.Item) -> bool:
    if REAL_ADAPTER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    callspec = getattr(item, "callspec", None)
    params = callspec.params.values() if callspec is not None else ()
    return any(isinstance(value, str) and value in REAL_ADAPTER_PARAMS for value in params)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whatever uses the PostgreSQL server carries the `postgres` marker (`-m "not postgres"`), and
    whatever runs a real adapter the `real_adapter` marker (`make test-fast` leaves those out)."""
    for item in items:
        if "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
        if _uses_a_real_adapter(item):
            item.add_marker(pytest.mark.real_adapter)
