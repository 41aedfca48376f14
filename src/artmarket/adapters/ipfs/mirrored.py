"""Certificate content pinned on more than one IPFS node: the primary and its mirrors.

A certificate's metadata URI is on chain forever; a single pinning node is a single point
of loss. `MirroredContentStore` stores every block on each node (`block/put ... pin=true`)
and then asks each node to confirm the pin (`pin/ls`); the content counts as stored only
when every node confirmed, otherwise `ContentUnavailable` makes the mint job try again
later (storing a block twice stores it once). Reads go to the primary, then the mirrors.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from artmarket.adapters.ipfs.kubo import KuboContentStore
from artmarket.application.minting.content import ContentRef, ContentUnavailable

log = logging.getLogger(__name__)


class MirroredContentStore:
    """`ContentAddressedStore` over a primary Kubo node and mirror nodes, all pinning everything."""

    def __init__(self, primary: KuboContentStore, mirrors: Sequence[KuboContentStore]) -> None:
        self.nodes = (primary, *mirrors)

    def __repr__(self) -> str:
        return f"MirroredContentStore({', '.join(map(repr, self.nodes))})"

    async def put_bytes(self, data: bytes) -> ContentRef:
        stored = await asyncio.gather(*(node.put_bytes(data) for node in self.nodes), return_exceptions=True)
        _raise_first(stored)
        ref = stored[0]
        assert isinstance(ref, ContentRef)
        confirmed = await asyncio.gather(
            *(node.confirm_pinned(ref.cid) for node in self.nodes), return_exceptions=True
        )
        _raise_first(confirmed)
        return ref

    async def get(self, cid: str) -> bytes | None:
        failure: ContentUnavailable | None = None
        for node in self.nodes:
            try:
                found = await node.get(cid)
            except ContentUnavailable as error:
                log.warning("IPFS node %r could not return %s: %s", node, cid, error)
                failure = error
                continue
            if found is not None:
                return found
        if failure is not None:
            raise failure  # some node could not answer: the content may be there
        return None

    async def aclose(self) -> None:
        for node in self.nodes:
            await node.aclose()


def _raise_first(outcomes: Sequence[object]) -> None:
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
