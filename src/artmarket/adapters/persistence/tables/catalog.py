"""The catalogue: artist profiles, KYC cases, artworks (with their search column), images, favourites."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import DDLCompiler, SQLCompiler
from sqlalchemy.sql.expression import ColumnElement

from artmarket.adapters.persistence.tables.schema import metadata, one_of, where
from artmarket.adapters.persistence.types import (
    CurrencyType,
    ShippingRatesType,
    StrEnumType,
    UtcDateTime,
)
from artmarket.domain.artists import KycStatus
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.delivery import DeliveryKind
from artmarket.domain.editions import EditionKind
from artmarket.domain.listing import Medium

#: The gallery lists published works; its partial indexes hold only those rows. Queries
#: must render this constant as a literal, or a generic plan cannot match the predicate.
PUBLISHED = f"status = '{ArtworkStatus.PUBLISHED.value}'"


class SearchDocument(ColumnElement[Any]):
    """What the gallery's `q` searches: title, description and artist name of a work.

    PostgreSQL: a `tsvector` ('simple' configuration: lower-cased words, no stemming),
    stored and GIN-indexed. SQLite: the three texts joined by U+001F (so a match never
    spans two of them), a VIRTUAL column searched with LIKE (nothing stored).
    """

    inherit_cache = True


@compiles(SearchDocument, "postgresql")
def _search_document_postgresql(element: SearchDocument, compiler: SQLCompiler, **kw: Any) -> str:
    return "to_tsvector('simple'::regconfig, title || ' ' || description || ' ' || artist_name)"


@compiles(SearchDocument)
def _search_document_default(element: SearchDocument, compiler: SQLCompiler, **kw: Any) -> str:
    return "title || char(31) || description || char(31) || artist_name"


class StoredOnPostgreSQL(Computed):
    """A generated column: STORED on PostgreSQL (before 18 it has no other kind), VIRTUAL
    (computed when read, nothing stored) on SQLite."""


@compiles(StoredOnPostgreSQL, "postgresql")
def _stored_on_postgresql(element: StoredOnPostgreSQL, compiler: DDLCompiler, **kw: Any) -> str:
    expression = compiler.sql_compiler.process(element.sqltext, include_table=False, literal_binds=True)
    return f"GENERATED ALWAYS AS ({expression}) STORED"


artist_profiles = Table(
    "artist_profiles",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id"), primary_key=True),
    Column("display_name", String(80), nullable=False),
    Column("bio", Text, nullable=False),
    Column("country", String(2), nullable=False),
    Column("website", String(300), nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    # The artist's page address (`/artists/{slug}`); unique, kept across renames.
    Column("slug", String(60), nullable=False),
    # The photo's public thumbnail (ContentStore key); none: the page shows a monogram.
    Column("photo_key", String(500), nullable=True),
    UniqueConstraint("slug"),
)

kyc_cases = Table(
    "kyc_cases",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("artist_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("legal_name", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("document_key", String(500), nullable=False),
    Column("document_content_type", String(100), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("status", StrEnumType(KycStatus, 16), nullable=False),
    Column("reviewer_id", Uuid, ForeignKey("users.id"), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("reason", Text, nullable=True),
    # Optimistic lock: two admins deciding one case at once cannot both win.
    Column("version", Integer, nullable=False),
    CheckConstraint(one_of("status", KycStatus), name="status"),
    # An artist's latest case, and the review queue oldest first.
    Index("ix_kyc_cases_artist_id", "artist_id", "submitted_at"),
    Index("ix_kyc_cases_status", "status", "submitted_at"),
    Index(None, "reviewer_id"),
)

artworks = Table(
    "artworks",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("artist_id", Uuid, ForeignKey("users.id"), nullable=False),
    # A copy of the artist's display name: the gallery shows and searches it without a join.
    Column("artist_name", String(80), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("medium", StrEnumType(Medium, 16), nullable=False),
    Column("price_amount", BigInteger, nullable=False),
    Column("price_currency", CurrencyType, nullable=False),
    Column("year", Integer, nullable=True),
    # Dimensions: all NULL when the work has none (height NULL means "no dimensions").
    Column("height_mm", Integer, nullable=True),
    Column("width_mm", Integer, nullable=True),
    Column("depth_mm", Integer, nullable=True),
    Column("status", StrEnumType(ArtworkStatus, 16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
    # Moved only by `UPDATE ... SET favorites_count = favorites_count ± 1` with the favourite.
    Column("favorites_count", Integer, nullable=False, server_default=text("0")),
    # A copy of the artist's suspension, set for all their works at once: the gallery
    # hides them without a join.
    Column("artist_suspended", Boolean, nullable=False, server_default=false()),
    # A copy of the first image's thumbnail (`artwork_images` position 0), written with the
    # images: a gallery card needs no join, which kept listings at 100k works slower than at 1k.
    Column("cover_thumbnail_key", String(500), nullable=True),
    Column("cover_width", Integer, nullable=True),
    Column("cover_height", Integer, nullable=True),
    # Why an administrator took the work down (the artist cannot publish it again).
    Column("taken_down_reason", Text, nullable=True),
    # How the work reaches its buyer: digital (the default), or physical with a weight and
    # shipping zones `[{"countries": [...], "amount": minor units, "currency": ...}]`.
    Column(
        "delivery_kind",
        StrEnumType(DeliveryKind, 16),
        nullable=False,
        server_default=text(f"'{DeliveryKind.DIGITAL.value}'"),
    ),
    Column("weight_grams", Integer, nullable=True),
    Column("shipping_rates", ShippingRatesType, nullable=True),
    # Unique (size 1), or a limited edition of `edition_size` numbered prints.
    Column(
        "edition_kind",
        StrEnumType(EditionKind, 16),
        nullable=False,
        server_default=text(f"'{EditionKind.UNIQUE.value}'"),
    ),
    Column("edition_size", Integer, nullable=False, server_default=text("1")),
    Column("edition_artist_proofs", Integer, nullable=False, server_default=text("0")),
    # A limited edition's free and sold numbers, recounted from its orders under the artwork's
    # placement turn (NULL for a unique work): cards show them without counting orders.
    Column("edition_available", Integer, nullable=True),
    Column("edition_sold", Integer, nullable=True),
    # A drop: on sale from this time.
    Column("available_from", UtcDateTime, nullable=True),
    # Optimistic lock: an UPDATE only applies to the version that was read.
    Column("version", Integer, nullable=False),
    Column(
        "search_vector", Text().with_variant(TSVECTOR(), "postgresql"), StoredOnPostgreSQL(SearchDocument())
    ),
    CheckConstraint(one_of("status", ArtworkStatus), name="status"),
    CheckConstraint(one_of("medium", Medium), name="medium"),
    CheckConstraint("price_amount > 0", name="price_positive"),
    CheckConstraint("favorites_count >= 0", name="favorites_count"),
    # The gallery: one partial index per sort, holding published works only, with the id as
    # tiebreaker so keyset pagination (`(key, id) < (:key, :id)`) is a single index range.
    Index("ix_artworks_published_newest", "published_at", "id", **where(PUBLISHED)),
    Index("ix_artworks_published_price", "price_amount", "id", **where(PUBLISHED)),
    Index("ix_artworks_published_currency_price", "price_currency", "price_amount", "id", **where(PUBLISHED)),
    Index("ix_artworks_published_popular", "favorites_count", "id", **where(PUBLISHED)),
    # An artist's works (and the foreign key), and listings of sold works.
    Index("ix_artworks_artist_id", "artist_id", "published_at", "id"),
    Index("ix_artworks_status", "status", "published_at", "id"),
    # Full-text search on PostgreSQL. LIKE '%…%' cannot use a B-tree, so on SQLite the
    # index is kept empty (WHERE 0): it exists on both only so both schemas match this module.
    # No fast-update pending list: every search would scan it, and the planner, costing
    # that in, walked the whole table for a rare word instead of the index.
    Index(
        "ix_artworks_search_vector",
        "search_vector",
        postgresql_using="gin",
        postgresql_with={"fastupdate": "off"},
        sqlite_where=text("0"),
    ),
)

artwork_images = Table(
    "artwork_images",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("artwork_id", Uuid, ForeignKey("artworks.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("display_key", String(500), nullable=False),
    Column("thumbnail_key", String(500), nullable=False),
    Column("original_key", String(500), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # One image per place; position 0 is the gallery's thumbnail.
    UniqueConstraint("artwork_id", "position"),
)

favorites = Table(
    "favorites",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("artwork_id", Uuid, ForeignKey("artworks.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("user_id", "artwork_id"),
    Index("ix_favorites_user_id", "user_id", "created_at"),
    Index(None, "artwork_id"),
)
