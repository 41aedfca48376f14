"""`artmarket doctor` against a production-profile deployment's real dependencies: every adapter
is checked at once and reported in one table; a failure makes it exit 1 and names the cause."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.stack import OPERATOR_ID, ProductionStack

from artmarket.adapters.persistence import migrate

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def rows(output: str) -> dict[str, tuple[str, str]]:
    found = {}
    for line in output.splitlines()[1:]:
        if not line.strip():
            break
        name, status, detail = line.split(None, 2)
        found[name] = (status, detail)
    return found


def test_every_adapter_of_a_healthy_deployment_is_checked_and_reported(stack: ProductionStack) -> None:
    stack.hedera.balances[OPERATOR_ID] = 2_500 * 100_000_000
    result = stack.run("doctor")

    assert result.returncode == 0, result.stdout + result.stderr
    table = rows(result.stdout)
    assert list(table) == ["settings", "database", "redis", "payments", "ledger", "ipfs", "mail", "media"]
    assert table["settings"][0] == "ok"
    assert "staging profile" in table["settings"][1]
    assert table["database"] == ("ok", table["database"][1])
    assert "PostgreSQL 15" in table["database"][1]
    assert "(up to date)" in table["database"][1]
    assert table["redis"][0] == "ok"
    assert "append-only file on" in table["redis"][1]
    # Staging runs production's adapters with Paystack's test mode: the key it should have.
    assert table["payments"][0] == "ok"
    assert "test secret key accepted" in table["payments"][1]
    assert table["ledger"][0] == "ok"
    assert f"operator {OPERATOR_ID} holds 2,500.00000000 ℏ" in table["ledger"][1]
    assert f"collection {stack.token_id}" in table["ledger"][1]
    assert table["ipfs"] == ("ok", "Kubo 0.39.0")
    assert table["mail"][0] == "ok"
    assert table["media"][0] == "ok"
    assert stack.bucket in table["media"][1]
    assert "0 failing, 0 to look at" in result.stdout
    assert stack.paystack.secret_key not in result.stdout + result.stderr


def test_a_test_key_in_production_is_flagged_not_refused(stack: ProductionStack) -> None:
    stack.hedera.balances[OPERATOR_ID] = 2_500 * 100_000_000
    result = stack.run("doctor", profile="production")

    assert result.returncode == 0, result.stdout + result.stderr
    table = rows(result.stdout)
    assert "production profile" in table["settings"][1]
    # It works (a rehearsal on Paystack's test mode), but moves no real money: a warning.
    assert table["payments"][0] == "warn"
    assert "test secret key accepted" in table["payments"][1]
    assert "0 failing, 1 to look at (payments)" in result.stdout


def test_broken_dependencies_are_each_named_and_the_exit_code_says_so(
    stack: ProductionStack, tmp_path: Path
) -> None:
    wrong_key = tmp_path / "paystack"
    wrong_key.write_text("sk_test_" + "0" * 40)  # a test key, as staging needs, that Paystack refuses
    stack.hedera.balances[OPERATOR_ID] = 3 * 100_000_000
    stack.smtp.stop()
    stack.sql("UPDATE alembic_version SET version_num = '0005_refund_status'")
    try:
        result = stack.run(
            "doctor",
            "--timeout",
            "5",
            paystack_secret_key_file=str(wrong_key),
            ipfs_api_url="http://127.0.0.1:9",
        )
    finally:
        stack.smtp.start()
        stack.sql("UPDATE alembic_version SET version_num = %s", *migrate.schema_heads())

    assert result.returncode == 1
    table = rows(result.stdout)
    assert table["payments"][0] == "fail"
    assert "refused the test secret key" in table["payments"][1]
    assert table["mail"][0] == "fail"
    assert table["ipfs"][0] == "fail"
    assert table["ledger"][0] == "warn"
    assert "top the account up" in table["ledger"][1]
    status, detail = table["database"]
    assert status == "fail", result.stdout
    assert "schema at 0005_refund_status" in detail
    assert "run `artmarket db upgrade`" in detail
    assert "4 failing (database, payments, ipfs, mail)" in result.stdout
