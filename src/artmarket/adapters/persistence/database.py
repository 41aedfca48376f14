"""Engines and sessions for SQLite (embedded profile) and PostgreSQL (production)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from psycopg_pool import AsyncConnectionPool
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

#: Applied to every new SQLite connection (each PRAGMA is per connection except journal_mode).
SQLITE_PRAGMAS: tuple[tuple[str, str], ...] = (
    ("journal_mode", "WAL"),  # readers do not block the writer
    ("foreign_keys", "ON"),  # off by default in SQLite
    ("busy_timeout", "5000"),  # wait up to 5 s for the write lock instead of failing at once
    ("synchronous", "NORMAL"),  # durable at checkpoints; safe with WAL
)


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def ensure_sqlite_directory(url: URL | str) -> None:
    """Create the folder of a SQLite database file (SQLite creates the file, not its folder)."""
    url = make_url(url)
    if not _is_sqlite(url):
        return
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _set_sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for name, value in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {name}={value}")
    finally:
        cursor.close()


def create_engine(
    url: str,
    *,
    echo: bool = False,
    pool_size: int = 10,
    max_overflow: int = 10,
    pool_timeout: float = 10.0,
    pool_recycle: int = 1800,
) -> AsyncEngine:
    """An async engine for `sqlite+aiosqlite://` or `postgresql+psycopg://` URLs."""
    parsed = make_url(url)
    if _is_sqlite(parsed):
        ensure_sqlite_directory(parsed)
        engine = create_async_engine(parsed, echo=echo)
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        return engine
    return create_async_engine(
        parsed,
        echo=echo,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        # No ping per checkout: it costs a round trip on every request. Connections are
        # recycled instead, and a connection that died fails its statement as
        # StorageUnavailable (503) and is dropped from the pool.
        pool_recycle=pool_recycle,
        # libpq's connect timeout, so an unreachable server fails within the pool timeout.
        connect_args={"connect_timeout": max(1, round(pool_timeout))},
    )


@asynccontextmanager
async def open_read_pool(
    url: URL | str, *, size: int, wait_seconds: float = 10.0, max_lifetime: float = 1800
) -> AsyncIterator[AsyncConnectionPool[Any]]:
    """A psycopg pool of autocommit connections to the PostgreSQL database at `url`, for hot reads.

    It opens without waiting for the server, so the app starts while the database is
    away (readiness reports that); a dead connection is found by its failing statement.
    """
    parsed = make_url(url).set(drivername="postgresql")
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        parsed.render_as_string(hide_password=False),
        min_size=1,
        max_size=size,
        timeout=wait_seconds,
        max_lifetime=max_lifetime,
        kwargs={"autocommit": True, "connect_timeout": max(1, round(wait_seconds))},
        open=False,
    )
    await pool.open(wait=False)
    try:
        yield pool
    finally:
        await pool.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (use cases return them)."""
    return async_sessionmaker(engine, expire_on_commit=False)


class DatabaseUnavailable(Exception):
    """The readiness probe could not run `SELECT 1`."""


class DatabaseCheck:
    """Readiness: the database answers `SELECT 1` within `timeout` seconds."""

    name = "database"

    def __init__(self, engine: AsyncEngine, *, timeout: float = 2.0) -> None:
        self._engine = engine
        self._timeout = timeout

    async def check(self) -> None:
        try:
            async with asyncio.timeout(self._timeout), self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except TimeoutError as error:
            raise DatabaseUnavailable(f"no answer within {self._timeout:g} s") from error
        except PoolTimeoutError as error:
            raise DatabaseUnavailable("no free connection in the pool") from error
        except (DBAPIError, OSError) as error:
            # The driver's first line only: enough to act on, without the URL or SQL.
            reason = str(getattr(error, "orig", error)).strip().splitlines()
            raise DatabaseUnavailable(reason[0][:160] if reason else type(error).__name__) from error
