"""The gallery read model: keyset-paginated listings in SQLAlchemy Core, rows straight into cards.

Every listing is one index range scan: each sort has a partial index over published
works ordered by its key and the id (see `tables.artworks`), the status constant is
rendered into the SQL so a generic (prepared) plan can still use that partial index, and
the page starts strictly after the previous page's last `(key, id)` with a row-value
comparison, so no page skips or repeats a work however deep it is.

Search (`q`): PostgreSQL matches every word of `q` as a word prefix anywhere in title,
description and artist name (full text, 'simple' configuration, GIN index); SQLite and
the in-memory fake match `q` as a case-insensitive substring of one of the three
(SQLite folds ASCII letters only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    exists,
    false,
    func,
    literal_column,
    select,
    tuple_,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from artmarket.adapters.persistence.gallery_cards import CARD_COLUMNS, card_of_row
from artmarket.adapters.persistence.read_model import SqlReadModel
from artmarket.adapters.persistence.repositories import constant, has_role_clause
from artmarket.adapters.persistence.tables.catalog import artist_profiles, artworks, kyc_cases
from artmarket.adapters.persistence.tables.identity import users
from artmarket.application.catalog.ports import ArtistSummary, GalleryCard, GalleryFilter, GallerySort
from artmarket.application.cursor import GalleryPosition, InvalidCursor
from artmarket.application.errors import StorageUnavailable
from artmarket.domain.artists import KycStatus
from artmarket.domain.catalog import LISTED_STATUSES, ArtworkStatus
from artmarket.domain.identity import Role, UserStatus
from artmarket.domain.listing import Medium

#: Works anyone may see: an artist appears in the directory once they have one.
PUBLIC_STATUSES = tuple(sorted(LISTED_STATUSES))  # sorted: the same SQL text in every process

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class SortOrder:
    """How one `GallerySort` orders the works: by `key` then id, both in one direction."""

    key: str
    descending: bool

    def value_of(self, position: GalleryPosition) -> int | datetime:
        """The sort value a cursor's position carries (ISO text for dates, an int otherwise)."""
        key = position.key
        if self.key == "published_at":
            if not isinstance(key, str):
                raise InvalidCursor()
            try:
                value = datetime.fromisoformat(key)
            except ValueError as error:
                raise InvalidCursor() from error
            if value.tzinfo is None:
                raise InvalidCursor()
            return value
        if isinstance(key, bool) or not isinstance(key, int):
            raise InvalidCursor()
        return key


SORT_ORDERS: dict[GallerySort, SortOrder] = {
    GallerySort.NEWEST: SortOrder("published_at", descending=True),
    GallerySort.OLDEST: SortOrder("published_at", descending=False),
    GallerySort.PRICE_ASC: SortOrder("price_amount", descending=False),
    GallerySort.PRICE_DESC: SortOrder("price_amount", descending=True),
    GallerySort.POPULAR: SortOrder("favorites_count", descending=True),
}


def search_words(q: str | None) -> list[str]:
    """The words of a search, lower-cased (letters and digits; everything else separates)."""
    return _WORD.findall(q.lower()) if q else []


def like_pattern(q: str) -> str:
    r"""`%q%` for LIKE ... ESCAPE '\', with the wildcards of `q` itself escaped."""
    cleaned = q.replace("\x1f", "")  # the separator between the three texts on SQLite
    escaped = cleaned.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _artists_select() -> Select[Any]:
    works = artworks.alias("works")
    published_works = (
        select(func.count())
        .where(works.c.artist_id == users.c.id, works.c.status == constant(ArtworkStatus.PUBLISHED.value))
        .scalar_subquery()
    )
    has_public_work = exists().where(
        artworks.c.artist_id == users.c.id,
        artworks.c.status.in_([constant(status.value) for status in PUBLIC_STATUSES]),
    )
    # An approved case is never followed by another (`may_submit_kyc`): it stays the latest.
    verified = exists().where(
        kyc_cases.c.artist_id == users.c.id, kyc_cases.c.status == constant(KycStatus.APPROVED.value)
    )
    return (
        select(
            users.c.id,
            func.coalesce(artist_profiles.c.display_name, users.c.display_name).label("display_name"),
            func.coalesce(artist_profiles.c.bio, "").label("bio"),
            artist_profiles.c.country,
            artist_profiles.c.website,
            published_works.label("published_works"),
            artist_profiles.c.slug,
            verified.label("verified"),
            artist_profiles.c.photo_key,
        )
        .select_from(users.outerjoin(artist_profiles, artist_profiles.c.user_id == users.c.id))
        .where(
            has_role_clause(users.c.roles, Role.ARTIST),
            users.c.status == constant(UserStatus.ACTIVE.value),
            has_public_work,
        )
        .order_by(users.c.id)
    )


