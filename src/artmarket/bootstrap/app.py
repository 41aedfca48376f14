"""The HTTP application and what runs inside it: the embedded worker, the settled heap."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from dishka import AsyncContainer, Provider
from litestar import Litestar
from taskiq import AsyncBroker

from artmarket.bootstrap.container import make_container
from artmarket.bootstrap.telemetry import configure_logging, configure_observability
from artmarket.entrypoints.http.app import build_app
from artmarket.entrypoints.http.lifecycle import Drain
from artmarket.entrypoints.worker.periodic_jobs import default_jobs, run_periodic
from artmarket.entrypoints.worker.tasks import register_tasks
from artmarket.settings import Settings, load_settings


async def start_messaging(container: AsyncContainer) -> AsyncBroker:
    """Register the worker task on the broker and start it (every sender must, python-stack 7.5)."""
    broker: AsyncBroker = await container.get(AsyncBroker)
    register_tasks(broker, container)
    await broker.startup()
    return broker


@asynccontextmanager
async def embedded_worker(app: Litestar) -> AsyncIterator[None]:
    """The embedded profile's worker and scheduler, inside the API process."""
    container: AsyncContainer = app.state.dishka_container
    broker = await start_messaging(container)
    stop = asyncio.Event()
    jobs = asyncio.create_task(run_periodic(container, default_jobs(relay_every=0.5), stop))
    try:
        yield
    finally:
        stop.set()
        await jobs
        await broker.shutdown()


@asynccontextmanager
async def settled_heap(_app: Litestar) -> AsyncIterator[None]:
    """Once started, put every object that exists so far out of the garbage collector's reach.

    Modules, the container, routes and templates live as long as the process; scanning them in
    every full collection paused the event loop for a noticeable part of the p99 latency
    (bench/gallery.py). `gc.freeze` is the standard library's answer for servers. Only
    `artmarket serve` uses it: a process that builds many apps (the tests) would keep each
    one's frozen objects for good.
    """
    gc.collect()
    gc.freeze()
    yield


def create_app(
    settings: Settings | None = None,
    *overrides: Provider,
    drain: Drain | None = None,
    settle_heap: bool = False,
) -> Litestar:
    """The HTTP application; `uvicorn --factory artmarket.bootstrap:create_app` works too.

    With the in-process queue the app also runs the worker and the periodic jobs; with
    Redis those run as `artmarket worker` and `artmarket scheduler`.
    """
    settings = settings or load_settings()
    configure_logging(settings)
    configure_observability(settings, process="api")
    media_root = Path(settings.data_dir) / "media" / "public" if settings.content_store == "local" else None
    if media_root is not None:
        media_root.mkdir(parents=True, exist_ok=True)
    return build_app(
        settings,
        make_container(settings, *overrides, http=True),
        media_root=media_root,
        lifespan=[
            *([settled_heap] if settle_heap else []),
            *([embedded_worker] if settings.queue == "memory" else []),
        ],
        drain=drain,
    )
