"""`ImageProcessor` over a blocking processor: off the event loop, a bounded number at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from artmarket.application.media import ProcessedImage


class ThreadedImageProcessor:
    """Runs `process` in a worker thread, at most `concurrency` at once in this process.

    Each decode's peak memory is bounded by the processor (decoded-bytes limit), so the
    process's is about `concurrency` times that. Waiting uploads queue on the event loop,
    not in the thread pool, so they hold no thread.
    """

    def __init__(self, process: Callable[[bytes], ProcessedImage], *, concurrency: int) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._process = process
        self._slots = asyncio.Semaphore(concurrency)

    async def process(self, data: bytes) -> ProcessedImage:
        async with self._slots:
            return await asyncio.to_thread(self._process, data)
