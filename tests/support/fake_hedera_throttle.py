"""The network's NFT-mint throttle, for the fake consensus node: a token bucket over NFTs minted.

Hedera throttles TokenMint per NFT, not per transaction (`tokens.nfts.mintThrottleScaleFactor`,
about 50 NFT mints per second on mainnet today) and answers precheck BUSY above it; the SDK
then resends the same signed bytes after a back-off. The bucket holds one second's worth
unless told otherwise, like the network's one-second burst period.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: NFT mints per second on mainnet (hedera.md §3, "Mainnet throttle").
MAINNET_NFT_MINTS_PER_SECOND = 50.0


class MintThrottle:
    """`per_second` NFTs minted per second, at most `burst` at once; thread-safe."""

    def __init__(
        self,
        per_second: float = MAINNET_NFT_MINTS_PER_SECOND,
        *,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.per_second = per_second
        self.burst = per_second if burst is None else burst
        if self.burst < 1:
            raise ValueError("burst must allow at least one NFT")
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = self.burst
        self._at = clock()
        #: Mints refused (each answered BUSY).
        self.refused = 0

    def admit(self, nfts: int) -> bool:
        """Take `nfts` from the bucket, or take nothing and answer False (the node says BUSY)."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.per_second)
            self._at = now
            if nfts > self._tokens:
                self.refused += 1
                return False
            self._tokens -= nfts
            return True
