"""`artmarket backup …`: create, verify and restore one archive of the database and local content."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from artmarket.adapters.backup.archive import (
    BackupError,
    BackupPlan,
    Manifest,
    create_backup,
    prune_backups,
    restore_backup,
    verify_backup,
)
from artmarket.entrypoints.cli.runtime import settings_or_exit, wiring
from artmarket.settings import Settings

app = typer.Typer(
    help="Backups: the database and local content in one verified archive.", no_args_is_help=True
)


def _plan(ctx: typer.Context, settings: Settings, database_url: str | None = None) -> BackupPlan:
    backup_plan = wiring(ctx).backup_plan
    if backup_plan is None:
        raise typer.Exit(code=2)
    chosen = backup_plan(settings)
    return chosen if database_url is None else dataclasses.replace(chosen, database_url=database_url)


def _backup_failed(error: BackupError) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(code=1)


@app.command("create")
def backup_create(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option(help="Directory for the archive (ARTMARKET_BACKUP_DIR).")
    ] = None,
    keep: Annotated[
        int | None,
        typer.Option(min=1, help="Then delete all but this many newest archives in the directory."),
    ] = None,
) -> None:
    """Dump the database (pg_dump custom format) and archive local content, with checksums."""
    settings = settings_or_exit()
    directory = output or settings.resolved_backup_dir
    try:
        archive = create_backup(_plan(ctx, settings), directory)
        manifest = verify_backup(archive, pg_bin_dir=_plan(ctx, settings).pg_bin_dir)
    except BackupError as error:
        raise _backup_failed(error) from None
    typer.echo(str(archive))
    typer.echo(_manifest_summary(manifest))
    if keep is not None:
        for old in prune_backups(directory, keep=keep):
            typer.echo(f"deleted {old.name} (keeping the {keep} newest)")


@app.command("verify")
def backup_verify(
    ctx: typer.Context, archive: Annotated[Path, typer.Argument(help="The archive to check.")]
) -> None:
    """Check every file of an archive against its manifest's checksums (and the dump with pg_restore)."""
    settings = settings_or_exit()
    try:
        manifest = verify_backup(archive, pg_bin_dir=_plan(ctx, settings).pg_bin_dir)
    except BackupError as error:
        raise _backup_failed(error) from None
    typer.echo(f"{archive}: ok")
    typer.echo(_manifest_summary(manifest))


@app.command("restore")
def backup_restore(
    ctx: typer.Context,
    archive: Annotated[Path, typer.Argument(help="The archive to restore.")],
    database_url: Annotated[
        str | None, typer.Option(help="Restore into this database instead of ARTMARKET_DATABASE_URL.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite a database that is not empty.")] = False,
) -> None:
    """Verify an archive, then restore its database (into an empty one) and its content."""
    settings = settings_or_exit()
    try:
        manifest = restore_backup(archive, _plan(ctx, settings, database_url), force=force)
    except BackupError as error:
        raise _backup_failed(error) from None
    typer.echo(f"restored {archive.name}")
    typer.echo(_manifest_summary(manifest))
    typer.echo("next: `artmarket db upgrade` (if this release is newer than the backup), then start the app")


def _manifest_summary(manifest: Manifest) -> str:
    lines = [
        f"created {manifest.created_at}; {manifest.database} at schema {manifest.schema_revision or '?'}; "
        f"{len(manifest.files)} files, {manifest.size:,} bytes",
    ]
    if manifest.content:
        lines.append("content: " + ", ".join(manifest.content))
    lines += [f"not in this archive: {item}" for item in manifest.not_included]
    return "\n".join(lines)
