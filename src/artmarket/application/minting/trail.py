"""Writing a certificate's trail and queuing its ledger tasks, inside the caller's transaction.

Every certificate event (issued, revoked, claimed, transferred) is one provenance entry at
the next position, recorded on the collection's topic by a RECORD ledger task whose id is
the entry's. Every task is queued with a dedupe key (a second delivery of one message cannot
queue it twice) and a `LedgerTaskQueued` message, so the worker submits it at once.
"""

from __future__ import annotations

from datetime import datetime

from artmarket.application.messages import LedgerTaskQueued
from artmarket.application.messaging import OutboxMessage
from artmarket.application.ports import IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import Certificate
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind
from artmarket.domain.provenance import ProvenanceEntry, ProvenanceEvent, ProvenanceFacts


def queue_task(uow: UnitOfWork, task: LedgerTask, *, dedupe_key: str, ids: IdGenerator) -> None:
    """Add the task and the message that gets it submitted now; the caller commits."""
    uow.ledger_tasks.add(task, dedupe_key=dedupe_key)
    uow.outbox.add(OutboxMessage.of(LedgerTaskQueued(task.id), ids.new_id(), task.created_at))


async def append_entry(
    uow: UnitOfWork,
    certificate: Certificate,
    event: ProvenanceEvent,
    *,
    order_reference: str,
    ids: IdGenerator,
    now: datetime,
    holder_before: str | None = None,
    holder_after: str | None = None,
    reason: str | None = None,
    position: int | None = None,
) -> ProvenanceEntry:
    """Write the certificate's next trail entry and queue the task that records it; the caller commits.

    `position` is given when the caller knows the trail is empty (the issue); otherwise it
    follows the last entry. Two writers of one position: the second commit is refused.
    """
    if position is None:
        trail = await uow.provenance.trail(certificate.id)
        position = max((entry.position for entry, _ in trail), default=0) + 1
    facts = ProvenanceFacts(
        certificate_id=certificate.id,
        token_id=certificate.token_id,
        serial=certificate.serial,
        event=event,
        at=now,
        order_reference=order_reference,
        holder_before=holder_before,
        holder_after=holder_after,
        reason=reason,
    )
    entry = ProvenanceEntry(ids.new_id(), certificate.id, position, event, now, facts.message())
    uow.provenance.add(entry)
    record = LedgerTask(entry.id, certificate.id, LedgerTaskKind.RECORD, now, updated_at=now)
    queue_task(uow, record, dedupe_key=f"record:{entry.id}", ids=ids)
    return entry
