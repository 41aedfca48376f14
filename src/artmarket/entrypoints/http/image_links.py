"""The URL a browser fetches an artwork's image from: the public file while the work is listed,
else the app's authorised route (`entrypoints/web/routes/media.py`), which only its artist and
admins get through."""

from __future__ import annotations

from typing import Literal

from artmarket.application.catalog.images import rendition_key
from artmarket.application.media import ContentStore
from artmarket.domain.catalog import Artwork
from artmarket.domain.listing import ArtworkImage

#: Where the app serves the images of works that are not listed (a path on the app's own origin).
UNLISTED_IMAGES_PATH = "/artwork-images"


def image_url(
    store: ContentStore, artwork: Artwork, image: ArtworkImage, rendition: Literal["display", "thumbnail"]
) -> str | None:
    if artwork.is_listed:
        return store.public_url(rendition_key(image, rendition))
    return f"{UNLISTED_IMAGES_PATH}/{artwork.id}/{image.id}/{rendition}"
