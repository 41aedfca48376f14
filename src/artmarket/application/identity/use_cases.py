"""Identity use cases: one class per thing a person can do with their account."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from artmarket.application.errors import ConcurrentUpdate, NotAuthenticated, RateLimited
from artmarket.application.identity.account_tokens import (
    RESET_PASSWORD_TTL,
    VERIFY_EMAIL_TTL,
    AccountTokenCodec,
)
from artmarket.application.identity.ports import (
    AccessClaims,
    AccessTokens,
    PasswordHasher,
    PasswordStrength,
)
from artmarket.application.messages import Message, PasswordResetAsked, PasswordResetRequested, UserRegistered
from artmarket.application.messaging import OutboxMessage
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.errors import NotAllowed, NotFound
from artmarket.domain.identity import (
    AccountToken,
    AccountTokenInvalid,
    AccountTokenPurpose,
    DisplayName,
    Email,
    InvalidCredentials,
    InvalidEmail,
    RefreshTokenReused,
    Role,
    TokenFamily,
    User,
    UserStatus,
    check_password_policy,
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
class Principal:
    """The authenticated caller of one request."""

    user: User
    family_id: UUID

    @property
    def id(self) -> UUID:
        return self.user.id

    def has_role(self, role: Role) -> bool:
        return self.user.has_role(role)


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """Failed sign-ins allowed per account and per client address before 429.

    `decoy_hash` is checked when the email is unknown, so both answers cost one
    password verification and take comparable time.
    """

    per_account: Limit
    per_address: Limit
    decoy_hash: str


@dataclass(frozen=True, slots=True)
class RegistrationPolicy:
    """Sign-ups allowed per client address within a window before 429."""

    per_address: Limit


def require_good_password(strength: PasswordStrength, password: str, *, hints: Sequence[str] = ()) -> None:
    """The password rules of every place a password is chosen: its length, then its guessability."""
    check_password_policy(password)
    strength.check(password, hints=hints)


class _FailedPasswordThrottle:
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


def send_account_link(
    uow: UnitOfWork,
    codec: AccountTokenCodec,
    ids: IdGenerator,
    *,
    user: User,
    purpose: AccountTokenPurpose,
    ttl: timedelta,
    message: Callable[[UUID], Message],
    now: datetime,
) -> None:
    """Store a new single-use token (its hash only) for `user` and the outbox message that
    emails its link; `message` makes that message from the token id. The caller commits."""
    token_id = ids.new_id()
    uow.account_tokens.add(
        AccountToken.issue(
            id=token_id,
            user_id=user.id,
            purpose=purpose,
            token_hash=codec.hash_of_id(token_id),
            now=now,
            ttl=ttl,
        )
    )
    uow.outbox.add(OutboxMessage.of(message(token_id), ids.new_id(), now))


class RegisterUser:
    """Self-service sign-up as a buyer or an artist.

    Rules: the email is unique regardless of case (409 otherwise); the password has
    12 to 256 characters and is not easy to guess (common, breached, or made of the email
    or name: 422 saying why); admins are never created here; one client address may sign
    up `per_address` times per window (429 after that; operators on the CLI pass no
    address). The new user is sent a welcome email with a single-use link that verifies the
    address (written to the outbox in the same transaction as the user).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        strength: PasswordStrength,
        ids: IdGenerator,
        clock: Clock,
        codec: AccountTokenCodec,
        limiter: RateLimiter,
        policy: RegistrationPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._strength = strength
        self._ids = ids
        self._clock = clock
        self._codec = codec
        self._limiter = limiter
        self._policy = policy

    async def __call__(
        self, *, email: str, password: str, display_name: str, role: Role, client_address: str | None
    ) -> User:
        canonical, name = Email(email), DisplayName(display_name)
        require_good_password(self._strength, password, hints=(str(canonical), str(name)))
        if client_address is not None:
            # Counted before the hashing, so refused sign-ups cost the server nothing either.
            key = f"register:address:{client_address}"
            wait = await self._limiter.retry_after(key, self._policy.per_address)
            if wait is not None:
                raise RateLimited(wait, "Too many sign-ups from your network; try again later.")
            await self._limiter.hit(key, self._policy.per_address)
        now = self._clock.now()
        user = User.register(
            id=self._ids.new_id(),
            email=canonical,
            display_name=name,
            password_hash=await self._hasher.hash(password),
            role=role,
            now=now,
        )
        async with self._uow as uow:
            uow.users.add(user)
            send_account_link(
                uow,
                self._codec,
                self._ids,
                user=user,
                purpose=AccountTokenPurpose.VERIFY_EMAIL,
                ttl=VERIFY_EMAIL_TTL,
                message=lambda token_id: UserRegistered(user.id, token_id),
                now=now,
            )
            await uow.commit()
        return user


