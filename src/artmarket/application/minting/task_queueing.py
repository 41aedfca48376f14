"""Queueing certificate ledger tasks and trail entries inside a use case's unit of work.

Each queued task is announced with `LedgerTaskQueued` in the same transaction, so the
worker submits it at once; the periodic worker finds it anyway if the message is late.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from artmarket.application.messages import LedgerTaskQueued
from artmarket.application.messaging import OutboxMessage
from artmarket.application.ports import IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import Certificate
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind
from artmarket.domain.provenance import ProvenanceEntry, ProvenanceEvent, ProvenanceFacts


def queue_task(
    uow: UnitOfWork,
    *,
    task_id: UUID,
    certificate_id: UUID,
    kind: LedgerTaskKind,
    dedupe_key: str,
    ids: IdGenerator,
    now: datetime,
    account_id: str | None = None,
) -> LedgerTask:
    """Add a queued ledger task and its `LedgerTaskQueued`; the caller commits.

    A second task with the same `dedupe_key` is refused at commit (ConcurrentUpdate).
    """
    task = LedgerTask(
        id=task_id,
        certificate_id=certificate_id,
        kind=kind,
        created_at=now,
        account_id=account_id,
        updated_at=now,
    )
    uow.ledger_tasks.add(task, dedupe_key=dedupe_key)
    uow.outbox.add(OutboxMessage.of(LedgerTaskQueued(task.id), ids.new_id(), now))
    return task


async def append_trail_entry(
    uow: UnitOfWork,
    certificate: Certificate,
    event: ProvenanceEvent,
    *,
    ids: IdGenerator,
    now: datetime,
    holder_before: str | None = None,
    holder_after: str | None = None,
    reason: str | None = None,
) -> ProvenanceEntry:
    """Write the certificate's next trail entry and the RECORD task that puts it on the topic.

    The entry's id is its RECORD task's id; its position follows the entries already written
    (two writers of one position: the second is refused at commit).
    """
    order = await uow.orders.get(certificate.order_id)
    if order is None:
        raise LookupError(f"certificate {certificate.id} names a missing order")
    written = await uow.provenance.trail(certificate.id)
    facts = ProvenanceFacts(
        certificate_id=certificate.id,
        token_id=certificate.token_id,
        serial=certificate.serial,
        event=event,
        at=now,
        order_reference=order.reference,
        holder_before=holder_before,
        holder_after=holder_after,
        reason=reason,
    )
    entry = ProvenanceEntry(
        id=ids.new_id(),
        certificate_id=certificate.id,
        position=len(written) + 1,
        event=event,
        created_at=now,
        message=facts.message(),
    )
    uow.provenance.add(entry)
    queue_task(
        uow,
        task_id=entry.id,
        certificate_id=certificate.id,
        kind=LedgerTaskKind.RECORD,
        dedupe_key=f"record:{entry.id}",
        ids=ids,
        now=now,
    )
    return entry
