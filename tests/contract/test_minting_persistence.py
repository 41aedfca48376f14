"""Minting's repositories, run once per implementation: in memory, SQLite, PostgreSQL.

Every test asserts what a fresh unit of work reads back, never how it was stored.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import uuid4

import pytest
from tests.support.persistence import NOW, Storage, a_user, an_artwork, an_order, store

from artmarket.application.errors import ConcurrentUpdate
from artmarket.domain.certificates import ArtworkSnapshot, MintBatch, MintJob, MintJobStatus
from artmarket.domain.identity import Role
from artmarket.domain.orders import Order, PaymentEvidence

TX = "0.0.1001@1780000000.000000042"


async def paid_orders(storage: Storage, count: int) -> list[Order]:
    artist = a_user("Ada", role=Role.ARTIST)
    await store(storage, artist)
    orders = []
    for n in range(count):
        buyer, artwork = a_user(f"Buyer {n}"), an_artwork(artist, f"Work {n}")
        order = an_order(buyer, artwork)
        order.confirm_payment(
            PaymentEvidence(
                order.reference, True, order.amount, order.amount, NOW + timedelta(minutes=n), "success"
            ),
            NOW + timedelta(minutes=n),
        )
        await store(storage, buyer, artwork, order)
        orders.append(order)
    return orders


def snapshot(order: Order) -> ArtworkSnapshot:
    return ArtworkSnapshot(
        order.artwork_id,
        "Work",
        order.artist_id,
        "Ada",
        "painting",
        2024,
        "600 x 900 mm",
        "ipfs://bafkreiimg",
        "image/png",
    )


async def test_a_job_reads_back_through_its_whole_life_with_its_batch(storage: Storage) -> None:
    (order,) = await paid_orders(storage, 1)
    job = MintJob(uuid4(), order.id, NOW, updated_at=NOW)
    async with storage.new_uow() as uow:
        uow.mint_jobs.add(job)
        await uow.commit()

    document = b'{"name":"Certificate \xc3\xa9"}'
    async with storage.new_uow() as uow:
        loaded = await uow.mint_jobs.get_for_order(order.id)
        assert loaded is not None
        assert loaded.status is MintJobStatus.QUEUED
        assert not loaded.drawn_up
        loaded.draw_up(snapshot(order), document, "ipfs://bafkreidoc")
        loaded.submit(TX, NOW + timedelta(minutes=2), NOW, token_id="0.0.1000")
        uow.mint_jobs.add_batch(
            MintBatch(TX, "0.0.1000", [job.id], NOW + timedelta(minutes=2), b"\x00signed", NOW)
        )
        await uow.commit()

    async with storage.new_uow() as uow:
        loaded = await uow.mint_jobs.get(job.id)
        batch = await uow.mint_jobs.get_batch(TX)
        assert await uow.mint_jobs.get_batch("0.0.1@1.000000001") is None
    assert loaded is not None
    assert batch is not None
    assert (loaded.status, loaded.attempts, loaded.transaction_id, loaded.token_id) == (
        MintJobStatus.SUBMITTED,
        1,
        TX,
        "0.0.1000",
    )
    assert loaded.artwork == snapshot(order)
    assert loaded.metadata_document == document
    assert loaded.transaction_valid_until == NOW + timedelta(minutes=2)
    assert (batch.job_ids, batch.signed_bytes, batch.valid_until) == (
        [job.id],
        b"\x00signed",
        NOW + timedelta(minutes=2),
    )

    async with storage.new_uow() as uow:
        loaded = await uow.mint_jobs.get(job.id)
        assert loaded is not None
        loaded.succeed(7, NOW)
        order_row = await uow.orders.get(order.id)
        assert order_row is not None
        certificate = loaded.certificate(
            owner_id=order_row.buyer_id, network="simulated", issued_at=NOW, public_code="a2b3c4d5e6f7"
        )
        uow.certificates.add(certificate)
        await uow.commit()
    async with storage.new_uow() as uow:
        read = await uow.certificates.get(certificate.id)
        mine = await uow.certificates.list_for_owner(order.buyer_id, limit=10)
        counts = await uow.mint_jobs.count_by_status()
    assert read is not None
    assert (read.id, read.serial, read.token_id, read.transaction_id) == (job.id, 7, "0.0.1000", TX)
    assert read.artwork == snapshot(order)
    assert read.metadata_document == document
    assert read.issued_at == NOW
    assert [c.id for c in mine] == [certificate.id]
    assert counts[MintJobStatus.SUCCEEDED] == 1


async def test_a_second_job_for_one_order_is_refused(storage: Storage) -> None:
    (order,) = await paid_orders(storage, 1)
    async with storage.new_uow() as uow:
        uow.mint_jobs.add(MintJob(uuid4(), order.id, NOW))
        await uow.commit()
    async with storage.new_uow() as uow:
        uow.mint_jobs.add(MintJob(uuid4(), order.id, NOW))
        with pytest.raises(ConcurrentUpdate):
            await uow.commit()


async def test_two_workers_submitting_one_job_one_wins(storage: Storage) -> None:
    (order,) = await paid_orders(storage, 1)
    job = MintJob(uuid4(), order.id, NOW)
    async with storage.new_uow() as uow:
        uow.mint_jobs.add(job)
        await uow.commit()
    first, second = storage.new_uow(), storage.new_uow()
    async with first, second:
        a, b = await first.mint_jobs.get(job.id), await second.mint_jobs.get(job.id)
        assert a is not None
        assert b is not None
        a.submit(TX, NOW, NOW)
        b.submit("0.0.1001@1780000000.000000043", NOW, NOW)
        await first.commit()
        with pytest.raises(ConcurrentUpdate):
            await second.commit()
    async with storage.new_uow() as uow:
        loaded = await uow.mint_jobs.get(job.id)
    assert loaded is not None
    assert loaded.transaction_id == TX


async def test_due_jobs_are_oldest_first_and_wait_for_their_back_off(storage: Storage) -> None:
    orders = await paid_orders(storage, 3)
    jobs = [MintJob(uuid4(), order.id, NOW + timedelta(seconds=n)) for n, order in enumerate(orders)]
    jobs[1].back_off("BUSY", NOW, max_attempts=5)  # due at NOW + 2 s
    async with storage.new_uow() as uow:
        for job in reversed(jobs):
            uow.mint_jobs.add(job)
        await uow.commit()
    async with storage.new_uow() as uow:
        now_due = await uow.mint_jobs.due(MintJobStatus.QUEUED, NOW, limit=10)
        later = await uow.mint_jobs.due(MintJobStatus.QUEUED, NOW + timedelta(seconds=2), limit=10)
        every = await uow.mint_jobs.due(MintJobStatus.QUEUED, None, limit=2)
        newest = await uow.mint_jobs.list(status=None, limit=2)
        page = await uow.mint_jobs.list(status=None, limit=10, before=(newest[-1].created_at, newest[-1].id))
        failed = await uow.mint_jobs.list(status=MintJobStatus.FAILED, limit=10)
    assert [j.id for j in now_due] == [jobs[0].id, jobs[2].id]
    assert [j.id for j in later] == [j.id for j in jobs]
    assert [j.id for j in every] == [jobs[0].id, jobs[1].id]
    assert [j.id for j in newest] == [jobs[2].id, jobs[1].id]
    assert [j.id for j in page] == [jobs[0].id]
    assert failed == []


async def test_a_lease_has_one_holder_until_it_is_released_or_expires(storage: Storage) -> None:
    ttl = timedelta(seconds=30)
    async with storage.new_uow() as uow:
        assert await uow.leases.acquire("minting", "a", NOW, ttl)
        await uow.commit()
    async with storage.new_uow() as uow:
        assert not await uow.leases.acquire("minting", "b", NOW + timedelta(seconds=10), ttl)
        assert await uow.leases.acquire("minting", "a", NOW + timedelta(seconds=10), ttl)  # renewed
        await uow.commit()
    async with storage.new_uow() as uow:
        assert not await uow.leases.acquire("minting", "b", NOW + timedelta(seconds=35), ttl)
        assert await uow.leases.acquire("minting", "b", NOW + timedelta(seconds=41), ttl)  # expired
        await uow.commit()
    async with storage.new_uow() as uow:
        await uow.leases.release("minting", "a")  # not a's any more: nothing happens
        await uow.commit()
    async with storage.new_uow() as uow:
        assert not await uow.leases.acquire("minting", "c", NOW + timedelta(seconds=42), ttl)
        await uow.leases.release("minting", "b")
        await uow.commit()
    async with storage.new_uow() as uow:
        assert await uow.leases.acquire("minting", "c", NOW + timedelta(seconds=43), ttl)
        await uow.commit()


async def test_two_takers_racing_for_a_free_lease_one_wins(storage: Storage) -> None:
    async def take(holder: str) -> bool:
        async with storage.new_uow() as uow:
            taken = await uow.leases.acquire("minting", holder, NOW, timedelta(seconds=30))
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return False
            return taken

    if storage.kind == "memory":
        first, second = storage.new_uow(), storage.new_uow()
        async with first, second:
            assert await first.leases.acquire("minting", "a", NOW, timedelta(seconds=30))
            assert await second.leases.acquire("minting", "b", NOW, timedelta(seconds=30))
            await first.commit()
            with pytest.raises(ConcurrentUpdate):
                await second.commit()
        return
    results = await asyncio.gather(*(take(f"h{n}") for n in range(5)))
    assert sorted(results) == [False, False, False, False, True]


async def test_paid_orders_without_minting_are_found_oldest_first(storage: Storage) -> None:
    orders = await paid_orders(storage, 3)
    async with storage.new_uow() as uow:
        started = await uow.orders.get(orders[0].id)
        assert started is not None
        started.start_minting(NOW + timedelta(minutes=10))
        await uow.commit()
    async with storage.new_uow() as uow:
        found = await uow.orders.paid_before(NOW + timedelta(minutes=2), limit=10)
    assert [o.id for o in found] == [orders[1].id]
