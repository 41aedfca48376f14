"""Catalog use cases: one class per thing an artist, a buyer or an admin does with the catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from artmarket.application.audit import Actor, record_audit
from artmarket.application.catalog.cursor import CursorCodec
from artmarket.application.catalog.images import store_images_as_listed, visible_artwork
from artmarket.application.catalog.ports import (
    ArtistSummary,
    GalleryCard,
    GalleryFilter,
    GalleryPosition,
    GalleryQueries,
    GallerySort,
)
from artmarket.application.errors import RateLimited
from artmarket.application.identity.use_cases import Principal
from artmarket.application.media import FILE_EXTENSIONS, ContentStore, ImageProcessor
from artmarket.application.messages import KycDecided
from artmarket.application.messaging import OutboxMessage
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import ArtistProfile, KycCase, KycStatus
from artmarket.domain.audit import AuditAction
from artmarket.domain.catalog import (
    Artwork,
    ArtworkImage,
    ArtworkStatus,
    Dimensions,
    InvalidPrice,
    Medium,
)
from artmarket.domain.delivery import Delivery
from artmarket.domain.errors import InvalidValue, NotFound
from artmarket.domain.identity import User
from artmarket.domain.money import Money

GALLERY_LISTING = "gallery"


class InvalidPriceRange(InvalidValue):
    default_message = "min_price cannot be greater than max_price."
    field = "min_price"


class CurrencyRequired(InvalidValue):
    default_message = "Give a currency with min_price or max_price."
    field = "currency"


class UnsupportedDocument(InvalidValue):
    default_message = "The identity document must be a PDF, JPEG, PNG or WebP file."
    field = "id_document"


@dataclass(frozen=True, slots=True)
class CatalogPolicy:
    """Marketplace-wide catalog rules taken from settings."""

    currencies: frozenset[str]

    def check_price(self, price: Money) -> Money:
        if price.currency.code not in self.currencies or not price.is_positive:
            allowed = ", ".join(sorted(self.currencies))
            raise InvalidPrice(f"The price must be positive and in one of: {allowed}.")
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


@dataclass(frozen=True, slots=True)
class ArtworkChanges:
    title: str | None = None
    description: str | None = None
    medium: Medium | None = None
    price: Money | None = None
    year: int | None = None
    dimensions: Dimensions | None = None
    delivery: Delivery | None = None


@dataclass(frozen=True, slots=True)
class GalleryPage:
    items: Sequence[GalleryCard]
    next_cursor: str | None


async def _owned_artwork(uow: UnitOfWork, principal: Principal, artwork_id: UUID) -> Artwork:
    """The caller's own artwork; another artist's is reported missing, never forbidden."""
    artwork = await uow.artworks.get(artwork_id)
    if artwork is None or artwork.artist_id != principal.id:
        raise NotFound("No such artwork.")
    return artwork


def _document_type(data: bytes) -> str:
    """The identity document's type, judged by its first bytes (never by name or header)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise UnsupportedDocument()


class SaveArtistProfile:
    """Create or update the caller's artist profile; their works show the new name."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(
        self, principal: Principal, *, display_name: str, bio: str, country: str, website: str | None
    ) -> ArtistProfile:
        now = self._clock.now()
        async with self._uow as uow:
            profile = await uow.artist_profiles.get(principal.id)
            if profile is None:
                profile = ArtistProfile.create(
                    user_id=principal.id,
                    display_name=display_name,
                    bio=bio,
                    country=country,
                    website=website,
                    now=now,
                )
                uow.artist_profiles.add(profile)
            else:
                profile.update(display_name=display_name, bio=bio, country=country, website=website, now=now)
            await uow.artworks.rename_artist(principal.id, profile.display_name)
            await uow.commit()
        return profile


class SubmitKyc:
    """An artist submits their legal name, country and identity document for review.

    Rules: the document is a PDF or an image (judged by content) and is stored privately;
    a new case is refused while one is pending or approved.
    """

    def __init__(self, uow: UnitOfWork, store: ContentStore, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._ids = ids
        self._clock = clock

    async def __call__(
        self, principal: Principal, *, legal_name: str, country: str, document: bytes
    ) -> KycCase:
        content_type = _document_type(document)
        case_id = self._ids.new_id()
        key = f"kyc/{principal.id}/{case_id}.{FILE_EXTENSIONS[content_type]}"
        async with self._uow as uow:
            case = KycCase.submit(
                id=case_id,
                artist_id=principal.id,
                legal_name=legal_name,
                country=country,
                document_key=key,
                document_content_type=content_type,
                now=self._clock.now(),
                previous=await uow.kyc_cases.latest_for_artist(principal.id),
            )
            await self._store.put(key, document, content_type, public=False)
            uow.kyc_cases.add(case)
            await uow.commit()
        return case


class ListMyKycCases:
    """The caller's KYC cases, newest first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal) -> Sequence[KycCase]:
        async with self._uow as uow:
            return await uow.kyc_cases.list_for_artist(principal.id)


