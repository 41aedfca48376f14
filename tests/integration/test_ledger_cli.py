"""`artmarket ledger …` for the provenance topic and certificate ledger tasks, and `mint reconcile`
settling ledger tasks too, on the embedded profile (simulated ledger, SQLite)."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

from tests.integration.test_cli import artmarket, env

__all__ = ["env"]  # the fixture, used by name


def test_the_topic_is_shown_made_only_when_forced_and_tasks_are_listed(env: dict[str, str]) -> None:
    assert artmarket("db", "upgrade", env=env).returncode == 0

    status = artmarket("ledger", "status", env=env)
    assert status.returncode == 0, status.stderr
    topic_line = next(line for line in status.stdout.splitlines() if line.startswith("topic:"))
    default_topic = topic_line.split()[-1]
    assert default_topic.startswith("0.0.")  # the simulated ledger made its own
    assert "ledger tasks: queued 0, submitted 0, succeeded 0, failed 0" in status.stdout

    refused = artmarket("ledger", "create-topic", env=env)
    assert refused.returncode != 0
    assert "ARTMARKET_HEDERA_TOPIC_ID" in refused.stdout + refused.stderr
    forced = artmarket("ledger", "create-topic", "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    made = forced.stdout.split("topic created: ")[1].split()[0]
    assert made != default_topic
    assert f"set ARTMARKET_HEDERA_TOPIC_ID={made}" in forced.stdout

    configured = artmarket("ledger", "status", env={**env, "ARTMARKET_HEDERA_TOPIC_ID": made})
    assert f"topic:      {made}" in configured.stdout

    tasks = artmarket("ledger", "tasks", env=env)
    assert tasks.returncode == 0, tasks.stderr
    assert tasks.stdout.split()[:3] == ["id", "certificate", "kind"]
    assert artmarket("ledger", "retry", "--operator", "ops@example.com", env=env).returncode == 2

    reconciled = artmarket("mint", "reconcile", env=env)
    assert reconciled.returncode == 0, reconciled.stderr
    assert "ledger tasks succeeded: 0" in reconciled.stdout


def test_revoke_takes_an_admin_category_and_names_an_unknown_certificate(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert artmarket("db", "upgrade", env=env).returncode == 0
    password = tmp_path / "password"
    password.write_text("a long operator passphrase\n")
    assert (
        artmarket(
            "users", "create-admin", "ops@example.com", "--password-file", str(password), env=env
        ).returncode
        == 0
    )
    revoke = ("ledger", "revoke", str(uuid4()), "--operator", "ops@example.com", "--note", "Dispute lost")

    assert artmarket(*revoke, "--reason", "refunded", env=env).returncode == 2  # refunds revoke by themselves
    unknown = artmarket(*revoke, "--reason", "chargeback", env=env)
    assert unknown.returncode == 1
    assert "No such certificate" in unknown.stderr