class VerifyEmail:
    """Prove an email address with the token from the welcome email's link.

    Rules: the token works once and only before it expires; any other use is refused
    (422) and changes nothing.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, token: str) -> User:
        now = self._clock.now()
        try:
            async with self._uow as uow:
                found = await uow.account_tokens.find_by_hash(AccountTokenCodec.hash(token))
                if found is None:
                    raise AccountTokenInvalid()
                found.use(AccountTokenPurpose.VERIFY_EMAIL, now)
                user = await uow.users.get(found.user_id)
                if user is None:
                    raise AccountTokenInvalid()
                user.verify_email(now)
                await uow.commit()
        except ConcurrentUpdate:
            raise AccountTokenInvalid() from None  # the same link was used at the same moment
        return user


@dataclass(frozen=True, slots=True)
class PasswordResetPolicy:
    """Reset emails per address within a window; more requests are answered alike and ignored."""

    per_email: Limit


class RequestPasswordReset:
    """Ask for a password-reset link by email.

    Rules: the answer is the same whether or not an account has this email (no account
    enumeration), and so is the work done before answering: one outbox message naming the
    address, whose handler (`SendPasswordResetLink`) looks the account up later, off the
    request; at most `per_email` requests per window are taken for one address, further
    requests are silently dropped.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        ids: IdGenerator,
        clock: Clock,
        limiter: RateLimiter,
        policy: PasswordResetPolicy,
    ) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock
        self._limiter = limiter
        self._policy = policy

    async def __call__(self, email: str) -> None:
        try:
            canonical = Email(email)
        except InvalidEmail:
            return
        key = f"password-reset:{canonical}"
        if await self._limiter.retry_after(key, self._policy.per_email) is not None:
            return
        await self._limiter.hit(key, self._policy.per_email)
        request_id = self._ids.new_id()
        async with self._uow as uow:
            asked = PasswordResetAsked(str(canonical), request_id)
            uow.outbox.add(OutboxMessage.of(asked, request_id, self._clock.now()))
            await uow.commit()


