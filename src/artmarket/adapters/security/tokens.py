"""Access tokens as HS256 JWTs (PyJWT): iss, aud, sub, exp, iat, jti, and the session id."""

from __future__ import annotations

import secrets
from datetime import timedelta
from uuid import UUID

import jwt

from artmarket.application.errors import NotAuthenticated
from artmarket.application.identity.ports import AccessClaims, IssuedAccessToken
from artmarket.application.ports import Clock
from artmarket.domain.identity import Role, User

ALGORITHM = "HS256"


class JwtAccessTokens:
    """Signs with one HMAC key and accepts only HS256: `alg=none` and other algorithms fail."""

    def __init__(self, *, secret: str, issuer: str, audience: str, lifetime: timedelta, clock: Clock) -> None:
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self._lifetime = lifetime
        self._clock = clock

    def issue(self, user: User, family_id: UUID) -> IssuedAccessToken:
        now = self._clock.now()
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(user.id),
            "sid": str(family_id),
            "roles": sorted(user.roles),
            "iat": int(now.timestamp()),
            "exp": int((now + self._lifetime).timestamp()),
            "jti": secrets.token_urlsafe(16),
        }
        token = jwt.encode(claims, self._secret, algorithm=ALGORITHM)
        return IssuedAccessToken(token, int(self._lifetime.total_seconds()))

    def verify(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                # exp is judged against our Clock below, so tests and the app agree on time.
                options={
                    "require": ["iss", "aud", "sub", "exp", "iat", "jti", "sid"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
            if claims["exp"] <= self._clock.now().timestamp():
                raise NotAuthenticated("The access token has expired.")
            return AccessClaims(
                user_id=UUID(claims["sub"]),
                family_id=UUID(claims["sid"]),
                roles=frozenset(Role(r) for r in claims.get("roles", [])),
                token_id=str(claims["jti"]),
            )
        except NotAuthenticated:
            raise
        except (jwt.InvalidTokenError, ValueError, KeyError, TypeError) as error:
            raise NotAuthenticated("The access token is not valid.") from error
