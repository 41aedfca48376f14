"""An artist's works: drafting, editing, adding images, putting on and taking off sale, and reading one."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from uuid import UUID

from artmarket.application.catalog.images import visible_artwork
from artmarket.application.listed_images import store_images_as_listed
from artmarket.application.media import FILE_EXTENSIONS, ContentStore, ImageProcessor
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter, count_or_refuse
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.delivery import Delivery
from artmarket.domain.editions import UNIQUE, Edition
from artmarket.domain.errors import InvalidValue, NotFound
from artmarket.domain.listing import ArtworkImage, Dimensions, InvalidPrice, Medium
from artmarket.domain.money import Money


@dataclass(frozen=True, slots=True)
class CatalogPolicy:
    """Marketplace-wide catalog rules taken from settings."""

    currencies: frozenset[str]

    def check_price(self, price: Money) -> Money:
        if price.currency.code not in self.currencies or not price.is_positive:
            allowed = ", ".join(sorted(self.currencies))
            raise InvalidPrice("The price must be positive and in one of: {allowed}.", allowed=allowed)
        return price


@dataclass(frozen=True, slots=True)
class ImageUploadPolicy:
    """How many images one artist may upload: decoding is the costliest thing an account can ask for."""

    per_artist: Limit


@dataclass(frozen=True, slots=True)
class ArtworkDraft:
    """What an artist fills in to list a work."""

    title: str
    description: str
    medium: Medium
    price: Money
    year: int | None = None
    dimensions: Dimensions | None = None
    #: Digital (the default) or physical with its weight and shipping zones.
    delivery: Delivery | None = None
    #: Unique (the default) or a limited edition of numbered prints.
    edition: Edition = UNIQUE
    #: A drop: on sale from this aware instant (None: as soon as it is published).
    available_from: datetime | None = None


class Keep(enum.Enum):
    """A change that leaves a value as it is (where None means "clear it")."""

    KEEP = "keep"


@dataclass(frozen=True, slots=True)
class ArtworkChanges:
    """What an edit changes; None (or `Keep.KEEP`) leaves a value as it is."""

    title: str | None = None
    description: str | None = None
    medium: Medium | None = None
    price: Money | None = None
    year: int | None = None
    dimensions: Dimensions | None = None
    delivery: Delivery | None = None
    edition: Edition | None = None
    #: A new drop time, None to sell as soon as published, or KEEP.
    available_from: datetime | Literal[Keep.KEEP] | None = Keep.KEEP


def drop_time(available_from: datetime | None) -> datetime | None:
    """A drop time in UTC; a naive one is refused (whose midnight would it be?)."""
    if available_from is None:
        return None
    if available_from.tzinfo is None or available_from.utcoffset() is None:
        raise InvalidValue("The drop time needs a time zone (UTC).", field="available_from")
    try:
        return available_from.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00:00-01:00 has no UTC instant
        raise InvalidValue("The drop time is out of range.", field="available_from") from None


async def _owned_artwork(uow: UnitOfWork, principal: Principal, artwork_id: UUID) -> Artwork:
    """The caller's own artwork; another artist's is reported missing, never forbidden."""
    artwork = await uow.artworks.get(artwork_id)
    if artwork is None or artwork.artist_id != principal.id:
        raise NotFound("No such artwork.")
    return artwork


class CreateArtwork:
    """An artist lists a new work as a draft; the price is positive, in a currency we sell in.

    A work is delivered digitally unless it is physical: then it has a weight and ships to
    exactly the countries of its shipping zones, priced in the artwork's currency. It is
    unique unless it is a limited edition (2 to 10000 numbered prints, sold once each, and
    up to as many artist proofs, not sold here); with `available_from` it is a drop, listed
    once published and on sale from that time.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock, policy: CatalogPolicy) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock
        self._policy = policy

    async def __call__(self, principal: Principal, draft: ArtworkDraft) -> Artwork:
        async with self._uow as uow:
            profile = await uow.artist_profiles.get(principal.id)
            artwork = Artwork.draft(
                id=self._ids.new_id(),
                artist_id=principal.id,
                artist_name=profile.display_name if profile else str(principal.user.display_name),
                title=draft.title,
                description=draft.description,
                medium=draft.medium,
                price=self._policy.check_price(draft.price),
                year=draft.year,
                dimensions=draft.dimensions,
                now=self._clock.now(),
                delivery=draft.delivery,
                edition=draft.edition,
                available_from=drop_time(draft.available_from),
            )
            uow.artworks.add(artwork)
            await uow.commit()
        return artwork


