"""A small content-addressed store for tests: real CIDv1 (raw, sha2-256, base32) via multiformats.

Temporary: the real adapters of `ContentAddressedStore` (local, Kubo RPC, fake) come with
their own contract suite; this one only lets minting tests check true content addresses.
"""

from __future__ import annotations

from multiformats import CID, multihash

from artmarket.application.minting.content import ContentRef, ContentUnavailable


def cid_of(data: bytes) -> str:
    return str(CID("base32", 1, "raw", multihash.digest(data, "sha2-256")))


class MemoryCidStore:
    """Bytes by CID in a dict; `unavailable_next(n)` makes the next n puts fail as a down store would."""

    def __init__(self) -> None:
        self.blocks: dict[str, bytes] = {}
        self._unavailable = 0

    def unavailable_next(self, n: int) -> None:
        self._unavailable = n

    async def put_bytes(self, data: bytes) -> ContentRef:
        if self._unavailable > 0:
            self._unavailable -= 1
            raise ContentUnavailable()
        cid = cid_of(data)
        self.blocks[cid] = bytes(data)
        return ContentRef(cid=cid, size=len(data))

    async def get(self, cid: str) -> bytes | None:
        return self.blocks.get(cid)
