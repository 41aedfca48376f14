"""What the `artmarket` commands run, handed to the CLI entrypoint."""

from __future__ import annotations

from artmarket.bootstrap.backup import backup_plan
from artmarket.bootstrap.container import make_container
from artmarket.bootstrap.diagnostics import doctor_checks
from artmarket.bootstrap.processes import scheduler, serve, upgrade_database, worker
from artmarket.entrypoints.cli.runtime import CliWiring


def cli_wiring() -> CliWiring:
    """What the `artmarket` commands run; `artmarket.__main__` loads it for the first that needs it."""
    return CliWiring(
        make_container=make_container,
        upgrade_database=upgrade_database,
        serve=serve,
        worker=worker,
        scheduler=scheduler,
        doctor_checks=doctor_checks,
        backup_plan=backup_plan,
    )
