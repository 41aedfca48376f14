"""Migrations: every revision goes up, down and up again, and head matches `tables.metadata`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, select
from sqlalchemy.engine import Connection

from artmarket.adapters.persistence import migrate
from artmarket.adapters.persistence.database import create_engine
from artmarket.adapters.persistence.tables import metadata
from artmarket.adapters.persistence.tables.catalog import artwork_images, artworks
from artmarket.adapters.persistence.tables.identity import users
from artmarket.domain.identity import Role

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


async def _insert_works_with_and_without_images(url: str) -> tuple[UUID, UUID]:
    """At 0008: one work with two images (cover at position 0), one with none."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    artist, illustrated, bare = uuid4(), uuid4(), uuid4()
    work = {
        "artist_id": artist,
        "artist_name": "Ada",
        "description": "",
        "medium": "painting",
        "price_amount": 100,
        "price_currency": "NGN",
        "status": "draft",
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(users).values(
                    id=artist,
                    email="ada@example.com",
                    display_name="Ada",
                    password_hash="x",
                    roles=frozenset({Role.ARTIST}),
                    status="active",
                    created_at=now,
                )
            )
            await connection.execute(
                insert(artworks),
                [{**work, "id": illustrated, "title": "A"}, {**work, "id": bare, "title": "B"}],
            )
            await connection.execute(
                insert(artwork_images),
                [
                    {
                        "id": uuid4(),
                        "artwork_id": illustrated,
                        "position": position,
                        "display_key": f"d{position}",
                        "thumbnail_key": f"t{position}",
                        "original_key": f"o{position}",
                        "width": 800 + position,
                        "height": 600 + position,
                        "created_at": now,
                    }
                    for position in (1, 0)
                ],
            )
    finally:
        await engine.dispose()
    return illustrated, bare


async def _covers(url: str) -> dict[UUID, tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(
                    artworks.c.id,
                    artworks.c.cover_thumbnail_key,
                    artworks.c.cover_width,
                    artworks.c.cover_height,
                )
            )
            return {row[0]: tuple(row[1:]) for row in rows}
    finally:
        await engine.dispose()


def test_the_cover_migration_copies_each_works_first_image(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0008_ops_obs")
    illustrated, bare = asyncio.run(_insert_works_with_and_without_images(empty_database_url))

    migrate.upgrade(empty_database_url, "0009_gallery_cover")

    assert asyncio.run(_covers(empty_database_url)) == {
        illustrated: ("t0", 800, 600),
        bare: (None, None, None),
    }
