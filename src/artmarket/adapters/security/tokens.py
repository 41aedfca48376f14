"""Access tokens as HS256 JWTs (PyJWT): iss, aud, sub, exp, iat, jti, and the session id.

Every token names its signing key in the `kid` header. Keys rotate without signing anyone
out: the first key signs, older keys only verify, and only until their grace period ends
(`SigningKey.verify_until`), which need be no longer than an access token lives. A token
without `kid`, or one claiming to live longer than the configured lifetime (`exp - iat`),
was not issued by this configuration and is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

import jwt

from artmarket.application.errors import NotAuthenticated
from artmarket.application.identity.ports import AccessClaims, IssuedAccessToken
from artmarket.application.ports import Clock
from artmarket.domain.identity import Role, User

ALGORITHM = "HS256"


@dataclass(frozen=True, slots=True)
class SigningKey:
    """An HMAC key and its id; `verify_until` ends a retired key's grace period (None: no end)."""

    kid: str
    secret: str = field(repr=False)
    verify_until: datetime | None = None


def rotation_keys(
    pairs: Sequence[tuple[str, str]], *, rotated_at: datetime | None, grace: timedelta
) -> list[SigningKey]:
    """The first pair signs; the others verify until `rotated_at + grace` (forever without `rotated_at`)."""
    until = rotated_at + grace if rotated_at is not None else None
    return [SigningKey(kid, secret, None if n == 0 else until) for n, (kid, secret) in enumerate(pairs)]


class JwtAccessTokens:
    """Signs with the first HMAC key and accepts only HS256: `alg=none` and other algorithms fail.

    A token verifies with the key its `kid` names, if that key is still within its grace
    period; a token without `kid` is refused (every token issued since ADR 0014 has one).
    """

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        lifetime: timedelta,
        clock: Clock,
        secret: str | None = None,
        keys: Sequence[SigningKey] = (),
    ) -> None:
        if not keys:
            if secret is None:
                raise ValueError("JwtAccessTokens needs a secret or signing keys")
            keys = [SigningKey("primary", secret)]
        self._signing = keys[0]
        self._keys = {key.kid: key for key in keys}
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
        token = jwt.encode(
            claims, self._signing.secret, algorithm=ALGORITHM, headers={"kid": self._signing.kid}
        )
        return IssuedAccessToken(token, int(self._lifetime.total_seconds()))

    def verify(self, token: str) -> AccessClaims:
        try:
            key = self._verifying_key(token)
            claims = jwt.decode(
                token,
                key.secret,
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
            # A longer-lived token was minted elsewhere (or with a leaked key): it would
            # outlive every revocation the configured lifetime promises, so it is refused.
            if claims["exp"] - claims["iat"] > self._lifetime.total_seconds():
                raise NotAuthenticated("The access token is not valid.")
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

    def _verifying_key(self, token: str) -> SigningKey:
        kid = jwt.get_unverified_header(token).get("kid")
        key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise NotAuthenticated("The access token is not valid.")
        if key.verify_until is not None and self._clock.now() >= key.verify_until:
            raise NotAuthenticated("The access token was signed with a retired key; sign in again.")
        return key
