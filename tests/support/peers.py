"""Who the app sees calling: chosen client addresses (`Peers`: the test plays the network and
sets the TCP peer, the ASGI scope's `client`, instead of the test client's "testclient"), and
truly concurrent requests from 127.0.0.1 (`live_api`, a real server on loopback)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from httpx import AsyncClient
from litestar.types import ASGIApp, Receive, Scope, Send

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.bootstrap import SANDBOX_SECRET_KEY, create_app, make_container, upgrade_database
from artmarket.settings import Settings
from tests.support.api import Api
from tests.support.live_server import live_server
from tests.support.ports import free_port


@dataclass
class Peers:
    """`running_app(settings, network=peers)`; then set `peers.address` before each request."""

    address: str = "192.0.2.10"

    def __call__(self, app: ASGIApp) -> ASGIApp:
        async def from_peer(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] in ("http", "websocket"):
                scope = {**scope, "client": (self.address, 50_000)}  # type: ignore[assignment]
            await app(scope, receive, send)

        return from_peer


HTML = {"Accept": "text/html"}


async def csrf_token(client: AsyncClient, path: str) -> str:
    """The CSRF token of the form on the page at `path` (the client keeps its cookie)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get(path, headers=HTML)).text)
    assert found, f"no form with a CSRF token on {path}"
    return found.group(1)


@asynccontextmanager
async def live_api(settings: Settings) -> AsyncIterator[Api]:
    """`Api` over a real server on loopback (uvicorn): requests reach the app at the same time,
    as in production (the in-process test client hands them over one by one), from 127.0.0.1."""
    await asyncio.to_thread(upgrade_database, settings)
    container = make_container(settings)
    gateway = SandboxPaymentGateway(SANDBOX_SECRET_KEY, checkout_base_url=settings.resolved_public_base_url)
    try:
        with live_server(create_app(settings), free_port()) as base:
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                yield Api(client, settings, container, gateway)  # type: ignore[arg-type]
    finally:
        await container.close()
