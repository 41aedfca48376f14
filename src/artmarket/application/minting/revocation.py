"""Revoking certificates: on a refund (a message), by an admin (a chargeback lost, a decision).

A revocation is final and happens once: the certificate's status, a `revoked` trail entry
and, while the platform holds the NFT, its burn, all in one transaction. A pending airdrop
is cancelled first and the burn follows once the cancellation succeeded; an NFT already in
the owner's wallet cannot be burned, so there the trail entry is the revocation.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from artmarket.application.audit import Actor
from artmarket.application.audited_steps import AuditedSteps
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.messages import CertificateRevocationDue, LedgerTaskSucceeded
from artmarket.application.minting.trail import append_entry, queue_task
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import reason_text
from artmarket.domain.audit import AuditAction
from artmarket.domain.certificates import Certificate
from artmarket.domain.custody import CertificateRevoked, CustodyKind, RevocationReason
from artmarket.domain.errors import Conflict, InvalidValue, NotFound
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind
from artmarket.domain.provenance import ProvenanceEvent

#: How often a revocation is tried again when another writer changed the certificate meanwhile.
_RETRIES = 3


class NotAnAdminRevocationReason(InvalidValue):
    field = "reason"
    default_message = 'An admin revokes for "chargeback" or "admin"; a refund revokes by itself.'


def holder_of(certificate: Certificate) -> str:
    """Who holds the certificate as the trail hashes it: the wallet's account, else the owner."""
    if certificate.custody is CustodyKind.WALLET and certificate.custody_account is not None:
        return certificate.custody_account
    return str(certificate.owner_id)


def queue_burn(uow: UnitOfWork, certificate: Certificate, *, ids: IdGenerator, now: datetime) -> None:
    """Queue the certificate's one burn (a second is refused at commit by its dedupe key)."""
    burn = LedgerTask(ids.new_id(), certificate.id, LedgerTaskKind.BURN, now, updated_at=now)
    queue_task(uow, burn, dedupe_key=f"burn:{certificate.id}", ids=ids)


async def revoke_in(
    uow: UnitOfWork,
    certificate: Certificate,
    reason: RevocationReason,
    *,
    order_reference: str,
    ids: IdGenerator,
    now: datetime,
) -> bool:
    """Revoke, write the `revoked` entry and queue the burn (or the airdrop's cancellation first).

    False, changing nothing, when the certificate already was revoked. The caller commits.
    """
    holder = holder_of(certificate)
    if not certificate.revoke(reason, now):
        return False
    await append_entry(
        uow,
        certificate,
        ProvenanceEvent.REVOKED,
        order_reference=order_reference,
        ids=ids,
        now=now,
        holder_before=holder,
        reason=reason.value,
    )
    if certificate.can_be_burned:
        queue_burn(uow, certificate, ids=ids, now=now)
    elif certificate.custody is CustodyKind.PENDING_CLAIM:
        cancel = LedgerTask(
            ids.new_id(),
            certificate.id,
            LedgerTaskKind.CANCEL_AIRDROP,
            now,
            account_id=certificate.custody_account,
            updated_at=now,
        )
        queue_task(uow, cancel, dedupe_key=f"cancel_airdrop:{certificate.id}:revoked", ids=ids)
    return True


class RevokeCertificate:
    """CertificateRevocationDue: the refunded order's certificate is revoked, once.

    Rules: a second delivery (or a second refund report) finds it revoked and changes
    nothing; an order without a certificate has nothing to revoke here — its mint job, if
    any, issues the certificate already revoked (`MintWork._issue` looks at the order).
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def handle(self, message: CertificateRevocationDue) -> Certificate | None:
        return await self(message.order_id, RevocationReason(message.reason))

    async def __call__(self, order_id: UUID, reason: RevocationReason) -> Certificate | None:
        for attempt in range(_RETRIES):
            async with self._uow as uow:
                certificate = await uow.certificates.get_for_order(order_id)
                order = await uow.orders.get(order_id)
                if certificate is None or order is None:
                    return None
                now = self._clock.now()
                if not await revoke_in(
                    uow, certificate, reason, order_reference=order.reference, ids=self._ids, now=now
                ):
                    return certificate
                try:
                    await uow.commit()
                except ConcurrentUpdate:
                    if attempt == _RETRIES - 1:
                        raise
                    continue  # another delivery or a custody move won: look again
                return certificate
        return None


class BurnAfterCancelledAirdrop:
    """LedgerTaskSucceeded: a revoked certificate's pending airdrop was cancelled, so it is burned now.

    The cancellation put the NFT back with the treasury: custody returns to the platform
    (the claim's own handler does the same; either way once) and the burn is queued once.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def handle(self, message: LedgerTaskSucceeded) -> bool:
        if message.kind != LedgerTaskKind.CANCEL_AIRDROP.value:
            return False
        async with self._uow as uow:
            certificate = await uow.certificates.get(message.certificate_id)
            if certificate is None or certificate.is_valid:
                return False
            certificate.return_to_platform()
            if not certificate.can_be_burned or any(
                task.kind is LedgerTaskKind.BURN
                for task in await uow.ledger_tasks.for_certificate(certificate.id)
            ):
                return False
            queue_burn(uow, certificate, ids=self._ids, now=self._clock.now())
            await uow.commit()
        return True


class RevokeCertificateByAdmin:
    """An admin revokes a certificate (a chargeback lost, or their decision); audited.

    Rules: the reason category is `chargeback` or `admin` (a refund revokes by itself) and a
    note is required (it goes to the audit log, never to the public trail); a revoked
    certificate is a 409 and changes nothing.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._ids = ids
        self._steps = AuditedSteps(uow, ids, clock)

    async def __call__(
        self, actor: Actor, certificate_id: UUID, *, reason: RevocationReason, note: str
    ) -> Certificate:
        if reason is RevocationReason.REFUNDED:
            raise NotAnAdminRevocationReason()
        note = reason_text(note)
        target = ("certificate", certificate_id)
        async with self._steps.begin(actor, AuditAction.CERTIFICATE_REVOKE, target, reason=note) as step:
            certificate = await step.uow.certificates.get(certificate_id)
            if certificate is None:
                raise NotFound("No such certificate.")
            order = await step.uow.orders.get(certificate.order_id)
            if order is None:
                raise NotFound("The certificate's order is missing.")
            if not await revoke_in(
                step.uow, certificate, reason, order_reference=order.reference, ids=self._ids, now=step.now
            ):
                raise CertificateRevoked("This certificate is already revoked.")
            try:
                await step.commit(reason=f"{reason.value}: {note}")
            except ConcurrentUpdate:
                raise Conflict(
                    "Someone changed this certificate at the same time; look at it again."
                ) from None
        return certificate