def _summary(row: Row[*tuple[Any, ...]]) -> ArtistSummary:
    return ArtistSummary(
        id=row.id,
        display_name=str(row.display_name),
        bio=row.bio,
        country=row.country,
        website=row.website,
        published_works=int(row.published_works),
        slug=row.slug,
        verified=bool(row.verified),
        photo_key=row.photo_key,
    )


@dataclass(frozen=True, slots=True)
class Listing:
    """One listing's statement parts and their values; listings of one `shape` share one SQL text."""

    sort: GallerySort
    status: ArtworkStatus
    values: dict[str, Any]
    matches_nothing: bool = False

    @property
    def shape(self) -> tuple[GallerySort, ArtworkStatus, frozenset[str], bool]:
        return (self.sort, self.status, frozenset(self.values), self.matches_nothing)


class SqlGalleryQueries(SqlReadModel):
    """`GalleryQueries` over the database with SQLAlchemy Core: no entity is loaded."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._postgresql = engine.dialect.name == "postgresql"

    def prepare(
        self, where: GalleryFilter, sort: GallerySort, after: GalleryPosition | None, limit: int
    ) -> Listing:
        """The values a listing binds, named by the part of the statement they fill."""
        sort = GallerySort(sort)
        values: dict[str, Any] = {"limit": limit}
        if after is not None:
            values["after_key"] = SORT_ORDERS[sort].value_of(after)
            values["after_id"] = after.id
        if where.medium is not None:
            values["medium"] = Medium(where.medium).value
        if where.artist_id is not None:
            values["artist_id"] = where.artist_id
        if where.currency is not None:
            values["currency"] = where.currency
        if where.min_price is not None:
            values["min_price"] = where.min_price
        if where.max_price is not None:
            values["max_price"] = where.max_price
        q = (where.q or "").strip()
        if q and not self._postgresql:
            values["q"] = like_pattern(q)
        elif q:
            # Each word as a prefix ("sun" finds "Sunset"); the words are letters and digits
            # only, so nothing in them is tsquery syntax.
            words = search_words(q)
            if not words:
                return Listing(sort, ArtworkStatus(where.status), values, matches_nothing=True)
            values["q"] = " & ".join(f"{word}:*" for word in words)
        return Listing(sort, ArtworkStatus(where.status), values)

    def statement(self, listing: Listing) -> Select[Any]:
        """The SELECT for `listing`'s shape, its values left as named parameters."""
        order = SORT_ORDERS[listing.sort]
        key = artworks.c[order.key]
        names = listing.values
        query = (
            select(*CARD_COLUMNS)
            .select_from(
                artworks.outerjoin(artist_profiles, artist_profiles.c.user_id == artworks.c.artist_id)
            )
            # A literal, so the partial indexes (`WHERE status = 'published'`) match.
            .where(artworks.c.status == constant(listing.status.value))
            # Works of a suspended artist are hidden (rare: filtered on the rows the index finds).
            .where(artworks.c.artist_suspended == false())
            .order_by(*((key.desc(), artworks.c.id.desc()) if order.descending else (key, artworks.c.id)))
            .limit(bindparam("limit", type_=Integer()))
        )
        if "after_key" in names:
            position = tuple_(key, artworks.c.id)
            boundary = tuple_(
                bindparam("after_key", type_=key.type), bindparam("after_id", type_=artworks.c.id.type)
            )
            query = query.where(position < boundary if order.descending else position > boundary)
        for name, condition in (
            ("medium", artworks.c.medium == bindparam("medium", type_=String())),
            ("artist_id", artworks.c.artist_id == bindparam("artist_id", type_=artworks.c.artist_id.type)),
            ("currency", artworks.c.price_currency == bindparam("currency", type_=String())),
            ("min_price", artworks.c.price_amount >= bindparam("min_price", type_=Integer())),
            ("max_price", artworks.c.price_amount <= bindparam("max_price", type_=Integer())),
        ):
            if name in names:
                query = query.where(condition)
        if listing.matches_nothing:
            query = query.where(false())
        elif "q" in names:
            query = query.where(self._matches(bindparam("q", type_=String())))
        return query

    def listing(
        self, where: GalleryFilter, sort: GallerySort, after: GalleryPosition | None, limit: int
    ) -> Select[Any]:
        """The SELECT behind `search` with its values bound (public so its plan can be checked)."""
        listing = self.prepare(where, sort, after, limit)
        return self.statement(listing).params(listing.values)

    def _matches(self, q: BindParameter[str]) -> ColumnElement[bool]:
        if not self._postgresql:
            return artworks.c.search_vector.like(q, escape="\\")
        return artworks.c.search_vector.op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"), q))

    async def search(
        self, where: GalleryFilter, sort: GallerySort, after: GalleryPosition | None, limit: int
    ) -> Sequence[GalleryCard]:
        query = self.listing(where, sort, after, limit)
        rows = await self._rows(query)
        return [card_of_row(row) for row in rows]

    async def artists(self, *, limit: int, after: UUID | None) -> Sequence[ArtistSummary]:
        query = _artists_select().limit(limit)
        if after is not None:
            query = query.where(users.c.id > after)
        rows = await self._rows(query)
        return [_summary(row) for row in rows]

    async def artist(self, artist_id: UUID) -> ArtistSummary | None:
        query = _artists_select().where(users.c.id == artist_id)
        row = await self._first(query)
        return None if row is None else _summary(row)

    async def artist_by_slug(self, slug: str) -> ArtistSummary | None:
        query = _artists_select().where(artist_profiles.c.slug == slug)
        row = await self._first(query)
        return None if row is None else _summary(row)


