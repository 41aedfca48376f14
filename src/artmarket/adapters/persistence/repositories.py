"""SQLAlchemy repositories: they stage changes in the session; the unit of work commits."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    String,
    Table,
    literal,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.mappings import IssuedToken
from artmarket.adapters.persistence.tables.identity import refresh_tokens, token_families, users
from artmarket.domain.identity import Email, Role, TokenFamily, User, UserStatus

R = TypeVar("R")


def record_of(record: Callable[..., R], row: Row[*tuple[Any, ...]], **converted: Any) -> R:
    """`record` built from a row whose columns are its fields by name; `converted` overrides some."""
    return record(**{**row._mapping, **converted})


def row_of(record: Any, **converted: Any) -> dict[str, Any]:
    """The row of a dataclass `record` whose fields are its columns by name (`record_of`'s
    inverse); `converted` overrides some."""
    return {**{field.name: getattr(record, field.name) for field in fields(record)}, **converted}


def newest_first(
    entity: type[R],
    table: Table,
    *,
    limit: int,
    status: Any = None,
    before: tuple[datetime, UUID] | None = None,
) -> Select[R]:
    """A page of `entity` newest first (`created_at`, then `id`), of one `status` when given,
    after the keyset `before` (the last row of the previous page) when given."""
    query = select(entity).order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)
    if status is not None:
        query = query.where(table.c.status == status)
    if before is not None:
        query = query.where(tuple_(table.c.created_at, table.c.id) < tuple(before))
    return query


def constant(value: str) -> BindParameter[str]:
    """A string rendered into the SQL text, never bound as a parameter.

    Use it for the constant of a partial index's predicate (`status = 'published'`): a
    generic (cached, prepared) plan for `status = $1` cannot prove the predicate holds,
    so it would ignore the partial index.
    """
    return literal(value, String(), literal_execute=True)


def substring_pattern(q: str) -> str:
    r"""`%q%` for LIKE ... ESCAPE '\', with the wildcards of `q` itself escaped."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def has_role_clause(roles: ColumnElement[Any], role: Role) -> ColumnElement[bool]:
    """`roles` (comma-separated text, e.g. "admin,buyer") contains `role` as a whole item."""
    padded = literal(",", String) + type_coerce(roles, String) + literal(",", String)
    return padded.like(f"%,{Role(role).value},%")


async def insert_if_absent(
    session: AsyncSession, table: Table, values: Mapping[str, Any], *, key: Sequence[str]
) -> bool:
    """`INSERT ... ON CONFLICT (key) DO NOTHING`; True when the row was inserted.

    Race-safe on both databases: an insert racing a not-yet-committed row with the same
    key waits for that transaction and then does nothing (PostgreSQL), or waits for the
    write lock (SQLite).
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table).values(dict(values)).on_conflict_do_nothing(index_elements=list(key))
    ).returning(table.c[key[0]])
    return (await session.execute(statement)).first() is not None


async def upsert(
    session: AsyncSession, table: Table, values: Mapping[str, Any], *, key: Sequence[str]
) -> None:
    """`INSERT ... ON CONFLICT (key) DO UPDATE` every other column."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(dict(values))
    changes = {name: statement.excluded[name] for name in values if name not in key}
    await session.execute(statement.on_conflict_do_update(index_elements=list(key), set_=changes))


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
        self,
        *,
        role: Role | None = None,
        status: UserStatus | None = None,
        q: str | None = None,
        before: tuple[datetime, UUID] | None = None,
        limit: int = 100,
    ) -> Sequence[User]:
        query = newest_first(User, users, limit=limit, status=status, before=before)
        if role is not None:
            query = query.where(has_role_clause(users.c.roles, role))
        if q and q.strip():
            pattern = substring_pattern(q.strip())
            query = query.where(
                or_(
                    type_coerce(users.c.email, String).ilike(pattern, escape="\\"),
                    type_coerce(users.c.display_name, String).ilike(pattern, escape="\\"),
                )
            )
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
