"""Access tokens: signed HS256 JWTs; anything forged, unsigned or foreign is refused."""

import base64
import json
from datetime import timedelta
from uuid import uuid4

import jwt
import pytest

from artmarket.adapters.security.tokens import JwtAccessTokens
from artmarket.application.errors import NotAuthenticated
from artmarket.domain.identity import DisplayName, Email, Role, User
from artmarket.fakes.clock import FixedClock

SECRET = "a-test-secret-long-enough-for-hs256-and-hs512-keys-0123456789abcdef"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def tokens(clock: FixedClock) -> JwtAccessTokens:
    return JwtAccessTokens(
        secret=SECRET,
        issuer="artmarket",
        audience="artmarket-api",
        lifetime=timedelta(minutes=15),
        clock=clock,
    )


@pytest.fixture
def user(clock: FixedClock) -> User:
    return User.register(
        id=uuid4(),
        email=Email("ada@example.com"),
        display_name=DisplayName("Ada"),
        password_hash="h",
        role=Role.ARTIST,
        now=clock.now(),
    )


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_an_issued_token_verifies_with_the_same_user_session_and_roles(
    tokens: JwtAccessTokens, user: User
) -> None:
    family_id = uuid4()
    issued = tokens.issue(user, family_id)
    claims = tokens.verify(issued.token)
    assert (claims.user_id, claims.family_id, claims.roles) == (user.id, family_id, frozenset({Role.ARTIST}))
    assert issued.expires_in == 900


def test_a_token_carries_the_registered_claims(tokens: JwtAccessTokens, user: User) -> None:
    payload = jwt.decode(tokens.issue(user, uuid4()).token, options={"verify_signature": False})
    assert {"iss", "aud", "sub", "exp", "iat", "jti"} <= payload.keys()
    assert payload["exp"] - payload["iat"] == 900


def test_an_expired_token_is_refused(tokens: JwtAccessTokens, user: User, clock: FixedClock) -> None:
    issued = tokens.issue(user, uuid4())
    clock.advance(timedelta(minutes=15))
    with pytest.raises(NotAuthenticated):
        tokens.verify(issued.token)


def test_a_token_signed_with_another_key_is_refused(tokens: JwtAccessTokens, user: User) -> None:
    payload = jwt.decode(tokens.issue(user, uuid4()).token, options={"verify_signature": False})
    forged = jwt.encode(payload, "another-secret-that-is-also-long-enough-0002", algorithm="HS256")
    with pytest.raises(NotAuthenticated):
        tokens.verify(forged)


def test_an_unsigned_alg_none_token_is_refused(tokens: JwtAccessTokens, user: User) -> None:
    payload = jwt.decode(tokens.issue(user, uuid4()).token, options={"verify_signature": False})
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."
    with pytest.raises(NotAuthenticated):
        tokens.verify(unsigned)


def test_a_token_in_another_algorithm_is_refused(tokens: JwtAccessTokens, user: User) -> None:
    payload = jwt.decode(tokens.issue(user, uuid4()).token, options={"verify_signature": False})
    other = jwt.encode(payload, SECRET, algorithm="HS512")
    with pytest.raises(NotAuthenticated):
        tokens.verify(other)


def test_a_token_for_another_audience_is_refused(
    tokens: JwtAccessTokens, user: User, clock: FixedClock
) -> None:
    elsewhere = JwtAccessTokens(
        secret=SECRET,
        issuer="artmarket",
        audience="someone-else",
        lifetime=timedelta(minutes=15),
        clock=clock,
    )
    with pytest.raises(NotAuthenticated):
        tokens.verify(elsewhere.issue(user, uuid4()).token)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "....", "é.é.é"])
def test_garbage_is_refused(tokens: JwtAccessTokens, garbage: str) -> None:
    with pytest.raises(NotAuthenticated):
        tokens.verify(garbage)
