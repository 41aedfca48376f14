"""The long-running processes: `artmarket serve`, `worker` and `scheduler`."""

from __future__ import annotations

from typing import Annotated

import msgspec
import typer

from artmarket.entrypoints.cli.runtime import settings_or_exit, wiring
from artmarket.settings import Settings


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Interface to bind (ARTMARKET_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind (ARTMARKET_PORT).")] = None,
) -> None:
    """Serve the API in the foreground until SIGTERM or Ctrl-C."""
    settings = settings_or_exit()
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    wiring(ctx).serve(settings if not overrides else _replace(settings, **overrides))


def worker(ctx: typer.Context) -> None:
    """Run queued tasks (Redis queue) until SIGTERM; tasks in hand are finished first."""
    wiring(ctx).worker(settings_or_exit())


def scheduler(ctx: typer.Context) -> None:
    """Relay the outbox, expire reservations and re-verify payments until SIGTERM (run one)."""
    wiring(ctx).scheduler(settings_or_exit())


def _replace(settings: Settings, **changes: object) -> Settings:
    return msgspec.structs.replace(settings, **changes)
