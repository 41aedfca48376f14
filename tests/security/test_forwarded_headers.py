"""Who is asking: X-Forwarded-For counts only from ARTMARKET_TRUSTED_PROXIES, over real uvicorn.

The app runs in uvicorn configured exactly as `artmarket serve` configures it
(`bootstrap.uvicorn_config`), on a loopback port. uvicorn's default `proxy_headers` trusts
X-Forwarded-For from 127.0.0.1, which let any local client (or a proxy passing the header
through) pick its own address: a spoofed header reset the per-address sign-in throttle and
passed the webhook source allowlist.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from tests.support.api import PASSWORD, app_settings
from tests.support.ports import free_port
from tests.support.security_apps import served_client
from tests.support.stack import ApiProcess

from artmarket.adapters.payments.signing import sign
from artmarket.bootstrap import SANDBOX_SECRET_KEY, upgrade_database
from artmarket.settings import SettingsError, load_settings

SPOOFED = "203.0.113.9"
PAYSTACK_ADDRESS = "52.31.139.75"
LOGIN = "/api/v1/auth/login"
WEBHOOK = "/api/v1/payments/paystack/webhook"


@asynccontextmanager
async def client_of(tmp_path: Path, **overrides: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = app_settings(
        tmp_path,
        port=str(free_port()),
        login_max_failures_per_address="20",
        login_max_failures_per_account="1000",
        shutdown_grace_seconds="1",
        **overrides,
    )
    async with served_client(settings) as client:
        yield client


async def buyer(client: httpx.AsyncClient) -> str:
    email = "forwarded.buyer@example.com"
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Buyer", "role": "buyer"},
    )
    assert registered.status_code == 201, registered.text
    return email


async def fail_logins(client: httpx.AsyncClient, email: str, times: int, headers: dict[str, str]) -> None:
    for _ in range(times):
        wrong = {"email": email, "password": "wrong password"}
        failed = await client.post(LOGIN, json=wrong, headers=headers)
        assert failed.status_code == 401, failed.text


async def test_a_spoofed_forwarded_address_does_not_escape_the_sign_in_throttle(tmp_path: Path) -> None:
    async with client_of(tmp_path) as client:
        email = await buyer(client)
        await fail_logins(client, email, 20, {})
        right = {"email": email, "password": PASSWORD}
        assert (await client.post(LOGIN, json=right)).status_code == 429
        spoofed = await client.post(LOGIN, json=right, headers={"X-Forwarded-For": SPOOFED})
        assert spoofed.status_code == 429, spoofed.text


async def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(tmp_path: Path) -> None:
    async with client_of(tmp_path, trusted_proxies="127.0.0.1/32") as client:
        email = await buyer(client)
        await fail_logins(client, email, 20, {"X-Forwarded-For": "198.51.100.1"})
        right = {"email": email, "password": PASSWORD}
        throttled = await client.post(LOGIN, json=right, headers={"X-Forwarded-For": "198.51.100.1"})
        assert throttled.status_code == 429
        # Another client behind the same proxy is not throttled for the first one's failures.
        other = await client.post(LOGIN, json=right, headers={"X-Forwarded-For": SPOOFED})
        assert other.status_code == 200, other.text


def signed_event() -> tuple[bytes, dict[str, str]]:
    """A correctly signed provider event (the sandbox key), so only the source check can refuse it."""
    body = json.dumps({"event": "transfer.success", "data": {"reference": "am-forwarded"}}).encode()
    return body, {"x-paystack-signature": sign(body, SANDBOX_SECRET_KEY)}


async def test_a_spoofed_forwarded_address_does_not_pass_the_webhook_allowlist(tmp_path: Path) -> None:
    body, headers = signed_event()
    async with client_of(tmp_path, paystack_webhook_ips=PAYSTACK_ADDRESS) as client:
        forged = {**headers, "X-Forwarded-For": PAYSTACK_ADDRESS}
        spoofed = await client.post(WEBHOOK, content=body, headers=forged)
        assert spoofed.status_code == 403, spoofed.text
    async with client_of(
        tmp_path / "proxied", paystack_webhook_ips=PAYSTACK_ADDRESS, trusted_proxies="127.0.0.1"
    ) as client:
        forwarded = await client.post(
            WEBHOOK, content=body, headers={**headers, "X-Forwarded-For": PAYSTACK_ADDRESS}
        )
        assert forwarded.status_code == 200, forwarded.text


def test_an_address_that_is_not_an_ip_is_refused_as_a_trusted_proxy(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as refused:
        app_settings(tmp_path, trusted_proxies="127.0.0.1,proxy.internal")
    assert refused.value.problems == [
        "ARTMARKET_TRUSTED_PROXIES: 'proxy.internal' is not an IP address or network"
    ]


async def test_the_access_log_of_artmarket_serve_names_the_peer_not_a_spoofed_address(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARTMARKET_")}
    env.update(ARTMARKET_DATA_DIR=str(tmp_path), ARTMARKET_SHUTDOWN_DELAY_SECONDS="0")
    await asyncio.to_thread(upgrade_database, load_settings(env, env_file=None))
    server = ApiProcess("api", free_port(), env, tmp_path / "api.log")
    try:
        await asyncio.to_thread(server.wait_ready)
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            answer = await client.get("/api/v1/artworks", headers={"X-Forwarded-For": SPOOFED})
            assert answer.status_code == 200
    finally:
        await asyncio.to_thread(server.stop)
    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith("{")]
    logged = [line for line in lines if line.get("event") == "request" and line["path"] == "/api/v1/artworks"]
    assert [line.get("client") for line in logged] == ["127.0.0.1"]
