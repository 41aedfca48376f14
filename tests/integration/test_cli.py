"""The `artmarket` command as operators run it: a real process, real settings, a real database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from traceback import format_exception
from uuid import uuid4

import pytest
from tests.support.persistence import a_user, an_artwork, an_order, ships_to
from typer.testing import CliRunner

from artmarket.adapters.persistence.database import create_engine, create_session_factory
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.application.notifications.deliveries import EmailDelivery, EmailKind
from artmarket.bootstrap import cli_wiring
from artmarket.domain.identity import DisplayName, Email, Role, User
from artmarket.domain.orders import PaymentEvidence
from artmarket.domain.shipments import Shipment, Tracking
from artmarket.entrypoints.cli.main import build_cli

ARTMARKET = str(Path(sys.executable).parent / "artmarket")


@dataclass(frozen=True)
class Ran:
    """What a command left: its exit code and what it wrote (as `subprocess.CompletedProcess` says it)."""

    returncode: int
    stdout: str
    stderr: str


def artmarket_process(*args: str, env: dict[str, str]) -> Ran:
    """The real console script in a process of its own, as an operator runs it."""
    ran = subprocess.run([ARTMARKET, *args], env=env, capture_output=True, text=True, timeout=60, check=False)
    return Ran(ran.returncode, ran.stdout, ran.stderr)


def artmarket(*args: str, env: dict[str, str], stdin: str | None = None) -> Ran:
    """The same command and composition root run in this process, with `env`'s ARTMARKET_* settings:
    a process of its own spends seconds importing before each command (ADR 0022), and the tests
    above and `test_upgrade_seed_and_list_users` run the real console script."""
    settings = {name: None for name in os.environ if name.startswith("ARTMARKET_")} | {
        name: value for name, value in env.items() if name.startswith("ARTMARKET_")
    }
    result = CliRunner().invoke(build_cli(cli_wiring), list(args), env=settings, input=stdin)
    failure = result.exception
    if failure is not None and not isinstance(failure, SystemExit):  # a crash shows as one
        traceback = "".join(format_exception(failure))
        return Ran(result.exit_code, result.stdout, result.stderr + traceback)
    return Ran(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ARTMARKET_")}
    return {
        **clean,
        "ARTMARKET_DATA_DIR": str(tmp_path / "var"),
        "ARTMARKET_ARGON2_TIME_COST": "1",
        "ARTMARKET_ARGON2_MEMORY_KIB": "1024",
    }


def test_production_without_secrets_exits_2_naming_every_variable(
    env: dict[str, str], tmp_path: Path
) -> None:
    result = subprocess.run(
        [ARTMARKET, "serve"],
        env={**env, "ARTMARKET_PROFILE": "production"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    for variable in (
        "ARTMARKET_JWT_SECRET",
        "ARTMARKET_DATABASE_URL",
        "ARTMARKET_REDIS_URL",
        "ARTMARKET_PAYMENTS",
    ):
        assert variable in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_upgrade_seed_and_list_users(env: dict[str, str]) -> None:
    # The accounts only: tests/integration/test_demo_catalogue.py seeds the catalogue.
    assert artmarket_process("db", "upgrade", env=env).returncode == 0
    first = artmarket_process("seed-demo", "--no-catalogue", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("password:") == 3
    again = artmarket_process("seed-demo", "--no-catalogue", env=env)
    assert again.returncode == 0
    assert "password:" not in again.stdout  # printed once, on the first run only
    listed = artmarket_process("users", "list", env=env)
    assert {"admin@artmarket.local", "artist@artmarket.local", "buyer@artmarket.local"} <= set(
        listed.stdout.split()
    )


def test_create_admin_from_a_password_file_and_review_kyc(env: dict[str, str], tmp_path: Path) -> None:
    assert artmarket("db", "upgrade", env=env).returncode == 0
    password_file = tmp_path / "password"
    password_file.write_text("a long operator passphrase\n")
    created = artmarket(
        "users", "create-admin", "ops@example.com", "--password-file", str(password_file), env=env
    )
    assert created.returncode == 0, created.stderr
    duplicate = artmarket(
        "users", "create-admin", "OPS@example.com", "--password-file", str(password_file), env=env
    )
    assert duplicate.returncode == 1
    assert "already exists" in duplicate.stderr

    assert "id" in artmarket("kyc", "list", env=env).stdout
    refused = artmarket(
        "kyc", "approve", "00000000-0000-0000-0000-000000000000", "--operator", "nobody@example.com", env=env
    )
    assert refused.returncode == 1
    assert "not an active administrator" in refused.stderr
    missing = artmarket(
        "kyc", "approve", "00000000-0000-0000-0000-000000000000", "--operator", "ops@example.com", env=env
    )
    assert missing.returncode == 1
    assert "No such KYC case" in missing.stderr


def test_help_lists_the_commands(env: dict[str, str]) -> None:
    result = artmarket("--help", env=env)
    for command in ("serve", "worker", "scheduler", "db", "seed-demo", "users", "kyc", "outbox"):
        assert command in result.stdout


def test_outbox_lists_failed_emails_and_sends_them_again(env: dict[str, str], tmp_path: Path) -> None:
    assert artmarket("db", "upgrade", env=env).returncode == 0
    start_mappers()  # before the delivery is made, so a session can track it
    now = datetime.now(UTC)
    delivery = EmailDelivery(
        id=uuid4(),
        message_id=f"<{uuid4()}.kyc_approved@artmarket.local>",
        kind=EmailKind.KYC_APPROVED,
        recipient="ada@example.com",
        recipient_name="Ada",
        context={"recipient_name": "Ada", "artworks_url": "http://127.0.0.1:8000/artist"},
        created_at=now,
    )
    assert delivery.claim(now, timedelta(minutes=1))
    delivery.mark_attempt_failed("unavailable: connection refused", now, max_attempts=1)
    operator = User.create_admin(
        id=uuid4(),
        email=Email("olu@example.com"),
        display_name=DisplayName("Olu Operator"),
        password_hash="x",
        now=now,
    )

    async def seed() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'artmarket.db'}")
        try:
            async with SqlAlchemyUnitOfWork(create_session_factory(engine)) as uow:
                uow.users.add(operator)
                uow.email_deliveries.add(delivery)
                await uow.commit()
        finally:
            await engine.dispose()

    asyncio.run(seed())

    listed = artmarket("outbox", "list", "--failed", env=env)
    assert listed.returncode == 0, listed.stderr
    assert str(delivery.id) in listed.stdout
    assert "connection refused" in listed.stdout
    usage = artmarket("outbox", "retry", env=env)
    assert usage.returncode == 2
    retried = artmarket("outbox", "retry", "--all-failed", "--operator", str(operator.email), env=env)
    assert retried.returncode == 0, retried.stderr
    assert "1 failed entries" in retried.stdout
    assert str(delivery.id) not in artmarket("outbox", "list", "--failed", env=env).stdout
    again = artmarket("outbox", "retry", str(delivery.id), "--operator", str(operator.email), env=env)
    assert again.returncode == 1
    assert "Only a message that failed" in again.stderr


def test_orders_users_and_audit_commands_act_as_the_named_operator(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert artmarket("db", "upgrade", env=env).returncode == 0
    assert artmarket("seed-demo", "--no-catalogue", env=env).returncode == 0
    listed = artmarket("orders", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "reference" in listed.stdout
    exported = artmarket("orders", "list", "--csv", env=env)
    assert exported.stdout.startswith("order_id,reference,status")

    refused = artmarket(
        "users",
        "suspend",
        "artist@artmarket.local",
        "--operator",
        "buyer@artmarket.local",
        "--reason",
        "x",
        env=env,
    )
    assert refused.returncode == 1
    assert "not an active administrator" in refused.stderr
    suspended = artmarket(
        "users",
        "suspend",
        "artist@artmarket.local",
        "--operator",
        "admin@artmarket.local",
        "--reason",
        "Selling forgeries",
        env=env,
    )
    assert suspended.returncode == 0, suspended.stderr
    assert "suspended" in suspended.stdout
    reinstated = artmarket(
        "users",
        "reinstate",
        "artist@artmarket.local",
        "--operator",
        "admin@artmarket.local",
        "--reason",
        "Appeal",
        env=env,
    )
    assert reinstated.returncode == 0, reinstated.stderr

    missing = artmarket(
        "orders",
        "refund",
        "00000000-0000-0000-0000-000000000000",
        "--operator",
        "admin@artmarket.local",
        "--reason",
        "x",
        env=env,
    )
    assert missing.returncode == 1
    assert "No such order" in missing.stderr

    tail = artmarket("audit", "tail", env=env)
    lines = tail.stdout.splitlines()
    assert len(lines) == 2
    assert "user.suspend" in lines[0]
    assert "Selling forgeries" in lines[0]
    assert "via cli cli-" in lines[0]
    assert "user.reinstate" in lines[1]
    assert "admin@artmarket.local" in lines[1]


def test_help_lists_the_admin_commands() -> None:
    # In process (each `artmarket` process takes seconds to start); `--help` builds no container.
    from typer.testing import CliRunner

    from artmarket.entrypoints.cli.main import build_cli
    from artmarket.entrypoints.cli.runtime import CliWiring

    def unused() -> CliWiring:
        raise AssertionError("--help must not load the composition root")

    cli = build_cli(unused)
    runner = CliRunner()
    assert {"orders", "audit", "users", "kyc", "shipments"} <= set(
        runner.invoke(cli, ["--help"]).output.split()
    )
    for group, commands in {
        "shipments": ("list", "resolve", "confirm-delivery"),
        "orders": ("list", "show", "refund"),
        "users": ("suspend", "reinstate", "list"),
        "kyc": ("list", "approve", "reject"),
        "audit": ("tail",),
    }.items():
        output = runner.invoke(cli, [group, "--help"]).output
        for command in commands:
            assert command in output, (group, command)


def test_shipments_are_listed_without_the_address_and_resolved_by_the_named_operator(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert artmarket("db", "upgrade", env=env).returncode == 0
    start_mappers()
    now = datetime.now(UTC)
    operator = User.create_admin(
        id=uuid4(),
        email=Email("olu@example.com"),
        display_name=DisplayName("Olu"),
        password_hash="x",
        now=now,
    )
    artist, buyer = a_user("Ada", role=Role.ARTIST), a_user("Bola")
    lost = an_artwork(artist, "Lost Bronze", delivery=ships_to((("NG",), 250_000)))
    waiting = an_artwork(artist, "Waiting Bronze", delivery=ships_to((("NG",), 250_000)))
    orders = []
    for work, paid_at in ((lost, now - timedelta(days=2)), (waiting, now - timedelta(days=5))):
        order = an_order(buyer, work, at=paid_at)
        amount = order.amount
        order.confirm_payment(
            PaymentEvidence(order.reference, True, amount, amount, paid_at, "success"), paid_at
        )
        orders.append(order)
    problem = Shipment.start(
        order_id=orders[0].id, artist_id=artist.id, buyer_id=buyer.id, now=now - timedelta(days=2)
    )
    problem.ship(Tracking.of("DHL", "JD1", None), now - timedelta(days=1))
    problem.report_problem("Never arrived", now)
    stuck = Shipment.start(
        order_id=orders[1].id, artist_id=artist.id, buyer_id=buyer.id, now=now - timedelta(days=5)
    )

    async def seed() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'artmarket.db'}")
        try:
            async with SqlAlchemyUnitOfWork(create_session_factory(engine)) as uow:
                for user in (operator, artist, buyer):
                    uow.users.add(user)
                for work in (lost, waiting):
                    uow.artworks.add(work)
                for order in orders:
                    uow.orders.add(order)
                uow.shipments.add(problem)
                uow.shipments.add(stuck)
                await uow.commit()
        finally:
            await engine.dispose()

    asyncio.run(seed())

    problems = artmarket("shipments", "list", "--status", "delivery_problem", env=env)
    assert problems.returncode == 0, problems.stderr
    assert str(orders[0].id) in problems.stdout
    assert str(orders[1].id) not in problems.stdout
    assert "Allen Avenue" not in problems.stdout  # the country only, never the address
    overdue = artmarket("shipments", "list", "--awaiting-days", "3", env=env)
    assert str(orders[1].id) in overdue.stdout
    assert str(orders[0].id) not in overdue.stdout

    resolved = artmarket(
        "shipments",
        "resolve",
        str(orders[0].id),
        "--operator",
        "olu@example.com",
        "--reason",
        "Refunded",
        env=env,
    )
    assert resolved.returncode == 0, resolved.stderr
    assert "resolved" in resolved.stdout
    again = artmarket(
        "shipments",
        "resolve",
        str(orders[0].id),
        "--operator",
        "olu@example.com",
        "--reason",
        "Again",
        env=env,
    )
    assert again.returncode == 1
    assert "cannot resolve" in again.stderr
    shown = artmarket("orders", "show", str(orders[0].id), env=env)
    assert "shipment   resolved to NG" in shown.stdout
    assert "Allen Avenue" not in shown.stdout
    tail = artmarket("audit", "tail", "--action", "shipment.resolve", env=env)
    assert "olu@example.com" in tail.stdout
    assert "Refunded" in tail.stdout
