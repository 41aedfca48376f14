"""An in-memory `ContentAddressedStore`: the fake, with the same true CIDs as the real stores."""

from __future__ import annotations

from artmarket.adapters.ipfs.cid import canonical_cid, compute_cid
from artmarket.application.minting.content import ContentRef, ContentUnavailable


class InMemoryBlockStore:
    """Behaves like the real stores (same contract suite); `blocks` is the end state to assert on."""

    def __init__(self) -> None:
        #: CID -> bytes, as pinned.
        self.blocks: dict[str, bytes] = {}
        self._unavailable = 0

    def unavailable_next(self, puts: int) -> None:
        """The next `puts` puts fail as a store that cannot be reached would."""
        self._unavailable = puts

    async def put_bytes(self, data: bytes) -> ContentRef:
        if self._unavailable > 0:
            self._unavailable -= 1
            raise ContentUnavailable()
        cid = compute_cid(data)
        self.blocks.setdefault(cid, bytes(data))
        return ContentRef(cid, len(data))

    async def get(self, cid: str) -> bytes | None:
        canonical = canonical_cid(cid)
        return None if canonical is None else self.blocks.get(canonical)
