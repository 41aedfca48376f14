"""Typer commands. Each one resolves its use case from a fresh async dishka container.

dishka's click integration does not work with Typer >= 0.26 (it vendors click), so each
command runs `asyncio.run` and asks the container explicitly (see python-stack.md 7.3).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeAlias, TypeVar
from uuid import UUID

import msgspec
import typer

from artmarket.adapters.backup.archive import (
    BackupError,
    BackupPlan,
    Manifest,
    create_backup,
    prune_backups,
    restore_backup,
    verify_backup,
)
from artmarket.application.admin.export import orders_csv
from artmarket.application.admin.ports import OrderFilter
from artmarket.application.admin.use_cases import (
    BrowseUsers,
    ExportOrders,
    GetOrderForAdmin,
    ListOrders,
    ReadAuditLog,
    RefundOrder,
    ReinstateUser,
    SuspendUser,
    UserFilter,
)
from artmarket.application.audit import Actor, AuditFilter
from artmarket.application.catalog.use_cases import DecideKyc, ListKycCases
from artmarket.application.identity.use_cases import CreateAdmin, IdentifyOperator, ListUsers, RegisterUser
from artmarket.application.minting.use_cases import (
    CreateCollection,
    GetLedgerStatus,
    ListMintJobs,
    ReconcileSubmittedJobs,
    RetryFailedMintJobs,
    RetryMintJob,
)
from artmarket.application.notifications.use_cases import ListOutbox, OutboxEntry, RetryOutbox
from artmarket.application.ports import DependencyCheck
from artmarket.application.shipping.use_cases import ConfirmDeliveryForBuyer, ResolveDeliveryProblem
from artmarket.domain.artists import KycStatus
from artmarket.domain.audit import AuditChannel
from artmarket.domain.certificates import MintJob, MintJobStatus
from artmarket.domain.errors import DomainError, NotFound
from artmarket.domain.identity import EmailAlreadyRegistered, Role, User, UserStatus
from artmarket.domain.orders import OrderStatus
from artmarket.domain.shipments import ShipmentStatus
from artmarket.entrypoints.cli.doctor import Finding, Skipped, examine, render, settings_finding
from artmarket.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer

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


def settings_or_exit() -> Settings:
    """Valid settings, or every problem on stderr and exit code 2 (no traceback)."""
    try:
        return load_settings()
    except SettingsError as error:
        typer.echo("artmarket cannot start; fix these settings:", err=True)
        for problem in error.problems:
            typer.echo(f"  - {problem}", err=True)
        raise typer.Exit(code=2) from None


def build_cli(load_wiring: Callable[[], CliWiring]) -> typer.Typer:
    """The `artmarket` app. `load_wiring` is called once, by the first command that needs the
    composition root: `--help`, usage errors and bad settings answer without importing it."""
    wiring = functools.cache(load_wiring)
    app = typer.Typer(help="artmarket: the marketplace's operator tool.", no_args_is_help=True)
    db = typer.Typer(help="Database schema.", no_args_is_help=True)
    users = typer.Typer(help="User accounts.", no_args_is_help=True)
    kyc = typer.Typer(help="KYC review of artists.", no_args_is_help=True)
    orders = typer.Typer(help="Orders: list, inspect, refund.", no_args_is_help=True)
    audit = typer.Typer(help="The audit log of admin actions.", no_args_is_help=True)
    app.add_typer(db, name="db")
    app.add_typer(users, name="users")
    app.add_typer(kyc, name="kyc")
    outbox = typer.Typer(
        help="What the system sends out: emails and the events relayed to workers.", no_args_is_help=True
    )
    app.add_typer(outbox, name="outbox")
    ledger = typer.Typer(help="The certificate ledger (Hedera or simulated).", no_args_is_help=True)
    mint = typer.Typer(help="Mint jobs: list, retry, reconcile.", no_args_is_help=True)
    app.add_typer(ledger, name="ledger")
    app.add_typer(mint, name="mint")
    app.add_typer(orders, name="orders")
    app.add_typer(audit, name="audit")
    shipments = typer.Typer(
        help="Shipments of physical works: list stuck ones and problems, resolve.", no_args_is_help=True
    )
    app.add_typer(shipments, name="shipments")
    backup = typer.Typer(
        help="Backups: the database and local content in one verified archive.", no_args_is_help=True
    )
    app.add_typer(backup, name="backup")

    def plan(settings: Settings, database_url: str | None = None) -> BackupPlan:
        backup_plan = wiring().backup_plan
        if backup_plan is None:
            raise typer.Exit(code=2)
        chosen = backup_plan(settings)
        return chosen if database_url is None else _replace_plan(chosen, database_url=database_url)

    def backup_failed(error: BackupError) -> typer.Exit:
        typer.echo(f"error: {error}", err=True)
        return typer.Exit(code=1)

    @backup.command("create")
    def backup_create(
        output: Annotated[
            Path | None, typer.Option(help="Directory for the archive (ARTMARKET_BACKUP_DIR).")
        ] = None,
        keep: Annotated[
            int | None,
            typer.Option(min=1, help="Then delete all but this many newest archives in the directory."),
        ] = None,
    ) -> None:
        """Dump the database (pg_dump custom format) and archive local content, with checksums."""
        settings = settings_or_exit()
        directory = output or settings.resolved_backup_dir
        try:
            archive = create_backup(plan(settings), directory)
            manifest = verify_backup(archive, pg_bin_dir=plan(settings).pg_bin_dir)
        except BackupError as error:
            raise backup_failed(error) from None
        typer.echo(str(archive))
        typer.echo(_manifest_summary(manifest))
        if keep is not None:
            for old in prune_backups(directory, keep=keep):
                typer.echo(f"deleted {old.name} (keeping the {keep} newest)")

    @backup.command("verify")
    def backup_verify(archive: Annotated[Path, typer.Argument(help="The archive to check.")]) -> None:
        """Check every file of an archive against its manifest's checksums (and the dump with pg_restore)."""
        settings = settings_or_exit()
        try:
            manifest = verify_backup(archive, pg_bin_dir=plan(settings).pg_bin_dir)
        except BackupError as error:
            raise backup_failed(error) from None
        typer.echo(f"{archive}: ok")
        typer.echo(_manifest_summary(manifest))

    @backup.command("restore")
    def backup_restore(
        archive: Annotated[Path, typer.Argument(help="The archive to restore.")],
        database_url: Annotated[
            str | None, typer.Option(help="Restore into this database instead of ARTMARKET_DATABASE_URL.")
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help="Overwrite a database that is not empty.")
        ] = False,
    ) -> None:
        """Verify an archive, then restore its database (into an empty one) and its content."""
        settings = settings_or_exit()
        try:
            manifest = restore_backup(archive, plan(settings, database_url), force=force)
        except BackupError as error:
            raise backup_failed(error) from None
        typer.echo(f"restored {archive.name}")
        typer.echo(_manifest_summary(manifest))
        typer.echo(
            "next: `artmarket db upgrade` (if this release is newer than the backup), then start the app"
        )

    def run(settings: Settings, work: Callable[[AsyncContainer], Awaitable[T]]) -> T:
        async def main() -> T:
            container = wiring().make_container(settings)
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

    @app.command()
    def serve(
        host: Annotated[str | None, typer.Option(help="Interface to bind (ARTMARKET_HOST).")] = None,
        port: Annotated[int | None, typer.Option(help="Port to bind (ARTMARKET_PORT).")] = None,
    ) -> None:
        """Serve the API in the foreground until SIGTERM or Ctrl-C."""
        settings = settings_or_exit()
        overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
        wiring().serve(settings if not overrides else _replace(settings, **overrides))

    @app.command("worker")
    def worker() -> None:
        """Run queued tasks (Redis queue) until SIGTERM; tasks in hand are finished first."""
        wiring().worker(settings_or_exit())

    @app.command("scheduler")
    def scheduler() -> None:
        """Relay the outbox, expire reservations and re-verify payments until SIGTERM (run one)."""
        wiring().scheduler(settings_or_exit())

    @app.command("doctor")
    def doctor(
        timeout: Annotated[float, typer.Option(min=0.1, help="Seconds each check may take.")] = 10.0,
    ) -> None:
        """Check the settings and reach every adapter (database, Redis, Paystack, Hedera, IPFS,
        SMTP, media); print a table; exit 1 if anything fails."""
        settings = settings_or_exit()
        doctor_checks = wiring().doctor_checks
        if doctor_checks is None:
            raise typer.Exit(code=2)

        async def main() -> list[Finding]:
            container = wiring().make_container(settings)
            try:
                return await examine(await doctor_checks(settings, container), seconds_each=timeout)
            finally:
                await container.close()

        findings = [settings_finding(settings), *asyncio.run(main())]
        typer.echo(render(findings))
        if any(finding.status == "fail" for finding in findings):
            raise typer.Exit(code=1)

    @db.command("upgrade")
    def db_upgrade() -> None:
        """Apply every pending migration."""
        settings = settings_or_exit()
        wiring().upgrade_database(settings)
        typer.echo("database is up to date")

    @app.command("seed-demo")
    def seed_demo() -> None:
        """Create a demo admin, artist and buyer once; their passwords are printed only then."""
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

        run(settings, work)

    @users.command("create-admin")
    def create_admin(
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

        run(settings, work)

    @users.command("list")
    def list_users(
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

        run(settings, work)

    @kyc.command("list")
    def kyc_list(
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

        run(settings, work)

    def decide(case_id: UUID, operator: str, approve: bool, reason: str | None) -> None:
        settings = settings_or_exit()

        async def work(container: AsyncContainer) -> None:
            reviewer = await operator_actor(container, operator)
            case = await (await container.get(DecideKyc))(reviewer, case_id, approve=approve, reason=reason)
            typer.echo(f"KYC case {case.id} is {case.status.value} ({case.reason})")

        run(settings, work)

    @kyc.command("approve")
    def kyc_approve(
        case_id: UUID,
        operator: Annotated[str, typer.Option(help="The admin's email, recorded as the reviewer.")],
        reason: Annotated[str | None, typer.Option(help="Optional note.")] = None,
    ) -> None:
        """Approve a pending KYC case: the artist may publish."""
        decide(case_id, operator, True, reason)

    @kyc.command("reject")
    def kyc_reject(
        case_id: UUID,
        operator: Annotated[str, typer.Option(help="The admin's email, recorded as the reviewer.")],
        reason: Annotated[str, typer.Option(help="Why; the artist is told.")],
    ) -> None:
        """Reject a pending KYC case with a reason."""
        decide(case_id, operator, False, reason)

    @outbox.command("list")
    def outbox_list(
        failed: Annotated[bool, typer.Option("--failed", help="Only what waits for an operator.")] = False,
        channel: Annotated[
            str | None, typer.Option(help="`email` or `event` (the relay's messages); default both.")
        ] = None,
        limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    ) -> None:
        """Emails and relayed events, newest first, with attempts and the last error."""
        settings = settings_or_exit()
        if channel not in (None, "email", "event"):
            typer.echo("error: --channel is `email` or `event`", err=True)
            raise typer.Exit(code=2)

        async def work(container: AsyncContainer) -> None:
            entries = await (await container.get(ListOutbox))(
                status="failed" if failed else None,
                channel=channel,  # type: ignore[arg-type]
                limit=limit,
            )
            typer.echo(f"{'id':<36}  {'channel':<7}  {'name':<30}  {'status':<9}  {'tries':>5}  detail")
            for entry in entries:
                typer.echo(_outbox_line(entry))

        run(settings, work)

    @outbox.command("retry")
    def outbox_retry(
        operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
        entry_id: Annotated[UUID | None, typer.Argument(help="The id `outbox list` shows.")] = None,
        all_failed: Annotated[
            bool, typer.Option("--all-failed", help="Every failed email and event.")
        ] = False,
    ) -> None:
        """Send a failed email or event again (an id, or --all-failed)."""
        settings = settings_or_exit()
        if (entry_id is None) == (not all_failed):
            typer.echo("error: give one id or --all-failed", err=True)
            raise typer.Exit(code=2)

        async def work(container: AsyncContainer) -> None:
            actor = await operator_actor(container, operator)
            retry = await container.get(RetryOutbox)
            if entry_id is None:
                typer.echo(f"{await retry.all_failed(actor)} failed entries will be sent again")
                return
            entry = await retry(actor, entry_id)
            typer.echo(f"{entry.channel} {entry.id} ({entry.name}) will be sent again")

        run(settings, work)

    @ledger.command("create-collection")
    def ledger_create_collection(
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

        run(settings, work)

    @ledger.command("status")
    def ledger_status() -> None:
        """The ledger in use, the collection minted into and mint jobs by status."""
        settings = settings_or_exit()

        async def work(container: AsyncContainer) -> None:
            status = await (await container.get(GetLedgerStatus))()
            typer.echo(f"network:    {status.network}")
            typer.echo(f"collection: {status.token_id or '(none: set ARTMARKET_HEDERA_TOKEN_ID)'}")
            typer.echo("mint jobs:  " + ", ".join(f"{s.value} {n}" for s, n in status.jobs.items()))

        run(settings, work)

    def show_jobs(jobs: list[MintJob]) -> None:
        typer.echo(f"{'id':<36}  {'order':<36}  {'status':<9}  {'tries':>5}  {'transaction':<32}  last error")
        for job in jobs:
            typer.echo(
                f"{job.id!s:<36}  {job.order_id!s:<36}  {job.status.value:<9}  {job.attempts:>5}  "
                f"{job.transaction_id or '-':<32}  {job.last_error or ''}"
            )

    @mint.command("list")
    def mint_list(
        status: Annotated[MintJobStatus | None, typer.Option(help="Only jobs with this status.")] = None,
        limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    ) -> None:
        """Mint jobs, newest first, with attempts and last error."""
        settings = settings_or_exit()

        async def work(container: AsyncContainer) -> None:
            show_jobs(list(await (await container.get(ListMintJobs))(status=status, limit=limit)))

        run(settings, work)

    @mint.command("retry")
    def mint_retry(
        operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
        job_id: Annotated[UUID | None, typer.Argument(help="The failed job to queue again.")] = None,
        all_failed: Annotated[
            bool, typer.Option("--all-failed", help="Queue every failed job again.")
        ] = False,
    ) -> None:
        """Queue a failed mint job again (or every failed one); the worker mints it."""
        if (job_id is None) == (not all_failed):
            typer.echo("error: give a JOB id or --all-failed (not both)", err=True)
            raise typer.Exit(code=2)
        settings = settings_or_exit()

        async def work(container: AsyncContainer) -> None:
            actor = await operator_actor(container, operator)
            if job_id is not None:
                jobs = [await (await container.get(RetryMintJob))(actor, job_id)]
            else:
                jobs = list(await (await container.get(RetryFailedMintJobs))(actor))
            typer.echo(f"queued again: {len(jobs)}")
            show_jobs(jobs)

        run(settings, work)

    @mint.command("reconcile")
    def mint_reconcile() -> None:
        """Ask the ledger about every submitted transaction now, and settle what it answers."""
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

        run(settings, work)

    @orders.command("list")
    def orders_list(
        status: Annotated[OrderStatus | None, typer.Option(help="Only orders with this status.")] = None,
        q: Annotated[
            str | None, typer.Option(help="Reference, buyer email or artwork title contains.")
        ] = None,
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
            typer.echo(
                f"{'id':<36}  {'reference':<35}  {'status':<16}  {'amount':>14}  {'buyer':<28}  created"
            )
            for row in page.items:
                typer.echo(
                    f"{row.id!s:<36}  {row.reference:<35}  {row.status.value:<16}  {row.amount!s:>14}  "
                    f"{row.buyer_email:<28}  {row.created_at:%Y-%m-%d %H:%M}"
                )
            if page.next_cursor:
                typer.echo(f"(more than {limit}; narrow the filter or use --csv)")

        run(settings, work)

    @orders.command("show")
    def orders_show(order_id: UUID) -> None:
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

        run(settings, work)

    @orders.command("refund")
    def orders_refund(
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

        run(settings, work)

    def moderate(user: str, operator: str, reason: str, suspend: bool) -> None:
        settings = settings_or_exit()

        async def work(container: AsyncContainer) -> None:
            actor = await operator_actor(container, operator)
            user_id = await _user_id(container, user)
            if suspend:
                changed = await (await container.get(SuspendUser))(actor, user_id, reason=reason)
            else:
                changed = await (await container.get(ReinstateUser))(actor, user_id, reason=reason)
            typer.echo(f"{changed.email} is {changed.status.value} ({changed.status_reason})")

        run(settings, work)

    @users.command("suspend")
    def users_suspend(
        user: Annotated[str, typer.Argument(help="The user's id or email.")],
        operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
        reason: Annotated[str, typer.Option(help="Why; recorded on the audit log.")],
    ) -> None:
        """Suspend an account: no sign-in; an artist's works are hidden and cannot be ordered."""
        moderate(user, operator, reason, True)

    @users.command("reinstate")
    def users_reinstate(
        user: Annotated[str, typer.Argument(help="The user's id or email.")],
        operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
        reason: Annotated[str, typer.Option(help="Why; recorded on the audit log.")],
    ) -> None:
        """Lift a suspension."""
        moderate(user, operator, reason, False)

    @shipments.command("list")
    def shipments_list(
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

        run(settings, work)

    @shipments.command("resolve")
    def shipments_resolve(
        order_id: UUID,
        operator: Annotated[str, typer.Option(help="The admin's email, recorded on the audit log.")],
        reason: Annotated[
            str, typer.Option(help="How it was settled; recorded and shown to buyer and artist.")
        ],
    ) -> None:
        """Close a delivery problem with a reason (delivery_problem → resolved)."""
        settings = settings_or_exit()

        async def work(container: AsyncContainer) -> None:
            actor = await operator_actor(container, operator)
            view = await (await container.get(ResolveDeliveryProblem))(actor, order_id, reason=reason)
            typer.echo(f"order {order_id}: shipment {view.shipment.status.value if view.shipment else '-'}")

        run(settings, work)

    @shipments.command("confirm-delivery")
    def shipments_confirm_delivery(
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

        run(settings, work)

    @audit.command("tail")
    def audit_tail(
        limit: Annotated[int, typer.Option(min=1, max=100, help="How many of the latest entries.")] = 20,
        action: Annotated[str | None, typer.Option(help="Only this action, e.g. user.suspend.")] = None,
    ) -> None:
        """The latest audit entries, oldest of them first."""
        settings = settings_or_exit()

        async def work(container: AsyncContainer) -> None:
            page = await (await container.get(ReadAuditLog))(
                AuditFilter(action=action), cursor=None, limit=limit
            )
            for e in reversed(page.items):
                typer.echo(
                    f"{e.at.isoformat()}  {e.actor_email}  {e.action}  {e.target_type}:{e.target_id}  "
                    f"via {e.channel.value} {e.request_id or ''}  {e.reason or ''}"
                )

        run(settings, work)

    return app


def _manifest_summary(manifest: Manifest) -> str:
    lines = [
        f"created {manifest.created_at}; {manifest.database} at schema {manifest.schema_revision or '?'}; "
        f"{len(manifest.files)} files, {manifest.size:,} bytes",
    ]
    if manifest.content:
        lines.append("content: " + ", ".join(manifest.content))
    lines += [f"not in this archive: {item}" for item in manifest.not_included]
    return "\n".join(lines)


def _replace_plan(plan: BackupPlan, **changes: object) -> BackupPlan:
    return dataclasses.replace(plan, **changes)  # type: ignore[arg-type]


def _outbox_line(entry: OutboxEntry) -> str:
    detail = entry.recipient or ""
    if entry.last_error:
        detail = f"{detail} last error: {entry.last_error}".strip()
    return (
        f"{entry.id!s:<36}  {entry.channel:<7}  {entry.name:<30}  {entry.status:<9}  "
        f"{entry.attempts:>5}  {detail}"
    )


async def operator_actor(container: AsyncContainer, email: str) -> Actor:
    """The admin named by `--operator`, as the audit log records a CLI action."""
    user = await (await container.get(IdentifyOperator))(email)
    return Actor(user.id, str(user.email), AuditChannel.CLI, f"cli-{uuid.uuid4().hex}")


async def _user_id(container: AsyncContainer, user: str) -> UUID:
    """A user named by id or by email."""
    try:
        return UUID(user)
    except ValueError:
        pass
    page = await (await container.get(BrowseUsers))(UserFilter(q=user), cursor=None, limit=100)
    found: list[User] = [u for u in page.items if str(u.email) == user.strip().lower()]
    if not found:
        raise NotFound(f"No user {user}.")
    return found[0].id


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _replace(settings: Settings, **changes: object) -> Settings:
    return msgspec.structs.replace(settings, **changes)
