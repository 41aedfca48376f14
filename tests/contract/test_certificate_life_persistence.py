"""A certificate's later life in storage (trail, ledger tasks, signed transactions, standing),
run once per implementation: in memory, SQLite, PostgreSQL. Assertions read back through a
fresh unit of work."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from tests.contract.test_minting_persistence import TX, paid_orders, snapshot
from tests.support.persistence import NOW, Storage

from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.minting.certificate_transactions import PreparedTransaction, TransactionKind
from artmarket.domain.certificates import Certificate, MintJob
from artmarket.domain.custody import CertificateStatus, CustodyKind, RevocationReason, new_public_code
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind, TaskStatus
from artmarket.domain.provenance import ProvenanceEntry, ProvenanceEvent

OTHER_TX = "0.0.1001@1780000000.000000043"


async def issued(storage: Storage, count: int = 1) -> list[Certificate]:
    """Certificates of paid orders, each issued by its succeeded mint job."""
    orders = await paid_orders(storage, count)
    issued = []
    async with storage.new_uow() as uow:
        for serial, order in enumerate(orders, start=1):
            job = MintJob(uuid4(), order.id, NOW)
            job.draw_up(snapshot(order), b"{}", "ipfs://bafkreidoc")
            job.submit(TX, NOW, NOW, token_id="0.0.1000")
            job.succeed(serial, NOW)
            certificate = job.certificate(
                owner_id=order.buyer_id, network="simulated", issued_at=NOW, public_code=new_public_code()
            )
            uow.mint_jobs.add(job)
            uow.certificates.add(certificate)
            issued.append(certificate)
        await uow.commit()
    return issued


def an_entry(certificate_id: UUID, position: int, event: ProvenanceEvent) -> ProvenanceEntry:
    return ProvenanceEntry(
        uuid4(), certificate_id, position, event, NOW, b'{"event":"' + event.encode() + b'"}'
    )


def record_task(entry: ProvenanceEntry, *, at: timedelta = timedelta()) -> LedgerTask:
    return LedgerTask(entry.id, entry.certificate_id, LedgerTaskKind.RECORD, NOW + at)


async def test_a_certificate_is_found_by_order_code_and_nft_and_keeps_its_standing(storage: Storage) -> None:
    (certificate,) = await issued(storage)
    async with storage.new_uow() as uow:
        loaded = await uow.certificates.get(certificate.id)
        assert loaded is not None
        loaded.revoke(RevocationReason.REFUNDED, NOW)
        loaded.show_owner_name(True)
        await uow.commit()

    async with storage.new_uow() as uow:
        by_order = await uow.certificates.get_for_order(certificate.order_id)
        by_code = await uow.certificates.get_by_public_code(certificate.public_code)
        by_nft = await uow.certificates.get_by_token_serial("0.0.1000", 1)
        assert await uow.certificates.get_by_public_code("zzzzzzzzzzzz") is None
        assert await uow.certificates.get_by_token_serial("0.0.1000", 2) is None
        assert await uow.certificates.get_for_order(uuid4()) is None
    assert by_order is not None
    assert by_code is not None
    assert by_nft is not None
    assert {by_order.id, by_code.id, by_nft.id} == {certificate.id}
    assert (by_code.status, by_code.revoked_at, by_code.revocation_reason) == (
        CertificateStatus.REVOKED,
        NOW,
        RevocationReason.REFUNDED,
    )
    assert (by_code.custody, by_code.custody_account, by_code.shows_owner_name) == (
        CustodyKind.PLATFORM,
        None,
        True,
    )


async def test_custody_reads_back_and_two_changes_of_one_certificate_do_not_both_win(
    storage: Storage,
) -> None:
    (certificate,) = await issued(storage)
    first, second = storage.new_uow(), storage.new_uow()
    async with first, second:
        a, b = await first.certificates.get(certificate.id), await second.certificates.get(certificate.id)
        assert a is not None
        assert b is not None
        a.await_claim("0.0.5005")
        b.revoke(RevocationReason.ADMIN, NOW)
        await first.commit()
        with pytest.raises(ConcurrentUpdate):
            await second.commit()
    async with storage.new_uow() as uow:
        loaded = await uow.certificates.get(certificate.id)
    assert loaded is not None
    assert (loaded.status, loaded.custody, loaded.custody_account) == (
        CertificateStatus.VALID,
        CustodyKind.PENDING_CLAIM,
        "0.0.5005",
    )


async def test_the_trail_is_in_position_order_with_the_task_recording_each_entry(storage: Storage) -> None:
    (certificate,) = await issued(storage)
    issued_entry = an_entry(certificate.id, 1, ProvenanceEvent.ISSUED)
    revoked_entry = an_entry(certificate.id, 2, ProvenanceEvent.REVOKED)
    async with storage.new_uow() as uow:
        uow.provenance.add(revoked_entry)
        uow.ledger_tasks.add(record_task(revoked_entry), dedupe_key=f"record:{revoked_entry.id}")
        uow.provenance.add(issued_entry)
        uow.ledger_tasks.add(record_task(issued_entry), dedupe_key=f"record:{issued_entry.id}")
        await uow.commit()
    async with storage.new_uow() as uow:
        task = await uow.ledger_tasks.get(issued_entry.id)
        assert task is not None
        task.submit(TX, NOW + timedelta(minutes=2), NOW)
        task.succeed(NOW, consensus_timestamp="1780000000.000000005", sequence_number=1)
        await uow.commit()

    async with storage.new_uow() as uow:
        trail = await uow.provenance.trail(certificate.id)
        assert await uow.provenance.trail(uuid4()) == []
    assert [(entry.position, entry.event, entry.message) for entry, _ in trail] == [
        (1, ProvenanceEvent.ISSUED, issued_entry.message),
        (2, ProvenanceEvent.REVOKED, revoked_entry.message),
    ]
    assert [(task.id, task.status, task.sequence_number, task.consensus_timestamp) for _, task in trail] == [
        (issued_entry.id, TaskStatus.SUCCEEDED, 1, "1780000000.000000005"),
        (revoked_entry.id, TaskStatus.QUEUED, None, None),
    ]


async def test_a_second_entry_at_one_position_is_refused(storage: Storage) -> None:
    (certificate,) = await issued(storage)
    async with storage.new_uow() as uow:
        uow.provenance.add(an_entry(certificate.id, 1, ProvenanceEvent.ISSUED))
        await uow.commit()
    async with storage.new_uow() as uow:
        uow.provenance.add(an_entry(certificate.id, 1, ProvenanceEvent.REVOKED))
        with pytest.raises(ConcurrentUpdate):
            await uow.commit()
    async with storage.new_uow() as uow:
        trail_events = [entry.event for entry, _ in await uow.provenance.trail(certificate.id)]
    assert trail_events == []  # the entry has no recording task, so the trail lists nothing


async def test_a_second_task_with_one_dedupe_key_is_refused(storage: Storage) -> None:
    (certificate,) = await issued(storage)
    async with storage.new_uow() as uow:
        uow.ledger_tasks.add(
            LedgerTask(uuid4(), certificate.id, LedgerTaskKind.BURN, NOW), dedupe_key=f"burn:{certificate.id}"
        )
        await uow.commit()
    async with storage.new_uow() as uow:
        uow.ledger_tasks.add(
            LedgerTask(uuid4(), certificate.id, LedgerTaskKind.BURN, NOW), dedupe_key=f"burn:{certificate.id}"
        )
        with pytest.raises(ConcurrentUpdate):
            await uow.commit()
    async with storage.new_uow() as uow:
        tasks = await uow.ledger_tasks.for_certificate(certificate.id)
    assert [task.kind for task in tasks] == [LedgerTaskKind.BURN]


async def test_a_submitted_task_keeps_its_signed_transaction(storage: Storage) -> None:
    (certificate,) = await issued(storage)
    task = LedgerTask(uuid4(), certificate.id, LedgerTaskKind.TRANSFER, NOW, account_id="0.0.5005")
    async with storage.new_uow() as uow:
        uow.ledger_tasks.add(task, dedupe_key=f"transfer:{certificate.id}:1")
        await uow.commit()
    prepared = PreparedTransaction(TX, TransactionKind.TRANSFER, NOW + timedelta(minutes=2), b"\x00signed")
    async with storage.new_uow() as uow:
        loaded = await uow.ledger_tasks.get(task.id)
        assert loaded is not None
        uow.ledger_tasks.add_transaction(task.id, prepared)
        loaded.submit(prepared.transaction_id, prepared.valid_until, NOW)
        assert await uow.ledger_tasks.get_transaction(TX) == prepared  # read back before the commit
        await uow.commit()

    async with storage.new_uow() as uow:
        stored = await uow.ledger_tasks.get_transaction(TX)
        assert await uow.ledger_tasks.get_transaction(OTHER_TX) is None
        loaded = await uow.ledger_tasks.get(task.id)
    assert stored == prepared
    assert loaded is not None
    assert (loaded.status, loaded.attempts, loaded.transaction_id, loaded.account_id) == (
        TaskStatus.SUBMITTED,
        1,
        TX,
        "0.0.5005",
    )
    assert loaded.transaction_valid_until == NOW + timedelta(minutes=2)

    async with storage.new_uow() as uow:
        uow.ledger_tasks.add_transaction(task.id, prepared)
        with pytest.raises(ConcurrentUpdate):
            await uow.commit()


async def test_two_workers_submitting_one_task_one_wins(storage: Storage) -> None:
    (certificate,) = await issued(storage)
    task = LedgerTask(uuid4(), certificate.id, LedgerTaskKind.BURN, NOW)
    async with storage.new_uow() as uow:
        uow.ledger_tasks.add(task, dedupe_key=f"burn:{certificate.id}")
        await uow.commit()
    first, second = storage.new_uow(), storage.new_uow()
    async with first, second:
        a, b = await first.ledger_tasks.get(task.id), await second.ledger_tasks.get(task.id)
        assert a is not None
        assert b is not None
        a.submit(TX, NOW, NOW)
        b.submit(OTHER_TX, NOW, NOW)
        await first.commit()
        with pytest.raises(ConcurrentUpdate):
            await second.commit()
    async with storage.new_uow() as uow:
        loaded = await uow.ledger_tasks.get(task.id)
    assert loaded is not None
    assert loaded.transaction_id == TX


async def test_due_tasks_are_oldest_first_wait_for_their_back_off_and_are_counted(storage: Storage) -> None:
    certificates = await issued(storage, 3)
    tasks = [
        LedgerTask(uuid4(), c.id, LedgerTaskKind.BURN, NOW + timedelta(seconds=n))
        for n, c in enumerate(certificates)
    ]
    tasks[1].back_off("BUSY", NOW, max_attempts=5)  # due at NOW + 2 s
    tasks[2].fail("TOKEN_WAS_DELETED", NOW)
    async with storage.new_uow() as uow:
        for task in reversed(tasks):
            uow.ledger_tasks.add(task, dedupe_key=f"burn:{task.certificate_id}")
        await uow.commit()
    async with storage.new_uow() as uow:
        now_due = await uow.ledger_tasks.due(TaskStatus.QUEUED, NOW, limit=10)
        later = await uow.ledger_tasks.due(TaskStatus.QUEUED, NOW + timedelta(seconds=2), limit=10)
        first_only = await uow.ledger_tasks.due(TaskStatus.QUEUED, None, limit=1)
        failed = await uow.ledger_tasks.due(TaskStatus.FAILED, None, limit=10)
        counts = await uow.ledger_tasks.count_by_status()
    assert [t.id for t in now_due] == [tasks[0].id]
    assert [t.id for t in later] == [tasks[0].id, tasks[1].id]
    assert [t.id for t in first_only] == [tasks[0].id]
    assert [(t.id, t.last_error) for t in failed] == [(tasks[2].id, "TOKEN_WAS_DELETED")]
    assert counts == {
        TaskStatus.QUEUED: 2,
        TaskStatus.SUBMITTED: 0,
        TaskStatus.SUCCEEDED: 0,
        TaskStatus.FAILED: 1,
    }
