"""Alerts and dashboard against the real thing: Debian's `promtool`, and our own `/metrics`.

`promtool check config/rules` validates deploy/prometheus; `promtool test rules` runs
alerts_test.yml, which must make every alert of alerts.yml fire. Every metric an alert or
a Grafana panel queries must be one the app (on PostgreSQL, as deployed) really exposes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]  # types-PyYAML is not a dependency
from prometheus_client.parser import text_string_to_metric_families
from tests.support.api import app_settings, running_app

ROOT = Path(__file__).parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"
DASHBOARD = ROOT / "deploy" / "grafana" / "artmarket.json"
#: Series Prometheus itself makes, not the app.
PROMETHEUS_OWN = {"up"}


def promtool(*args: str, cwd: Path = PROMETHEUS) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("promtool")
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("promtool is not installed (.ci/run installs Debian's prometheus)")
        pytest.skip("promtool is not installed (apt-get install prometheus)")
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120, check=False, cwd=cwd)


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def metric_names(expression: str) -> set[str]:
    """The artmarket series a PromQL expression reads (and `up`)."""
    return set(re.findall(r"\bartmarket_[a-z0-9_]+", expression)) | (
        {"up"} if re.search(r"\bup\{", expression) else set()
    )


def dashboard_expressions() -> list[tuple[str, str]]:
    document = json.loads(DASHBOARD.read_text())
    return [(panel["title"], target["expr"]) for panel in document["panels"] for target in panel["targets"]]


def test_the_configuration_and_the_rules_are_valid(tmp_path: Path) -> None:
    # promtool checks that the scrape token file exists: a copy reads a token from tmp_path.
    config = (PROMETHEUS / "prometheus.yml").read_text()
    api_job = next(
        job for job in yaml.safe_load(config)["scrape_configs"] if job["job_name"] == "artmarket-api"
    )
    token_file = api_job["authorization"]["credentials_file"]
    (tmp_path / "metrics_token").write_text("t" * 48)
    shutil.copy(PROMETHEUS / "alerts.yml", tmp_path)
    (tmp_path / "prometheus.yml").write_text(config.replace(token_file, str(tmp_path / "metrics_token")))
    checked = promtool("check", "config", "prometheus.yml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    checked = promtool("check", "rules", "alerts.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_alert_fires_in_the_rule_tests() -> None:
    tested = promtool("test", "rules", "alerts_test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr

    cases = yaml.safe_load((PROMETHEUS / "alerts_test.yml").read_text())["tests"]
    fired = {case["alertname"] for test in cases for case in test["alert_rule_test"] if case["exp_alerts"]}
    assert fired == {rule["alert"] for rule in rules()}


def test_every_alert_names_a_runbook_that_exists() -> None:
    for rule in rules():
        assert (ROOT / rule["annotations"]["runbook"]).is_file(), rule["alert"]


@pytest.mark.postgres
async def test_alerts_and_dashboard_query_only_series_the_app_exposes(
    tmp_path: Path, migrated_postgres_url: str
) -> None:
    async with running_app(app_settings(tmp_path, database_url=migrated_postgres_url)) as api:
        await api.client.get("/health")
        exposed = {
            sample.name
            for family in text_string_to_metric_families((await api.client.get("/metrics")).text)
            for sample in family.samples
        }

    wanted = {(rule["alert"], name) for rule in rules() for name in metric_names(rule["expr"])}
    wanted |= {
        (title, name) for title, expression in dashboard_expressions() for name in metric_names(expression)
    }
    missing = sorted((where, name) for where, name in wanted if name not in exposed | PROMETHEUS_OWN)
    assert missing == []
    assert len(dashboard_expressions()) >= 15
