"""A JSON body that is not UTF-8 or nests deeper than 64 levels is a 400 `validation-failed`
problem on the anonymous routes and on the signed Paystack webhook, never a 500 (which also fed
the 5xx alert). Every other JSON operation is covered by tests/security/test_api_schema_fuzz.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from tests.support.api import Api, app_settings, running_app
from tests.support.hostile_input import ABYSMAL, NOT_UTF8, TOO_DEEP

from artmarket.adapters.payments.signing import sign
from artmarket.bootstrap import SANDBOX_SECRET_KEY

WEBHOOK = "/api/v1/payments/paystack/webhook"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


def assert_validation_failed(response: httpx.Response, detail: str) -> None:
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["type"].endswith("/validation-failed"), problem
    assert detail in problem["detail"], problem


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/password-reset/request"]
)
async def test_anonymous_routes_refuse_bodies_that_are_not_utf8_or_too_deep(api: Api, path: str) -> None:
    for body, detail in ((NOT_UTF8, "UTF-8"), (TOO_DEEP, "deeper than 64"), (ABYSMAL, "deeper than 64")):
        assert_validation_failed(await api.client.post(path, content=body, headers=JSON), detail)
    # At the limit the body is read, and refused for its shape like any other wrong body.
    deepest = b"[" * 64 + b"]" * 64
    assert_validation_failed(await api.client.post(path, content=deepest, headers=JSON), "Expected `object`")


async def test_the_signed_webhook_refuses_bodies_that_are_not_utf8_or_too_deep(api: Api) -> None:
    key = api.settings.paystack_secret_key or SANDBOX_SECRET_KEY
    nested = b'{"event": "charge.success", "data": {"metadata": ' + TOO_DEEP + b"}}"
    for body, detail in ((NOT_UTF8, "UTF-8"), (nested, "deeper than 64"), (ABYSMAL, "deeper than 64")):
        headers = {**JSON, "x-paystack-signature": sign(body, key)}
        assert_validation_failed(await api.client.post(WEBHOOK, content=body, headers=headers), detail)
