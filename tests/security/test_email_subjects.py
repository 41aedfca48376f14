"""An email never fails for good because of what a user typed: a title stored with a control
character before they were refused still gets its `order_awaiting_payment` email, with the
character as a space in the subject (it was a permanent `InvalidValue`)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.integration.test_notifications_api import one_email, register
from tests.support.api import Api
from tests.support.hostile_input import STORES, app_on

from artmarket.adapters.persistence.database import create_engine
from artmarket.adapters.persistence.tables.catalog import artworks


@pytest.fixture(params=STORES)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    async with app_on(request.param, request, tmp_path) as api:
        yield api


async def store_title_as_typed_before(api: Api, artwork_id: str, title: str) -> None:
    """What older code stored: the title straight into the table, past today's checks."""
    engine = create_engine(api.settings.resolved_database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                sa.update(artworks).where(artworks.c.id == uuid.UUID(artwork_id)).values(title=title)
            )
    finally:
        await engine.dispose()


async def test_a_title_with_control_characters_still_gets_its_order_email(api: Api) -> None:
    artist = await api.approved_artist(await api.admin())
    artwork = await api.published_artwork(artist)
    await store_title_as_typed_before(api, artwork["id"], "Harmattan\x1bLight\x07\r\nBcc: x@example.com")
    email, buyer = await register(api)
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    assert placed.status_code == 201, placed.text
    message = await one_email(api, email, "is reserved")
    assert str(message["Subject"]) == (
        "Your order of “Harmattan Light Bcc: x@example.com” is reserved: complete the payment"
    )
    assert message["Bcc"] is None
