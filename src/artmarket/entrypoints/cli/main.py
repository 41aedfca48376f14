"""The `artmarket` Typer app: the command groups, one module each, assembled.

Commands find the composition root's wiring on the Typer context (`ctx.obj`, a `CliRuntime`);
nothing here imports it, so `--help` and usage errors answer at once (ADR 0022).
"""

from __future__ import annotations

from collections.abc import Callable

import typer

from artmarket.entrypoints.cli import (
    audit,
    backup,
    db,
    doctor,
    kyc,
    ledger,
    mint,
    orders,
    outbox,
    processes,
    proofs,
    shipments,
    users,
)
from artmarket.entrypoints.cli.runtime import CliRuntime, CliWiring


def build_cli(load_wiring: Callable[[], CliWiring]) -> typer.Typer:
    """The `artmarket` app. `load_wiring` is called once, by the first command that needs the
    composition root: `--help`, usage errors and bad settings answer without importing it."""
    app = typer.Typer(
        help="artmarket: the marketplace's operator tool.",
        no_args_is_help=True,
        context_settings={"obj": CliRuntime(load_wiring)},
    )
    app.command()(processes.serve)
    app.command("worker")(processes.worker)
    app.command("scheduler")(processes.scheduler)
    app.command("doctor")(doctor.doctor)
    app.command("seed-demo")(users.seed_demo)
    app.command("verify-proof")(proofs.verify_proof)
    app.add_typer(db.app, name="db")
    app.add_typer(users.app, name="users")
    app.add_typer(kyc.app, name="kyc")
    app.add_typer(outbox.app, name="outbox")
    app.add_typer(ledger.app, name="ledger")
    app.add_typer(mint.app, name="mint")
    app.add_typer(orders.app, name="orders")
    app.add_typer(audit.app, name="audit")
    app.add_typer(shipments.app, name="shipments")
    app.add_typer(backup.app, name="backup")
    return app
