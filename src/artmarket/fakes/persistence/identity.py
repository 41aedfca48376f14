"""In-memory repositories of users and their refresh-token families."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from artmarket.domain.identity import (
    Email,
    Role,
    TokenFamily,
    User,
    UserStatus,
)
from artmarket.fakes.persistence.database import (
    Workspace,
    newest_first,
)


class InMemoryUserRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, user: User) -> None:
        self._work.users.add(user.id, user)

    async def get(self, user_id: UUID) -> User | None:
        return self._work.users.get(user_id)

    async def get_by_email(self, email: Email) -> User | None:
        return next(iter(self._work.users.select(lambda user: user.email == email)), None)

    async def list(
        self,
        *,
        role: Role | None = None,
        status: UserStatus | None = None,
        q: str | None = None,
        before: tuple[datetime, UUID] | None = None,
        limit: int = 100,
    ) -> Sequence[User]:
        text = (q or "").strip().casefold()
        found = self._work.users.select(
            lambda user: (
                (role is None or role in user.roles)
                and (status is None or user.status == status)
                and (
                    not text
                    or text in str(user.email).casefold()
                    or text in str(user.display_name).casefold()
                )
                and (before is None or (user.created_at, user.id) < before)
            )
        )
        return newest_first(found, "created_at", "id")[:limit]


class InMemoryTokenFamilyRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, family: TokenFamily) -> None:
        self._work.token_families.add(family.id, family)
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
        live = self._work.token_families.select(lambda f: f.user_id == user_id and not f.is_revoked)
        return sorted(live, key=lambda family: (family.created_at, family.id))
