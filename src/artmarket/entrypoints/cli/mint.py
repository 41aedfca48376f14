"""`artmarket mint …`: mint jobs: list, retry, reconcile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from artmarket.application.minting.jobs import ListMintJobs, RetryFailedMintJobs, RetryMintJob
from artmarket.application.minting.ledger_tasks import ReconcileLedgerTasks
from artmarket.application.minting.reconciliation import ReconcileSubmittedJobs
from artmarket.domain.certificates import MintJob, MintJobStatus
from artmarket.entrypoints.cli.runtime import exit_unless_one_target, operator_actor, run, settings_or_exit

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer


app = typer.Typer(help="Mint jobs: list, retry, reconcile.", no_args_is_help=True)


def _show_jobs(jobs: list[MintJob]) -> None:
    typer.echo(f"{'id':<36}  {'order':<36}  {'status':<9}  {'tries':>5}  {'transaction':<32}  last error")
    for job in jobs:
        typer.echo(
            f"{job.id!s:<36}  {job.order_id!s:<36}  {job.status.value:<9}  {job.attempts:>5}  "
            f"{job.transaction_id or '-':<32}  {job.last_error or ''}"
        )


@app.command("list")
def mint_list(
    ctx: typer.Context,
    status: Annotated[MintJobStatus | None, typer.Option(help="Only jobs with this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
) -> None:
    """Mint jobs, newest first, with attempts and last error."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        _show_jobs(list(await (await container.get(ListMintJobs))(status=status, limit=limit)))

    run(ctx, settings, work)


@app.command("retry")
def mint_retry(
    ctx: typer.Context,
    operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
    job_id: Annotated[UUID | None, typer.Argument(help="The failed job to queue again.")] = None,
    all_failed: Annotated[bool, typer.Option("--all-failed", help="Queue every failed job again.")] = False,
) -> None:
    """Queue a failed mint job again (or every failed one); the worker mints it."""
    exit_unless_one_target(job_id, all_failed, "give a JOB id or --all-failed (not both)")
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        actor = await operator_actor(container, operator)
        if job_id is not None:
            jobs = [await (await container.get(RetryMintJob))(actor, job_id)]
        else:
            jobs = list(await (await container.get(RetryFailedMintJobs))(actor))
        typer.echo(f"queued again: {len(jobs)}")
        _show_jobs(jobs)

    run(ctx, settings, work)


@app.command("reconcile")
def mint_reconcile(ctx: typer.Context) -> None:
    """Ask the ledger about every submitted transaction now (mints and certificate ledger tasks:
    burns, trail messages, custody moves), and settle what it answers."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        outcome = await (await container.get(ReconcileSubmittedJobs))(force=True)
        if outcome.busy:
            typer.echo("another minter is working; try again in a moment", err=True)
            raise typer.Exit(code=1)
        typer.echo(
            f"certificates issued: {outcome.issued}; transactions still unknown: {outcome.unknown}, "
            f"queued again: {outcome.requeued}, failed: {outcome.failed}"
        )
        tasks = await (await container.get(ReconcileLedgerTasks))(force=True)
        if tasks.busy:
            typer.echo("another worker is submitting ledger tasks; try again in a moment", err=True)
            raise typer.Exit(code=1)
        typer.echo(
            f"ledger tasks succeeded: {tasks.succeeded}; still unknown: {tasks.unknown}, "
            f"queued again: {tasks.requeued}, failed: {tasks.failed}"
        )

    run(ctx, settings, work)
