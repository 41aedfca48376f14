"""The metrics' business snapshot is read at most once per `max_age`, however many scrape it."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from artmarket.application.observability import OperationsPolicy, OperationsSnapshot, ReadOperationsSnapshot
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryOperationsQueries


class CountingQueries(InMemoryOperationsQueries):
    """The in-memory read port, counting the reads that reach it (each a slow one)."""

    def __init__(self) -> None:
        super().__init__(InMemoryDatabase())
        self.reads = 0

    async def snapshot(self, now: datetime, *, stuck_after: timedelta) -> OperationsSnapshot:
        self.reads += 1
        await asyncio.sleep(0.01)
        return await super().snapshot(now, stuck_after=stuck_after)


def reader(clock: FixedClock, queries: CountingQueries) -> ReadOperationsSnapshot:
    return ReadOperationsSnapshot(queries, clock, OperationsPolicy(max_age=timedelta(seconds=5)))


async def test_scrapes_within_max_age_share_one_read() -> None:
    clock, queries = FixedClock(), CountingQueries()
    read = reader(clock, queries)

    first = await read()
    clock.advance(timedelta(seconds=4))
    again = await read()

    assert again is first
    assert queries.reads == 1


async def test_a_scrape_after_max_age_reads_again() -> None:
    clock, queries = FixedClock(), CountingQueries()
    read = reader(clock, queries)

    first = await read()
    clock.advance(timedelta(seconds=5))
    later = await read()

    assert later.taken_at == first.taken_at + timedelta(seconds=5)
    assert queries.reads == 2


async def test_concurrent_scrapes_wait_for_one_read() -> None:
    clock, queries = FixedClock(), CountingQueries()
    read = reader(clock, queries)

    snapshots = await asyncio.gather(*(read() for _ in range(10)))

    assert queries.reads == 1
    assert all(snapshot is snapshots[0] for snapshot in snapshots)
