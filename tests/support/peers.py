"""Requests from chosen client addresses: the test plays the network and sets the TCP peer
(the ASGI scope's `client`) that the app sees, instead of the test client's "testclient"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from httpx import AsyncClient
from litestar.types import ASGIApp, Receive, Scope, Send


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
