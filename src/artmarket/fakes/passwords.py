"""A password hasher for tests: fast and deterministic, never wired in production."""

from __future__ import annotations

import hashlib
import hmac


class FakePasswordHasher:
    """Salt-free SHA-256: fast and deterministic, for unit tests only (never wired in production)."""

    async def hash(self, password: str) -> str:
        return self.digest(password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return hmac.compare_digest(password_hash, self.digest(password))

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith("fake$")

    @staticmethod
    def digest(password: str) -> str:
        return "fake$" + hashlib.sha256(password.encode()).hexdigest()
