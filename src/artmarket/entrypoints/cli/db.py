"""`artmarket db …`: the database schema."""

from __future__ import annotations

import typer

from artmarket.entrypoints.cli.runtime import settings_or_exit, wiring

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply every pending migration."""
    settings = settings_or_exit()
    wiring(ctx).upgrade_database(settings)
    typer.echo("database is up to date")
