"""0014_artist_slugs gives every existing artist profile a unique slug."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy import String, Uuid, column, insert, select, table

from artmarket.adapters.persistence import migrate
from artmarket.adapters.persistence.database import create_engine
from artmarket.adapters.persistence.tables.catalog import artist_profiles
from artmarket.adapters.persistence.tables.identity import users
from artmarket.adapters.persistence.types import UtcDateTime
from artmarket.domain.identity import Role

URL_FIXTURES = {"sqlite": "sqlite_url", "postgresql": "postgres_url"}
NOW = datetime(2026, 12, 1, tzinfo=UTC)
#: The table as it was at 0013 (no slug yet).
PROFILES_AT_0013 = table(
    "artist_profiles",
    column("user_id", Uuid()),
    column("display_name", String()),
    column("bio", String()),
    column("country", String()),
    column("website", String()),
    column("updated_at", UtcDateTime()),
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(URL_FIXTURES[request.param]))


async def _insert_profiles(url: str, names: list[str]) -> list[UUID]:
    ids = sorted(uuid4() for _ in names)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for number, (user_id, name) in enumerate(zip(ids, names, strict=True)):
                await connection.execute(
                    insert(users).values(
                        id=user_id,
                        email=f"artist{number}@example.com",
                        display_name=name,
                        password_hash="x",
                        roles=frozenset({Role.ARTIST}),
                        status="active",
                        created_at=NOW,
                    )
                )
                await connection.execute(
                    insert(PROFILES_AT_0013).values(
                        user_id=user_id, display_name=name, bio="", country="NG", website=None, updated_at=NOW
                    )
                )
    finally:
        await engine.dispose()
    return ids


async def _slugs(url: str) -> dict[UUID, str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(artist_profiles.c.user_id, artist_profiles.c.slug))
            return {row[0]: row[1] for row in rows}
    finally:
        await engine.dispose()


def test_existing_profiles_get_unique_slugs_in_the_order_of_their_ids(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0013_editions")
    first, second, third = asyncio.run(
        _insert_profiles(empty_database_url, ["Ada Obi", "Ada  Obi!", "Adébáyọ̀ Okafor"])
    )

    migrate.upgrade(empty_database_url, "0014_artist_slugs")

    assert asyncio.run(_slugs(empty_database_url)) == {
        first: "ada-obi",
        second: "ada-obi-2",
        third: "adebayo-okafor",
    }