class UpdateArtwork:
    """The owning artist edits a draft, published or withdrawn work (never a reserved or sold one).

    The edition may change (unique, limited, another size) until a number has gone to a
    buyer (409 after); the drop time may be set, moved or cleared.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, policy: CatalogPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, principal: Principal, artwork_id: UUID, changes: ArtworkChanges) -> Artwork:
        async with self._uow as uow:
            artwork = await _owned_artwork(uow, principal, artwork_id)
            now = self._clock.now()
            # A buyer taking a number meanwhile bumps the artwork's version: this commit then fails.
            if changes.edition is not None:
                artwork.change_edition(changes.edition, now)
            if changes.available_from is not Keep.KEEP:
                artwork.schedule_drop(drop_time(changes.available_from), now)
            artwork.edit(
                now=now,
                title=changes.title,
                description=changes.description,
                medium=changes.medium,
                price=self._policy.check_price(changes.price) if changes.price is not None else None,
                year=changes.year,
                dimensions=changes.dimensions,
                delivery=changes.delivery,
            )
            await uow.commit()
        return artwork


@dataclass(frozen=True, slots=True)
class AddedImage:
    """An uploaded image and the work it now belongs to (whose status says where its files are)."""

    artwork: Artwork
    image: ArtworkImage


class AddArtworkImage:
    """The owning artist uploads an image: judged by content, re-encoded without metadata.

    The display size and the thumbnail are public files while the work is listed, private
    ones (its artist and admins see them) while it is a draft or withdrawn; the original is
    always private. Every upload counts towards the artist's hourly allowance, accepted or
    not (429 above it).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        processor: ImageProcessor,
        store: ContentStore,
        ids: IdGenerator,
        clock: Clock,
        limiter: RateLimiter,
        policy: ImageUploadPolicy,
    ) -> None:
        self._uow = uow
        self._processor = processor
        self._store = store
        self._ids = ids
        self._clock = clock
        self._limiter = limiter
        self._policy = policy

    async def __call__(self, principal: Principal, artwork_id: UUID, data: bytes) -> AddedImage:
        async with self._uow as uow:
            listed = (await _owned_artwork(uow, principal, artwork_id)).is_listed
        await count_or_refuse(
            self._limiter,
            f"image-uploads:artist:{principal.id}",
            self._policy.per_artist,
            "Too many image uploads in the last hour; try again later.",
        )
        processed = await self._processor.process(data)
        image_id = self._ids.new_id()
        prefix = f"artworks/{artwork_id}/{image_id}"
        display, thumbnail, original = processed.display, processed.thumbnail, processed.original
        display_key = f"{prefix}-display.{FILE_EXTENSIONS[display.content_type]}"
        thumbnail_key = f"{prefix}-thumb.{FILE_EXTENSIONS[thumbnail.content_type]}"
        original_key = f"originals/{prefix}-original.{processed.format}"
        await self._store.put(display_key, display.data, display.content_type, public=listed)
        await self._store.put(thumbnail_key, thumbnail.data, thumbnail.content_type, public=listed)
        await self._store.put(original_key, original.data, original.content_type, public=False)
        async with self._uow as uow:
            artwork = await _owned_artwork(uow, principal, artwork_id)
            now = self._clock.now()
            image = ArtworkImage(
                id=image_id,
                display_key=display_key,
                thumbnail_key=thumbnail_key,
                original_key=original_key,
                width=display.width,
                height=display.height,
                position=len(artwork.images),
                created_at=now,
            )
            artwork.add_image(image, now)
            if artwork.is_listed != listed:
                # Published or withdrawn while the image was being processed.
                await store_images_as_listed(self._store, artwork)
            await uow.commit()
        return AddedImage(artwork, image)


class PublishArtwork:
    """The owning artist puts a work on sale; needs approved KYC, a title, a price and an image.

    Its images become public files (cacheable, on the CDN in production).
    """

    def __init__(self, uow: UnitOfWork, store: ContentStore, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._clock = clock

    async def __call__(self, principal: Principal, artwork_id: UUID) -> Artwork:
        async with self._uow as uow:
            artwork = await _owned_artwork(uow, principal, artwork_id)
            kyc = await uow.kyc_cases.latest_for_artist(principal.id)
            artwork.publish(kyc_approved=kyc is not None and kyc.is_approved, now=self._clock.now())
            await store_images_as_listed(self._store, artwork)
            await uow.commit()
        return artwork


class WithdrawArtwork:
    """The owning artist takes a published work off sale (a draft is refused: it is not on sale);
    its images become private files."""

    def __init__(self, uow: UnitOfWork, store: ContentStore, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._clock = clock

    async def __call__(self, principal: Principal, artwork_id: UUID) -> Artwork:
        async with self._uow as uow:
            artwork = await _owned_artwork(uow, principal, artwork_id)
            artwork.withdraw(self._clock.now())
            await store_images_as_listed(self._store, artwork)
            await uow.commit()
        return artwork


class GetArtwork:
    """One artwork: public works for everyone; drafts and withdrawn works only for their artist and admins."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, artwork_id: UUID, viewer: Principal | None) -> Artwork:
        async with self._uow as uow:
            return visible_artwork(await uow.artworks.get(artwork_id), viewer)


class ListMyArtworks:
    """The caller's works in any status, newest first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, status: ArtworkStatus | None = None) -> Sequence[Artwork]:
        async with self._uow as uow:
            return await uow.artworks.list_for_artist(principal.id, status=status)
