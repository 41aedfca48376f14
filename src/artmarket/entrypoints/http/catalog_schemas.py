"""msgspec structs of the catalog routes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar.datastructures import UploadFile

from artmarket.application.catalog.ports import ArtistSummary, GalleryCard
from artmarket.application.media import ContentStore
from artmarket.domain.artists import ArtistProfile, KycCase
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.delivery import Delivery, DeliveryKind, ShippingRate
from artmarket.domain.errors import InvalidValue
from artmarket.domain.listing import ArtworkImage, Dimensions, Medium
from artmarket.domain.money import Money
from artmarket.entrypoints.http.edition_schemas import DropTime, EditionField, EditionOut, EditionShown
from artmarket.entrypoints.http.image_links import image_url

Amount = Annotated[int, msgspec.Meta(ge=0, le=10**13, description="Integer minor units (kobo, cents)")]
CurrencyCode = Annotated[str, msgspec.Meta(pattern="^[A-Z]{3}$", examples=["NGN"])]
Millimetres = Annotated[int, msgspec.Meta(ge=1, le=100_000)]


class MoneyIO(msgspec.Struct):
    amount: Amount
    currency: CurrencyCode

    @classmethod
    def of(cls, money: Money) -> MoneyIO:
        return cls(money.amount, money.currency.code)

    def to_money(self) -> Money:
        return Money.of(self.amount, self.currency)


class DimensionsIO(msgspec.Struct):
    height_mm: Millimetres
    width_mm: Millimetres
    depth_mm: Millimetres | None = None

    @classmethod
    def of(cls, dimensions: Dimensions | None) -> DimensionsIO | None:
        if dimensions is None:
            return None
        return cls(dimensions.height_mm, dimensions.width_mm, dimensions.depth_mm)

    def to_domain(self) -> Dimensions:
        return Dimensions(self.height_mm, self.width_mm, self.depth_mm)


class ShippingRateIO(msgspec.Struct, forbid_unknown_fields=True):
    """One zone: the countries (ISO 3166-1 alpha-2) and the shipping price there."""

    countries: Annotated[list[Annotated[str, msgspec.Meta(max_length=64)]], msgspec.Meta(max_length=249)]
    price: MoneyIO


class DeliveryIO(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """`{"kind": "digital"}` (the certificate alone), or `{"kind": "physical", "weight_grams",
    "shipping_rates": [{"countries": ["NG"], "price": Money}, ...]}`: the artist ships to
    exactly the listed countries, each price in the artwork's currency."""

    kind: Literal["digital", "physical"]
    weight_grams: Annotated[int, msgspec.Meta(ge=0, le=10**9)] | None = None
    shipping_rates: Annotated[list[ShippingRateIO], msgspec.Meta(max_length=100)] | None = None

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryIO:
        if not delivery.is_physical:
            return cls("digital")
        return cls(
            "physical",
            delivery.weight_grams,
            [
                ShippingRateIO(list(rate.countries), MoneyIO.of(rate.price))
                for rate in delivery.shipping_rates
            ],
        )

    def to_domain(self) -> Delivery:
        if self.kind == "digital":
            return Delivery(DeliveryKind.DIGITAL, self.weight_grams, tuple(self._rates()))
        if self.weight_grams is None:
            raise InvalidValue("A physical work needs its weight in grams.", field="delivery.weight_grams")
        return Delivery.physical(weight_grams=self.weight_grams, shipping_rates=self._rates())

    def _rates(self) -> list[ShippingRate]:
        rates = []
        for position, rate in enumerate(self.shipping_rates or []):
            try:
                rates.append(ShippingRate.of(rate.countries, rate.price.to_money()))
            except InvalidValue as error:
                raise error.under(f"delivery.shipping_rates[{position}]") from None
        return rates


class ArtistProfileIn(msgspec.Struct, forbid_unknown_fields=True):
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    bio: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    country: Annotated[str, msgspec.Meta(min_length=2, max_length=2)] = "NG"
    website: Annotated[str, msgspec.Meta(max_length=300)] | None = None


class ArtistProfileOut(msgspec.Struct):
    user_id: UUID
    display_name: str
    bio: str
    country: str
    website: str | None
    updated_at: datetime
    #: The public page is `/artists/{slug}` (given on the first save, kept across renames).
    slug: str

    @classmethod
    def of(cls, p: ArtistProfile) -> ArtistProfileOut:
        return cls(p.user_id, p.display_name, p.bio, p.country, p.website, p.updated_at, p.slug)


@dataclass
class KycForm:
    legal_name: str
    country: str
    id_document: UploadFile


class KycCaseOut(msgspec.Struct):
    id: UUID
    artist_id: UUID
    legal_name: str
    country: str
    status: str
    submitted_at: datetime
    reviewer_id: UUID | None
    decided_at: datetime | None
    reason: str | None
    document_content_type: str

    @classmethod
    def of(cls, c: KycCase) -> KycCaseOut:
        return cls(
            c.id,
            c.artist_id,
            c.legal_name,
            c.country,
            c.status.value,
            c.submitted_at,
            c.reviewer_id,
            c.decided_at,
            c.reason,
            c.document_content_type,
        )


