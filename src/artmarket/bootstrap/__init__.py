"""The composition root: the only place that chooses adapters, by settings (ADR 0001).

- `adapters`: each port's adapter (database, read models, media, payments, ledger, mail, metrics).
- `use_cases`: each feature's policies and use cases.
- `http`: what the HTTP entrypoint takes from settings (client addresses, uploads, readiness).
- `messaging`: the task queue, the outbox relay and which handlers each topic runs.
- `container`: every provider in order; `make_container` adds overrides (tests swap adapters so).
- `app`: `create_app`, the HTTP application, with the embedded worker when the queue is in-process.
- `processes`: `serve`, `worker`, `scheduler`, `upgrade_database`; `telemetry`: logs, traces, errors.
- `diagnostics`: `artmarket doctor`'s checks; `backup`: what `artmarket backup` archives.
- `cli`: `cli_wiring`, which `artmarket.__main__` imports only for a command that needs it (ADR 0022).

The names below are what entry points and tests import from `artmarket.bootstrap`.
"""

from artmarket.bootstrap.adapters import SANDBOX_SECRET_KEY, sandbox_gateway
from artmarket.bootstrap.app import create_app, start_messaging
from artmarket.bootstrap.backup import backup_plan
from artmarket.bootstrap.cli import cli_wiring
from artmarket.bootstrap.container import core_providers, make_container
from artmarket.bootstrap.diagnostics import doctor_checks
from artmarket.bootstrap.processes import scheduler, serve, upgrade_database, uvicorn_config, worker

__all__ = [
    "SANDBOX_SECRET_KEY",
    "backup_plan",
    "cli_wiring",
    "core_providers",
    "create_app",
    "doctor_checks",
    "make_container",
    "sandbox_gateway",
    "scheduler",
    "serve",
    "start_messaging",
    "upgrade_database",
    "uvicorn_config",
    "worker",
]
