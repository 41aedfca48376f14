"""argon2id password hashing (argon2-cffi) on a bounded pool of threads."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: Names the hashing threads, so a thread dump (and the tests) can tell them apart.
HASHING_THREAD_PREFIX = "password-hashing"


class Argon2PasswordHasher:
    """argon2id with the given cost; parameters are stored in each hash, so raising them is safe.

    Each hash and verification runs on a pool of `concurrency` threads of its own: off the
    event loop, and never more at once than that, whatever the number of sign-ups, sign-ins
    or resets in flight. One argon2id computation already keeps `parallelism` lanes busy, so
    more at once only makes each slower and starves every other request of CPU (and of the
    default thread pool, which the database driver needs too). Call `close` at shutdown.
    """

    def __init__(
        self, *, time_cost: int = 3, memory_kib: int = 65_536, parallelism: int = 4, concurrency: int = 1
    ) -> None:
        self._argon2 = _Argon2(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
        self._threads = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=HASHING_THREAD_PREFIX)

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(
            self._threads, self._verify, password_hash, password
        )

    def needs_rehash(self, password_hash: str) -> bool:
        return self._argon2.check_needs_rehash(password_hash)

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
