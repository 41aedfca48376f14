"""Apps for the security tests: served by real uvicorn, or paying through the Paystack stand-in."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from artmarket.bootstrap import create_app, upgrade_database, uvicorn_config
from artmarket.settings import Settings
from tests.support.api import app_settings
from tests.support.paystack_standin import PaystackStandIn


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[str]:
    """The app in uvicorn as `artmarket serve` runs it, in a thread; yields its base URL."""
    await asyncio.to_thread(upgrade_database, settings)
    server = uvicorn.Server(uvicorn_config(create_app(settings), settings))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    try:
        for _ in range(300):
            if server.started:
                break
            if not thread.is_alive():
                raise AssertionError("uvicorn stopped while starting")
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("uvicorn did not start")
        yield f"http://{settings.host}:{settings.port}"
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, 15)


@asynccontextmanager
async def served_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the app `serving` runs (settings.port must be free: `free_port()`)."""
    async with serving(settings) as base_url, httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        yield client


def paystack_settings(
    tmp_path: Path, standin: PaystackStandIn, storage: pytest.FixtureRequest, **overrides: str
) -> Settings:
    """The embedded profile with the real Paystack adapter pointed at the stand-in, on the
    storage `storage.param` names (`sqlite`, or `postgres`: a fresh database on the test server)."""
    if storage.param == "postgres":
        overrides["database_url"] = storage.getfixturevalue("postgres_url")
    return app_settings(
        tmp_path,
        payments="paystack",
        paystack_secret_key=standin.secret_key,
        paystack_base_url=standin.base_url,
        **overrides,
    )
