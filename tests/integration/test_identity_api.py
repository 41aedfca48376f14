"""Identity over HTTP: the real app, SQLite migrated by Alembic, real argon2 (cheap parameters)."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from tests.support.schema_templates import at_schema_head

from artmarket.bootstrap import create_app
from artmarket.settings import load_settings

PASSWORD = "correct horse battery staple"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    settings = load_settings(
        {
            "ARTMARKET_DATA_DIR": str(tmp_path),
            "ARTMARKET_ARGON2_TIME_COST": "1",
            "ARTMARKET_ARGON2_MEMORY_KIB": "1024",
            "ARTMARKET_LOGIN_MAX_FAILURES_PER_ACCOUNT": "5",
            "ARTMARKET_MAX_BODY_BYTES": "4096",
        },
        env_file=None,
    )
    await asyncio.to_thread(at_schema_head, settings.resolved_database_url)
    async with AsyncTestClient(create_app(settings)) as client:
        yield client


async def register(
    client: AsyncTestClient[Litestar], email: str = "ada@example.com", role: str = "buyer"
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Ada", "role": role},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def login(
    client: AsyncTestClient[Litestar], email: str = "ada@example.com", password: str = PASSWORD
) -> dict[str, Any]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"]
    return dict(body)


async def test_register_login_and_read_me(client: AsyncTestClient[Litestar]) -> None:
    user = await register(client, "Ada@Example.com")
    tokens = await login(client, "ada@example.com")
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 900
    me = await client.get("/api/v1/me", headers=bearer(tokens))
    assert me.status_code == 200
    assert me.json() == {**user, "email": "ada@example.com"}
    assert set(me.json()) == {
        "id",
        "email",
        "display_name",
        "roles",
        "status",
        "created_at",
        "email_verified",
        "language",
    }
    assert me.json()["email_verified"] is False


async def test_an_email_differing_only_in_case_is_a_conflict(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "ada@example.com")
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "ADA@EXAMPLE.COM", "password": PASSWORD, "display_name": "Other", "role": "artist"},
    )
    body = assert_problem(response, 409)
    assert body["errors"] == [{"field": "email", "message": body["detail"]}]


async def test_registering_as_admin_is_refused(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "eve@example.com", "password": PASSWORD, "display_name": "Eve", "role": "admin"},
    )
    body = assert_problem(response, 400)
    assert body["errors"][0]["field"] == "role"


async def test_a_short_password_is_refused_with_the_field_named(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "bob@example.com", "password": "short", "display_name": "Bob", "role": "buyer"},
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "password"


@pytest.mark.parametrize(
    "payload",
    [
        b"{not json",
        b"[]",
        b'{"email": 5, "password": "correct horse battery", "display_name": "A", "role": "buyer"}',
        b'{"email": "a@b.co", "password": "correct horse battery", '
        b'"display_name": "A", "role": "buyer", "unexpected": 1}',
        b'{"email": "a@b.co"}',
    ],
)
async def test_malformed_or_wrongly_typed_json_is_a_problem_and_creates_nothing(
    client: AsyncTestClient[Litestar], payload: bytes
) -> None:
    response = await client.post(
        "/api/v1/auth/register", content=payload, headers={"Content-Type": "application/json"}
    )
    body = assert_problem(response, 400)
    assert body["errors"]
    login_attempt = await client.post("/api/v1/auth/login", json={"email": "a@b.co", "password": PASSWORD})
    assert login_attempt.status_code == 401


async def test_an_oversized_body_is_refused_with_413(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "a@b.co", "password": PASSWORD, "display_name": "x" * 8000, "role": "buyer"},
    )
    assert_problem(response, 413)


async def test_unknown_email_and_wrong_password_get_the_same_answer(
    client: AsyncTestClient[Litestar],
) -> None:
    await register(client)
    wrong = await client.post("/api/v1/auth/login", json={"email": "ada@example.com", "password": "x" * 12})
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "x" * 12}
    )
    assert wrong.status_code == unknown.status_code == 401

    def strip(response: httpx.Response) -> dict[str, Any]:
        return {k: v for k, v in response.json().items() if k != "request_id"}

    assert strip(wrong) == strip(unknown)


async def test_a_burst_of_wrong_passwords_is_throttled_with_retry_after(
    client: AsyncTestClient[Litestar],
) -> None:
    await register(client)
    statuses = []
    for _ in range(6):
        response = await client.post(
            "/api/v1/auth/login", json={"email": "ada@example.com", "password": "y" * 12}
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    assert int(response.headers["retry-after"]) > 0
    # Even the right password waits until the window passes.
    right = await client.post("/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
    assert_problem(right, 429)


async def test_refresh_rotates_and_reuse_kills_the_whole_family(client: AsyncTestClient[Litestar]) -> None:
    await register(client)
    first = await login(client)
    second = (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    ).json()
    assert second["refresh_token"] != first["refresh_token"]
    third = (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    ).json()

    reuse = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert_problem(reuse, 401)
    newest = await client.post("/api/v1/auth/refresh", json={"refresh_token": third["refresh_token"]})
    assert_problem(newest, 401)
    assert_problem(await client.get("/api/v1/me", headers=bearer(third)), 401)


async def test_logout_ends_the_session(client: AsyncTestClient[Litestar]) -> None:
    await register(client)
    tokens = await login(client)
    out = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=bearer(tokens)
    )
    assert out.status_code == 204
    assert_problem(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401
    )
    assert_problem(await client.get("/api/v1/me", headers=bearer(tokens)), 401)


async def test_changing_the_password_signs_out_other_sessions_only(client: AsyncTestClient[Litestar]) -> None:
    await register(client)
    here = await login(client)
    elsewhere = await login(client)
    wrong = await client.post(
        "/api/v1/me/password",
        json={"current_password": "z" * 12, "new_password": "a brand new passphrase"},
        headers=bearer(here),
    )
    assert_problem(wrong, 401)
    changed = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=bearer(here),
    )
    assert changed.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(here))).status_code == 200
    assert_problem(await client.get("/api/v1/me", headers=bearer(elsewhere)), 401)
    assert_problem(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]}), 401
    )
    await login(client, password="a brand new passphrase")


async def test_patch_me_renames(client: AsyncTestClient[Litestar]) -> None:
    await register(client)
    tokens = await login(client)
    response = await client.patch("/api/v1/me", json={"display_name": "  Ada   L. "}, headers=bearer(tokens))
    assert response.status_code == 200
    assert response.json()["display_name"] == "Ada L."


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_forged_unsigned_and_garbage_tokens_are_401(client: AsyncTestClient[Litestar]) -> None:
    await register(client)
    tokens = await login(client)
    header, payload, signature = tokens["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["admin"]
    forged = f"{header}.{_b64(claims)}.{signature}"
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    for token in [forged, unsigned, "garbage", ""]:
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert_problem(response, 401)
    assert_problem(await client.get("/api/v1/me"), 401)


async def test_operations_endpoints_and_docs(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/health")).json() == {"status": "ok", "checks": {}}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok"}
    spec = (await client.get("/api/openapi.json")).json()
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
    ]:
        assert path in spec["paths"]
    docs = await client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/docs-assets/swagger-ui-bundle.js" in docs.text
    assert (await client.get("/api/docs-assets/swagger-ui-bundle.js")).status_code == 200


async def test_every_response_has_a_request_id_and_security_headers(
    client: AsyncTestClient[Litestar],
) -> None:
    echoed = await client.get("/health", headers={"X-Request-ID": "trace-123"})
    assert echoed.headers["x-request-id"] == "trace-123"
    missing = await client.get("/no/such/page")
    body = assert_problem(missing, 404)
    assert body["request_id"] == missing.headers["x-request-id"]
    for response in (echoed, missing):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "referrer-policy" in response.headers
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers


async def test_a_wrong_method_is_a_405_problem(client: AsyncTestClient[Litestar]) -> None:
    assert_problem(await client.delete("/api/v1/auth/login"), 405)
