"""Choosing, changing and resetting a password."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from artmarket.application.account_tokens import (
    RESET_PASSWORD_TTL,
    AccountTokenCodec,
)
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.identity.account_links import redeem_account_link, send_account_link
from artmarket.application.identity.ports import (
    PasswordHasher,
    PasswordStrength,
)
from artmarket.application.identity.sessions import FailedPasswordThrottle, LoginPolicy
from artmarket.application.messages import PasswordResetAsked, PasswordResetRequested
from artmarket.application.messaging import OutboxMessage
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.errors import NotFound
from artmarket.domain.identity import (
    AccountTokenInvalid,
    AccountTokenPurpose,
    Email,
    InvalidCredentials,
    InvalidEmail,
    check_password_policy,
)


def require_good_password(strength: PasswordStrength, password: str, *, hints: Sequence[str] = ()) -> None:
    """The password rules of every place a password is chosen: its length, then its guessability."""
    check_password_policy(password)
    strength.check(password, hints=hints)


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
                user = await redeem_account_link(uow, token, AccountTokenPurpose.RESET_PASSWORD, now)
                if not user.is_active:
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
        throttle = FailedPasswordThrottle(
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
