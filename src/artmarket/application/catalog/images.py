"""Where an artwork's image files live, and reading one for a viewer who may see the work.

The display size and the thumbnail are public files (a CDN in production) only while the
work is listed (published, reserved or sold); a draft's or a withdrawn work's are private
objects, read through `ReadArtworkImage` by its artist and admins. The original is always
private.
"""

from __future__ import annotations

from uuid import UUID

from artmarket.application.listed_images import content_type_of
from artmarket.application.media import ContentStore
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork
from artmarket.domain.errors import NotFound
from artmarket.domain.identity import Role
from artmarket.domain.listing import ArtworkImage

#: The renditions a viewer may ask for (the original never leaves the store).
RENDITIONS = ("display", "thumbnail")


def visible_artwork(artwork: Artwork | None, viewer: Principal | None) -> Artwork:
    """The artwork if `viewer` may see it: public works for everyone, others for their artist and admins."""
    if artwork is None:
        raise NotFound("No such artwork.")
    if artwork.is_public:
        return artwork
    if viewer is not None and (viewer.id == artwork.artist_id or viewer.has_role(Role.ADMIN)):
        return artwork
    raise NotFound("No such artwork.")


def rendition_key(image: ArtworkImage, rendition: str) -> str:
    """The storage key of `rendition` ("display" or "thumbnail"); `NotFound` for anything else."""
    if rendition == "display":
        return image.display_key
    if rendition == "thumbnail":
        return image.thumbnail_key
    raise NotFound("No such image.")


class ReadArtworkImage:
    """The display size or thumbnail of an artwork's image, for anyone who may see the work.

    Draft and withdrawn works' images are private files: this is how their artist (the
    studio) and admins (the console) see them. Anyone else gets 404, as for the work itself.
    """

    def __init__(self, uow: UnitOfWork, store: ContentStore) -> None:
        self._uow = uow
        self._store = store

    async def __call__(
        self, artwork_id: UUID, image_id: UUID, rendition: str, viewer: Principal | None
    ) -> tuple[bytes, str]:
        async with self._uow as uow:
            artwork = visible_artwork(await uow.artworks.get(artwork_id), viewer)
        image = next((i for i in artwork.images if i.id == image_id), None)
        if image is None:
            raise NotFound("No such image.")
        key = rendition_key(image, rendition)
        return await self._store.get(key), content_type_of(key)
