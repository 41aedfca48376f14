"""A content-addressed store in memory: true CIDv1 (raw, sha2-256, base32), nothing kept across restarts."""

from __future__ import annotations

from multiformats import CID, multihash

from artmarket.application.minting.content import ContentRef


def cid_of(data: bytes) -> str:
    """The CIDv1 of `data` as IPFS computes it for a raw block: base32, codec raw, sha2-256."""
    return str(CID("base32", 1, "raw", multihash.digest(data, "sha2-256")))


class InMemoryContentStore:
    """Keeps bytes under their CID in a dict; for the embedded profile and tests."""

    def __init__(self) -> None:
        self._blocks: dict[str, bytes] = {}

    async def put_bytes(self, data: bytes) -> ContentRef:
        cid = cid_of(data)
        self._blocks[cid] = bytes(data)
        return ContentRef(cid=cid, size=len(data))

    async def get(self, cid: str) -> bytes | None:
        return self._blocks.get(cid)
