"""`artmarket ledger …`: the certificate ledger, its collection, provenance topic and tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from artmarket.application.minting.ledger_admin import CreateCollection, GetLedgerStatus
from artmarket.application.minting.ledger_task_admin import (
    CreateProvenanceTopic,
    ListLedgerTasks,
    RetryLedgerTasks,
)
from artmarket.domain.ledger_tasks import LedgerTask, TaskStatus
from artmarket.entrypoints.cli.runtime import exit_unless_one_target, operator_actor, run, settings_or_exit

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer


app = typer.Typer(help="The certificate ledger (Hedera or simulated).", no_args_is_help=True)


@app.command("create-collection")
def ledger_create_collection(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="Token name.")] = "artmarket certificates of authenticity",
    symbol: Annotated[str, typer.Option(help="Token symbol.")] = "ACOA",
    max_supply: Annotated[int, typer.Option(min=1, help="Most certificates ever.")] = 1_000_000,
) -> None:
    """Create the NFT collection certificates are minted into; prints the token id for settings."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        token_id = await (await container.get(CreateCollection))(
            name=name, symbol=symbol, max_supply=max_supply
        )
        typer.echo(f"collection created: {token_id}")
        typer.echo(f"set ARTMARKET_HEDERA_TOKEN_ID={token_id}")

    run(ctx, settings, work)


@app.command("status")
def ledger_status(ctx: typer.Context) -> None:
    """The ledger in use, the collection and provenance topic, mint jobs and ledger tasks by status."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        status = await (await container.get(GetLedgerStatus))()
        typer.echo(f"network:    {status.network}")
        typer.echo(f"collection: {status.token_id or '(none: set ARTMARKET_HEDERA_TOKEN_ID)'}")
        typer.echo(f"topic:      {status.topic_id or '(none: set ARTMARKET_HEDERA_TOPIC_ID)'}")
        typer.echo("mint jobs:  " + ", ".join(f"{s.value} {n}" for s, n in status.jobs.items()))
        typer.echo("ledger tasks: " + ", ".join(f"{s.value} {n}" for s, n in status.tasks.items()))

    run(ctx, settings, work)


@app.command("create-topic")
def ledger_create_topic(
    ctx: typer.Context,
    force: Annotated[
        bool, typer.Option("--force", help="Create another even though one is configured (splits the trail).")
    ] = False,
) -> None:
    """Create the provenance topic certificate events are recorded on; prints its id for settings."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        topic_id = await (await container.get(CreateProvenanceTopic))(force=force)
        typer.echo(f"topic created: {topic_id}")
        typer.echo(f"set ARTMARKET_HEDERA_TOPIC_ID={topic_id}")

    run(ctx, settings, work)


def _show_tasks(tasks: list[LedgerTask]) -> None:
    typer.echo(f"{'id':<36}  {'certificate':<36}  {'kind':<14}  {'status':<9}  {'tries':>5}  last error")
    for task in tasks:
        typer.echo(
            f"{task.id!s:<36}  {task.certificate_id!s:<36}  {task.kind.value:<14}  {task.status.value:<9}  "
            f"{task.attempts:>5}  {task.last_error or ''}"
        )


@app.command("tasks")
def ledger_tasks(
    ctx: typer.Context,
    status: Annotated[TaskStatus, typer.Option(help="Tasks with this status.")] = TaskStatus.FAILED,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
) -> None:
    """Certificate ledger tasks (burns, trail messages, custody moves) of one status, oldest first."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        _show_tasks(list(await (await container.get(ListLedgerTasks))(status=status, limit=limit)))

    run(ctx, settings, work)


@app.command("retry")
def ledger_retry(
    ctx: typer.Context,
    operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
    task_id: Annotated[UUID | None, typer.Argument(help="The failed task to queue again.")] = None,
    all_failed: Annotated[bool, typer.Option("--all-failed", help="Queue every failed task again.")] = False,
) -> None:
    """Queue a failed ledger task again (or every failed one); the worker submits it."""
    exit_unless_one_target(task_id, all_failed, "give a TASK id or --all-failed (not both)")
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        actor = await operator_actor(container, operator)
        tasks = list(await (await container.get(RetryLedgerTasks))(actor, task_id))
        typer.echo(f"queued again: {len(tasks)}")
        _show_tasks(tasks)

    run(ctx, settings, work)
