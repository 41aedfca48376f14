"""`artmarket users …`: accounts (create an admin, list, suspend, reinstate), and `seed-demo`."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from artmarket.application.admin.users import ReinstateUser, SuspendUser
from artmarket.application.identity.accounts import ListUsers
from artmarket.application.identity.registration import CreateAdmin, RegisterUser
from artmarket.domain.errors import NotFound
from artmarket.domain.identity import EmailAlreadyRegistered, Role, UserStatus
from artmarket.entrypoints.cli.runtime import operator_actor, run, settings_or_exit, user_by_email

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer


app = typer.Typer(help="User accounts.", no_args_is_help=True)


def seed_demo(
    ctx: typer.Context,
    catalogue: Annotated[
        bool, typer.Option("--catalogue/--no-catalogue", help="Also list the demo artists' works.")
    ] = True,
) -> None:
    """Create a demo admin, artist and buyer once (their passwords are printed only then), and the
    demo catalogue: three artists with thirty works, an edition and a few sales. Idempotent."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        register = await container.get(RegisterUser)
        create_admin = await container.get(CreateAdmin)
        accounts: list[tuple[str, str, Callable[[str, str], Awaitable[object]]]] = [
            ("admin@artmarket.local", "admin", lambda e, p: create_admin(email=e, password=p)),
            (
                "artist@artmarket.local",
                "artist",
                lambda e, p: register(
                    email=e, password=p, display_name="Demo Artist", role=Role.ARTIST, client_address=None
                ),
            ),
            (
                "buyer@artmarket.local",
                "buyer",
                lambda e, p: register(
                    email=e, password=p, display_name="Demo Buyer", role=Role.BUYER, client_address=None
                ),
            ),
        ]
        for email, role, create in accounts:
            password = secrets.token_urlsafe(12)
            try:
                await create(email, password)
                typer.echo(f"created {role:<6} {email}  password: {password}")
            except EmailAlreadyRegistered:
                typer.echo(f"exists  {role:<6} {email}  (password shown when it was created)")
        if catalogue:
            await _seed_catalogue(
                container, sell=settings.payments == "sandbox" and settings.ledger == "simulated"
            )

    run(ctx, settings, work)


async def _seed_catalogue(container: AsyncContainer, *, sell: bool) -> None:
    # Imported here: Pillow and the sandbox gateway load only for the command that draws and pays.
    from artmarket.entrypoints.cli.demo_catalogue import seed_catalogue

    seeded = await seed_catalogue(container, typer.echo, sell=sell)
    if not seeded.listed:
        typer.echo(f"exists  demo catalogue ({seeded.catalogue} works)")
        return
    typer.echo(f"listed  {seeded.listed} of the demo catalogue's {seeded.catalogue} works")
    if seeded.sales:
        typer.echo(
            f"sold    {seeded.sales} through the sandbox checkout; `artmarket serve` mints their certificates"
        )


@app.command("create-admin")
def create_admin(
    ctx: typer.Context,
    email: str,
    password_file: Annotated[
        Path | None, typer.Option(help="Read the password from this file instead of a prompt.")
    ] = None,
    display_name: Annotated[str, typer.Option(help="Name shown to others.")] = "Administrator",
) -> None:
    """Create an administrator (the only way to get one)."""
    settings = settings_or_exit()
    if password_file is not None:
        password = password_file.read_text().strip()
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)

    async def work(container: AsyncContainer) -> None:
        user = await (await container.get(CreateAdmin))(
            email=email, password=password, display_name=display_name
        )
        typer.echo(f"admin created: {user.email} ({user.id})")

    run(ctx, settings, work)


@app.command("list")
def list_users(
    ctx: typer.Context,
    role: Annotated[Role | None, typer.Option(help="Only users with this role.")] = None,
    status: Annotated[UserStatus | None, typer.Option(help="Only users with this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
) -> None:
    """List users, newest first."""
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        found = await (await container.get(ListUsers))(role=role, status=status, limit=limit)
        typer.echo(f"{'id':<36}  {'email':<32}  {'roles':<18}  {'status':<9}  created")
        for user in found:
            roles = ",".join(sorted(user.roles))
            typer.echo(
                f"{user.id!s:<36}  {user.email!s:<32}  {roles:<18}  {user.status.value:<9}  "
                f"{user.created_at:%Y-%m-%d %H:%M}"
            )

    run(ctx, settings, work)


def _moderate(ctx: typer.Context, user: str, operator: str, reason: str, suspend: bool) -> None:
    settings = settings_or_exit()

    async def work(container: AsyncContainer) -> None:
        actor = await operator_actor(container, operator)
        user_id = await _user_id(container, user)
        if suspend:
            changed = await (await container.get(SuspendUser))(actor, user_id, reason=reason)
        else:
            changed = await (await container.get(ReinstateUser))(actor, user_id, reason=reason)
        typer.echo(f"{changed.email} is {changed.status.value} ({changed.status_reason})")

    run(ctx, settings, work)


@app.command("suspend")
def users_suspend(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="The user's id or email.")],
    operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
    reason: Annotated[str, typer.Option(help="Why; recorded on the audit log.")],
) -> None:
    """Suspend an account: no sign-in; an artist's works are hidden and cannot be ordered."""
    _moderate(ctx, user, operator, reason, True)


@app.command("reinstate")
def users_reinstate(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="The user's id or email.")],
    operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
    reason: Annotated[str, typer.Option(help="Why; recorded on the audit log.")],
) -> None:
    """Lift a suspension."""
    _moderate(ctx, user, operator, reason, False)


async def _user_id(container: AsyncContainer, user: str) -> UUID:
    """A user named by id or by email."""
    try:
        return UUID(user)
    except ValueError:
        pass
    found = await user_by_email(container, user)
    if found is None:
        raise NotFound(f"No user {user}.")
    return found.id