class SendPasswordResetLink:
    """Handle a reset request (`PasswordResetAsked`): email a single-use link to the
    account with this address, if there is one and it is not suspended; nothing otherwise.

    Idempotent: a redelivered request finds its link already sent and does nothing more.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock, codec: AccountTokenCodec) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock
        self._codec = codec

    async def handle(self, message: PasswordResetAsked) -> None:
        try:
            async with self._uow as uow:
                user = await uow.users.get_by_email(Email(message.email))
                if user is None or not user.is_active:
                    return
                send_account_link(
                    uow,
                    self._codec,
                    self._ids,
                    user=user,
                    purpose=AccountTokenPurpose.RESET_PASSWORD,
                    ttl=RESET_PASSWORD_TTL,
                    message=lambda token_id: PasswordResetRequested(user.id, token_id, message.request_id),
                    now=self._clock.now(),
                )
                await uow.commit()
        except ConcurrentUpdate:
            return  # an earlier delivery of this request wrote its link first


class ConfirmPasswordReset:
    """Set a new password with the token from a reset email; every session is signed out.

    Rules: the token works once and only before it expires (422 otherwise, nothing
    changes); the new password follows the password policy; every other reset link of the
    account stops working; every token family of the user is revoked; the address counts
    as verified, since the link reached it.
    """

    def __init__(
        self, uow: UnitOfWork, hasher: PasswordHasher, strength: PasswordStrength, clock: Clock
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._strength = strength
        self._clock = clock

    async def __call__(self, token: str, new_password: str) -> None:
        require_good_password(self._strength, new_password)
        password_hash = await self._hasher.hash(new_password)
        now = self._clock.now()
        try:
            async with self._uow as uow:
                found = await uow.account_tokens.find_by_hash(AccountTokenCodec.hash(token))
                if found is None:
                    raise AccountTokenInvalid()
                found.use(AccountTokenPurpose.RESET_PASSWORD, now)
                user = await uow.users.get(found.user_id)
                if user is None or not user.is_active:
                    raise AccountTokenInvalid()
                for other in await uow.account_tokens.live_for_user(
                    user.id, AccountTokenPurpose.RESET_PASSWORD, now
                ):
                    other.withdraw(now)
                user.change_password_hash(password_hash)
                user.verify_email(now)
                for family in await uow.token_families.list_live_for_user(user.id):
                    family.revoke("password reset", now)
                await uow.commit()
        except ConcurrentUpdate:
            raise AccountTokenInvalid() from None


class CreateAdmin:
    """An operator creates an administrator (CLI only); the email must be unused and the
    password follows the same rules as everyone's."""

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        strength: PasswordStrength,
        ids: IdGenerator,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._strength = strength
        self._ids = ids
        self._clock = clock

    async def __call__(self, *, email: str, password: str, display_name: str = "Administrator") -> User:
        canonical, name = Email(email), DisplayName(display_name)
        require_good_password(self._strength, password, hints=(str(canonical), str(name)))
        user = User.create_admin(
            id=self._ids.new_id(),
            email=canonical,
            display_name=name,
            password_hash=await self._hasher.hash(password),
            now=self._clock.now(),
        )
        async with self._uow as uow:
            uow.users.add(user)
            await uow.commit()
        return user


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
        throttle = _FailedPasswordThrottle(
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


class UpdateProfile:
    """Change what others see of the caller (the display name)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, *, display_name: str | None) -> User:
        async with self._uow as uow:
            user = await uow.users.get(principal.id)
            if user is None:
                raise NotFound()
            if display_name is not None:
                user.rename(DisplayName(display_name))
            await uow.commit()
        return user


class ChangePassword:
    """Change the password, proving the current one; every other session is signed out.

    Rules: the new password follows the password rules (422 saying why); wrong current
    passwords count against the account and the client address exactly as failed sign-ins
    do, and once either is over the sign-in limit the change is refused with 429.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        strength: PasswordStrength,
        clock: Clock,
        limiter: RateLimiter,
        policy: LoginPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._strength = strength
        self._clock = clock
        self._limiter = limiter
        self._policy = policy

    async def __call__(
        self, principal: Principal, *, current_password: str, new_password: str, client_address: str
    ) -> None:
        account = principal.user
        require_good_password(
            self._strength, new_password, hints=(str(account.email), str(account.display_name))
        )
        throttle = _FailedPasswordThrottle(
            self._limiter, self._policy, email=str(account.email), client_address=client_address
        )
        await throttle.ensure_allowed("Too many wrong passwords; try again later.")
        if not await self._hasher.verify(account.password_hash, current_password):
            await throttle.failed()
            raise InvalidCredentials("The current password is wrong.")
        await throttle.succeeded()
        password_hash = await self._hasher.hash(new_password)
        async with self._uow as uow:
            user = await uow.users.get(principal.id)
            if user is None:
                raise NotFound()
            user.change_password_hash(password_hash)
            now = self._clock.now()
            for family in await uow.token_families.list_live_for_user(user.id):
                if family.id != principal.family_id:
                    family.revoke("password changed", now)
            await uow.commit()


class ListUsers:
    """Users newest first, optionally filtered by role and status (operators only)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, *, role: Role | None = None, status: UserStatus | None = None, limit: int = 100
    ) -> Sequence[User]:
        async with self._uow as uow:
            return await uow.users.list(role=role, status=status, limit=limit)


class IdentifyOperator:
    """The administrator an operator names on the CLI (`--operator EMAIL`); anyone else is refused."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, email: str) -> User:
        async with self._uow as uow:
            user = await uow.users.get_by_email(Email(email))
        if user is None or not user.has_role(Role.ADMIN) or not user.is_active:
            raise NotAllowed(f"{email} is not an active administrator.")
        return user
