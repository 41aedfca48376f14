"""Which side of the content store an artwork's display and thumbnail files are on.

A listed work's (published, reserved or sold) are public files; any other work's are private.
Both the artist's catalog actions and an admin's takedown move them.
"""

from __future__ import annotations

from artmarket.application.media import CONTENT_TYPES, ContentStore
from artmarket.domain.catalog import Artwork


async def store_images_as_listed(store: ContentStore, artwork: Artwork) -> None:
    """Move the work's display and thumbnail files to the public side while it is listed, to the
    private side otherwise. Call it before committing a status change: if the commit fails, the
    files are ahead of the status, and retrying the action brings them back in line."""
    for image in artwork.images:
        for key in (image.display_key, image.thumbnail_key):
            data = await store.get(key)
            await store.put(key, data, content_type_of(key), public=artwork.is_listed)


def content_type_of(key: str) -> str:
    return CONTENT_TYPES[key.rsplit(".", 1)[-1]]
