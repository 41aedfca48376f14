"""An artist's photo on their page: uploaded like an artwork image, kept as a public thumbnail."""

from __future__ import annotations

from artmarket.application.catalog.artworks import ImageUploadPolicy
from artmarket.application.media import FILE_EXTENSIONS, ContentStore, ImageProcessor
from artmarket.application.ports import Clock, IdGenerator, RateLimiter, count_or_refuse
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import ArtistProfile
from artmarket.domain.errors import Conflict


class ProfileRequired(Conflict):
    default_message = "Save your profile before adding a photo."


class SetArtistPhoto:
    """The artist uploads a photo for their page: judged by content, re-encoded without metadata
    (the thumbnail rendition is kept, public: the page is). It replaces the previous photo, whose
    file is deleted; uploads count towards the artist's hourly image allowance (429 above it)."""

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

    async def __call__(self, principal: Principal, data: bytes) -> ArtistProfile:
        async with self._uow as uow:
            if await uow.artist_profiles.get(principal.id) is None:
                raise ProfileRequired()
        await count_or_refuse(
            self._limiter,
            f"image-uploads:artist:{principal.id}",
            self._policy.per_artist,
            "Too many image uploads in the last hour; try again later.",
        )
        photo = (await self._processor.process(data)).thumbnail
        key = f"artists/{principal.id}/{self._ids.new_id()}-photo.{FILE_EXTENSIONS[photo.content_type]}"
        await self._store.put(key, photo.data, photo.content_type, public=True)
        async with self._uow as uow:
            profile = await uow.artist_profiles.get(principal.id)
            if profile is None:  # an artist's profile is never deleted; read again for the commit
                raise ProfileRequired()
            previous = profile.change_photo(key, self._clock.now())
            await uow.commit()
        if previous is not None:
            await self._store.delete(previous)
        return profile
