"""`artmarket ledger …`: the certificate ledger and its collection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from artmarket.application.minting.ledger_admin import CreateCollection, GetLedgerStatus
from artmarket.entrypoints.cli.runtime import run, settings_or_exit

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
    """The ledger in use, the collection minted into and mint jobs by status."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        status = await (await container.get(GetLedgerStatus))()
        typer.echo(f"network:    {status.network}")
        typer.echo(f"collection: {status.token_id or '(none: set ARTMARKET_HEDERA_TOKEN_ID)'}")
        typer.echo("mint jobs:  " + ", ".join(f"{s.value} {n}" for s, n in status.jobs.items()))

    run(ctx, settings, work)