class Decision(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=1000)] | None = None


class ArtworkCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    price: MoneyIO
    medium: Medium
    description: Annotated[str, msgspec.Meta(max_length=10_000)] = ""
    year: Annotated[int, msgspec.Meta(ge=1000, le=9999)] | None = None
    dimensions: DimensionsIO | None = None
    delivery: DeliveryIO | None = None
    #: Omitted: unique.
    edition: EditionField | None = None
    available_from: DropTime | None = None


class ArtworkUpdate(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    price: MoneyIO | None = None
    medium: Medium | None = None
    description: Annotated[str, msgspec.Meta(max_length=10_000)] | None = None
    year: Annotated[int, msgspec.Meta(ge=1000, le=9999)] | None = None
    dimensions: DimensionsIO | None = None
    delivery: DeliveryIO | None = None
    #: Omitted: unchanged.
    edition: EditionField | None = None
    #: Omitted: unchanged; null: on sale as soon as published.
    available_from: DropTime | msgspec.UnsetType | None = msgspec.UNSET


class ArtistRef(msgspec.Struct):
    id: UUID
    display_name: str


class ImageOut(msgspec.Struct):
    """`url` and `thumbnail_url` are public (CDN) URLs while the work is listed; before, paths on
    this origin that answer its artist and admins only (session cookie or bearer token)."""

    id: UUID
    url: str | None
    thumbnail_url: str | None
    width: int
    height: int

    @classmethod
    def of(cls, artwork: Artwork, image: ArtworkImage, store: ContentStore) -> ImageOut:
        return cls(
            image.id,
            image_url(store, artwork, image, "display"),
            image_url(store, artwork, image, "thumbnail"),
            image.width,
            image.height,
        )


class ArtworkOut(msgspec.Struct):
    id: UUID
    artist: ArtistRef
    title: str
    description: str
    medium: str
    year: int | None
    dimensions: DimensionsIO | None
    price: MoneyIO
    status: str
    images: list[ImageOut]
    favorites_count: int
    created_at: datetime
    published_at: datetime | None
    delivery: DeliveryIO
    edition: EditionShown
    available_from: DropTime | None

    @classmethod
    def of(cls, a: Artwork, store: ContentStore) -> ArtworkOut:
        return cls(
            id=a.id,
            artist=ArtistRef(a.artist_id, a.artist_name),
            title=a.title,
            description=a.description,
            medium=a.medium.value,
            year=a.year,
            dimensions=DimensionsIO.of(a.dimensions),
            price=MoneyIO.of(a.price),
            status=a.status.value,
            images=[ImageOut.of(a, i, store) for i in sorted(a.images, key=lambda i: i.position)],
            favorites_count=a.favorites_count,
            created_at=a.created_at,
            published_at=a.published_at,
            delivery=DeliveryIO.of(a.delivery),
            edition=EditionOut.of_artwork(a),
            available_from=a.available_from,
        )


class Thumbnail(msgspec.Struct):
    url: str | None
    width: int | None
    height: int | None


class ArtworkCard(msgspec.Struct):
    id: UUID
    title: str
    artist: ArtistRef
    medium: Medium
    year: int | None
    price: MoneyIO
    status: ArtworkStatus
    thumbnail: Thumbnail | None
    favorites_count: int
    published_at: datetime
    edition: EditionShown
    available_from: DropTime | None

    @classmethod
    def of(cls, c: GalleryCard, store: ContentStore) -> ArtworkCard:
        thumbnail = (
            Thumbnail(store.public_url(c.thumbnail_key), c.thumbnail_width, c.thumbnail_height)
            if c.thumbnail_key
            else None
        )
        return cls(
            c.id,
            c.title,
            ArtistRef(c.artist_id, c.artist_name),
            c.medium,
            c.year,
            MoneyIO.of(c.price),
            c.status,
            thumbnail,
            c.favorites_count,
            c.published_at,
            EditionOut.of_artwork(c),
            c.available_from,
        )


class GalleryPageOut(msgspec.Struct):
    items: list[ArtworkCard]
    next_cursor: str | None


class ArtworkList(msgspec.Struct):
    items: list[ArtworkOut]
    next_cursor: str | None = None


class ArtistOut(msgspec.Struct):
    id: UUID
    display_name: str
    bio: str
    country: str | None
    website: str | None
    published_works: int
    #: `GET /artists/{slug}` and the page `/artists/{slug}`; null before the artist saves a profile.
    slug: str | None
    #: The artist's identity was approved (KYC).
    verified: bool

    @classmethod
    def of(cls, a: ArtistSummary) -> ArtistOut:
        return cls(a.id, a.display_name, a.bio, a.country, a.website, a.published_works, a.slug, a.verified)


class ArtistList(msgspec.Struct):
    items: list[ArtistOut]
    next_cursor: str | None


class KycList(msgspec.Struct):
    items: list[KycCaseOut]
    next_cursor: str | None = None
