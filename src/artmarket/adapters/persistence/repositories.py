"""SQLAlchemy repositories: they stage changes in the session; the unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import String, literal, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.mappings import IssuedToken
from artmarket.adapters.persistence.tables import refresh_tokens, token_families, users
from artmarket.domain.identity import Email, Role, TokenFamily, User, UserStatus


class SqlAlchemyUserRepository:
    """Users by id and canonical email; uniqueness is checked by the database at commit."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, user: User) -> None:
        self._session.add(user)

    async def get(self, user_id: UUID) -> User | None:
        with translated_errors():
            return await self._session.get(User, user_id)

    async def get_by_email(self, email: Email) -> User | None:
        with translated_errors():
            result = await self._session.scalars(select(User).where(users.c.email == email))
            return result.one_or_none()

    async def list(
        self, *, role: Role | None = None, status: UserStatus | None = None, limit: int = 100
    ) -> Sequence[User]:
        query = select(User).order_by(users.c.created_at.desc(), users.c.id.desc()).limit(limit)
        if role is not None:
            # roles is "admin,buyer": match one whole item of the comma-separated list.
            padded = literal(",", String) + type_coerce(users.c.roles, String) + literal(",", String)
            query = query.where(padded.like(f"%,{Role(role).value},%"))
        if status is not None:
            query = query.where(users.c.status == status)
        with translated_errors():
            return (await self._session.scalars(query)).all()


class SqlAlchemyTokenFamilyRepository:
    """Sign-in sessions and every refresh-token hash they issued."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, family: TokenFamily) -> None:
        self._session.add(family)
        self.remember_current_token(family)

    def remember_current_token(self, family: TokenFamily) -> None:
        self._session.add(IssuedToken(token_hash=family.current_token_hash, family=family))

    async def get(self, family_id: UUID) -> TokenFamily | None:
        with translated_errors():
            return await self._session.get(TokenFamily, family_id)

    async def find_by_token(self, token_hash: str) -> TokenFamily | None:
        query = (
            select(TokenFamily)
            .join(refresh_tokens, refresh_tokens.c.family_id == token_families.c.id)
            .where(refresh_tokens.c.token_hash == token_hash)
        )
        with translated_errors():
            return (await self._session.scalars(query)).one_or_none()

    async def list_live_for_user(self, user_id: UUID) -> Sequence[TokenFamily]:
        query = (
            select(TokenFamily)
            .where(token_families.c.user_id == user_id, token_families.c.revoked_at.is_(None))
            .order_by(token_families.c.created_at, token_families.c.id)
        )
        with translated_errors():
            return (await self._session.scalars(query)).all()
