"""Signing keys rotate without signing anyone out: tokens name their key (`kid`), the new key
signs, the previous one keeps verifying for a grace period and not a moment longer."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import jwt
import pytest
from tests.support.api import FixedClockProvider

from artmarket.application.errors import NotAuthenticated
from artmarket.application.identity.ports import AccessTokens
from artmarket.bootstrap import make_container
from artmarket.domain.identity import DisplayName, Email, Role, User
from artmarket.fakes.clock import FixedClock
from artmarket.settings import SettingsError, load_settings

OLD = "old:" + "o" * 40
NEW = "new:" + "n" * 40


def a_user(clock: FixedClock) -> User:
    return User.register(
        id=uuid4(),
        email=Email("ada@example.com"),
        display_name=DisplayName("Ada"),
        password_hash="h",
        role=Role.BUYER,
        now=clock.now(),
    )


async def tokens_of(env: dict[str, str], clock: FixedClock) -> AccessTokens:
    """The access tokens a process built from `env` uses (the composition root's own wiring)."""
    container = make_container(load_settings(env, env_file=None), FixedClockProvider(clock))
    try:
        tokens: AccessTokens = await container.get(AccessTokens)
        return tokens
    finally:
        await container.close()


async def test_a_token_of_the_previous_key_verifies_during_the_grace_period_and_not_after() -> None:
    clock = FixedClock()
    before = await tokens_of({"ARTMARKET_JWT_KEYS": OLD}, clock)
    issued = before.issue(a_user(clock), uuid4())
    assert jwt.get_unverified_header(issued.token)["kid"] == "old"

    # Every replica restarts with the new key first; tokens live 15 minutes, the grace is 5.
    rotated = {
        "ARTMARKET_JWT_KEYS": f"{NEW},{OLD}",
        "ARTMARKET_JWT_ROTATED_AT": clock.now().isoformat(),
        "ARTMARKET_JWT_ROTATION_GRACE_SECONDS": "300",
    }
    after = await tokens_of(rotated, clock)
    fresh = after.issue(a_user(clock), uuid4())
    assert jwt.get_unverified_header(fresh.token)["kid"] == "new"

    clock.advance(timedelta(minutes=4, seconds=59))
    assert after.verify(issued.token).token_id
    clock.advance(timedelta(seconds=1))
    with pytest.raises(NotAuthenticated, match="retired key"):
        after.verify(issued.token)
    assert after.verify(fresh.token).token_id  # the new key's tokens are untouched


async def test_the_grace_period_defaults_to_the_access_token_lifetime() -> None:
    clock = FixedClock()
    issued = (await tokens_of({"ARTMARKET_JWT_KEYS": OLD}, clock)).issue(a_user(clock), uuid4())
    after = await tokens_of(
        {"ARTMARKET_JWT_KEYS": f"{NEW},{OLD}", "ARTMARKET_JWT_ROTATED_AT": clock.now().isoformat()}, clock
    )
    clock.advance(timedelta(minutes=14, seconds=59))
    assert after.verify(issued.token).token_id


async def test_a_key_dropped_from_the_list_verifies_nothing_and_an_unknown_kid_is_refused() -> None:
    clock = FixedClock()
    issued = (await tokens_of({"ARTMARKET_JWT_KEYS": OLD}, clock)).issue(a_user(clock), uuid4())
    only_new = await tokens_of({"ARTMARKET_JWT_KEYS": NEW}, clock)
    with pytest.raises(NotAuthenticated):
        only_new.verify(issued.token)
    payload = jwt.decode(issued.token, options={"verify_signature": False})
    forged = jwt.encode(payload, "n" * 40, algorithm="HS256", headers={"kid": "nobody"})
    with pytest.raises(NotAuthenticated):
        only_new.verify(forged)


async def test_without_jwt_keys_the_jwt_secret_signs_as_kid_primary() -> None:
    clock = FixedClock()
    tokens = await tokens_of({"ARTMARKET_JWT_SECRET": "s" * 40}, clock)
    issued = tokens.issue(a_user(clock), uuid4())
    assert jwt.get_unverified_header(issued.token)["kid"] == "primary"
    assert tokens.verify(issued.token).token_id
    # A token without kid is refused even with the right key (tests/security/test_token_claims.py).
    payload = jwt.decode(issued.token, options={"verify_signature": False})
    with pytest.raises(NotAuthenticated):
        tokens.verify(jwt.encode(payload, "s" * 40, algorithm="HS256"))


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("no-colon-here", "kid:secret"),
        ("bad kid:" + "x" * 40, "kid:secret"),
        (f"{NEW},{NEW}", "different"),
        ("short:tooshort", "32 characters"),
    ],
)
def test_malformed_keys_are_named(keys: str, message: str) -> None:
    env = {"ARTMARKET_JWT_KEYS": keys, "ARTMARKET_PROFILE": "production"}
    with pytest.raises(SettingsError) as raised:
        load_settings(env, env_file=None)
    problem = next(p for p in raised.value.problems if p.startswith("ARTMARKET_JWT_KEYS"))
    assert message in problem
    assert "x" * 40 not in str(raised.value)  # secrets are never echoed


def test_the_rotation_time_needs_a_time_zone() -> None:
    with pytest.raises(SettingsError, match="ARTMARKET_JWT_ROTATED_AT"):
        load_settings(
            {"ARTMARKET_JWT_KEYS": NEW, "ARTMARKET_JWT_ROTATED_AT": "2026-03-01T12:00:00"}, env_file=None
        )
