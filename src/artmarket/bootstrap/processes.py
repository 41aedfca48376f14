"""The long-running processes: `artmarket serve`, `worker` and `scheduler`, and the migrations before them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import uvicorn
from dishka import AsyncContainer
from litestar import Litestar
from taskiq import AsyncBroker

from artmarket.adapters.observability.metrics import PoolCollector, serve_metrics
from artmarket.bootstrap.app import create_app
from artmarket.bootstrap.container import make_container
from artmarket.bootstrap.telemetry import configure_logging, configure_observability
from artmarket.entrypoints.http.lifecycle import Drain, DrainingServer
from artmarket.entrypoints.worker.periodic_jobs import run_scheduler
from artmarket.entrypoints.worker.run_loop import run_worker
from artmarket.entrypoints.worker.tasks import register_tasks
from artmarket.settings import Settings


async def serve_process_metrics(settings: Settings, container: AsyncContainer) -> None:
    """Worker and scheduler: their counters and pool on `host:metrics_port/metrics`, when a port is set."""
    if settings.metrics_port is not None:
        serve_metrics(settings.host, settings.metrics_port, await container.get(PoolCollector))


def upgrade_database(settings: Settings) -> None:
    """Bring the schema to its newest revision (for SQLite, make the data directory first)."""
    from artmarket.adapters.persistence import migrate

    if settings.resolved_database_url.startswith("sqlite"):
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.resolved_database_url)


def uvicorn_config(app: Litestar, settings: Settings) -> uvicorn.Config:
    """How `artmarket serve` runs uvicorn.

    `proxy_headers=False`: uvicorn would otherwise rewrite the client address from
    X-Forwarded-For for any request from 127.0.0.1 (its default `forwarded_allow_ips`), and a
    client on the same host, or any client behind a proxy that passes the header through,
    could pick its own address. Forwarded headers are read only by `ClientAddresses`, from
    `ARTMARKET_TRUSTED_PROXIES`.
    """
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=False,
        timeout_graceful_shutdown=round(settings.shutdown_grace_seconds),
    )


def serve(settings: Settings) -> None:
    """Run uvicorn in the foreground until SIGTERM, then shut down gracefully (`DrainingServer`):
    readiness fails for `shutdown_delay_seconds`, the listener closes, requests in flight get
    `shutdown_grace_seconds`, and the app's shutdown closes the pools."""
    configure_logging(settings)
    drain = Drain()
    app = create_app(settings, drain=drain, settle_heap=True)
    DrainingServer(uvicorn_config(app, settings), drain, delay=settings.shutdown_delay_seconds).run()


def worker(settings: Settings) -> None:
    """`artmarket worker`: run outbox messages' tasks from Redis until SIGTERM."""

    async def work(container: AsyncContainer) -> None:
        broker = await container.get(AsyncBroker)
        register_tasks(broker, container)
        await run_worker(
            broker, concurrency=settings.worker_concurrency, grace=settings.shutdown_grace_seconds
        )

    _run_background_process(settings, "worker", work)


def scheduler(settings: Settings) -> None:
    """`artmarket scheduler`: relay the outbox and run the periodic jobs until SIGTERM."""

    async def schedule(container: AsyncContainer) -> None:
        await run_scheduler(container, await container.get(AsyncBroker))

    _run_background_process(settings, "scheduler", schedule)


def _run_background_process(
    settings: Settings, process: str, run: Callable[[AsyncContainer], Awaitable[None]]
) -> None:
    """Worker and scheduler: logging and telemetry named for `process`, then `run` on a fresh
    container with the process's metrics served, the container closed however `run` ends."""
    configure_logging(settings)
    configure_observability(settings, process=process)

    async def main() -> None:
        container = make_container(settings)
        try:
            await serve_process_metrics(settings, container)
            await run(container)
        finally:
            await container.close()

    asyncio.run(main())
