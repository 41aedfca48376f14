"""Access tokens this configuration did not issue are refused: no `kid`, or a lifetime
(`exp - iat`) beyond the configured one, even when the signature is right."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import jwt
import pytest
from tests.support.api import Api, app_settings, running_app

from artmarket.adapters.security.tokens import JwtAccessTokens
from artmarket.application.errors import NotAuthenticated
from artmarket.domain.identity import DisplayName, Email, Role, User
from artmarket.fakes.clock import FixedClock
from artmarket.settings.model import DEV_JWT_SECRET

SECRET = "a-test-secret-long-enough-for-hs256-keys-0123456789abcdef"
LIFETIME = timedelta(minutes=15)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def tokens(clock: FixedClock) -> JwtAccessTokens:
    return JwtAccessTokens(
        secret=SECRET, issuer="artmarket", audience="artmarket-api", lifetime=LIFETIME, clock=clock
    )


def issued_claims(tokens: JwtAccessTokens, clock: FixedClock) -> dict[str, Any]:
    user = User.register(
        id=uuid4(),
        email=Email("ada@example.com"),
        display_name=DisplayName("Ada"),
        password_hash="h",
        role=Role.BUYER,
        now=clock.now(),
    )
    claims: dict[str, Any] = jwt.decode(
        tokens.issue(user, uuid4()).token, options={"verify_signature": False}
    )
    return claims


def test_a_correctly_signed_token_without_kid_is_refused(tokens: JwtAccessTokens, clock: FixedClock) -> None:
    claims = issued_claims(tokens, clock)
    with_kid = jwt.encode(claims, SECRET, algorithm="HS256", headers={"kid": "primary"})
    without_kid = jwt.encode(claims, SECRET, algorithm="HS256")

    assert tokens.verify(with_kid).token_id == claims["jti"]
    with pytest.raises(NotAuthenticated):
        tokens.verify(without_kid)


def test_a_token_living_longer_than_the_configured_lifetime_is_refused(
    tokens: JwtAccessTokens, clock: FixedClock
) -> None:
    claims = issued_claims(tokens, clock)
    assert claims["exp"] - claims["iat"] == LIFETIME.total_seconds()
    one_second_more = {**claims, "exp": claims["iat"] + int(LIFETIME.total_seconds()) + 1}
    a_year = {**claims, "exp": claims["iat"] + 365 * 86_400}

    for forged in (one_second_more, a_year):
        with pytest.raises(NotAuthenticated):
            tokens.verify(jwt.encode(forged, SECRET, algorithm="HS256", headers={"kid": "primary"}))
    # Backdating `iat` to fit a long `exp` inside the lifetime still ends at that `exp`:
    # the token is then merely expired.
    backdated = {**claims, "iat": claims["iat"] - 3600, "exp": claims["exp"] - 3600}
    with pytest.raises(NotAuthenticated, match="expired"):
        tokens.verify(jwt.encode(backdated, SECRET, algorithm="HS256", headers={"kid": "primary"}))


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def test_the_api_answers_such_tokens_with_a_401_problem(api: Api) -> None:
    buyer = await api.register("buyer")
    token = buyer["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = {
        "without kid": jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256"),
        "a day long": jwt.encode(
            {**claims, "exp": claims["iat"] + 86_400},
            DEV_JWT_SECRET,
            algorithm="HS256",
            headers={"kid": "primary"},
        ),
    }

    assert (await api.client.get("/api/v1/me", headers=buyer)).status_code == 200
    for name, bad in forged.items():
        answer = await api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"})
        assert answer.status_code == 401, name
        assert answer.headers["content-type"].startswith("application/problem+json"), name
        assert answer.json()["status"] == 401
