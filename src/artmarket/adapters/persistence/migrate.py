"""Run the schema migrations from code (the CLI and tests), without an alembic.ini."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from artmarket.adapters.persistence.database import DatabaseCheck

#: The migrations ship inside the package, so an installed wheel can migrate its database.
SCRIPT_LOCATION = "artmarket.adapters.persistence:migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for `database_url`, built in code."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("path_separator", "os")
    # ConfigParser treats "%" as interpolation, and URL-encoded passwords contain it.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database up to `revision`; runs its own event loop, so call it outside one."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Migrate the database down to `revision` ("base" removes every table)."""
    command.downgrade(alembic_config(database_url), revision)


def schema_heads() -> list[str]:
    """The revisions this release's migrations end at (one, unless branches are open)."""
    return list(ScriptDirectory.from_config(alembic_config("")).get_heads())


class SchemaBehind(Exception):
    """The database is not at the schema this release expects."""


class SchemaCheck:
    """`artmarket doctor`: the database answers, and its schema is the one this code expects."""

    name = "database"

    def __init__(self, engine: AsyncEngine, *, timeout: float = 5.0) -> None:
        self._engine = engine
        self._timeout = timeout

    async def check(self) -> str:
        await DatabaseCheck(self._engine, timeout=self._timeout).check()  # reachability, same wording
        postgres = self._engine.dialect.name == "postgresql"
        async with asyncio.timeout(self._timeout), self._engine.connect() as connection:
            server = (
                await connection.execute(
                    text("SHOW server_version" if postgres else "SELECT sqlite_version()")
                )
            ).scalar_one()
            try:
                current = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
            except DBAPIError:
                current = None
        heads = schema_heads()
        found = f"{'PostgreSQL' if postgres else 'SQLite'} {server}"
        if current is None:
            raise SchemaBehind(f"{found}: no schema yet; run `artmarket db upgrade`")
        if current not in heads:
            raise SchemaBehind(
                f"{found}: schema at {current}, this release expects {', '.join(heads)}; "
                "run `artmarket db upgrade` (or deploy the release that matches)"
            )
        return f"{found}; schema at {current} (up to date)"
