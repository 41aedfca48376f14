"""The ledger-task worker with the real HederaLedger (hiero-sdk-python over gRPC) against the
fake node, over a real database: a trail message and a burn the node accepted before the
connection dropped are each settled once by the reconciler, never sent a second time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.support.fake_hedera_mirror import FakeHederaNetwork
from tests.support.minting import Minting

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.application.minting.ledger_task_admin import TOPIC_MEMO
from artmarket.application.minting.ledger_tasks import (
    LedgerTaskPolicy,
    ReconcileLedgerTasks,
    SubmitLedgerTasks,
)
from artmarket.application.minting.revocation import RevokeCertificate
from artmarket.domain.custody import CertificateStatus, RevocationReason
from artmarket.domain.ledger_tasks import LedgerTaskKind, TaskStatus
from artmarket.domain.provenance import ProvenanceEvent


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"migrated_{request.param}_url"))


async def test_a_trail_message_and_a_burn_accepted_before_the_connection_dropped_settle_once(
    minting: Minting, fake_hedera_node: FakeHederaNetwork
) -> None:
    ledger = minting.ledger
    assert isinstance(ledger, HederaLedger)
    topic_id = await ledger.create_topic(memo=TOPIC_MEMO)
    tasks = LedgerTaskPolicy(topic_id=topic_id, recheck=timedelta(0))
    (order,) = await minting.paid_orders(1)
    await minting.start()(order.id)
    await minting.mint()()
    (certificate,) = await minting.certificates([order])

    def submit() -> SubmitLedgerTasks:
        return SubmitLedgerTasks(minting.new_uow(), ledger, minting.ids, minting.clock, tasks)

    def reconcile() -> ReconcileLedgerTasks:
        return ReconcileLedgerTasks(minting.new_uow(), ledger, minting.ids, minting.clock, tasks)

    fake_hedera_node.crash_after_accept_next()
    lost = await submit()()
    assert (lost.succeeded, lost.unknown) == (0, 1), "the issued entry's message: outcome unknown"
    assert (await reconcile()(force=True)).succeeded == 1

    await RevokeCertificate(minting.new_uow(), minting.ids, minting.clock)(
        order.id, RevocationReason.REFUNDED
    )
    for _ in range(2):  # the revoked entry's message, then the burn: each answer lost
        fake_hedera_node.crash_after_accept_next()
        assert (await submit()(limit=1)).unknown == 1
    settled = await reconcile()(force=True)
    again = await reconcile()(force=True)

    assert (settled.succeeded, again.succeeded, again.unknown) == (2, 0, 0)
    assert fake_hedera_node.succeeded("TOKENBURN") == 1, "one burn on the network"
    assert fake_hedera_node.owner(certificate.token_id, certificate.serial) is None
    assert len(fake_hedera_node.topics[topic_id].messages) == 2, "one message per trail entry"
    async with minting.new_uow() as uow:
        trail = await uow.provenance.trail(certificate.id)
        all_tasks = await uow.ledger_tasks.for_certificate(certificate.id)
        stored = await uow.certificates.get(certificate.id)
    assert [(e.event, t.sequence_number) for e, t in trail] == [
        (ProvenanceEvent.ISSUED, 1),
        (ProvenanceEvent.REVOKED, 2),
    ]
    assert sorted((t.kind, t.status) for t in all_tasks) == [
        (LedgerTaskKind.BURN, TaskStatus.SUCCEEDED),
        (LedgerTaskKind.RECORD, TaskStatus.SUCCEEDED),
        (LedgerTaskKind.RECORD, TaskStatus.SUCCEEDED),
    ]
    assert stored is not None
    assert stored.status is CertificateStatus.REVOKED
