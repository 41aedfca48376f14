"""The deployment files, checked without a Docker engine: compose against the Compose
Specification, the Dockerfile's shape, the image's health check, the CI and release workflows.

The Compose Specification schema (compose-spec/compose-spec, Apache-2.0) and GitHub's
workflow schema (SchemaStore, Apache-2.0) come pinned inside the `check-jsonschema` dev
dependency (its `builtin_schemas/vendor`, licences beside them); they are validated with
the `jsonschema` package.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]  # types-PyYAML is not a dependency
from jsonschema.validators import validator_for  # type: ignore[import-untyped]
from tests.support.ports import free_port

ROOT = Path(__file__).parents[2]


def vendored_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (resources.files("check_jsonschema.builtin_schemas.vendor") / f"{name}.json").read_text()
    )
    return schema


def violations(document: object, schema: dict[str, Any]) -> list[str]:
    validator = validator_for(schema)(schema)
    return [f"{'/'.join(map(str, error.path))}: {error.message}" for error in validator.iter_errors(document)]


class _Yaml12Booleans(yaml.SafeLoader):  # type: ignore[misc]  # yaml is untyped here
    """PyYAML with YAML 1.2's booleans: `on:` (a workflow's triggers) stays the key "on"."""


_Yaml12Booleans.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Booleans.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def yaml_file(path: str) -> Any:
    return yaml.load((ROOT / path).read_text(), Loader=_Yaml12Booleans)  # noqa: S506 - a safe loader


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml_file("docker-compose.yml")
    return document


def test_the_compose_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = vendored_schema("compose-spec")

    assert violations(compose, schema) == []
    broken = copy.deepcopy(compose)
    broken["services"]["worker"]["restrat"] = "always"
    assert violations(broken, schema), "the schema must catch a misspelt key"


def test_the_stack_has_every_part_the_operations_need(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert {
        "caddy",
        "api-1",
        "api-2",
        "worker",
        "scheduler",
        "migrate",
        "backup",
        "postgres",
        "redis",
        "mailpit",
    } <= set(services)
    assert services["kubo"]["profiles"] == ["ipfs"]
    assert {services[name]["command"][0] for name in ("api-1", "api-2", "worker", "scheduler")} == {
        "serve",
        "worker",
        "scheduler",
    }
    # One image for every artmarket process, run read-only, without root's capabilities.
    artmarket = ["api-1", "api-2", "worker", "scheduler", "migrate", "backup"]
    assert len({services[name]["image"] for name in artmarket}) == 1
    for name in artmarket:
        assert services[name]["read_only"] is True, name
        assert services[name]["cap_drop"] == ["ALL"], name
    assert "redis" in services["redis"]["command"][0]
    assert services["redis"]["command"][1:3] == ["--appendonly", "yes"]
    assert "backups:/var/backups/artmarket" in services["backup"]["volumes"]
    assert services["caddy"]["environment"]["ARTMARKET_UPSTREAMS"] == "api-1:8000 api-2:8000"
    assert "./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["caddy"]["volumes"]
    assert services["worker"]["environment"]["ARTMARKET_METRICS_PORT"] == "9100"
    for name in ("api-1", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_the_dockerfile_builds_one_non_root_image_with_a_health_check() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]

    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) == 2
    assert all("-slim" in stage for stage in stages)
    assert any(line.startswith("COPY --from=build ") for line in lines)
    runtime = lines[lines.index(stages[1]) :]
    assert "USER 10001:10001" in runtime
    assert not any(line.startswith("RUN ") for line in runtime[runtime.index("USER 10001:10001") :])
    assert 'ENTRYPOINT ["artmarket"]' in lines
    assert 'CMD ["serve"]' in lines
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignored[ignored.index("*") :][:1] == ["*"], "everything is excluded unless listed"
    assert "!.env" not in ignored


class _Answer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_port() -> Iterator[int]:
    port = free_port()
    server = HTTPServer(("127.0.0.1", port), _Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


def healthcheck(**env: str) -> int:
    script = ROOT / "deploy" / "docker" / "healthcheck.py"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ARTMARKET_")}
    return subprocess.run(
        [sys.executable, str(script)], env={**environ, **env}, timeout=30, check=False
    ).returncode


def test_the_image_health_check_asks_its_own_endpoint(http_port: int) -> None:
    assert healthcheck(ARTMARKET_PORT=str(http_port)) == 0
    assert healthcheck(ARTMARKET_HEALTH_PORT=str(http_port), ARTMARKET_HEALTH_PATH="/metrics") == 1
    assert healthcheck(ARTMARKET_PORT=str(free_port())) == 1


def test_ci_runs_the_whole_test_command_on_every_push() -> None:
    workflow = yaml_file(".github/workflows/ci.yml")
    schema = vendored_schema("github-workflows")

    assert violations(workflow, schema) == []
    triggers = workflow["on"]
    assert {"push", "pull_request", "workflow_call"} <= set(triggers)
    steps = workflow["jobs"]["test"]["steps"]
    assert any(step.get("run") == "bash .ci/run" for step in steps)


def test_a_tag_is_tested_built_pushed_deployed_to_staging_and_promoted_with_approval() -> None:
    workflow = yaml_file(".github/workflows/release.yml")
    schema = vendored_schema("github-workflows")

    assert violations(workflow, schema) == []
    assert workflow["on"]["push"]["tags"] == ["v*.*.*"]
    jobs = workflow["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/ci.yml"
    assert jobs["image"]["needs"] == "test"
    assert jobs["image"]["permissions"]["packages"] == "write"
    build = next(
        step for step in jobs["image"]["steps"] if step.get("uses", "").startswith("docker/build-push-action")
    )
    assert build["with"]["push"] is True
    assert workflow["env"]["IMAGE"].startswith("ghcr.io/")
    assert jobs["deploy-staging"]["needs"] == "image"
    assert jobs["deploy-staging"]["environment"]["name"] == "staging"
    assert set(jobs["promote-production"]["needs"]) == {"image", "deploy-staging"}
    assert jobs["promote-production"]["environment"]["name"] == "production"
    for job in ("deploy-staging", "promote-production"):
        runs = " ".join(step.get("run", "") for step in jobs[job]["steps"])
        assert "deploy/deploy.sh" in runs
        assert "needs.image.outputs.image" in runs


def test_the_deploy_and_backup_scripts_parse() -> None:
    assert subprocess.run(["bash", "-n", str(ROOT / "deploy" / "deploy.sh")], check=False).returncode == 0
    assert (
        subprocess.run(
            ["sh", "-n", str(ROOT / "deploy" / "backup" / "run-backups.sh")], check=False
        ).returncode
        == 0
    )
    usage = subprocess.run(
        ["bash", str(ROOT / "deploy" / "deploy.sh")], capture_output=True, text=True, check=False
    )
    assert usage.returncode == 64
    assert "usage" in usage.stderr
