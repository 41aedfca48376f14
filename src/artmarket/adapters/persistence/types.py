"""Column types that carry domain values in and out of the database as plain columns."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import JSON, DateTime, Dialect, String
from sqlalchemy.types import TypeDecorator

from artmarket.domain.certificates import ArtworkSnapshot
from artmarket.domain.delivery import ShippingRate
from artmarket.domain.identity import DisplayName, Email, Role
from artmarket.domain.money import Currency, Money

E = TypeVar("E", bound=enum.StrEnum)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant, stored in UTC; naive datetimes are refused on the way in.

    SQLite has no timezone type and returns naive values, so they are read back as UTC
    (which is what was written); PostgreSQL answers in the session's zone, normalised here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UtcDateTime expects a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware datetime")
        value = value.astimezone(UTC)
        # SQLite's DATETIME would drop the offset anyway; store the UTC wall-clock time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EmailType(TypeDecorator[Email]):
    """An `Email` value object stored as its canonical (lower-case) text."""

    impl = String(254)
    cache_ok = True

    def process_bind_param(self, value: Email | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        # Comparing with a raw string is allowed; it is canonicalised like any Email.
        return value.value if isinstance(value, Email) else Email(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> Email | None:
        return None if value is None else Email(value)


class DisplayNameType(TypeDecorator[DisplayName]):
    """A `DisplayName` value object stored as text."""

    impl = String(80)
    cache_ok = True

    def process_bind_param(self, value: DisplayName | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return value.value if isinstance(value, DisplayName) else DisplayName(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> DisplayName | None:
        return None if value is None else DisplayName(value)


class RoleSet(TypeDecorator[frozenset[Role]]):
    """A set of roles stored as sorted comma-separated text, e.g. "admin,buyer".

    Filter by one role with `has_role_clause` rather than matching the text directly.
    """

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: frozenset[Role] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return ",".join(sorted(Role(role).value for role in value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> frozenset[Role] | None:
        if value is None:
            return None
        return frozenset(Role(part) for part in value.split(",") if part)


class StrEnumType(TypeDecorator[E], Generic[E]):
    """A `StrEnum` member stored as its value in a VARCHAR (no native enum type to migrate)."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[E], length: int = 32) -> None:
        super().__init__(length)
        self.enum_class = enum_class
        self.length = length  # part of the statement cache key, with enum_class

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum_class(value)


class CurrencyType(TypeDecorator[Currency]):
    """A `Currency` stored as its ISO 4217 code; a plain code is accepted when comparing."""

    impl = String(3)
    cache_ok = True

    def process_bind_param(self, value: Currency | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return value.code if isinstance(value, Currency) else Currency(value).code

    def process_result_value(self, value: str | None, dialect: Dialect) -> Currency | None:
        return None if value is None else Currency(value)


class ArtworkSnapshotType(TypeDecorator[ArtworkSnapshot]):
    """An `ArtworkSnapshot` stored as a JSON object (what a mint job certifies, fixed once drawn up)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: ArtworkSnapshot | None, dialect: Dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        return {
            "artwork_id": str(value.artwork_id),
            "title": value.title,
            "artist_id": str(value.artist_id),
            "artist_name": value.artist_name,
            "medium": value.medium,
            "year": value.year,
            "dimensions": value.dimensions,
            "image_uri": value.image_uri,
            "image_type": value.image_type,
            "edition_number": value.edition_number,
            "edition_size": value.edition_size,
        }

    def process_result_value(self, value: dict[str, Any] | None, dialect: Dialect) -> ArtworkSnapshot | None:
        if value is None:
            return None
        return ArtworkSnapshot(
            artwork_id=UUID(value["artwork_id"]),
            title=value["title"],
            artist_id=UUID(value["artist_id"]),
            artist_name=value["artist_name"],
            medium=value["medium"],
            year=value["year"],
            dimensions=value["dimensions"],
            image_uri=value["image_uri"],
            image_type=value["image_type"],
            # Absent from snapshots drawn up before editions existed: unique works.
            edition_number=value.get("edition_number"),
            edition_size=value.get("edition_size"),
        )


class UuidList(TypeDecorator[list[UUID]]):
    """An ordered list of UUIDs stored as a JSON array of strings."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[UUID] | None, dialect: Dialect) -> list[str] | None:
        return None if value is None else [str(item) for item in value]

    def process_result_value(self, value: list[str] | None, dialect: Dialect) -> list[UUID] | None:
        return None if value is None else [UUID(item) for item in value]


class ShippingRatesType(TypeDecorator[tuple[ShippingRate, ...]]):
    """An artwork's shipping zones as a JSON array of `{countries, amount, currency}`; none is NULL."""

    impl = JSON(none_as_null=True)
    cache_ok = True

    def process_bind_param(
        self, value: tuple[ShippingRate, ...] | None, dialect: Dialect
    ) -> list[dict[str, Any]] | None:
        if not value:
            return None
        return [
            {
                "countries": list(rate.countries),
                "amount": rate.price.amount,
                "currency": rate.price.currency.code,
            }
            for rate in value
        ]

    def process_result_value(
        self, value: list[dict[str, Any]] | None, dialect: Dialect
    ) -> tuple[ShippingRate, ...] | None:
        if value is None:
            return None
        return tuple(
            ShippingRate(tuple(rate["countries"]), Money.of(rate["amount"], rate["currency"]))
            for rate in value
        )
