"""Ports of the identity use cases."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from artmarket.domain.identity import (
    AccountToken,
    AccountTokenPurpose,
    Email,
    Role,
    TokenFamily,
    User,
    UserStatus,
)


class UserRepository(Protocol):
    """Users by id and by canonical email; `add` is checked for uniqueness at commit."""

    @abstractmethod
    def add(self, user: User) -> None: ...

    @abstractmethod
    async def get(self, user_id: UUID) -> User | None: ...

    @abstractmethod
    async def get_by_email(self, email: Email) -> User | None: ...

    @abstractmethod
    async def list(
        self,
        *,
        role: Role | None = None,
        status: UserStatus | None = None,
        q: str | None = None,
        before: tuple[datetime, UUID] | None = None,
        limit: int = 100,
    ) -> Sequence[User]:
        """Users newest first (strictly before `before`), optionally of one role and one status;
        `q` matches a case-insensitive substring of the email or the display name."""


class TokenFamilyRepository(Protocol):
    """Sign-in sessions; every token hash ever issued stays findable by `find_by_token`."""

    @abstractmethod
    def add(self, family: TokenFamily) -> None:
        """Store a new family and remember its first token."""

    @abstractmethod
    def remember_current_token(self, family: TokenFamily) -> None:
        """Remember the family's live token after a rotation, so its reuse is recognised."""

    @abstractmethod
    async def get(self, family_id: UUID) -> TokenFamily | None: ...

    @abstractmethod
    async def find_by_token(self, token_hash: str) -> TokenFamily | None:
        """The family that issued this token, whether the token is live or spent."""

    @abstractmethod
    async def list_live_for_user(self, user_id: UUID) -> Sequence[TokenFamily]: ...


class AccountTokenRepository(Protocol):
    """Single-use tokens sent by email, found by the hash of the token.

    Transactional: of two transactions spending one token, the second commit gets
    `ConcurrentUpdate`, so a link works once even when clicked twice at the same time.
    """

    @abstractmethod
    def add(self, token: AccountToken) -> None: ...

    @abstractmethod
    async def get(self, token_id: UUID) -> AccountToken | None: ...

    @abstractmethod
    async def find_by_hash(self, token_hash: str) -> AccountToken | None: ...

    @abstractmethod
    async def live_for_user(
        self, user_id: UUID, purpose: AccountTokenPurpose, now: datetime
    ) -> Sequence[AccountToken]:
        """Unused, unexpired tokens of one purpose, oldest first."""


class PasswordHasher(Protocol):
    """Slow, salted password hashing (argon2id in production), never on the event loop's thread
    and never more at once than the adapter allows, so sign-ups cannot starve other requests."""

    @abstractmethod
    async def hash(self, password: str) -> str: ...

    @abstractmethod
    async def verify(self, password_hash: str, password: str) -> bool:
        """True when the password matches; never raises for a wrong password."""

    @abstractmethod
    def needs_rehash(self, password_hash: str) -> bool: ...


class PasswordStrength(Protocol):
    """Refuses easily guessed passwords (common, breached, or built from `hints` such as the
    account's email) with `WeakPassword`, whose message says why."""

    @abstractmethod
    def check(self, password: str, *, hints: Sequence[str] = ()) -> None: ...


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a verified access token says about its bearer."""

    user_id: UUID
    family_id: UUID
    roles: frozenset[Role]
    token_id: str


@dataclass(frozen=True, slots=True)
class IssuedAccessToken:
    token: str
    expires_in: int


class AccessTokens(Protocol):
    """Signed, short-lived access tokens; `verify` raises `NotAuthenticated` for any bad token."""

    @abstractmethod
    def issue(self, user: User, family_id: UUID) -> IssuedAccessToken: ...

    @abstractmethod
    def verify(self, token: str) -> AccessClaims: ...
