"""`artmarket serve` puts its start-up heap out of the collector's reach (`gc.freeze`): full
collections no longer scan modules, routes and the container on every pass, which had shown
up as 150-250 ms p99 pauses in bench/gallery.py."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

from litestar.testing import AsyncTestClient

from artmarket.bootstrap import create_app, upgrade_database
from artmarket.settings import load_settings


async def test_the_served_app_freezes_what_exists_once_it_has_started(tmp_path: Path) -> None:
    settings = load_settings({"ARTMARKET_DATA_DIR": str(tmp_path)}, env_file=None)
    await asyncio.to_thread(upgrade_database, settings)
    gc.unfreeze()
    try:
        async with AsyncTestClient(create_app(settings)) as client:
            assert (await client.get("/health")).status_code == 200
            assert gc.get_freeze_count() == 0  # apps built for tests never freeze
        async with AsyncTestClient(create_app(settings, settle_heap=True)) as client:
            assert (await client.get("/health")).status_code == 200
            assert gc.get_freeze_count() > 10_000  # modules, routes, the container
    finally:
        gc.unfreeze()
