"""Signing in and out: sessions as refresh-token families, and tokens turned into principals."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from artmarket.application.errors import NotAuthenticated, RateLimited
from artmarket.application.identity.ports import (
    AccessClaims,
    AccessTokens,
    PasswordHasher,
)
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.identity import (
    Email,
    InvalidCredentials,
    InvalidEmail,
    RefreshTokenReused,
    TokenFamily,
    User,
)

REFRESH_TOKEN_TTL = timedelta(days=30)


def new_refresh_token() -> str:
    """256 random bits, URL-safe; the server keeps only its hash."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    # A fast hash is right here: the token has 256 bits of entropy, so it cannot be guessed.
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """Failed sign-ins allowed per account and per client address before 429.

    `decoy_hash` is checked when the email is unknown, so both answers cost one
    password verification and take comparable time.
    """

    per_account: Limit
    per_address: Limit
    decoy_hash: str


class FailedPasswordThrottle:
    """Wrong passwords counted per account and per client address, as sign-ins count them.

    Sign-in and the current-password check of a password change share these counters, so a
    stolen session gives no more guesses at the password than the sign-in form does.
    """

    def __init__(self, limiter: RateLimiter, policy: LoginPolicy, *, email: str, client_address: str) -> None:
        self._limiter = limiter
        self._limits = (
            (f"login:account:{email.strip().lower()}", policy.per_account),
            (f"login:address:{client_address}", policy.per_address),
        )

    async def ensure_allowed(self, message: str) -> None:
        for key, limit in self._limits:
            wait = await self._limiter.retry_after(key, limit)
            if wait is not None:
                raise RateLimited(wait, message)

    async def failed(self) -> None:
        for key, limit in self._limits:
            await self._limiter.hit(key, limit)

    async def succeeded(self) -> None:
        account_key, _ = self._limits[0]
        await self._limiter.reset(account_key)


