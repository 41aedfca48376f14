"""deploy/caddy/Caddyfile, run by Debian's `caddy` in front of the running app: real HTTPS on loopback.

Caddy issues a certificate for 127.0.0.1 from its internal CA (as `CADDY_TLS=internal` does
locally), proxies the API, hides `/metrics`, and replaces a client's `X-Forwarded-For`: the
app, which believes forwarded addresses from Caddy only, sees the real client, so a forged
header cannot pass the Paystack webhook allowlist through the proxy.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import pytest
from tests.support.api import app_settings
from tests.support.live_server import live_server
from tests.support.ports import free_port

from artmarket.bootstrap import create_app, upgrade_database

CADDYFILE = Path(__file__).parents[2] / "deploy" / "caddy" / "Caddyfile"
WEBHOOK = "/api/v1/payments/paystack/webhook"
#: A documentation address (RFC 5737) playing Paystack's webhook source.
PAYSTACK_ADDRESS = "203.0.113.7"


def caddy_binary() -> str:
    found = shutil.which("caddy")
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("caddy is not installed (.ci/run installs Debian's caddy)")
        pytest.skip("caddy is not installed (apt-get install caddy)")
    return found


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    settings = msgspec.structs.replace(
        app_settings(tmp_path / "app", trusted_proxies="127.0.0.1"), paystack_webhook_ips=[PAYSTACK_ADDRESS]
    )
    upgrade_database(settings)
    with live_server(create_app(settings), free_port()) as url:
        yield url


@pytest.fixture
def edge(tmp_path: Path, app_url: str) -> Iterator[tuple[str, ssl.SSLContext]]:
    """Caddy with the repository's Caddyfile on a loopback port; its URL and a context trusting its CA."""
    binary = caddy_binary()
    https_port, http_port = free_port(), free_port()
    home = tmp_path / "caddy"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "SITE_ADDRESS": f"127.0.0.1:{https_port}",
        "CADDY_HTTPS_PORT": str(https_port),
        "CADDY_HTTP_PORT": str(http_port),
        "CADDY_BIND": "127.0.0.1",
        "CADDY_TLS": "internal",
        "ARTMARKET_UPSTREAMS": app_url.removeprefix("http://"),
    }
    log = (tmp_path / "caddy.log").open("wb")
    process = subprocess.Popen(
        [binary, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    root = home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    try:
        deadline = time.monotonic() + 30
        while not (root.exists() and _listening(https_port)):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"caddy did not start:\n{(tmp_path / 'caddy.log').read_text()[-3000:]}")
            time.sleep(0.1)
        yield f"https://127.0.0.1:{https_port}", ssl.create_default_context(cafile=str(root))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def test_the_app_answers_over_https_through_caddy(
    edge: tuple[str, ssl.SSLContext], app_url: str
) -> None:
    url, trust = edge
    async with httpx.AsyncClient(base_url=url, verify=trust, timeout=10) as client:
        health = await _until_proxied(client, "/health")
        gallery = await client.get("/api/v1/artworks", params={"limit": 5})
        hidden = await client.get("/metrics")

    assert health.json()["status"] == "ok"
    assert health.headers["x-request-id"]  # the app's own answer, not Caddy's
    assert "server" not in health.headers
    assert gallery.status_code == 200
    assert gallery.json() == {"items": [], "next_cursor": None}
    assert hidden.status_code == 404
    async with httpx.AsyncClient() as direct:
        assert (await direct.get(f"{app_url}/metrics")).status_code == 200


async def test_a_forged_forwarded_for_does_not_pass_the_webhook_allowlist(
    edge: tuple[str, ssl.SSLContext], app_url: str
) -> None:
    forged = {"x-forwarded-for": PAYSTACK_ADDRESS, "x-paystack-signature": "0" * 128}
    url, trust = edge
    async with httpx.AsyncClient(base_url=url, verify=trust, timeout=10) as client:
        await _until_proxied(client, "/health")
        through_caddy = await client.post(WEBHOOK, content=b"{}", headers=forged)
    async with httpx.AsyncClient(base_url=app_url) as client:
        # From a trusted proxy the app believes the header: the source passes, the signature does not.
        from_a_proxy = await client.post(WEBHOOK, content=b"{}", headers=forged)

    assert through_caddy.status_code == 403, through_caddy.text
    assert from_a_proxy.status_code == 401, from_a_proxy.text


async def _until_proxied(client: httpx.AsyncClient, path: str, within: float = 15.0) -> httpx.Response:
    """Caddy sends traffic once its first active health check (`/ready`) passed, and serves TLS
    once its internal CA has issued the site's certificate (a handshake before that fails)."""
    deadline = time.monotonic() + within
    while True:
        try:
            answer = await client.get(path)
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)
            continue
        if answer.status_code == 200 or time.monotonic() > deadline:
            assert answer.status_code == 200, answer.text
            return answer
        await asyncio.sleep(0.2)
