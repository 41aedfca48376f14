"""API answers to a request carrying credentials, and answers that depend on who asks, say
`Cache-Control: no-store`; public gallery answers to anonymous requests keep their caching."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.support.api import PASSWORD, Api, app_settings, running_app

PUBLIC_LISTING = "public, max-age=15, stale-while-revalidate=60"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def test_answers_to_credentials_and_about_the_caller_are_never_stored(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist)
    buyer = await api.register("buyer")
    me = (await api.client.get("/api/v1/me", headers=buyer)).json()
    work = f"/api/v1/artworks/{artwork['id']}"

    authenticated = {
        "me": await api.client.get("/api/v1/me", headers=buyer),
        "my orders": await api.client.get("/api/v1/me/orders", headers=buyer),
        "admin orders": await api.client.get("/api/v1/admin/orders", headers=admin),
        "gallery asked with a token": await api.client.get("/api/v1/artworks", headers=buyer),
        "artwork asked with a token": await api.client.get(work, headers=artist),
        "revalidation with a token": await api.client.get(
            "/api/v1/artworks",
            headers={**buyer, "If-None-Match": (await api.client.get("/api/v1/artworks")).headers["etag"]},
        ),
    }
    about_the_caller = {
        # Anonymous requests whose answers carry tokens or say whether a password was right.
        "sign-in": await api.client.post(
            "/api/v1/auth/login", json={"email": me["email"], "password": PASSWORD}
        ),
        "failed sign-in": await api.client.post(
            "/api/v1/auth/login", json={"email": me["email"], "password": "not the password at all"}
        ),
        "missing token": await api.client.get("/api/v1/me"),
    }

    for name, answer in authenticated.items():
        assert answer.status_code == (304 if name.startswith("revalidation") else 200), (name, answer.text)
        assert answer.headers.get_list("cache-control") == ["no-store"], name
    assert [answer.status_code for answer in about_the_caller.values()] == [200, 401, 401]
    for name, answer in about_the_caller.items():
        assert answer.headers.get_list("cache-control") == ["no-store"], name

    anonymous = {
        "gallery": await api.client.get("/api/v1/artworks"),
        "artwork": await api.client.get(work),
        "artists": await api.client.get("/api/v1/artists"),
    }
    for name, answer in anonymous.items():
        assert answer.status_code == 200, name
        assert answer.headers["cache-control"] == PUBLIC_LISTING, name
