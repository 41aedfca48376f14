"""Asking again for the link that verifies an account's email address."""

from __future__ import annotations

from dataclasses import dataclass

from artmarket.application.account_tokens import VERIFY_EMAIL_TTL, AccountTokenCodec
from artmarket.application.identity.account_links import send_account_link
from artmarket.application.messages import VerificationEmailRequested
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter, count_or_refuse
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.errors import Conflict
from artmarket.domain.identity import AccountTokenPurpose


class EmailAlreadyVerified(Conflict):
    default_message = "Your email address is already verified."


@dataclass(frozen=True, slots=True)
class VerificationEmailPolicy:
    """Verification emails one account may ask for within a window before 429."""

    per_user: Limit


class ResendVerificationEmail:
    """A signed-in user asks for a new link verifying their email address.

    Rules: only while the address is unverified (409 after); at most `per_user` requests per
    window (429 after that, saying so); each request issues a new single-use link, valid for
    as long as the welcome email's, emailed through the outbox in the same transaction.
    Earlier links keep working until they expire.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        codec: AccountTokenCodec,
        ids: IdGenerator,
        clock: Clock,
        limiter: RateLimiter,
        policy: VerificationEmailPolicy,
    ) -> None:
        self._uow = uow
        self._codec = codec
        self._ids = ids
        self._clock = clock
        self._limiter = limiter
        self._policy = policy

    async def __call__(self, principal: Principal) -> None:
        if principal.user.email_verified:
            raise EmailAlreadyVerified()
        await count_or_refuse(
            self._limiter,
            f"verification-email:{principal.id}",
            self._policy.per_user,
            "You asked for several verification emails already; please wait before asking again.",
        )
        now = self._clock.now()
        async with self._uow as uow:
            send_account_link(
                uow,
                self._codec,
                self._ids,
                user=principal.user,
                purpose=AccountTokenPurpose.VERIFY_EMAIL,
                ttl=VERIFY_EMAIL_TTL,
                message=lambda token_id: VerificationEmailRequested(principal.id, token_id),
                now=now,
            )
            await uow.commit()