class ListKycCases:
    """The review queue (admins): oldest first, by status."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, *, status: KycStatus | None = KycStatus.PENDING, limit: int = 100
    ) -> Sequence[KycCase]:
        async with self._uow as uow:
            return await uow.kyc_cases.list(status=status, limit=limit)


class DecideKyc:
    """An admin approves or rejects a pending case; rejection needs a reason. Audited.

    The artist is told the decision (and the reason) by email: an outbox message is
    written with the decision.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, case_id: UUID, *, approve: bool, reason: str | None) -> KycCase:
        now = self._clock.now()
        async with self._uow as uow:
            case = await uow.kyc_cases.get(case_id)
            if case is None:
                raise NotFound("No such KYC case.")
            if approve:
                case.approve(reviewer_id=actor.user_id, now=now, reason=reason)
            else:
                case.reject(reviewer_id=actor.user_id, now=now, reason=reason or "")
            uow.outbox.add(OutboxMessage.of(KycDecided(case.id), self._ids.new_id(), now))
            record_audit(
                uow.audit_log,
                actor,
                AuditAction.KYC_APPROVE if approve else AuditAction.KYC_REJECT,
                ("kyc_case", case.id),
                reason=case.reason,
                ids=self._ids,
                now=now,
            )
            await uow.commit()
        return case


class ReadKycDocument:
    """The identity document of a case, for an admin's eyes only."""

    def __init__(self, uow: UnitOfWork, store: ContentStore) -> None:
        self._uow = uow
        self._store = store

    async def __call__(self, case_id: UUID) -> tuple[bytes, str]:
        async with self._uow as uow:
            case = await uow.kyc_cases.get(case_id)
        if case is None:
            raise NotFound("No such KYC case.")
        return await self._store.get(case.document_key), case.document_content_type


