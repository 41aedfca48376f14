"""Migrations: every revision goes up, down and up again, and head matches `tables.metadata`."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from artmarket.adapters.persistence import migrate
from artmarket.adapters.persistence.database import create_engine
from artmarket.adapters.persistence.tables import metadata

URL_FIXTURES = {"sqlite": "sqlite_url", "postgresql": "postgres_url"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(URL_FIXTURES[request.param]))


def _revisions_oldest_first(url: str) -> list[tuple[str, str]]:
    """(revision, the revision to go down to) for every migration, oldest first."""
    script = ScriptDirectory.from_config(migrate.alembic_config(url))
    revisions = list(script.walk_revisions("base", "heads"))[::-1]
    return [(r.revision, str(r.down_revision) if r.down_revision else "base") for r in revisions]


async def _table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


def test_every_migration_goes_up_down_and_up_again(empty_database_url: str) -> None:
    revisions = _revisions_oldest_first(empty_database_url)
    assert revisions, "no migrations found"
    for revision, previous in revisions:
        migrate.upgrade(empty_database_url, revision)
        migrate.downgrade(empty_database_url, previous)
        migrate.upgrade(empty_database_url, revision)

    assert asyncio.run(_table_names(empty_database_url)) == {*metadata.tables, "alembic_version"}
    migrate.downgrade(empty_database_url, "base")
    assert asyncio.run(_table_names(empty_database_url)) == {"alembic_version"}


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_the_migrated_schema_matches_the_tables_module(empty_database_url: str) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()

    assert differences == []
