"""`artmarket audit …`: the audit log of admin actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from artmarket.application.admin.audit_log import ReadAuditLog
from artmarket.application.audit import AuditFilter
from artmarket.entrypoints.cli.runtime import run, settings_or_exit

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer


app = typer.Typer(help="The audit log of admin actions.", no_args_is_help=True)


@app.command("tail")
def audit_tail(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many of the latest entries.")] = 20,
    action: Annotated[str | None, typer.Option(help="Only this action, e.g. user.suspend.")] = None,
) -> None:
    """The latest audit entries, oldest of them first."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        page = await (await container.get(ReadAuditLog))(AuditFilter(action=action), cursor=None, limit=limit)
        for e in reversed(page.items):
            typer.echo(
                f"{e.at.isoformat()}  {e.actor_email}  {e.action}  {e.target_type}:{e.target_id}  "
                f"via {e.channel.value} {e.request_id or ''}  {e.reason or ''}"
            )

    run(ctx, settings, work)
