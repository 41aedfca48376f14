"""What every command group shares: the wiring the composition root hands the CLI, carried
on the Typer context (`ctx.obj`), and how a command runs its use case in a fresh container.

dishka's click integration does not work with Typer >= 0.26 (it vendors click), so each
command runs `asyncio.run` and asks the container explicitly (probed on the pinned versions).
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypeVar

import typer

from artmarket.adapters.backup.archive import BackupPlan
from artmarket.application.admin.users import BrowseUsers, UserFilter
from artmarket.application.audit import Actor
from artmarket.application.identity.accounts import IdentifyOperator
from artmarket.application.ports import DependencyCheck
from artmarket.domain.audit import AuditChannel
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import User
from artmarket.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    # dishka is imported by the composition root, when a command needs a container;
    # the doctor module, which holds `Skipped`, imports this one.
    from dishka import AsyncContainer

    from artmarket.entrypoints.cli.doctor import Skipped

T = TypeVar("T")
DoctorChecks: TypeAlias = "Callable[[Settings, AsyncContainer], Awaitable[list[DependencyCheck | Skipped]]]"


@dataclass(frozen=True)
class CliWiring:
    """What the composition root hands the CLI: how to build a container, run migrations, serve."""

    make_container: Callable[[Settings], AsyncContainer]
    upgrade_database: Callable[[Settings], None]
    serve: Callable[[Settings], None]
    worker: Callable[[Settings], None]
    scheduler: Callable[[Settings], None]
    #: The checks `artmarket doctor` runs for these settings, built from the container's adapters.
    doctor_checks: DoctorChecks | None = None
    #: What `artmarket backup` archives for these settings (database, local content directories).
    backup_plan: Callable[[Settings], BackupPlan] | None = None


class CliRuntime:
    """The `ctx.obj` of every command: the wiring, loaded once by the first command that needs it."""

    def __init__(self, load_wiring: Callable[[], CliWiring]) -> None:
        self._load_wiring = functools.cache(load_wiring)

    @property
    def wiring(self) -> CliWiring:
        return self._load_wiring()


def wiring(ctx: typer.Context) -> CliWiring:
    """The composition root's wiring, from the context `build_cli` set up."""
    runtime = ctx.find_object(CliRuntime)
    if runtime is None:  # a command invoked outside `build_cli`'s app: a programming error
        raise RuntimeError("artmarket commands run inside the app build_cli returns")
    return runtime.wiring


def settings_or_exit() -> Settings:
    """Valid settings, or every problem on stderr and exit code 2 (no traceback)."""
    try:
        return load_settings()
    except SettingsError as error:
        typer.echo("artmarket cannot start; fix these settings:", err=True)
        for problem in error.problems:
            typer.echo(f"  - {problem}", err=True)
        raise typer.Exit(code=2) from None


def exit_unless_one_target(target: object | None, all_failed: bool, usage: str) -> None:
    """A retry names one id or passes `--all-failed`, not both nor neither: else `error: usage`, exit 2."""
    if (target is None) == (not all_failed):
        typer.echo(f"error: {usage}", err=True)
        raise typer.Exit(code=2)


def run(ctx: typer.Context, settings: Settings, work: Callable[[AsyncContainer], Awaitable[T]]) -> T:
    """`work` in a request scope of a fresh container; a domain refusal is `error: …` and exit 1."""

    async def main() -> T:
        container = wiring(ctx).make_container(settings)
        try:
            async with container() as request:
                return await work(request)
        finally:
            await container.close()

    try:
        return asyncio.run(main())
    except DomainError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(code=1) from None


async def operator_actor(container: AsyncContainer, email: str) -> Actor:
    """The admin named by `--operator`, as the audit log records a CLI action."""
    user = await (await container.get(IdentifyOperator))(email)
    return Actor(user.id, str(user.email), AuditChannel.CLI, f"cli-{uuid.uuid4().hex}")


async def user_by_email(container: AsyncContainer, email: str) -> User | None:
    """The account with this email, whatever its role, or None."""
    wanted = email.strip().lower()
    page = await (await container.get(BrowseUsers))(UserFilter(q=wanted), cursor=None, limit=100)
    return next((user for user in page.items if str(user.email) == wanted), None)
