"""The content-addressed store certificates live in: IPFS, or a local stand-in with true CIDs."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Protocol

from artmarket.domain.errors import DomainError


class ContentUnavailable(DomainError):
    """The content store could not be reached or refused the content; retry later."""

    default_message = "The content store is temporarily unavailable; try again later."


@dataclass(frozen=True, slots=True)
class ContentRef:
    """Where content lives by what it is: a CIDv1 (base32, e.g. `bafkrei...`) and its size."""

    cid: str
    size: int

    @property
    def uri(self) -> str:
        return f"ipfs://{self.cid}"


class ContentAddressedStore(Protocol):
    """Stores bytes under their CIDv1 (raw codec, sha2-256) and gives them back by CID."""

    @abstractmethod
    async def put_bytes(self, data: bytes) -> ContentRef:
        """Store and pin `data`; the CID is computed locally and must match the store's own."""

    @abstractmethod
    async def get(self, cid: str) -> bytes | None:
        """The bytes stored under `cid`, or None if this store has never held them."""
