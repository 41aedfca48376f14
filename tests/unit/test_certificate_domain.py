"""Mint jobs and HIP-412 metadata: the rules the mint worker will build on."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from artmarket.domain.certificate_metadata import HIP412_FORMAT, hip412_document
from artmarket.domain.certificates import (
    ArtworkSnapshot,
    MetadataTooLong,
    MintJob,
    MintJobStateConflict,
    MintJobStatus,
    onchain_metadata,
)

NOW = datetime(2026, 7, 1, tzinfo=UTC)
SNAPSHOT = ArtworkSnapshot(
    uuid4(), "Harmattan Light", uuid4(), "Ada Obi", "painting", 2024, "600 x 900 mm", "ipfs://bafkreiimage"
)


def test_the_hip412_document_is_canonical_and_complete() -> None:
    certificate, order = uuid4(), uuid4()
    first = hip412_document(
        certificate_id=certificate,
        order_id=order,
        artwork=SNAPSHOT,
        issued_at=NOW,
        description="Certificate of authenticity",
    )
    again = hip412_document(
        certificate_id=certificate,
        order_id=order,
        artwork=SNAPSHOT,
        issued_at=NOW,
        description="Certificate of authenticity",
    )
    assert hashlib.sha256(first).digest() == hashlib.sha256(again).digest()
    document = json.loads(first)
    assert document["format"] == HIP412_FORMAT
    assert document["image"] == "ipfs://bafkreiimage"
    assert document["properties"]["edition"] == "1 of 1"
    assert document["properties"]["certificate_id"] == str(certificate)


def test_onchain_metadata_is_an_ipfs_address_of_at_most_100_bytes() -> None:
    assert onchain_metadata("ipfs://bafkrei" + "a" * 52) == b"ipfs://bafkrei" + b"a" * 52
    with pytest.raises(MetadataTooLong):
        onchain_metadata("ipfs://" + "a" * 94)
    with pytest.raises(MetadataTooLong):
        onchain_metadata("https://example.com/meta.json")


def test_a_job_is_submitted_with_its_transaction_before_it_succeeds() -> None:
    job = MintJob(uuid4(), uuid4(), NOW)
    with pytest.raises(MintJobStateConflict):
        job.succeed(1, NOW)
    job.submit("0.0.2@1780000000.000000001", NOW + timedelta(seconds=120), NOW)
    job.succeed(7, NOW)
    assert (job.status, job.serial, job.attempts) == (MintJobStatus.SUCCEEDED, 7, 1)


def test_retryable_failures_back_off_then_fail_and_an_operator_retries() -> None:
    job = MintJob(uuid4(), uuid4(), NOW)
    delays = []
    while True:
        job.back_off("BUSY", NOW, max_attempts=4)
        if job.status is MintJobStatus.FAILED:
            break
        if job.next_attempt_at:
            delays.append(job.next_attempt_at - NOW)
    assert delays == sorted(delays)
    assert job.last_error == "BUSY"
    job.retry(NOW)
    assert (job.status, job.attempts, job.transaction_id) == (MintJobStatus.QUEUED, 0, None)


def test_an_abandoned_transaction_sends_the_job_back_to_the_queue() -> None:
    job = MintJob(uuid4(), uuid4(), NOW)
    job.submit("0.0.2@1780000000.000000001", NOW, NOW)
    job.abandon_transaction(NOW + timedelta(minutes=5))
    assert (job.status, job.transaction_id) == (MintJobStatus.QUEUED, None)


def test_an_unknown_outcome_never_fails_a_submitted_job() -> None:
    job = MintJob(uuid4(), uuid4(), NOW)
    job.submit("0.0.2@1780000000.000000001", NOW + timedelta(seconds=120), NOW, token_id="0.0.1000")
    for _ in range(50):
        job.await_outcome("outcome unknown", NOW, timedelta(seconds=5))
    assert (job.status, job.next_attempt_at, job.transaction_id) == (
        MintJobStatus.SUBMITTED,
        NOW + timedelta(seconds=5),
        "0.0.2@1780000000.000000001",
    )


def test_a_transaction_proven_absent_queues_the_job_again_until_attempts_run_out() -> None:
    job = MintJob(uuid4(), uuid4(), NOW)
    for expected in (MintJobStatus.QUEUED, MintJobStatus.FAILED):
        job.submit("0.0.2@1780000000.000000001", NOW, NOW)
        job.abandon_transaction(NOW, error="absent after expiry", max_attempts=2)
        assert job.status is expected
        assert job.transaction_id is None
    assert job.last_error == "absent after expiry"


def test_a_certificate_comes_only_from_a_drawn_up_job_that_succeeded() -> None:
    job = MintJob(uuid4(), uuid4(), NOW)
    document = hip412_document(
        certificate_id=job.certificate_id,
        order_id=job.order_id,
        artwork=SNAPSHOT,
        issued_at=NOW,
        description="d",
    )
    job.draw_up(SNAPSHOT, document, "ipfs://bafkreidocument")
    job.submit("0.0.2@1780000000.000000001", NOW, NOW, token_id="0.0.1000")
    with pytest.raises(MintJobStateConflict):
        job.certificate(owner_id=uuid4(), network="testnet", issued_at=NOW, public_code="a2b3c4d5e6f7")
    job.succeed(3, NOW)
    owner = uuid4()
    certificate = job.certificate(
        owner_id=owner, network="testnet", issued_at=NOW, public_code="a2b3c4d5e6f7"
    )
    assert (certificate.id, certificate.serial, certificate.token_id, certificate.owner_id) == (
        job.id,
        3,
        "0.0.1000",
        owner,
    )
    assert certificate.metadata_document == document
    with pytest.raises(MintJobStateConflict):
        job.draw_up(SNAPSHOT, document, "ipfs://bafkreiother")
