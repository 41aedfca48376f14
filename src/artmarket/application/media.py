"""Ports for artwork images and stored files: processing uploads, and where bytes live."""

from __future__ import annotations

import re
from abc import abstractmethod
from dataclasses import dataclass
from typing import Final, Protocol

from artmarket.domain.errors import DomainError, InvalidValue

#: The file name extension a stored file of each content type gets (images and KYC documents).
FILE_EXTENSIONS: Final = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}
#: The content type each extension stands for, `jpeg` included.
CONTENT_TYPES: Final = {extension: content_type for content_type, extension in FILE_EXTENSIONS.items()} | {
    "jpeg": "image/jpeg"
}


class UnsupportedImage(DomainError):
    """Not a JPEG, PNG or WebP image, judged by its content (the entrypoint answers 415)."""

    default_message = "The file is not a JPEG, PNG or WebP image."
    field = "file"


class ImageTooLarge(InvalidValue):
    """More pixels, or more decoded bytes, than allowed: refused from the header before decoding."""

    default_message = "The image has too many pixels."
    field = "file"


class InvalidStorageKey(InvalidValue):
    """A storage key that could escape its tree: absolute, `..`, backslashes, empty segments."""

    default_message = "A storage key is a relative path without '..', backslashes or empty segments."
    field = "key"


@dataclass(frozen=True, slots=True)
class ImageRendition:
    """One encoded image: `kind` is "display", "thumbnail" or "original"."""

    kind: str
    data: bytes
    content_type: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """An accepted upload: the untouched original and two re-encoded, metadata-free renditions.

    `format` ("jpeg", "png" or "webp") is judged by content; `width` and `height` are the
    full-size dimensions once the EXIF orientation is applied.
    """

    format: str
    width: int
    height: int
    original: ImageRendition
    display: ImageRendition
    thumbnail: ImageRendition


class ImageProcessor(Protocol):
    """Judge the format by content, refuse bombs, and re-encode display and thumbnail without metadata."""

    @abstractmethod
    async def process(self, data: bytes) -> ProcessedImage:
        """Raises `UnsupportedImage` (not JPEG/PNG/WebP, or damaged) or `ImageTooLarge` (too many
        pixels or decoded bytes). Decodes off the event loop, a bounded number at a time per process."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    content_type: str
    size: int


# Segments of one or more characters, none of them a slash, a backslash or a control
# character, and none exactly "." or "..". One regex, because this runs for every image
# URL of every gallery card.
_SEGMENT = r"(?!\.\.?(?:/|$))[^/\\\x00-\x1f\x7f]+"
_RELATIVE_KEY = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")


def check_key(key: str) -> str:
    """The key itself, if it is a relative path like `artworks/<id>/<id>-display.jpg`.

    Raises `InvalidStorageKey` for anything that could leave its tree or confuse a file
    system: empty, absolute, `.`/`..` or empty segments, backslashes, control characters.
    """
    if _RELATIVE_KEY.fullmatch(key) is None:
        raise InvalidStorageKey()
    return key


class ContentStore(Protocol):
    """Bytes by key; visibility is chosen at `put`, and a private object is never served at any public URL."""

    @abstractmethod
    async def put(self, key: str, data: bytes, content_type: str, *, public: bool) -> StoredObject:
        """Store (or replace) the object; re-putting a key with the other visibility moves it."""

    @abstractmethod
    async def get(self, key: str) -> bytes:
        """The stored bytes, public or private; `NotFound` when there are none."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""

    @abstractmethod
    def public_url(self, key: str) -> str | None:
        """Where anyone fetches a public object (a CDN in production); None if the store knows it is not.

        Stores that cannot tell without a network call (S3) return the URL for any key; that
        URL maps onto the public prefix only, so for a private key it answers 404.
        """
