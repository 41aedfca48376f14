"""Claiming a certificate's NFT to the owner's own Hedera account.

A claim opens once the refund window has closed: `ClaimPolicy.wait` after delivery is
confirmed for a physical work, after issue for a digital one. An account that accepts the
token gets a transfer from the treasury; any other gets an airdrop (HIP-904) that waits
in its wallet until the owner accepts it. Custody changes only when the ledger shows it
(`claim_outcomes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.minting.certificate_transactions import CertificateLedger
from artmarket.application.minting.ledger import LedgerRejected
from artmarket.application.minting.ownership import owned_certificate
from artmarket.application.minting.trail import queue_task
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import Certificate
from artmarket.domain.custody import NotAnAccountId, account_id, claimable_from
from artmarket.domain.errors import Conflict
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind, TaskStatus
from artmarket.domain.shipments import ShipmentStatus

#: The ledger tasks that move a certificate out of the treasury.
CLAIM_KINDS = frozenset({LedgerTaskKind.TRANSFER, LedgerTaskKind.AIRDROP})
_SETTLED = frozenset({TaskStatus.SUCCEEDED, TaskStatus.FAILED})


@dataclass(frozen=True, slots=True)
class ClaimPolicy:
    """`wait`: the refund window before a claim opens; `pending_for`: how long an airdrop may wait."""

    wait: timedelta
    pending_for: timedelta


class ClaimUnderWay(Conflict):
    default_message = "A claim of this certificate is already under way."


class UnknownAccount(NotAnAccountId):
    default_message = "The ledger has no such account."


class TreasuryAccount(NotAnAccountId):
    default_message = "That is artmarket's own account: give your own Hedera account id."


@dataclass(frozen=True, slots=True)
class ClaimOutlook:
    """What the owner's claim page shows: when a claim opens, and the claim under way, if any."""

    certificate: Certificate
    opens_at: datetime | None
    claimable: bool
    under_way: LedgerTask | None
    #: The last claim, when the ledger refused it (custody stayed with the platform).
    failed: LedgerTask | None
    treasury_account: str


@dataclass(frozen=True, slots=True)
class ClaimStarted:
    """A claim was queued: a transfer or an airdrop (`task.kind`) to `task.account_id`."""

    certificate: Certificate
    task: LedgerTask
    treasury_account: str


async def ready_since(uow: UnitOfWork, certificate: Certificate) -> datetime | None:
    """When the refund window started: delivery confirmed (physical work) or issue (digital)."""
    order = await uow.orders.get(certificate.order_id)
    if order is None or not order.needs_shipping:
        return certificate.issued_at
    shipment = await uow.shipments.get(order.id)
    if shipment is None or shipment.status is not ShipmentStatus.DELIVERED:
        return None
    return shipment.delivered_at


def claim_under_way(tasks: Sequence[LedgerTask]) -> LedgerTask | None:
    """The certificate's transfer or airdrop not yet settled by the ledger, if any."""
    return next(
        (task for task in reversed(tasks) if task.kind in CLAIM_KINDS and task.status not in _SETTLED),
        None,
    )


def last_failed_claim(tasks: Sequence[LedgerTask]) -> LedgerTask | None:
    """The latest transfer or airdrop, when the ledger refused it for good."""
    claims = [task for task in tasks if task.kind in CLAIM_KINDS]
    return claims[-1] if claims and claims[-1].status is TaskStatus.FAILED else None


class DescribeClaim:
    """The owner's view of a claim of their certificate: when it opens, what is under way (404 for others)."""

    def __init__(self, uow: UnitOfWork, ledger: CertificateLedger, clock: Clock, policy: ClaimPolicy) -> None:
        self._uow = uow
        self._ledger = ledger
        self._clock = clock
        self._policy = policy

    async def __call__(self, owner_id: UUID, certificate_id: UUID) -> ClaimOutlook:
        async with self._uow as uow:
            certificate = await owned_certificate(uow, owner_id, certificate_id)
            since = await ready_since(uow, certificate)
            tasks = await uow.ledger_tasks.for_certificate(certificate.id)
        under_way = claim_under_way(tasks)
        return ClaimOutlook(
            certificate=certificate,
            opens_at=claimable_from(since, self._policy.wait),
            claimable=under_way is None
            and certificate.can_be_claimed(self._clock.now(), ready_since=since, wait=self._policy.wait),
            under_way=under_way,
            failed=last_failed_claim(tasks),
            treasury_account=self._ledger.treasury_account,
        )


class ClaimCertificate:
    """The owner claims their certificate's NFT to their own Hedera account `{"account_id": "0.0.N"}`.

    Rules: owner only (404 otherwise); 422 for a malformed, unknown or treasury account id;
    409 when revoked, before the refund window has closed (the answer says from when), while
    the NFT is already claimed or pending, or while another claim is under way. An account
    that accepts the token (associated, or a free automatic-association slot) gets a
    transfer; any other an airdrop it accepts in its wallet. Custody moves when the ledger
    shows it, so the answer (202) still shows the platform's custody.
    """

    def __init__(
        self, uow: UnitOfWork, ledger: CertificateLedger, ids: IdGenerator, clock: Clock, policy: ClaimPolicy
    ) -> None:
        self._uow = uow
        self._ledger = ledger
        self._ids = ids
        self._clock = clock
        self._policy = policy

    async def __call__(self, owner_id: UUID, certificate_id: UUID, account: str) -> ClaimStarted:
        receiver = account_id(account)
        if receiver == self._ledger.treasury_account:
            raise TreasuryAccount()
        now = self._clock.now()
        async with self._uow as uow:
            certificate = await owned_certificate(uow, owner_id, certificate_id)
            certificate.start_claim(
                now, ready_since=await ready_since(uow, certificate), wait=self._policy.wait
            )
            tasks = await uow.ledger_tasks.for_certificate(certificate.id)
            if claim_under_way(tasks) is not None:
                raise ClaimUnderWay()
            try:
                accepts = await self._ledger.accepts_token(receiver, certificate.token_id)
            except LedgerRejected as rejected:
                if rejected.status != "INVALID_ACCOUNT_ID":
                    raise
                raise UnknownAccount("The ledger has no account {account}.", account=receiver) from rejected
            attempt = 1 + sum(1 for task in tasks if task.kind in CLAIM_KINDS)
            task = LedgerTask(
                self._ids.new_id(),
                certificate.id,
                LedgerTaskKind.TRANSFER if accepts else LedgerTaskKind.AIRDROP,
                now,
                account_id=receiver,
                updated_at=now,
            )
            # One claim at a time: two racing claims choose the same key, the second is refused.
            queue_task(uow, task, dedupe_key=f"claim:{certificate.id}:{attempt}", ids=self._ids)
            try:
                await uow.commit()
            except ConcurrentUpdate:
                raise ClaimUnderWay() from None
        return ClaimStarted(certificate, task, self._ledger.treasury_account)
