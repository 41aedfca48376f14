"""A `ContentStore` in a local directory: `public/` is served under /media, `private/` never is."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from artmarket.adapters.atomic_files import write_atomically
from artmarket.application.media import StoredObject, check_key
from artmarket.domain.errors import NotFound

_PUBLIC, _PRIVATE, _INCOMING = "public", "private", ".incoming"


class LocalMediaStore:
    """Files under `root/public` (the app serves that tree, and only that tree, at `/media`)
    and `root/private` (KYC documents, originals: read only through `get`).

    Files are written to `root/.incoming` and moved into place with `os.replace`, so
    neither tree ever holds a half-written file. A key lives in one tree at a time.
    """

    def __init__(self, root: Path, public_base_url: str) -> None:
        self._root = root
        self._public_base_url = public_base_url.rstrip("/")

    @property
    def public_root(self) -> Path:
        """The directory to serve at `/media` (created on first use)."""
        return self._root / _PUBLIC

    def _path(self, key: str, *, public: bool) -> Path:
        return self._root / (_PUBLIC if public else _PRIVATE) / check_key(key)

    async def put(self, key: str, data: bytes, content_type: str, *, public: bool) -> StoredObject:
        target, other = self._path(key, public=public), self._path(key, public=not public)
        # A web server in front may serve the public tree; private files stay owner-only.
        await asyncio.to_thread(
            write_atomically, target, data, staging=self._root / _INCOMING, mode=0o644 if public else 0o600
        )
        await asyncio.to_thread(other.unlink, missing_ok=True)
        return StoredObject(key, content_type, len(data))

    async def get(self, key: str) -> bytes:
        for public in (True, False):
            try:
                return await asyncio.to_thread(self._path(key, public=public).read_bytes)
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                continue
        raise NotFound(f"No stored object {key!r}.")

    async def delete(self, key: str) -> None:
        for public in (True, False):
            await asyncio.to_thread(_remove, self._path(key, public=public))

    def public_url(self, key: str) -> str | None:
        # No file-system check: this runs for every image of every gallery card. A private
        # key's URL points into the public tree, where it is not, so it answers 404.
        return f"{self._public_base_url}/{check_key(key)}"


def _remove(path: Path) -> None:
    # A key whose path runs through or onto a directory names no stored object.
    with contextlib.suppress(NotADirectoryError, IsADirectoryError):
        path.unlink(missing_ok=True)