class CreateArtwork:
    """An artist lists a new work as a draft; the price is positive, in a currency we sell in.

    A work is delivered digitally unless it is physical: then it has a weight and ships to
    exactly the countries of its shipping zones, priced in the artwork's currency.
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
            )
            uow.artworks.add(artwork)
            await uow.commit()
        return artwork


class UpdateArtwork:
    """The owning artist edits a draft, published or withdrawn work (never a reserved or sold one)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, policy: CatalogPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, principal: Principal, artwork_id: UUID, changes: ArtworkChanges) -> Artwork:
        async with self._uow as uow:
            artwork = await _owned_artwork(uow, principal, artwork_id)
            artwork.edit(
                now=self._clock.now(),
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
        rate_key = f"image-uploads:artist:{principal.id}"
        wait = await self._limiter.retry_after(rate_key, self._policy.per_artist)
        if wait is not None:
            raise RateLimited(wait, "Too many image uploads in the last hour; try again later.")
        await self._limiter.hit(rate_key, self._policy.per_artist)
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
    """The owning artist takes a draft or published work off sale; its images become private files."""

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


class BrowseGallery:
    """The public gallery: filters, sorts and cursor pages that never skip or repeat a work.

    Rules: only published (default) or sold works; a price range needs a currency and
    min ≤ max; a cursor is valid only for the sort it came from.
    """

    def __init__(self, queries: GalleryQueries, cursors: CursorCodec, policy: CatalogPolicy) -> None:
        self._queries = queries
        self._cursors = cursors
        self._policy = policy

    async def __call__(
        self, where: GalleryFilter, sort: GallerySort, cursor: str | None, limit: int
    ) -> GalleryPage:
        if where.status not in (ArtworkStatus.PUBLISHED, ArtworkStatus.SOLD):
            raise InvalidValue("The gallery shows published or sold works.")
        if (where.min_price is not None or where.max_price is not None) and where.currency is None:
            raise CurrencyRequired()
        if where.currency is not None and where.currency not in self._policy.currencies:
            raise InvalidPrice(f"We do not sell in {where.currency}.")
        if where.min_price is not None and where.max_price is not None and where.min_price > where.max_price:
            raise InvalidPriceRange()
        after = self._cursors.decode(cursor, GALLERY_LISTING, sort) if cursor else None
        cards = await self._queries.search(where, sort, after, limit + 1)
        page, more = cards[:limit], len(cards) > limit
        next_cursor = None
        if more and page:
            last = page[-1]
            next_cursor = self._cursors.encode(
                GALLERY_LISTING, sort, GalleryPosition(last.sort_key(sort), last.id)
            )
        return GalleryPage(page, next_cursor)


class ListArtists:
    """Public artist directory: artists with at least one public work."""

    def __init__(self, queries: GalleryQueries) -> None:
        self._queries = queries

    async def __call__(self, *, limit: int, after: UUID | None) -> Sequence[ArtistSummary]:
        return await self._queries.artists(limit=limit, after=after)


class GetArtist:
    """One artist's public page."""

    def __init__(self, queries: GalleryQueries) -> None:
        self._queries = queries

    async def __call__(self, artist_id: UUID) -> ArtistSummary:
        summary = await self._queries.artist(artist_id)
        if summary is None:
            raise NotFound("No such artist.")
        return summary


class ToggleFavorite:
    """A signed-in user favourites or unfavourites a public work (idempotent both ways)."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, principal: Principal, artwork_id: UUID, *, favorite: bool) -> None:
        async with self._uow as uow:
            artwork = await uow.artworks.get(artwork_id)
            if artwork is None or not artwork.is_public:
                raise NotFound("No such artwork.")
            if favorite:
                await uow.favorites.add(principal.id, artwork_id, self._clock.now())
            else:
                await uow.favorites.remove(principal.id, artwork_id)
            await uow.commit()


class ListFavorites:
    """The caller's favourite works that are still public, most recent first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, *, limit: int = 100) -> Sequence[Artwork]:
        async with self._uow as uow:
            ids = await uow.favorites.artwork_ids_for_user(principal.id, limit=limit)
            works = [await uow.artworks.get(artwork_id) for artwork_id in ids]
        return [w for w in works if w is not None and w.is_public]


class ListFavoriteIds:
    """Which works the caller has favourited (to mark them in listings), most recent first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, *, limit: int = 500) -> frozenset[UUID]:
        async with self._uow as uow:
            return frozenset(await uow.favorites.artwork_ids_for_user(principal.id, limit=limit))


class GetMyArtistProfile:
    """The caller's own artist profile (None before they save one), to edit it."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal) -> ArtistProfile | None:
        async with self._uow as uow:
            return await uow.artist_profiles.get(principal.id)


@dataclass(frozen=True, slots=True)
class KycReview:
    """One KYC case as a reviewer sees it: the case, the artist's account and their earlier cases."""

    case: KycCase
    artist: User | None
    history: Sequence[KycCase]


class GetKycCase:
    """One KYC case for review (admins), with the artist's account and every case they submitted."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, case_id: UUID) -> KycReview:
        async with self._uow as uow:
            case = await uow.kyc_cases.get(case_id)
            if case is None:
                raise NotFound("No such KYC case.")
            artist = await uow.users.get(case.artist_id)
            history = await uow.kyc_cases.list_for_artist(case.artist_id)
        return KycReview(case, artist, history)
