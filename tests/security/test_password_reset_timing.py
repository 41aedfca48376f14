"""A password-reset request does the same work whether or not an account has the address: one
outbox message, nothing else, on SQLite and PostgreSQL. The account is looked up later, by the
worker, so the answer's timing cannot tell who has an account. (It used to write a token and a
message for a known address only.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dishka import AsyncContainer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from tests.support.api import PASSWORD, app_settings

from artmarket.adapters.persistence.tables import metadata
from artmarket.adapters.persistence.tables.messaging import outbox_messages
from artmarket.application.identity.passwords import RequestPasswordReset, SendPasswordResetLink
from artmarket.application.identity.registration import RegisterUser
from artmarket.application.messages import PasswordResetAsked
from artmarket.application.messaging import Topic
from artmarket.bootstrap import make_container, upgrade_database
from artmarket.domain.identity import Role

KNOWN = "known@example.com"
UNKNOWN = "nobody-at-all@example.com"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    url = str(request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url"}[request.param]))
    settings = app_settings(tmp_path, database_url=url)
    await asyncio.to_thread(upgrade_database, settings)
    container = make_container(settings)
    async with container() as scope:
        register = await scope.get(RegisterUser)
        await register(
            email=KNOWN, password=PASSWORD, display_name="Known", role=Role.BUYER, client_address=None
        )
    yield container
    await container.close()


async def _rows_per_table(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {
            name: int(await connection.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in metadata.tables.items()
        }


async def _work_of_one_request(container: AsyncContainer, email: str) -> dict[str, int]:
    """Rows added to each table by one reset request (tables it did not touch are left out)."""
    engine = await container.get(AsyncEngine)
    before = await _rows_per_table(engine)
    async with container() as scope:
        await (await scope.get(RequestPasswordReset))(email)
    after = await _rows_per_table(engine)
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


async def test_known_and_unknown_addresses_cost_the_same_writes(container: AsyncContainer) -> None:
    unknown = await _work_of_one_request(container, UNKNOWN)
    known = await _work_of_one_request(container, KNOWN)

    assert unknown == known == {"outbox_messages": 1}
    engine = await container.get(AsyncEngine)
    async with engine.connect() as connection:
        rows = (await connection.execute(select(outbox_messages.c.topic, outbox_messages.c.payload))).all()
    asked = [(topic, sorted(payload)) for topic, payload in rows if topic == Topic.PASSWORD_RESET_ASKED]
    assert asked == [(Topic.PASSWORD_RESET_ASKED, ["email", "request_id"])] * 2


async def test_the_worker_sends_the_link_to_a_known_address_only_and_once(container: AsyncContainer) -> None:
    for email in (UNKNOWN, KNOWN):
        async with container() as scope:
            await (await scope.get(RequestPasswordReset))(email)
    engine = await container.get(AsyncEngine)
    async with engine.connect() as connection:
        asked = [
            payload
            for topic, payload in (
                await connection.execute(select(outbox_messages.c.topic, outbox_messages.c.payload))
            ).all()
            if topic == Topic.PASSWORD_RESET_ASKED
        ]
    for payload in [*asked, *asked]:  # every request delivered twice, as a queue may
        async with container() as scope:
            await (await scope.get(SendPasswordResetLink)).handle(PasswordResetAsked.decode(payload))

    rows = await _rows_per_table(engine)
    assert rows["account_tokens"] == 2  # the welcome link, and one reset link for the known address
    async with engine.connect() as connection:
        links = await connection.scalar(
            select(func.count())
            .select_from(outbox_messages)
            .where(outbox_messages.c.topic == Topic.PASSWORD_RESET_REQUESTED)
        )
    assert links == 1
