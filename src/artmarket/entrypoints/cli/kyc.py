"""`artmarket kyc …`: the KYC review of artists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from artmarket.application.catalog.kyc import DecideKyc, ListKycCases
from artmarket.domain.artists import KycStatus
from artmarket.entrypoints.cli.runtime import operator_actor, run, settings_or_exit

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer


app = typer.Typer(help="KYC review of artists.", no_args_is_help=True)


@app.command("list")
def kyc_list(
    ctx: typer.Context,
    status: Annotated[
        KycStatus | None, typer.Option(help="Only cases with this status.")
    ] = KycStatus.PENDING,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
) -> None:
    """The KYC review queue, oldest submission first."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        cases = await (await container.get(ListKycCases))(status=status, limit=limit)
        typer.echo(f"{'id':<36}  {'artist':<36}  {'status':<9}  {'country':<7}  submitted")
        for case in cases:
            typer.echo(
                f"{case.id!s:<36}  {case.artist_id!s:<36}  {case.status.value:<9}  {case.country:<7}  "
                f"{case.submitted_at:%Y-%m-%d %H:%M}"
            )

    run(ctx, settings, work)


def _decide(ctx: typer.Context, case_id: UUID, operator: str, approve: bool, reason: str | None) -> None:
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        reviewer = await operator_actor(container, operator)
        case = await (await container.get(DecideKyc))(reviewer, case_id, approve=approve, reason=reason)
        typer.echo(f"KYC case {case.id} is {case.status.value} ({case.reason})")

    run(ctx, settings, work)


@app.command("approve")
def kyc_approve(
    ctx: typer.Context,
    case_id: UUID,
    operator: Annotated[str, typer.Option(help="The admin's email, recorded as the reviewer.")],
    reason: Annotated[str | None, typer.Option(help="Optional note.")] = None,
) -> None:
    """Approve a pending KYC case: the artist may publish."""
    _decide(ctx, case_id, operator, True, reason)


@app.command("reject")
def kyc_reject(
    ctx: typer.Context,
    case_id: UUID,
    operator: Annotated[str, typer.Option(help="The admin's email, recorded as the reviewer.")],
    reason: Annotated[str, typer.Option(help="Why; the artist is told.")],
) -> None:
    """Reject a pending KYC case with a reason."""
    _decide(ctx, case_id, operator, False, reason)
