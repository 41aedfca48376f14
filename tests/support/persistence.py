"""Storage for contract tests: units of work and gallery queries over one database, for each
implementation (in memory, SQLite, PostgreSQL), plus builders of catalog and checkout data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from artmarket.adapters.persistence.database import create_engine, create_session_factory, open_read_pool
from artmarket.adapters.persistence.gallery import PostgresGalleryQueries, SqlGalleryQueries
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.application.catalog.ports import GalleryQueries
from artmarket.domain.catalog import Artwork
from artmarket.domain.delivery import BuyerContact, Delivery, PostalAddress, ShippingRate
from artmarket.domain.editions import UNIQUE, Edition
from artmarket.domain.identity import DisplayName, Email, Role, User
from artmarket.domain.listing import ArtworkImage, Dimensions, Medium
from artmarket.domain.money import Money
from artmarket.domain.orders import Order, PaymentSplit
from artmarket.domain.shipments import Shipment
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryGalleryQueries, InMemoryUnitOfWork

NOW = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
SQL_KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
KINDS = ["memory", *SQL_KINDS]
#: Databases already at the schema's head (template copies).
URL_FIXTURES = {"sqlite": "migrated_sqlite_url", "postgresql": "migrated_postgres_url"}

UnitOfWork = SqlAlchemyUnitOfWork | InMemoryUnitOfWork


@dataclass
class Storage:
    """One empty, migrated database of one kind, and what the application reads it through."""

    kind: str
    new_uow: Callable[[], UnitOfWork]
    gallery: GalleryQueries
    engine: AsyncEngine | None = None


@asynccontextmanager
async def open_storage(request: pytest.FixtureRequest) -> AsyncIterator[Storage]:
    """For a fixture parametrised with `KINDS`."""
    kind: str = request.param
    if kind == "memory":
        db = InMemoryDatabase()
        yield Storage(kind, lambda: InMemoryUnitOfWork(db), InMemoryGalleryQueries(db))
        return
    url: str = request.getfixturevalue(URL_FIXTURES[kind])
    start_mappers()
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        if kind == "postgresql":
            async with open_read_pool(url, size=4) as pool:
                gallery = PostgresGalleryQueries(engine, pool)
                yield Storage(kind, lambda: SqlAlchemyUnitOfWork(sessions), gallery, engine)
        else:
            yield Storage(kind, lambda: SqlAlchemyUnitOfWork(sessions), SqlGalleryQueries(engine), engine)
    finally:
        await engine.dispose()


async def store(storage: Storage, *entities: object) -> None:
    """Add users, artworks and orders in one committed unit of work."""
    async with storage.new_uow() as uow:
        for entity in entities:
            if isinstance(entity, User):
                uow.users.add(entity)
            elif isinstance(entity, Artwork):
                uow.artworks.add(entity)
            elif isinstance(entity, Order):
                uow.orders.add(entity)
            elif isinstance(entity, Shipment):
                uow.shipments.add(entity)
            else:
                raise TypeError(entity)
        await uow.commit()


def a_user(name: str = "Ada Lovelace", *, role: Role = Role.BUYER, at: datetime = NOW) -> User:
    email = Email(f"{name.split()[0].lower()}-{uuid4().hex[:8]}@example.com")
    return User.register(
        id=uuid4(), email=email, display_name=DisplayName(name), password_hash="x", role=role, now=at
    )


def an_image(position: int, *, at: datetime = NOW, artwork_id: UUID | None = None) -> ArtworkImage:
    prefix = f"artworks/{artwork_id or uuid4()}/{position}"
    return ArtworkImage(
        id=uuid4(),
        display_key=f"{prefix}-display.webp",
        thumbnail_key=f"{prefix}-thumb.webp",
        original_key=f"originals/{prefix}.png",
        width=1200 + position,
        height=900 + position,
        position=position,
        created_at=at,
    )


def an_artwork(
    artist: User,
    title: str = "Harbour at Dawn",
    *,
    price: Money | None = None,
    medium: Medium = Medium.PAINTING,
    description: str = "Oil on linen.",
    dimensions: Dimensions | None = None,
    year: int | None = 2024,
    images: int = 1,
    published_at: datetime | None = NOW,
    favorites_count: int = 0,
    artist_name: str | None = None,
    at: datetime = NOW,
    delivery: Delivery | None = None,
    edition: Edition = UNIQUE,
) -> Artwork:
    """A draft, or (with `published_at`) a work published at that instant."""
    artwork = Artwork.draft(
        id=uuid4(),
        artist_id=artist.id,
        artist_name=artist_name or str(artist.display_name),
        title=title,
        description=description,
        medium=medium,
        price=price or Money.of(2_500_000, "NGN"),
        year=year,
        dimensions=dimensions,
        now=at,
        delivery=delivery,
        edition=edition,
    )
    for position in range(images):
        artwork.add_image(an_image(position, artwork_id=artwork.id, at=at), at)
    if published_at is not None:
        artwork.publish(kyc_approved=True, now=published_at)
    artwork.favorites_count = favorites_count
    return artwork


def an_order(
    buyer: User,
    artwork: Artwork,
    *,
    at: datetime = NOW,
    subaccount: str | None = "ACCT_artist",
    reservation: timedelta = timedelta(minutes=15),
    ship_to: PostalAddress | None = None,
    edition_number: int | None = None,
) -> Order:
    """An order awaiting payment; a physical work is shipped to `ship_to` (default: Lagos)."""
    order_id = uuid4()
    fee = artwork.price.percentage(10)
    shipping, contact, address = Money(0, artwork.price.currency), None, None
    if artwork.delivery.is_physical:
        address = ship_to or LAGOS
        shipping = artwork.delivery.shipping_to(address.country)
        contact = BuyerContact(str(buyer.display_name), "+2348031234567", buyer.email)
    return Order.place(
        id=order_id,
        buyer_id=buyer.id,
        artwork_id=artwork.id,
        artist_id=artwork.artist_id,
        amount=artwork.price + shipping,
        reference=f"am-{order_id.hex}",
        split=PaymentSplit(
            artist_share=artwork.price - fee + shipping, platform_fee=fee, subaccount=subaccount
        ),
        now=at,
        reservation=reservation,
        shipping=shipping,
        buyer_contact=contact,
        delivery_address=address,
        edition_number=edition_number,
    )


LAGOS = PostalAddress("Bola Ade", ("12 Allen Avenue", "Flat 3"), "Ikeja", "Lagos", "100271", "NG")


def ships_to(*zones: tuple[tuple[str, ...], int], currency: str = "NGN", weight: int = 4_000) -> Delivery:
    """A physical delivery: (countries, shipping price in minor units) per zone."""
    return Delivery.physical(
        weight_grams=weight,
        shipping_rates=[ShippingRate.of(countries, Money.of(price, currency)) for countries, price in zones],
    )
