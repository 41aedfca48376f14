"""Identity: users, their roles and status, and refresh-token families."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from artmarket.domain.errors import Conflict, DomainError, InvalidValue, NotAllowed
from artmarket.domain.languages import Language

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 256
DISPLAY_NAME_MAX_LENGTH = 80
# Deliberately permissive: one @, a dot in the domain, no spaces or control characters.
# Deliverability is proven by the verification email, not by a regular expression.
_EMAIL_SHAPE = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


class Role(enum.StrEnum):
    BUYER = "buyer"
    ARTIST = "artist"
    ADMIN = "admin"


SELF_SERVICE_ROLES = frozenset({Role.BUYER, Role.ARTIST})


class UserStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class InvalidEmail(InvalidValue):
    default_message = "This is not a valid email address."
    field = "email"


class WeakPassword(InvalidValue):
    default_message = f"A password has {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters."
    field = "password"


class GuessablePassword(WeakPassword):
    """A password a guesser would find quickly; `reason` and `advice` are `Phrase`s saying why."""

    default_message = "This password is too easy to guess. {reason} {advice}"


class InvalidDisplayName(InvalidValue):
    default_message = f"A display name has 1 to {DISPLAY_NAME_MAX_LENGTH} visible characters."
    field = "display_name"


class RoleNotSelfService(InvalidValue):
    default_message = "Only buyer and artist accounts can be registered; admins are created by an operator."
    field = "role"


class EmailAlreadyRegistered(Conflict):
    default_message = "An account with this email already exists."
    field = "email"


class UserAlreadySuspended(Conflict):
    default_message = "This account is already suspended."


class UserNotSuspended(Conflict):
    default_message = "This account is not suspended."


class CannotSuspendSelf(Conflict):
    default_message = "Administrators cannot suspend their own account."


def check_not_self_suspension(user_id: UUID, admin_id: UUID) -> None:
    """An administrator never suspends their own account."""
    if user_id == admin_id:
        raise CannotSuspendSelf()


class InvalidCredentials(DomainError):
    default_message = "The email or password is wrong."


class AccountSuspended(NotAllowed):
    default_message = "This account is suspended."


class RefreshTokenRejected(DomainError):
    default_message = "The refresh token is not valid."


class RefreshTokenReused(RefreshTokenRejected):
    """A spent token came back: someone holds a stolen copy, so the family dies."""

    default_message = "The refresh token was already used; every session it belongs to is now signed out."


@dataclass(frozen=True, slots=True)
class Email:
    """An email address, canonicalised to lower case so uniqueness ignores case."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str):
            raise InvalidEmail()
        canonical = self.value.strip().lower()
        if len(canonical) > 254 or not _EMAIL_SHAPE.fullmatch(canonical):
            raise InvalidEmail()
        object.__setattr__(self, "value", canonical)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class DisplayName:
    """What other people see instead of an email address."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str):
            raise InvalidDisplayName()
        cleaned = " ".join(self.value.split())
        if not 1 <= len(cleaned) <= DISPLAY_NAME_MAX_LENGTH or not cleaned.isprintable():
            raise InvalidDisplayName()
        object.__setattr__(self, "value", cleaned)

    def __str__(self) -> str:
        return self.value


def check_password_policy(password: str) -> None:
    """Length is the rule (NIST SP 800-63B): 12 to 256 characters, nothing else imposed."""
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise WeakPassword()


@dataclass(eq=False)
class User:
    """Someone with an account. Roles are a subset of buyer, artist and admin."""

    id: UUID
    email: Email
    display_name: DisplayName
    password_hash: str
    roles: frozenset[Role]
    created_at: datetime
    status: UserStatus = UserStatus.ACTIVE
    status_reason: str | None = None
    email_verified_at: datetime | None = None
    #: The language of the pages they see signed in and of every email they receive.
    language: Language = Language.ENGLISH

    @classmethod
    def register(
        cls,
        *,
        id: UUID,
        email: Email,
        display_name: DisplayName,
        password_hash: str,
        role: Role,
        now: datetime,
        language: Language = Language.ENGLISH,
    ) -> User:
        """Self-service sign-up: a buyer or an artist, never an admin, addressed in `language`."""
        if role not in SELF_SERVICE_ROLES:
            raise RoleNotSelfService()
        return cls(id, email, display_name, password_hash, frozenset({role}), now, language=language)

    @classmethod
    def create_admin(
        cls, *, id: UUID, email: Email, display_name: DisplayName, password_hash: str, now: datetime
    ) -> User:
        """Operators create admins from the CLI; admins can also buy."""
        return cls(id, email, display_name, password_hash, frozenset({Role.ADMIN, Role.BUYER}), now)

    @property
    def is_active(self) -> bool:
        return self.status is UserStatus.ACTIVE

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def ensure_can_act(self) -> None:
        """A suspended user can neither sign in nor use a token already issued."""
        if not self.is_active:
            raise AccountSuspended()

    def rename(self, display_name: DisplayName) -> None:
        self.display_name = display_name

    def speak(self, language: Language) -> None:
        """Pages and emails from now on in `language`."""
        self.language = language

    def change_password_hash(self, password_hash: str) -> None:
        self.password_hash = password_hash

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def verify_email(self, now: datetime) -> None:
        """The owner proved they read this address (the first proof's time is kept)."""
        if self.email_verified_at is None:
            self.email_verified_at = now

    def can_be_suspended_by(self, admin_id: UUID) -> bool:
        """What the console offers: `check_not_self_suspension` and `suspend` both accept."""
        try:
            check_not_self_suspension(self.id, admin_id)
        except CannotSuspendSelf:
            return False
        return self.status is not UserStatus.SUSPENDED

    @property
    def can_be_reinstated(self) -> bool:
        return self.status is UserStatus.SUSPENDED

    def suspend(self, reason: str) -> None:
        """active → suspended: no sign-in, no token honoured, nothing shown or sold."""
        if self.can_be_reinstated:
            raise UserAlreadySuspended()
        self.status = UserStatus.SUSPENDED
        self.status_reason = reason

    def reinstate(self, reason: str) -> None:
        """suspended → active."""
        if not self.can_be_reinstated:
            raise UserNotSuspended()
        self.status = UserStatus.ACTIVE
        self.status_reason = reason


@dataclass(eq=False)
class TokenFamily:
    """A sign-in session: the chain of refresh tokens rotated from one login.

    Only the hash of the one live token is held here; every hash ever issued stays
    findable through the repository so that a spent token is recognised when it returns.
    Rules (RFC 9700 section 4.14.2, refresh token rotation):
    - each refresh spends the live token and issues exactly one successor;
    - presenting any other token of the family revokes the family, successor included;
    - a revoked family or an expired token refreshes nothing.
    """

    id: UUID
    user_id: UUID
    created_at: datetime
    current_token_hash: str
    current_expires_at: datetime
    revoked_at: datetime | None = None
    revoked_reason: str | None = None

    @classmethod
    def start(
        cls, *, id: UUID, user_id: UUID, first_token_hash: str, now: datetime, ttl: timedelta
    ) -> TokenFamily:
        return cls(id, user_id, now, first_token_hash, now + ttl)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self, reason: str, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now
            self.revoked_reason = reason

    def rotate(self, presented_hash: str, new_hash: str, now: datetime, ttl: timedelta) -> None:
        """Spend the presented token and make `new_hash` the live one (see the class rules)."""
        if self.is_revoked:
            raise RefreshTokenRejected()
        if presented_hash != self.current_token_hash:
            self.revoke("refresh token reuse", now)
            raise RefreshTokenReused()
        if now >= self.current_expires_at:
            raise RefreshTokenRejected("The refresh token has expired; sign in again.")
        self.current_token_hash = new_hash
        self.current_expires_at = now + ttl


class AccountTokenPurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a secret


class AccountTokenInvalid(InvalidValue):
    default_message = "This link is not valid: it has expired, was already used, or was never issued."
    field = "token"


@dataclass(eq=False)
class AccountToken:
    """A single-use, expiring proof sent to a user's email address (verify it, reset the password).

    Only a hash of the token is kept; the token itself travels in the email's link once.
    Rules: a token serves one purpose; it works once, before `expires_at`; a used or
    expired token, or one of another purpose, is refused with `AccountTokenInvalid`.
    """

    id: UUID
    user_id: UUID
    purpose: AccountTokenPurpose
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    @classmethod
    def issue(
        cls,
        *,
        id: UUID,
        user_id: UUID,
        purpose: AccountTokenPurpose,
        token_hash: str,
        now: datetime,
        ttl: timedelta,
    ) -> AccountToken:
        return cls(id, user_id, purpose, token_hash, now, now + ttl)

    def is_live(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at

    def use(self, purpose: AccountTokenPurpose, now: datetime) -> None:
        """Spend the token (see the class rules)."""
        if self.purpose is not purpose or not self.is_live(now):
            raise AccountTokenInvalid()
        self.used_at = now

    def withdraw(self, now: datetime) -> None:
        """Make an unused token useless (a newer one of the same purpose was spent)."""
        if self.used_at is None:
            self.used_at = now
