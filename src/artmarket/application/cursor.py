"""Opaque, tamper-checked gallery cursors: a forged or foreign cursor is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from uuid import UUID

from artmarket.domain.errors import DomainError

# One encoder for every cursor: `json.dumps` with separators builds a new one per call.
_compact_json = json.JSONEncoder(separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class GalleryPosition:
    """Where a keyset page ended: the sort key of its last item and the item's id (the tiebreaker)."""

    key: int | str
    id: UUID


class InvalidCursor(DomainError):
    """A cursor that was forged, damaged or made for another listing (400)."""

    default_message = "The cursor is not valid for this listing; start again without it."
    field = "cursor"


class CursorCodec:
    """Signs `(listing, sort, position)` with HMAC-SHA256 so clients cannot forge positions.

    Any keyset listing can use it: `key` is the sort value of the last item, `id` its tiebreaker.
    """

    def __init__(self, secret: bytes) -> None:
        self._key = hashlib.sha256(b"artmarket-cursor:" + secret).digest()

    def encode(self, listing: str, sort: str, position: GalleryPosition) -> str:
        payload = _compact_json([listing, str(sort), position.key, str(position.id)]).encode()
        mac = hmac.digest(self._key, payload, "sha256")[:16]
        return base64.urlsafe_b64encode(mac + payload).rstrip(b"=").decode()

    def decode(self, cursor: str, listing: str, sort: str) -> GalleryPosition:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            mac, payload = raw[:16], raw[16:]
            if not hmac.compare_digest(mac, hmac.digest(self._key, payload, "sha256")[:16]):
                raise InvalidCursor()
            cursor_listing, cursor_sort, key, item_id = json.loads(payload)
            position = GalleryPosition(key=key, id=UUID(item_id))
        except (ValueError, TypeError) as error:
            raise InvalidCursor() from error
        if cursor_listing != listing or cursor_sort != str(sort):
            raise InvalidCursor("This cursor belongs to another listing or sort order.")
        if isinstance(key, bool) or not isinstance(key, int | str):
            raise InvalidCursor()
        return position
