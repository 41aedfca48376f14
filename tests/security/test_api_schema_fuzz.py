"""Schemathesis over the app's own OpenAPI document, in process, on the embedded stack.

Every operation gets a few schema-generated requests (bounded and derandomized, so the tier
stays small and repeatable) and none may answer 5xx. Then every operation that takes a JSON
body gets one that is not UTF-8 and one nested 65 levels deep: each must be a 400
`validation-failed` problem. The requests carry the token of one account holding every role,
so the guards let them through to the body.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from litestar.testing import TestClient
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.result import Err, Result
from schemathesis.schemas import APIOperation
from tests.support.api import PASSWORD, app_settings
from tests.support.hostile_input import NOT_UTF8, TOO_DEEP

from artmarket.adapters.persistence.database import create_engine
from artmarket.adapters.persistence.tables.identity import users
from artmarket.bootstrap import create_app, upgrade_database
from artmarket.domain.identity import Role
from artmarket.settings import Settings

#: Per operation; with about 70 operations this keeps the tier well under a minute on 2 cores.
EXAMPLES_PER_OPERATION = 4
BASE_URL = "http://testserver.local"
REPEATABLE = settings(derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))

#: An operation of the app's OpenAPI document (schemathesis' parameter, response and schema types open).
Operation = APIOperation[Any, Any, Any, Any]


@dataclass
class FuzzTarget:
    client: TestClient[Any]
    email: str
    operations: list[Operation]
    authorization: dict[str, str] = field(default_factory=dict)

    def sign_in(self) -> None:
        """A fresh token: an operation before may have signed the account out (logout, password)."""
        login = self.client.post("/api/v1/auth/login", json={"email": self.email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        self.authorization = {"Authorization": f"Bearer {login.json()['access_token']}"}

    def send(self, kwargs: dict[str, Any]) -> httpx.Response:
        kwargs.pop("cookies", None)  # the client's own jar
        files, data = kwargs.pop("files", None), kwargs.pop("data", None)
        if files or isinstance(data, dict):
            # Encoded the way schemathesis' own transport does (requests), then sent as raw bytes.
            encoded = requests.PreparedRequest()
            encoded.prepare_headers(None)
            encoded.prepare_body(data, files)
            kwargs["headers"] = {**kwargs["headers"], "Content-Type": encoded.headers["Content-Type"]}
            data = encoded.body
        if data is not None:
            kwargs["content"] = data
        return self.client.request(**kwargs)

    def transport_kwargs(self, case: Any) -> dict[str, Any]:
        return dict(case.as_transport_kwargs(base_url=BASE_URL, headers=self.authorization))


async def grant_every_role(app_settings_: Settings, email: str) -> None:
    engine = create_engine(app_settings_.resolved_database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                sa.update(users).where(users.c.email == email).values(roles=frozenset(Role))
            )
    finally:
        await engine.dispose()


def usable(result: Result[Operation, InvalidSchema]) -> Operation:
    """The operation, or the error that made schemathesis unable to read it, raised."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    configured = app_settings(tmp_path_factory.mktemp("fuzz"))
    upgrade_database(configured)
    with TestClient(create_app(configured), base_url=BASE_URL) as client:
        email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
        registered = client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": "Fuzz", "role": "artist"},
        )
        assert registered.status_code == 201, registered.text
        asyncio.run(grant_every_role(configured, email))
        schema = schemathesis.openapi.from_dict(client.get("/api/openapi.json").json())
        yield FuzzTarget(client, email, [usable(result) for result in schema.get_all_operations()])


def takes_json(operation: Operation) -> bool:
    return any(body.media_type == "application/json" for body in operation.body)


def one_case(operation: Operation) -> Any:
    """One schema-valid request of `operation` (its path parameters above all)."""
    cases: list[Any] = []

    @settings(REPEATABLE, max_examples=1, phases=[Phase.generate])
    @given(case=operation.as_strategy())
    def keep(case: Any) -> None:
        cases.append(case)

    keep()
    return cases[0]


def server_errors_of(target: FuzzTarget, operation: Operation) -> list[str]:
    """The 5xx answers to a few schema-generated requests of `operation`."""
    found: list[str] = []
    target.sign_in()

    @settings(REPEATABLE, max_examples=EXAMPLES_PER_OPERATION)
    @given(case=operation.as_strategy())
    def send_one(case: Any) -> None:
        kwargs = target.transport_kwargs(case)
        response = target.send(kwargs)
        if response.status_code >= 500:
            found.append(f"{operation.method.upper()} {kwargs['url']}: {response.text[:300]}")

    send_one()
    return found


def test_no_operation_answers_a_server_error(target: FuzzTarget) -> None:
    # A regression net over the whole document: it found nothing the explicit tests did not.
    assert len(target.operations) > 50
    assert [error for operation in target.operations for error in server_errors_of(target, operation)] == []


@pytest.mark.parametrize(("body", "detail"), [(NOT_UTF8, "UTF-8"), (TOO_DEEP, "deeper than 64")])
def test_every_json_operation_refuses_a_body_that_is_not_utf8_or_too_deep(
    target: FuzzTarget, body: bytes, detail: str
) -> None:
    answers: dict[str, tuple[int, str]] = {}
    for operation in filter(takes_json, target.operations):
        target.sign_in()
        kwargs = target.transport_kwargs(one_case(operation))
        for key in ("json", "data", "files"):
            kwargs.pop(key, None)
        kwargs["headers"]["Content-Type"] = "application/json"
        response = target.send({**kwargs, "content": body})
        problem = response.json() if response.headers.get("content-type", "").endswith("json") else {}
        answers[f"{operation.method.upper()} {operation.path}"] = (
            response.status_code,
            str(problem.get("type", "")).rsplit("/", 1)[-1] if detail in str(problem.get("detail")) else "",
        )
    assert len(answers) > 20
    assert {name: answer for name, answer in answers.items() if answer != (400, "validation-failed")} == {}
