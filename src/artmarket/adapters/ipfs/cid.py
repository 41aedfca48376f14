"""CIDv1 (base32, raw codec, sha2-256) computed with the multiformats library.

The raw codec makes the CID a hash of the bytes themselves, with no UnixFS wrapping or
chunking, so the same bytes get the same CID here, in the local store and on a Kubo node
(`block/put` with `cid-codec=raw`), whatever their size.
"""

from __future__ import annotations

from typing import Final

from multiformats import CID, multihash

CODEC: Final = "raw"
HASH: Final = "sha2-256"
BASE: Final = "base32"
#: Far above any sha2-256 CID in any multibase (59 characters in base32).
_LONGEST_CID: Final = 256


def compute_cid(data: bytes) -> str:
    """The canonical CIDv1 of `data`: `bafkrei...`, 59 characters."""
    return str(CID(BASE, 1, CODEC, multihash.digest(data, HASH)))


def canonical_cid(text: str) -> str | None:
    """`text` as our canonical CID string, or None unless it is a raw, sha2-256 CID.

    Accepts any multibase rendering (and a CIDv1 in another base) so a caller's spelling
    does not matter; anything else, including paths and garbage, is None.
    """
    if len(text) > _LONGEST_CID:
        return None
    try:
        cid = CID.decode(text.strip())
    except (ValueError, LookupError, TypeError):  # the library's errors derive from these
        return None
    if cid.version != 1 or cid.codec.name != CODEC or cid.hashfun.name != HASH:
        return None
    return str(cid.set(base=BASE))


def matches(cid: str, data: bytes) -> bool:
    """Whether `data` is the content `cid` names."""
    return compute_cid(data) == cid