class PostgresGalleryQueries(SqlGalleryQueries):
    """The same listings on PostgreSQL, run straight on psycopg: the gallery's hot path.

    SQLAlchemy builds and compiles each listing *shape* once; every later listing of that
    shape sends the cached text with its values on a pooled autocommit connection, which
    psycopg prepares server-side after a few uses. This skips the per-call statement
    building, compilation-cache lookup and result processing that cost ~2 ms of CPU per
    page (`bench/gallery.py`, ADR 0005).
    """

    def __init__(self, engine: AsyncEngine, pool: AsyncConnectionPool[Any]) -> None:
        super().__init__(engine)
        self._pool = pool
        self._dialect = engine.dialect
        self._texts: dict[
            tuple[GallerySort, ArtworkStatus, frozenset[str], bool], tuple[str, dict[str, Any]]
        ] = {}

    def sql(self, listing: Listing) -> tuple[str, dict[str, Any]]:
        """The SQL text sent for `listing` and every value it binds (public so its plan can be checked)."""
        cached = self._texts.get(listing.shape)
        if cached is None:
            statement = self.statement(listing).params(listing.values)
            rendered = statement.compile(dialect=self._dialect, compile_kwargs={"render_postcompile": True})
            bound = statement.compile(dialect=self._dialect).params  # postcompile hides them
            constants = {name: value for name, value in bound.items() if name not in listing.values}
            cached = self._texts[listing.shape] = (rendered.string, constants)
        text, constants = cached
        return text, {**constants, **listing.values}

    async def search(
        self, where: GalleryFilter, sort: GallerySort, after: GalleryPosition | None, limit: int
    ) -> Sequence[GalleryCard]:
        listing = self.prepare(where, sort, after, limit)
        if listing.matches_nothing:
            return []
        try:
            async with self._pool.connection() as connection:
                # A search is planned with its words (never prepared): a generic plan cannot
                # tell a rare word (GIN index) from a common one (walk the sort's index).
                cursor = await connection.execute(
                    *self.sql(listing), prepare=False if "q" in listing.values else None, binary=True
                )
                rows = await cursor.fetchall()
        except (psycopg.OperationalError, PoolTimeout) as error:
            raise StorageUnavailable() from error
        return [card_of_row(row) for row in rows]
