"""`/metrics` is not served to the public on deployed profiles: they refuse to start without
`ARTMARKET_METRICS_TOKEN` (or its `_FILE`), and the app itself answers `/metrics` only to a
scraper presenting that token, whatever proxy stands in front of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.support.api import Api, app_settings, running_app

from artmarket.settings import Settings, SettingsError, load_settings
from artmarket.settings.rules import production_problems

TOKEN = "scrape-" + "t" * 40
JWT_SECRET = "a-deployed-jwt-secret-of-at-least-32-characters"


def metrics_problems(**fields: str) -> list[str]:
    settings = Settings(profile="staging", jwt_secret=JWT_SECRET, **fields)  # type: ignore[arg-type]
    return [problem for problem in production_problems(settings) if "METRICS_TOKEN" in problem]


def test_a_deployed_profile_refuses_to_start_without_a_long_enough_metrics_token(tmp_path: Path) -> None:
    assert metrics_problems() == [
        "ARTMARKET_METRICS_TOKEN: required in staging (or ARTMARKET_METRICS_TOKEN_FILE): "
        "/metrics answers only a scraper presenting it as a bearer token"
    ]
    assert metrics_problems(metrics_token="short") == [
        "ARTMARKET_METRICS_TOKEN: must have at least 32 characters"
    ]
    assert metrics_problems(metrics_token=TOKEN) == []

    # A mounted secret file works like the other secrets, and its value is never shown.
    secret = tmp_path / "metrics_token"
    secret.write_text(TOKEN + "\n")
    assert load_settings({"ARTMARKET_METRICS_TOKEN_FILE": str(secret)}, env_file=None).metrics_token == TOKEN
    assert TOKEN not in repr(load_settings({"ARTMARKET_METRICS_TOKEN": TOKEN}, env_file=None))
    with pytest.raises(SettingsError, match="ARTMARKET_METRICS_TOKEN: printable ASCII"):
        load_settings({"ARTMARKET_METRICS_TOKEN": "two words " + "x" * 32}, env_file=None)


@pytest.fixture
async def guarded(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, metrics_token=TOKEN)) as api:
        yield api


async def test_with_a_token_metrics_answer_only_its_bearer(guarded: Api) -> None:
    refused = {
        "no credentials": await guarded.client.get("/metrics"),
        "another token": await guarded.client.get(
            "/metrics", headers={"Authorization": "Bearer " + "x" * 47}
        ),
        "a prefix of it": await guarded.client.get(
            "/metrics", headers={"Authorization": "Bearer " + TOKEN[:-1]}
        ),
        "not bearer": await guarded.client.get("/metrics", headers={"Authorization": "Basic " + TOKEN}),
    }
    scraped = await guarded.client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    for name, answer in refused.items():
        assert answer.status_code == 401, name
        assert answer.headers["content-type"].startswith("application/problem+json"), name
        assert "artmarket_" not in answer.text, name
        assert answer.headers["www-authenticate"].startswith("Bearer"), name
    assert scraped.status_code == 200
    assert "artmarket_business_metrics_up" in scraped.text
