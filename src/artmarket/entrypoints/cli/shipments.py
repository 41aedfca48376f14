"""`artmarket shipments …`: shipments of physical works, stuck ones and problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from artmarket.application.admin.orders import ListOrders
from artmarket.application.admin.ports import OrderFilter
from artmarket.application.shipping.use_cases import ConfirmDeliveryForBuyer, ResolveDeliveryProblem
from artmarket.domain.shipments import ShipmentStatus
from artmarket.entrypoints.cli.runtime import operator_actor, run, settings_or_exit

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer


app = typer.Typer(
    help="Shipments of physical works: list stuck ones and problems, resolve.", no_args_is_help=True
)


@app.command("list")
def shipments_list(
    ctx: typer.Context,
    status: Annotated[
        ShipmentStatus | None, typer.Option(help="Only shipments in this status, e.g. delivery_problem.")
    ] = None,
    awaiting_days: Annotated[
        int | None, typer.Option(min=0, help="Only those awaiting shipment for more than this many days.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 50,
) -> None:
    """Orders of physical works by shipment status, newest first (never the address)."""
    settings = settings_or_exit()
    if status is None and awaiting_days is None:
        status = ShipmentStatus.AWAITING_SHIPMENT
    where = OrderFilter(shipment_status=status, awaiting_shipment_days=awaiting_days)

    async def work(container: AsyncContainer) -> None:
        page = await (await container.get(ListOrders))(where, cursor=None, limit=limit)
        typer.echo(
            f"{'order':<36}  {'shipment':<17}  {'to':<2}  {'waiting since':<16}  {'artwork':<30}  buyer"
        )
        for row in page.items:
            since = row.awaiting_shipment_since
            typer.echo(
                f"{row.id!s:<36}  {row.shipment_status or '-':<17}  {row.destination_country or '-':<2}  "
                f"{f'{since:%Y-%m-%d %H:%M}' if since else '-':<16}  {row.artwork_title[:30]:<30}  "
                f"{row.buyer_email}"
            )
        if page.next_cursor:
            typer.echo(f"(more than {limit}; narrow the filter)")

    run(ctx, settings, work)


@app.command("resolve")
def shipments_resolve(
    ctx: typer.Context,
    order_id: UUID,
    operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
    reason: Annotated[str, typer.Option(help="How it was settled; recorded and shown to buyer and artist.")],
) -> None:
    """Close a delivery problem with a reason (delivery_problem → resolved)."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        actor = await operator_actor(container, operator)
        view = await (await container.get(ResolveDeliveryProblem))(actor, order_id, reason=reason)
        typer.echo(f"order {order_id}: shipment {view.shipment.status.value if view.shipment else '-'}")

    run(ctx, settings, work)


@app.command("confirm-delivery")
def shipments_confirm_delivery(
    ctx: typer.Context,
    order_id: UUID,
    operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
    reason: Annotated[str, typer.Option(help="How we know it arrived; recorded on the audit log.")],
) -> None:
    """Record that a shipped work arrived, for the buyer (shipped or delivery_problem → delivered)."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        actor = await operator_actor(container, operator)
        view = await (await container.get(ConfirmDeliveryForBuyer))(actor, order_id, reason=reason)
        typer.echo(f"order {order_id}: shipment {view.shipment.status.value if view.shipment else '-'}")

    run(ctx, settings, work)
