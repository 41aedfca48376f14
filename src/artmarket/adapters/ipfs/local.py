"""A `ContentAddressedStore` in a local directory: the embedded default, with true CIDs.

Each block is one file named by its CID under `root/<shard>/`, where the shard is the
CID's next-to-last two characters (Kubo's flatfs layout, so no directory grows huge).
Files are written to `root/.incoming`, fsynced and moved into place with `os.replace`:
a reader never sees half a block. Reads re-hash the file, so a damaged or tampered block
is refused instead of served under a CID it no longer matches.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Final

from artmarket.adapters.atomic_files import write_atomically
from artmarket.adapters.ipfs.cid import canonical_cid, compute_cid
from artmarket.application.minting.content import ContentRef, ContentUnavailable

_INCOMING: Final = ".incoming"

log = logging.getLogger(__name__)


class LocalBlockStore:
    """Blocks under `root` (by default `ARTMARKET_DATA_DIR/ipfs/`); nothing is published anywhere."""

    def __init__(self, root: Path) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        return self._root

    def path_of(self, cid: str) -> Path:
        """Where the block named by the canonical `cid` lives (it may not exist)."""
        return self._root / cid[-3:-1] / cid

    async def put_bytes(self, data: bytes) -> ContentRef:
        data = bytes(data)
        cid = compute_cid(data)
        try:
            await asyncio.to_thread(self._store, cid, data)
        except OSError as error:
            raise ContentUnavailable(
                f"Cannot write {cid} to the local content store: {error.strerror}."
            ) from error
        return ContentRef(cid, len(data))

    async def get(self, cid: str) -> bytes | None:
        canonical = canonical_cid(cid)
        if canonical is None:
            return None
        try:
            data = await asyncio.to_thread(self.path_of(canonical).read_bytes)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise ContentUnavailable(f"Cannot read {canonical} from the local content store.") from error
        if compute_cid(data) != canonical:
            log.error("content store block %s does not match its CID", canonical)
            raise ContentUnavailable(
                f"The stored block {canonical} is damaged: its content no longer matches."
            )
        return data

    def _store(self, cid: str, data: bytes) -> None:
        target = self.path_of(cid)
        if target.is_file() and _intact(target, cid):
            return  # content-addressed: the same CID is the same bytes, already in place
        # Blocks are public by nature (anyone with the CID may fetch them from IPFS).
        write_atomically(target, data, staging=self._root / _INCOMING, mode=0o644)


def _intact(path: Path, cid: str) -> bool:
    try:
        return compute_cid(path.read_bytes()) == cid
    except OSError:
        return False
