"""The in-memory unit of work: a working fake for fast tests, held to the same contract.

Inside `async with`, repositories work on private copies of the committed state; `commit()`
checks the same rules the database enforces (unique email, one winner per token-family
version, existing references), raises the same errors, and then publishes the changes.
Leaving without a commit discards the copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from types import TracebackType
from typing import Any, Self, TypeVar
from uuid import UUID

from artmarket.application.errors import StorageUnavailable
from artmarket.domain.identity import (
    Email,
    EmailAlreadyRegistered,
    RefreshTokenRejected,
    Role,
    TokenFamily,
    User,
    UserStatus,
)

T = TypeVar("T", User, TokenFamily)


def _copy(entity: T) -> T:
    # Every field holds an immutable value, so a new instance is a deep copy.
    return replace(entity)


def _state(entity: Any) -> tuple[Any, ...]:
    return tuple(getattr(entity, f.name) for f in fields(entity))


@dataclass
class InMemoryDatabase:
    """The committed state, shared by every `InMemoryUnitOfWork` built on it."""

    users: dict[UUID, User] = field(default_factory=dict)
    token_families: dict[UUID, TokenFamily] = field(default_factory=dict)
    #: Every refresh-token hash ever issued, and the family that issued it.
    refresh_tokens: dict[str, UUID] = field(default_factory=dict)
    #: The optimistic-lock version of each family, bumped by every committed change.
    family_versions: dict[UUID, int] = field(default_factory=dict)
    #: How many commits succeeded.
    commits: int = 0


@dataclass
class _Workspace:
    """One transaction's private copies and what it added."""

    users: dict[UUID, User]
    token_families: dict[UUID, TokenFamily]
    refresh_tokens: dict[str, UUID]
    base_users: dict[UUID, tuple[Any, ...]]
    base_families: dict[UUID, tuple[Any, ...]]
    base_versions: dict[UUID, int]
    added_users: set[UUID] = field(default_factory=set)
    added_families: set[UUID] = field(default_factory=set)
    added_tokens: dict[str, UUID] = field(default_factory=dict)

    @classmethod
    def of(cls, db: InMemoryDatabase) -> _Workspace:
        return cls(
            users={key: _copy(user) for key, user in db.users.items()},
            token_families={key: _copy(family) for key, family in db.token_families.items()},
            refresh_tokens=dict(db.refresh_tokens),
            base_users={key: _state(user) for key, user in db.users.items()},
            base_families={key: _state(family) for key, family in db.token_families.items()},
            base_versions=dict(db.family_versions),
        )


class InMemoryUserRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, user: User) -> None:
        self._work.users[user.id] = user
        self._work.added_users.add(user.id)

    async def get(self, user_id: UUID) -> User | None:
        return self._work.users.get(user_id)

    async def get_by_email(self, email: Email) -> User | None:
        return next((user for user in self._work.users.values() if user.email == email), None)

    async def list(
        self, *, role: Role | None = None, status: UserStatus | None = None, limit: int = 100
    ) -> Sequence[User]:
        found = [
            user
            for user in self._work.users.values()
            if (role is None or role in user.roles) and (status is None or user.status == status)
        ]
        found.sort(key=lambda user: (user.created_at, user.id), reverse=True)
        return found[:limit]


class InMemoryTokenFamilyRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, family: TokenFamily) -> None:
        self._work.token_families[family.id] = family
        self._work.added_families.add(family.id)
        self.remember_current_token(family)

    def remember_current_token(self, family: TokenFamily) -> None:
        self._work.refresh_tokens[family.current_token_hash] = family.id
        self._work.added_tokens[family.current_token_hash] = family.id

    async def get(self, family_id: UUID) -> TokenFamily | None:
        return self._work.token_families.get(family_id)

    async def find_by_token(self, token_hash: str) -> TokenFamily | None:
        family_id = self._work.refresh_tokens.get(token_hash)
        return None if family_id is None else self._work.token_families.get(family_id)

    async def list_live_for_user(self, user_id: UUID) -> Sequence[TokenFamily]:
        live = [f for f in self._work.token_families.values() if f.user_id == user_id and not f.is_revoked]
        live.sort(key=lambda family: (family.created_at, family.id))
        return live


class InMemoryUnitOfWork:
    """Same contract as `SqlAlchemyUnitOfWork`; `committed` tells tests a commit succeeded."""

    users: InMemoryUserRepository
    token_families: InMemoryTokenFamilyRepository

    def __init__(self, db: InMemoryDatabase | None = None) -> None:
        self.db = db if db is not None else InMemoryDatabase()
        #: True once any commit of this unit of work succeeded.
        self.committed = False
        self._work: _Workspace | None = None

    async def __aenter__(self) -> Self:
        if self._work is not None:
            raise RuntimeError("This unit of work is already open; nested `async with` is not supported.")
        self._begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work = None

    async def commit(self) -> None:
        work = self._require_work()
        try:
            self._publish(work)
        except Exception:
            self._begin()  # like a rollback: the block goes on from the committed state
            raise
        self.db.commits += 1
        self.committed = True
        # Like a session after commit: the same objects stay in use, now matching the database.
        work.base_users = {key: _state(user) for key, user in work.users.items()}
        work.base_families = {key: _state(family) for key, family in work.token_families.items()}
        work.base_versions = dict(self.db.family_versions)
        work.added_users.clear()
        work.added_families.clear()
        work.added_tokens.clear()

    def _begin(self) -> None:
        self._work = _Workspace.of(self.db)
        self.users = InMemoryUserRepository(self._work)
        self.token_families = InMemoryTokenFamilyRepository(self._work)

    def _require_work(self) -> _Workspace:
        if self._work is None:
            raise RuntimeError("Use the unit of work inside `async with`.")
        return self._work

    def _publish(self, work: _Workspace) -> None:
        """Check every rule against the committed state, then apply the changes at once."""
        db = self.db
        users = dict(db.users)
        for user_id, user in work.users.items():
            if user_id in work.added_users:
                if user_id in db.users:
                    raise StorageUnavailable()  # duplicate primary key: a bug, as in SQL
            elif _state(user) == work.base_users.get(user_id):
                continue
            users[user_id] = _copy(user)
        emails: dict[Email, UUID] = {}
        for user in users.values():
            if emails.setdefault(user.email, user.id) != user.id:
                raise EmailAlreadyRegistered()

        families = dict(db.token_families)
        versions = dict(db.family_versions)
        for family_id, family in work.token_families.items():
            if family_id in work.added_families:
                if family_id in db.token_families:
                    raise StorageUnavailable()
                versions[family_id] = 1
            elif _state(family) == work.base_families.get(family_id):
                continue
            elif db.family_versions.get(family_id) != work.base_versions.get(family_id):
                raise RefreshTokenRejected()  # another transaction changed it first
            else:
                versions[family_id] += 1
            if family.user_id not in users:
                raise StorageUnavailable()  # foreign key
            families[family_id] = _copy(family)

        tokens = dict(db.refresh_tokens)
        for token_hash, family_id in work.added_tokens.items():
            if token_hash in db.refresh_tokens or family_id not in families:
                raise StorageUnavailable()  # primary key or foreign key
            tokens[token_hash] = family_id

        db.users, db.token_families, db.family_versions, db.refresh_tokens = users, families, versions, tokens
