"""Creating accounts: self-service sign-up, verifying the address, and operator-made administrators."""

from __future__ import annotations

from dataclasses import dataclass

from artmarket.application.account_tokens import (
    VERIFY_EMAIL_TTL,
    AccountTokenCodec,
)
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.identity.account_links import redeem_account_link, send_account_link
from artmarket.application.identity.passwords import require_good_password
from artmarket.application.identity.ports import (
    PasswordHasher,
    PasswordStrength,
)
from artmarket.application.messages import UserRegistered
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter, count_or_refuse
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.identity import (
    AccountTokenInvalid,
    AccountTokenPurpose,
    DisplayName,
    Email,
    Role,
    User,
)
from artmarket.domain.languages import Language


@dataclass(frozen=True, slots=True)
class RegistrationPolicy:
    """Sign-ups allowed per client address within a window before 429."""

    per_address: Limit


class RegisterUser:
    """Self-service sign-up as a buyer or an artist.

    Rules: the email is unique regardless of case (409 otherwise); the password has
    12 to 256 characters and is not easy to guess (common, breached, or made of the email
    or name: 422 saying why); admins are never created here; one client address may sign
    up `per_address` times per window (429 after that; operators on the CLI pass no
    address). The new user is sent a welcome email with a single-use link that verifies the
    address (written to the outbox in the same transaction as the user), in the language
    they signed up in (English unless said).
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
        self,
        *,
        email: str,
        password: str,
        display_name: str,
        role: Role,
        client_address: str | None,
        language: Language = Language.ENGLISH,
    ) -> User:
        canonical, name = Email(email), DisplayName(display_name)
        require_good_password(self._strength, password, hints=(str(canonical), str(name)))
        if client_address is not None:
            # Counted before the hashing, so refused sign-ups cost the server nothing either.
            await count_or_refuse(
                self._limiter,
                f"register:address:{client_address}",
                self._policy.per_address,
                "Too many sign-ups from your network; try again later.",
            )
        now = self._clock.now()
        user = User.register(
            id=self._ids.new_id(),
            email=canonical,
            display_name=name,
            password_hash=await self._hasher.hash(password),
            role=role,
            now=now,
            language=language,
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
                user = await redeem_account_link(uow, token, AccountTokenPurpose.VERIFY_EMAIL, now)
                user.verify_email(now)
                await uow.commit()
        except ConcurrentUpdate:
            raise AccountTokenInvalid() from None  # the same link was used at the same moment
        return user


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