class _SessionStarter:
    """Starts a token family and issues its first pair (shared by login and password change)."""

    def __init__(self, uow: UnitOfWork, tokens: AccessTokens, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._tokens = tokens
        self._ids = ids
        self._clock = clock

    def start(self, user: User) -> TokenPair:
        refresh = new_refresh_token()
        family = TokenFamily.start(
            id=self._ids.new_id(),
            user_id=user.id,
            first_token_hash=hash_refresh_token(refresh),
            now=self._clock.now(),
            ttl=REFRESH_TOKEN_TTL,
        )
        self._uow.token_families.add(family)
        access = self._tokens.issue(user, family.id)
        return TokenPair(access.token, refresh, access.expires_in)


class Login:
    """Exchange email and password for an access token and a new refresh-token family.

    Rules: an unknown email and a wrong password get the same error after the same
    amount of hashing work; repeated failures for one account or one client address
    are refused with 429 until the window passes; a suspended user cannot sign in.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        tokens: AccessTokens,
        ids: IdGenerator,
        clock: Clock,
        limiter: RateLimiter,
        policy: LoginPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._limiter = limiter
        self._policy = policy
        self._sessions = _SessionStarter(uow, tokens, ids, clock)

    async def __call__(self, *, email: str, password: str, client_address: str) -> TokenPair:
        throttle = FailedPasswordThrottle(
            self._limiter, self._policy, email=email, client_address=client_address
        )
        await throttle.ensure_allowed("Too many failed sign-ins; try again later.")
        # No transaction is open while the password is checked: hashing waits its turn for
        # the hashing threads, and must not hold a database connection meanwhile.
        async with self._uow:
            found = await self._find(email)
        hash_to_check = found.password_hash if found else self._policy.decoy_hash
        if not await self._hasher.verify(hash_to_check, password) or found is None:
            await throttle.failed()
            raise InvalidCredentials()
        found.ensure_can_act()
        rehashed = None
        if self._hasher.needs_rehash(found.password_hash):
            rehashed = await self._hasher.hash(password)
        async with self._uow as uow:
            user = await uow.users.get(found.id)
            if user is None:
                raise InvalidCredentials()
            user.ensure_can_act()
            if rehashed is not None:
                user.change_password_hash(rehashed)
            pair = self._sessions.start(user)
            await uow.commit()
        await throttle.succeeded()
        return pair

    async def _find(self, email: str) -> User | None:
        try:
            canonical = Email(email)
        except InvalidEmail:
            return None
        return await self._uow.users.get_by_email(canonical)


class RefreshSession:
    """Rotate a refresh token: the presented one is spent and a new pair is issued.

    Rules: reusing a spent token revokes its whole family (the revocation is kept even
    though the call fails); a suspended user cannot refresh.
    """

    def __init__(self, uow: UnitOfWork, tokens: AccessTokens, clock: Clock) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock

    async def __call__(self, refresh_token: str) -> TokenPair:
        presented = hash_refresh_token(refresh_token)
        successor = new_refresh_token()
        async with self._uow as uow:
            family = await uow.token_families.find_by_token(presented)
            if family is None:
                raise NotAuthenticated("The refresh token is not valid.")
            user = await uow.users.get(family.user_id)
            if user is None:
                raise NotAuthenticated("The refresh token is not valid.")
            user.ensure_can_act()
            try:
                family.rotate(presented, hash_refresh_token(successor), self._clock.now(), REFRESH_TOKEN_TTL)
            except RefreshTokenReused:
                # The reuse revoked the family: keep that although the call is refused.
                await uow.commit()
                raise
            uow.token_families.remember_current_token(family)
            await uow.commit()
        access = self._tokens.issue(user, family.id)
        return TokenPair(access.token, successor, access.expires_in)


class Logout:
    """End one sign-in session: its refresh tokens and access tokens stop working."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, refresh_token: str) -> None:
        async with self._uow as uow:
            family = await uow.token_families.find_by_token(hash_refresh_token(refresh_token))
            # Only the caller's own session can be ended; any other token is ignored.
            if family is not None and family.user_id == principal.id:
                family.revoke("logout", self._clock.now())
            current = await uow.token_families.get(principal.family_id)
            if current is not None:
                current.revoke("logout", self._clock.now())
            await uow.commit()


class Authenticate:
    """Turn a bearer access token into a principal.

    Rules: the token's signature, issuer, audience and expiry are checked; the user must
    still exist and be active, and the session it belongs to must not be revoked.
    """

    def __init__(self, uow: UnitOfWork, tokens: AccessTokens) -> None:
        self._uow = uow
        self._tokens = tokens

    async def __call__(self, access_token: str) -> Principal:
        claims: AccessClaims = self._tokens.verify(access_token)
        async with self._uow as uow:
            user = await uow.users.get(claims.user_id)
            family = await uow.token_families.get(claims.family_id)
        if user is None or family is None or family.is_revoked or family.user_id != user.id:
            raise NotAuthenticated("The access token is no longer valid.")
        if not user.is_active:
            raise NotAuthenticated("This account is suspended.")
        return Principal(user, family.id)


class AuthenticateSession:
    """Turn a browser session token (the web pages' cookie) into a principal.

    A browser session is a token family started by `Login`; the cookie carries the family's
    live refresh token, which the pages never rotate. Rules: the token must be its family's
    live one and unexpired, the family not revoked and the user active; so logging out, a
    password reset, a suspension or a reuse-triggered revocation ends the browser session
    exactly as it ends the API's.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, session_token: str) -> Principal:
        presented = hash_refresh_token(session_token)
        async with self._uow as uow:
            family = await uow.token_families.find_by_token(presented)
            user = None if family is None else await uow.users.get(family.user_id)
        if (
            family is None
            or user is None
            or family.is_revoked
            or family.current_token_hash != presented
            or self._clock.now() >= family.current_expires_at
        ):
            raise NotAuthenticated("The session has ended; sign in again.")
        if not user.is_active:
            raise NotAuthenticated("This account is suspended.")
        return Principal(user, family.id)
