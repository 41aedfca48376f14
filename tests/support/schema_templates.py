"""Databases already at the schema's head, copied from a template instead of migrated per test.

Running the Alembic migrations costs about a second per database, and most tests need a
migrated database, not a migration: each process (each xdist worker) migrates one template
per kind, and tests get copies (a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on
PostgreSQL). A copy is the migrated database byte for byte, `alembic_version` included. The
migrations themselves are still run and checked by tests/integration/test_migrations.py, the
CLI tests (`artmarket db upgrade`) and whatever calls `upgrade_database`.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from tests.support.postgres import PostgresServer, create_database

#: The migrated template on each test PostgreSQL server (per session, so per xdist worker).
POSTGRES_TEMPLATE = "artmarket_schema_template"


def _migrate(database_url: str) -> None:
    """Run the migrations in a thread of their own: they run an event loop, and a fixture may
    ask for a template from inside the test's loop."""
    # Alembic is imported by the first test that needs a migrated database, not at collection.
    from artmarket.adapters.persistence import migrate

    with ThreadPoolExecutor(1) as thread:
        thread.submit(migrate.upgrade, database_url).result()


@functools.cache
def _sqlite_template() -> Path:
    """A SQLite file migrated to head, once per process; removed when the process exits."""
    directory = Path(tempfile.mkdtemp(prefix="artmarket-schema-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    template = directory / "template.db"
    _migrate(f"sqlite+aiosqlite:///{template}")
    return template


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL; None for any other database."""
    url = make_url(database_url)
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def copy_migrated_sqlite(path: Path) -> None:
    """Create the SQLite database `path` (it must not exist yet) with the schema at head."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise FileExistsError(path)
    shutil.copyfile(_sqlite_template(), path)


def at_schema_head(database_url: str) -> None:
    """Bring `database_url` to the schema's head: a template copy for a SQLite file that does not
    exist yet, the migrations otherwise (a no-op for a database copied from a template)."""
    path = sqlite_path(database_url)
    if path is not None and not path.exists():
        copy_migrated_sqlite(path)
    else:
        _migrate(database_url)


def create_postgres_template(server: PostgresServer) -> str:
    """Create and migrate `POSTGRES_TEMPLATE` on `server` (once per server); its name."""
    _migrate(create_database(server, POSTGRES_TEMPLATE))
    with psycopg.connect(server.conninfo(), autocommit=True) as admin:
        # Marked as a template: only a superuser may change it, and copies may be taken while
        # nobody is connected to it (the migrations' engine is gone by now).
        admin.execute(sql.SQL("ALTER DATABASE {} IS_TEMPLATE true").format(sql.Identifier(POSTGRES_TEMPLATE)))
    return POSTGRES_TEMPLATE
