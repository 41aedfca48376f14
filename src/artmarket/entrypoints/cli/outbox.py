"""`artmarket outbox …`: what the system sends out, and sending a failed entry again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from artmarket.application.notifications.outbox import Channel, ListOutbox, OutboxEntry, RetryOutbox
from artmarket.entrypoints.cli.runtime import exit_unless_one_target, operator_actor, run, settings_or_exit

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer


#: What `--channel` may say, as the use case's channel (none: both).
_CHANNELS: dict[str | None, Channel | None] = {None: None, "email": "email", "event": "event"}

app = typer.Typer(
    help="What the system sends out: emails and the events relayed to workers.", no_args_is_help=True
)


@app.command("list")
def outbox_list(
    ctx: typer.Context,
    failed: Annotated[bool, typer.Option("--failed", help="Only what waits for an operator.")] = False,
    channel: Annotated[
        str | None, typer.Option(help="`email` or `event` (the relay's messages); default both.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """Emails and relayed events, newest first, with attempts and the last error."""
    settings = settings_or_exit()
    if channel not in _CHANNELS:
        typer.echo("error: --channel is `email` or `event`", err=True)
        raise typer.Exit(code=2)

    async def work(container: AsyncContainer) -> None:
        entries = await (await container.get(ListOutbox))(
            status="failed" if failed else None,
            channel=_CHANNELS[channel],
            limit=limit,
        )
        typer.echo(f"{'id':<36}  {'channel':<7}  {'name':<30}  {'status':<9}  {'tries':>5}  detail")
        for entry in entries:
            typer.echo(_outbox_line(entry))

    run(ctx, settings, work)


@app.command("retry")
def outbox_retry(
    ctx: typer.Context,
    operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
    entry_id: Annotated[UUID | None, typer.Argument(help="The id `outbox list` shows.")] = None,
    all_failed: Annotated[bool, typer.Option("--all-failed", help="Every failed email and event.")] = False,
) -> None:
    """Send a failed email or event again (an id, or --all-failed)."""
    settings = settings_or_exit()
    exit_unless_one_target(entry_id, all_failed, "give one id or --all-failed")

    async def work(container: AsyncContainer) -> None:
        actor = await operator_actor(container, operator)
        retry = await container.get(RetryOutbox)
        if entry_id is None:
            typer.echo(f"{await retry.all_failed(actor)} failed entries will be sent again")
            return
        entry = await retry(actor, entry_id)
        typer.echo(f"{entry.channel} {entry.id} ({entry.name}) will be sent again")

    run(ctx, settings, work)


def _outbox_line(entry: OutboxEntry) -> str:
    detail = entry.recipient or ""
    if entry.last_error:
        detail = f"{detail} last error: {entry.last_error}".strip()
    return (
        f"{entry.id!s:<36}  {entry.channel:<7}  {entry.name:<30}  {entry.status:<9}  "
        f"{entry.attempts:>5}  {detail}"
    )
