"""An in-memory `ContentStore` for media: the fake for tests, asserted on through `objects`."""

from __future__ import annotations

from artmarket.application.media import StoredObject, check_key
from artmarket.domain.errors import NotFound


class InMemoryMediaStore:
    """Behaves like the real stores (same contract suite); `objects` is the end state to assert on."""

    def __init__(self, public_base_url: str = "https://media.test") -> None:
        self._public_base_url = public_base_url.rstrip("/")
        #: key -> (bytes, content type, public)
        self.objects: dict[str, tuple[bytes, str, bool]] = {}

    async def put(self, key: str, data: bytes, content_type: str, *, public: bool) -> StoredObject:
        self.objects[check_key(key)] = (bytes(data), content_type, public)
        return StoredObject(key, content_type, len(data))

    async def get(self, key: str) -> bytes:
        try:
            return self.objects[check_key(key)][0]
        except KeyError:
            raise NotFound(f"No stored object {key!r}.") from None

    async def delete(self, key: str) -> None:
        self.objects.pop(check_key(key), None)

    def public_url(self, key: str) -> str | None:
        stored = self.objects.get(check_key(key))
        if stored is None or not stored[2]:
            return None
        return f"{self._public_base_url}/{key}"
