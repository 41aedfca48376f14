"""`artmarket orders …`: the orders table, one order in full, and refunds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from artmarket.application.admin.export import orders_csv
from artmarket.application.admin.orders import ExportOrders, GetOrderForAdmin, ListOrders
from artmarket.application.admin.ports import OrderFilter
from artmarket.application.admin.refunds import RefundOrder
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.entrypoints.cli.runtime import operator_actor, run, settings_or_exit

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer


app = typer.Typer(help="Orders: list, inspect, refund.", no_args_is_help=True)


@app.command("list")
def orders_list(
    ctx: typer.Context,
    status: Annotated[OrderStatus | None, typer.Option(help="Only orders with this status.")] = None,
    q: Annotated[str | None, typer.Option(help="Reference, buyer email or artwork title contains.")] = None,
    currency: Annotated[str | None, typer.Option(help="ISO 4217 code.")] = None,
    created_from: Annotated[
        datetime | None, typer.Option("--from", help="Created at or after (UTC if no zone).")
    ] = None,
    created_to: Annotated[
        datetime | None, typer.Option("--to", help="Created before (UTC if no zone).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 50,
    csv: Annotated[bool, typer.Option("--csv", help="Every matching order as CSV on stdout.")] = False,
) -> None:
    """The orders table, newest first (the admin console's filters)."""
    settings = settings_or_exit()
    where = OrderFilter(status, currency, _utc(created_from), _utc(created_to), q)

    async def work(container: AsyncContainer) -> None:
        if csv:
            typer.echo(orders_csv(await (await container.get(ExportOrders))(where)), nl=False)
            return
        page = await (await container.get(ListOrders))(where, cursor=None, limit=limit)
        typer.echo(f"{'id':<36}  {'reference':<35}  {'status':<16}  {'amount':>14}  {'buyer':<28}  created")
        for row in page.items:
            typer.echo(
                f"{row.id!s:<36}  {row.reference:<35}  {row.status.value:<16}  {row.amount!s:>14}  "
                f"{row.buyer_email:<28}  {row.created_at:%Y-%m-%d %H:%M}"
            )
        if page.next_cursor:
            typer.echo(f"(more than {limit}; narrow the filter or use --csv)")

    run(ctx, settings, work)


@app.command("show")
def orders_show(ctx: typer.Context, order_id: UUID) -> None:
    """One order: status history, payment, refund and every payment event."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        view = await (await container.get(GetOrderForAdmin))(order_id)
        order = view.order
        typer.echo(f"order      {order.id}")
        typer.echo(f"reference  {order.reference}")
        typer.echo(f"status     {order.status.value}")
        split = order.split
        typer.echo(f"amount     {order.amount} (artist {split.artist_share}, fee {split.platform_fee})")
        typer.echo(f"buyer      {view.buyer.email if view.buyer else order.buyer_id}")
        typer.echo(f"artwork    {view.artwork.title if view.artwork else ''} ({order.artwork_id})")
        typer.echo(f"expires    {order.expires_at.isoformat()}")
        typer.echo(f"paid       {order.paid_at.isoformat() if order.paid_at else '-'}")
        refund = order.refund_status.value if order.refund_status else "-"
        typer.echo(f"refund     {refund} {order.refund_reason or ''}")
        typer.echo(f"attention  {order.attention or '-'}")
        typer.echo(f"certificate {order.certificate_id or '-'}")
        typer.echo("history:")
        for change in order.history:
            typer.echo(f"  {change.at.isoformat()}  {change.status.value}  {change.note or ''}")
        typer.echo("payment events:")
        for event in view.payment_events:
            typer.echo(f"  {event.received_at.isoformat()}  {event.event}  {event.key}")
        shipment = view.shipment
        if shipment is not None:
            # The destination country only: operators never see the address.
            country = order.delivery_address.country if order.delivery_address else "-"
            typer.echo(f"shipment   {shipment.status.value} to {country}, shipping {order.shipping_fee}")
            typer.echo(f"tracking   {shipment.carrier or '-'} {shipment.tracking_number or ''}")
            for step in shipment.history:
                typer.echo(f"  {step.at.isoformat()}  {step.status.value}  {step.note or ''}")

    run(ctx, settings, work)


@app.command("refund")
def orders_refund(
    ctx: typer.Context,
    order_id: UUID,
    operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
    reason: Annotated[str, typer.Option(help="Why; recorded on the audit log and sent to Paystack.")],
) -> None:
    """Refund a paid or completed order in full through the payment provider."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        actor = await operator_actor(container, operator)
        order = await (await container.get(RefundOrder))(actor, order_id, reason=reason)
        typer.echo(f"order {order.id} is {order.status.value} (refund {order.refund_status or '-'})")

    run(ctx, settings, work)


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
