"""A certificate's later life over the in-memory unit of work and the simulated ledger: the
trail recorded on the topic, revocation on refund (once, however often it is reported), the
burn, and the ledger-task worker's exactly-once discipline through lost answers and crashes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from tests.support.certificate_life import Life, a_life
from tests.support.ledgers import ProcessCrashed
from tests.support.minting import OPERATOR

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.application.audit import AuditFilter
from artmarket.application.checkout.payments import RefundLatePayment, TrackRefund
from artmarket.application.messages import CertificateRevocationDue, LedgerTaskSucceeded
from artmarket.application.messaging import Topic
from artmarket.application.minting.certificates import VerifyCertificate
from artmarket.application.payments.ports import CheckoutRequest, ProviderRefundStatus, RefundResult
from artmarket.domain.custody import CertificateRevoked, CertificateStatus, CustodyKind, RevocationReason
from artmarket.domain.errors import InvalidValue
from artmarket.domain.ledger_tasks import LedgerTaskKind, TaskStatus
from artmarket.domain.order_lifecycle import OrderStatus, RefundStatus
from artmarket.domain.provenance import ProvenanceEvent, holder_hash

COLLECTOR = "0.0.5005"


async def messages_of(life: Life, topic: Topic) -> list[dict[str, str]]:
    async with life.minting.new_uow() as uow:
        found = await uow.outbox.list(status=None, limit=10_000)
    return [message.payload for message in found if message.topic is topic]


async def test_an_issued_certificate_is_recorded_on_the_topic_at_sequence_one() -> None:
    life = await a_life()
    (certificate,) = await life.issued()
    [(entry, task)] = await life.trail(certificate.id)
    assert (entry.position, entry.event, task.kind, task.status) == (
        1,
        ProvenanceEvent.ISSUED,
        LedgerTaskKind.RECORD,
        TaskStatus.QUEUED,
    )

    outcome = await life.submit()()

    assert outcome.succeeded == 1
    [(entry, task)] = await life.trail(certificate.id)
    assert (task.status, task.sequence_number) == (TaskStatus.SUCCEEDED, 1)
    assert task.consensus_timestamp is not None
    assert life.topic_id is not None
    [on_topic] = await life.ledger.topic_messages(life.topic_id)
    assert on_topic.message == entry.message
    said = json.loads(on_topic.message)
    assert (said["event"], said["certificate"], said["serial"]) == ("issued", str(certificate.id), 1)
    # The holder is hashed: the message names nobody.
    assert said["to"] == holder_hash(certificate.id, str(certificate.owner_id))
    assert str(certificate.owner_id) not in on_topic.message.decode()
    assert await messages_of(life, Topic.LEDGER_TASK_SUCCEEDED) == [
        {"task_id": str(task.id), "certificate_id": str(certificate.id), "kind": "record"}
    ]


async def test_trail_messages_wait_queued_while_no_topic_is_configured() -> None:
    life = await a_life(with_topic=False)
    (certificate,) = await life.issued()

    assert (await life.submit()()).succeeded == 0

    [(_, task)] = await life.trail(certificate.id)
    assert (task.status, task.attempts, task.last_error) == (TaskStatus.QUEUED, 0, None)


async def test_a_refund_revokes_once_burns_once_and_verify_reports_the_burn() -> None:
    life = await a_life()
    (certificate,) = await life.issued()
    await life.submit()()

    for _ in range(3):  # the message delivered again and again
        await life.revoke()(certificate.order_id, RevocationReason.REFUNDED)
    await life.submit()()

    revoked = await life.certificate(certificate.id)
    assert (revoked.status, revoked.revocation_reason) == (
        CertificateStatus.REVOKED,
        RevocationReason.REFUNDED,
    )
    assert revoked.revoked_at == life.clock.now()
    trail = await life.trail(certificate.id)
    assert [(e.position, e.event, t.sequence_number) for e, t in trail] == [
        (1, ProvenanceEvent.ISSUED, 1),
        (2, ProvenanceEvent.REVOKED, 2),
    ]
    assert json.loads(trail[1][0].message)["reason"] == "refunded"
    tasks = await life.tasks(certificate.id)
    assert sorted((t.kind.value, t.status.value) for t in tasks) == [
        ("burn", "succeeded"),
        ("record", "succeeded"),
        ("record", "succeeded"),
    ]
    assert life.ledger.nft_owner(certificate.token_id, certificate.serial) is None
    verification = await VerifyCertificate(life.minting.new_uow(), life.ledger, life.ledger, life.clock)(
        certificate.id
    )
    assert not verification.valid
    assert "burned" in verification.details
    assert "revoked" in verification.details


async def test_a_pending_airdrop_is_cancelled_before_the_burn() -> None:
    life = await a_life()
    (certificate,) = await life.issued()
    airdrop = await life.ledger.prepare_airdrop(certificate.token_id, certificate.serial, COLLECTOR)
    await life.ledger.submit(airdrop)
    async with life.minting.new_uow() as uow:
        pending = await uow.certificates.get(certificate.id)
        assert pending is not None
        pending.await_claim(COLLECTOR)
        await uow.commit()

    await life.revoke()(certificate.order_id, RevocationReason.REFUNDED)
    kinds = sorted(t.kind.value for t in await life.tasks(certificate.id))
    assert kinds == ["cancel_airdrop", "record", "record"]  # no burn while the airdrop waits
    await life.submit()()
    cancelled = next(t for t in await life.tasks(certificate.id) if t.kind is LedgerTaskKind.CANCEL_AIRDROP)
    assert cancelled.status is TaskStatus.SUCCEEDED
    assert not await life.ledger.pending_airdrop(certificate.token_id, certificate.serial, COLLECTOR)

    succeeded = LedgerTaskSucceeded(cancelled.id, certificate.id, "cancel_airdrop")
    assert await life.burn_after_cancel().handle(succeeded)
    assert not await life.burn_after_cancel().handle(succeeded)  # delivered again: one burn
    await life.submit()()

    burned = await life.certificate(certificate.id)
    assert (burned.status, burned.custody, burned.custody_account) == (
        CertificateStatus.REVOKED,
        CustodyKind.PLATFORM,
        None,
    )
    burns = [t for t in await life.tasks(certificate.id) if t.kind is LedgerTaskKind.BURN]
    assert [t.status for t in burns] == [TaskStatus.SUCCEEDED]
    assert life.ledger.nft_owner(certificate.token_id, certificate.serial) is None


async def test_a_certificate_in_a_wallet_is_revoked_by_its_trail_entry_alone() -> None:
    life = await a_life()
    (certificate,) = await life.issued()
    async with life.minting.new_uow() as uow:
        held = await uow.certificates.get(certificate.id)
        assert held is not None
        held.move_to_wallet(COLLECTOR)
        await uow.commit()

    await life.revoke()(certificate.order_id, RevocationReason.REFUNDED)

    assert sorted(t.kind.value for t in await life.tasks(certificate.id)) == ["record", "record"]
    revoked_entry = (await life.trail(certificate.id))[-1][0]
    assert json.loads(revoked_entry.message)["from"] == holder_hash(certificate.id, COLLECTOR)


async def test_answers_lost_after_the_node_accepted_settle_once_on_reconcile() -> None:
    life = await a_life()
    (certificate,) = await life.issued()
    await life.submit()()
    await life.revoke()(certificate.order_id, RevocationReason.REFUNDED)
    life.ledger.drop_answers = 2  # the revoked entry's message and the burn both happened

    first = await life.submit()()

    assert (first.succeeded, first.unknown) == (0, 2)
    assert {t.status for t in await life.tasks(certificate.id) if t.sequence_number is None} == {
        TaskStatus.SUBMITTED
    }
    settled = await life.reconcile()(force=True)
    again = await life.reconcile()(force=True)

    assert (settled.succeeded, again.succeeded) == (2, 0)
    assert {t.status for t in await life.tasks(certificate.id)} == {TaskStatus.SUCCEEDED}
    assert life.topic_id is not None
    assert [m.sequence_number for m in await life.ledger.topic_messages(life.topic_id)] == [1, 2]
    [(_, revoked_record)] = [(e, t) for e, t in await life.trail(certificate.id) if e.position == 2]
    assert revoked_record.sequence_number == 2
    assert life.ledger.nft_owner(certificate.token_id, certificate.serial) is None


async def test_a_crash_between_storing_and_sending_is_sent_by_reconcile_with_the_stored_bytes() -> None:
    life = await a_life()
    (certificate,) = await life.issued()
    life.ledger.crash_before_submit = 1

    with pytest.raises(ProcessCrashed):
        await life.submit()()

    [(_, task)] = await life.trail(certificate.id)
    assert task.status is TaskStatus.SUBMITTED
    stored_as = task.transaction_id
    assert (await life.reconcile()(force=True)).succeeded == 1
    [(_, task)] = await life.trail(certificate.id)
    assert (task.status, task.transaction_id, task.sequence_number) == (TaskStatus.SUCCEEDED, stored_as, 1)


async def test_a_transaction_the_ledger_never_saw_is_made_afresh_only_after_it_expired() -> None:
    life = await a_life()
    (certificate,) = await life.issued()
    life.ledger.crash_before_submit = 1
    with pytest.raises(ProcessCrashed):
        await life.submit()()
    [(_, task)] = await life.trail(certificate.id)
    first_transaction = task.transaction_id
    life.clock.advance(timedelta(minutes=10))  # the window and the margin passed

    assert (await life.reconcile()(force=True)).requeued == 1
    assert (await life.trail(certificate.id))[0][1].status is TaskStatus.QUEUED
    life.clock.advance(timedelta(minutes=1))  # the back-off
    assert (await life.submit()()).succeeded == 1

    [(_, task)] = await life.trail(certificate.id)
    assert task.status is TaskStatus.SUCCEEDED
    assert task.transaction_id != first_transaction
    assert life.topic_id is not None
    assert len(await life.ledger.topic_messages(life.topic_id)) == 1


async def test_a_refused_task_fails_visibly_and_an_operator_queues_it_again() -> None:
    life = await a_life()
    (certificate,) = await life.issued()
    await life.revoke()(certificate.order_id, RevocationReason.REFUNDED)
    async with life.minting.new_uow() as uow:  # the NFT left the treasury meanwhile
        held = await uow.certificates.get(certificate.id)
        assert held is not None
    transfer = await life.ledger.prepare_transfer(certificate.token_id, certificate.serial, COLLECTOR)
    life.ledger.associate(COLLECTOR, certificate.token_id)
    await life.ledger.submit(transfer)

    await life.submit()()

    failed = await life.list_tasks()(status=TaskStatus.FAILED)
    assert [(t.kind, t.last_error) for t in failed] == [
        (LedgerTaskKind.BURN, "TREASURY_MUST_OWN_BURNED_NFT: The ledger refused the transaction")
    ]
    retried = await life.retry()(OPERATOR)
    assert [t.id for t in retried] == [failed[0].id]
    assert [t.status for t in await life.list_tasks()(status=TaskStatus.QUEUED)] == [TaskStatus.QUEUED]
    async with life.minting.new_uow() as uow:
        audited = await uow.audit_log.list(AuditFilter(action="ledger_task.retry"), before=None, limit=10)
    assert [(e.target_type, e.target_id) for e in audited] == [("ledger_task", str(failed[0].id))]


async def test_a_certificate_minted_after_its_refund_was_processed_is_issued_revoked() -> None:
    life = await a_life()
    (order,) = await life.minting.paid_orders(1)
    await life.minting.start()(order.id)
    async with life.minting.new_uow() as uow:  # refunded in the provider's dashboard while minting
        minting_order = await uow.orders.get(order.id)
        assert minting_order is not None
        assert minting_order.status is OrderStatus.MINTING
        minting_order.track_refund(RefundStatus.PROCESSED, life.clock.now())
        await uow.commit()

    await life.minting.mint()()

    (certificate,) = await life.minting.certificates([order])
    assert (certificate.status, certificate.revocation_reason) == (
        CertificateStatus.REVOKED,
        RevocationReason.REFUNDED,
    )
    assert [e.event for e, _ in await life.trail(certificate.id)] == [
        ProvenanceEvent.ISSUED,
        ProvenanceEvent.REVOKED,
    ]
    assert LedgerTaskKind.BURN in {t.kind for t in await life.tasks(certificate.id)}


async def test_an_admin_revokes_for_a_chargeback_once_and_it_is_audited() -> None:
    life = await a_life()
    (certificate,) = await life.issued()

    revoked = await life.revoke_by_admin()(
        OPERATOR, certificate.id, reason=RevocationReason.CHARGEBACK, note="Chargeback lost on 3 Jan"
    )
    with pytest.raises(CertificateRevoked):
        await life.revoke_by_admin()(OPERATOR, certificate.id, reason=RevocationReason.ADMIN, note="again")
    with pytest.raises(InvalidValue):
        await life.revoke_by_admin()(OPERATOR, certificate.id, reason=RevocationReason.REFUNDED, note="x")

    assert revoked.revocation_reason is RevocationReason.CHARGEBACK
    stored = await life.certificate(certificate.id)
    assert (stored.status, stored.revocation_reason) == (
        CertificateStatus.REVOKED,
        RevocationReason.CHARGEBACK,
    )
    assert sum(t.kind is LedgerTaskKind.BURN for t in await life.tasks(certificate.id)) == 1
    async with life.minting.new_uow() as uow:
        audited = await uow.audit_log.list(AuditFilter(action="certificate.revoke"), before=None, limit=10)
    assert [(e.target_id, e.reason) for e in audited] == [
        (str(certificate.id), "chargeback: Chargeback lost on 3 Jan")
    ]


async def test_a_refund_made_in_the_dashboard_revokes_once_however_often_it_is_reported() -> None:
    life = await a_life()
    (certificate,) = await life.issued()
    gateway = SandboxPaymentGateway("sk_test_refunds", checkout_base_url="http://shop.test")
    order = await life.minting.order(certificate.order_id)
    gateway.refunds.append(
        RefundResult("3000001", order.reference, ProviderRefundStatus.PROCESSED, order.amount)
    )
    track = TrackRefund(life.minting.new_uow(), gateway, life.minting.ids, life.clock)

    await track(order.reference)
    await track(order.reference)

    assert (await life.minting.order(order.id)).status is OrderStatus.REFUNDED
    due = await messages_of(life, Topic.CERTIFICATE_REVOCATION_DUE)
    assert due == [{"order_id": str(order.id), "reason": "refunded"}]
    message = CertificateRevocationDue(order.id)
    await life.revoke().handle(message)
    await life.revoke().handle(message)
    assert (await life.certificate(certificate.id)).status is CertificateStatus.REVOKED
    assert [e.event for e, _ in await life.trail(certificate.id)] == [
        ProvenanceEvent.ISSUED,
        ProvenanceEvent.REVOKED,
    ]


async def test_a_late_payment_refund_asks_for_a_revocation_and_nothing_is_there_to_revoke() -> None:
    life = await a_life()
    gateway = SandboxPaymentGateway("sk_test_refunds", checkout_base_url="http://shop.test")
    (order,) = await life.minting.paid_orders(1)
    async with life.minting.new_uow() as uow:  # a lapsed order whose payment arrived late
        stored = await uow.orders.get(order.id)
        assert stored is not None
        stored.status = OrderStatus.EXPIRED
        await uow.commit()
    await gateway.initialize(
        CheckoutRequest(order.reference, "buyer@example.com", order.amount, "http://shop.test/back", {})
    )
    gateway.complete(order.reference)

    await RefundLatePayment(life.minting.new_uow(), gateway, life.minting.ids, life.clock)(order.id)

    assert await messages_of(life, Topic.CERTIFICATE_REVOCATION_DUE) == [
        {"order_id": str(order.id), "reason": "refunded"}
    ]
    assert await life.revoke()(order.id, RevocationReason.REFUNDED) is None
