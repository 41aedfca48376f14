"""`ImageProcessor` over a blocking processor: off the event loop, a bounded number at a time,
the freed memory handed back to the system after each."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
from collections.abc import Callable

from artmarket.application.media import ProcessedImage


def _malloc_trim() -> Callable[[], object] | None:
    """glibc's `malloc_trim(0)`, or None on a C library without it (musl, macOS)."""
    library = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(library), "malloc_trim", None) if library else None
    return None if trim is None else lambda: trim(0)


_RETURN_FREED_MEMORY = _malloc_trim()


class ThreadedImageProcessor:
    """Runs `process` in a worker thread, at most `concurrency` at once in this process.

    Each decode's peak memory is bounded by the processor (decoded-bytes limit), so the
    process's is about `concurrency` times that. Waiting uploads queue on the event loop,
    not in the thread pool, so they hold no thread. The pixels are freed when a decode
    ends, but glibc may keep the pages in the worker thread's arena (then a served process
    stayed 122 MiB larger after four uploads of a 7000 x 7000 16-bit PNG): `malloc_trim`
    hands them back.
    """

    def __init__(self, process: Callable[[bytes], ProcessedImage], *, concurrency: int) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._process = process
        self._slots = asyncio.Semaphore(concurrency)

    async def process(self, data: bytes) -> ProcessedImage:
        async with self._slots:
            return await asyncio.to_thread(self._process_and_return_memory, data)

    def _process_and_return_memory(self, data: bytes) -> ProcessedImage:
        try:
            return self._process(data)
        finally:
            if _RETURN_FREED_MEMORY is not None:
                _RETURN_FREED_MEMORY()
