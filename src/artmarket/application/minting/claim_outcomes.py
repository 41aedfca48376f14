"""What follows a claim on the ledger: custody moves only when the ledger shows where the NFT is.

- A transfer succeeded: the NFT is in the owner's account → custody `wallet` and a `claimed`
  trail entry (holders hashed: the owner's user id before, the account after).
- An airdrop succeeded: it waits in the owner's wallet → custody `pending_claim`; the
  periodic `SettlePendingClaims` sees it accepted (→ `wallet`, `claimed`) or cancels it after
  `ClaimPolicy.pending_for`, and a succeeded cancellation returns the NFT to the platform.
  A transfer the mirror node does not show yet is `pending_claim` too, until it does.
- A certificate revoked while its airdrop was on the way gets the airdrop cancelled
  (`queue_airdrop_cancellation`); once the NFT is back with the treasury, revocation's
  `BurnAfterCancelledAirdrop` burns it.
A transfer or airdrop the ledger refused leaves custody with the platform (`DescribeClaim`
shows the refusal).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from artmarket.application.messages import LedgerTaskSucceeded
from artmarket.application.minting.claims import CLAIM_KINDS, ClaimPolicy
from artmarket.application.minting.ledger import Ledger, LedgerUnavailable
from artmarket.application.minting.trail import append_entry, queue_task
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import Certificate
from artmarket.domain.custody import CustodyKind
from artmarket.domain.errors import NotFound
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind, TaskStatus
from artmarket.domain.provenance import ProvenanceEvent


def _latest_claim(tasks: Sequence[LedgerTask]) -> LedgerTask | None:
    """The transfer or airdrop that succeeded last."""
    return next(
        (t for t in reversed(tasks) if t.kind in CLAIM_KINDS and t.status is TaskStatus.SUCCEEDED),
        None,
    )


def _cancellation(tasks: Sequence[LedgerTask], airdrop: LedgerTask | None) -> LedgerTask | None:
    """The cancellation of `airdrop` (of any, when unknown) queued, under way or done; a
    refused one may be queued again."""
    return next(
        (
            t
            for t in reversed(tasks)
            if t.kind is LedgerTaskKind.CANCEL_AIRDROP
            and (airdrop is None or t.created_at >= airdrop.created_at)
            and t.status is not TaskStatus.FAILED
        ),
        None,
    )


async def queue_airdrop_cancellation(
    uow: UnitOfWork, certificate: Certificate, *, ids: IdGenerator, now: datetime
) -> LedgerTask | None:
    """Queue the cancellation of the certificate's pending airdrop; the caller commits.

    None when no airdrop is pending (the last claim was a transfer) or its cancellation is
    already queued or done.
    """
    if certificate.custody is not CustodyKind.PENDING_CLAIM or certificate.custody_account is None:
        return None
    tasks = await uow.ledger_tasks.for_certificate(certificate.id)
    last = _latest_claim(tasks)
    if last is not None and last.kind is LedgerTaskKind.TRANSFER:
        return None  # nothing to cancel: a transfer the ledger will show
    if _cancellation(tasks, last) is not None:
        return None
    attempt = 1 + sum(1 for t in tasks if t.kind is LedgerTaskKind.CANCEL_AIRDROP)
    cancel = LedgerTask(
        ids.new_id(),
        certificate.id,
        LedgerTaskKind.CANCEL_AIRDROP,
        now,
        account_id=certificate.custody_account,
        updated_at=now,
    )
    queue_task(uow, cancel, dedupe_key=f"cancel_airdrop:{certificate.id}:{attempt}", ids=ids)
    return cancel


async def _to_wallet(
    uow: UnitOfWork, certificate: Certificate, account: str, *, ids: IdGenerator, now: datetime
) -> bool:
    """Custody `wallet` and the `claimed` entry; False (nothing written) when already there."""
    if certificate.custody is CustodyKind.WALLET and certificate.custody_account == account:
        return False
    order = await uow.orders.get(certificate.order_id)
    if order is None:
        raise NotFound("The certificate's order is missing.")
    certificate.move_to_wallet(account)
    await append_entry(
        uow,
        certificate,
        ProvenanceEvent.CLAIMED,
        order_reference=order.reference,
        ids=ids,
        now=now,
        holder_before=str(certificate.owner_id),
        holder_after=account,
    )
    return True


class SettleClaim:
    """LedgerTaskSucceeded of a transfer, airdrop or cancellation: custody follows what the ledger shows.

    Idempotent: a repeated message finds custody already moved and writes nothing. An NFT
    the ledger does not show in the account yet (an airdrop waiting, or a transfer the mirror
    node has not caught up with) is `pending_claim`: `SettlePendingClaims` moves it on.
    """

    def __init__(self, uow: UnitOfWork, ledger: Ledger, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ledger = ledger
        self._ids = ids
        self._clock = clock

    async def handle(self, message: LedgerTaskSucceeded) -> None:
        kind = LedgerTaskKind(message.kind)
        if kind not in (LedgerTaskKind.TRANSFER, LedgerTaskKind.AIRDROP, LedgerTaskKind.CANCEL_AIRDROP):
            return
        now = self._clock.now()
        async with self._uow as uow:
            task = await uow.ledger_tasks.get(message.task_id)
            certificate = await uow.certificates.get(message.certificate_id)
            if task is None or certificate is None or task.account_id is None:
                return
            account = task.account_id
            if kind is LedgerTaskKind.CANCEL_AIRDROP:
                # A revoked certificate is burned next (revocation's BurnAfterCancelledAirdrop).
                if certificate.custody_account == account:
                    certificate.return_to_platform()
            else:
                nft = await self._ledger.nft(certificate.token_id, certificate.serial)
                if nft is not None and nft.owner_account == account:
                    await _to_wallet(uow, certificate, account, ids=self._ids, now=now)
                elif nft is None or nft.owner_account is None:
                    return  # burned meanwhile (revoked): nothing is on its way
                elif certificate.custody is CustodyKind.PLATFORM:
                    certificate.await_claim(account)
                    if kind is LedgerTaskKind.AIRDROP and not certificate.is_valid:
                        # Revoked while the airdrop was on its way: take it back, then burn.
                        await queue_airdrop_cancellation(uow, certificate, ids=self._ids, now=now)
            await uow.commit()


class SettlePendingClaims:
    """Periodic: pending airdrops the owner accepted move to `wallet`; those older than the policy's
    `pending_for` are cancelled. Returns how many certificates changed or got a cancellation.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        ledger: Ledger,
        ids: IdGenerator,
        clock: Clock,
        policy: ClaimPolicy,
    ) -> None:
        self._uow = uow
        self._ledger = ledger
        self._ids = ids
        self._clock = clock
        self._policy = policy

    async def __call__(self, *, limit: int = 100) -> int:
        async with self._uow as uow:
            pending = await uow.certificates.in_custody(CustodyKind.PENDING_CLAIM, limit=limit)
        settled = 0
        for certificate in pending:
            try:
                settled += await self.settle(certificate.id)
            except LedgerUnavailable:
                continue  # the ledger cannot tell now: the next run looks again
        return settled

    async def settle_nft(self, token_id: str, serial: int) -> bool:
        """`settle` the certificate of one NFT (a wallet just accepted it); False when there is none."""
        async with self._uow as uow:
            certificate = await uow.certificates.get_by_token_serial(token_id, serial)
        return certificate is not None and await self.settle(certificate.id)

    async def settle(self, certificate_id: UUID) -> bool:
        """Check one certificate's pending airdrop; True when custody moved or a cancellation was queued."""
        now = self._clock.now()
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
            if certificate is None or certificate.custody is not CustodyKind.PENDING_CLAIM:
                return False
            account = certificate.custody_account
            assert account is not None  # pending_claim always names the account
            nft = await self._ledger.nft(certificate.token_id, certificate.serial)
            if nft is not None and nft.owner_account == account:
                await _to_wallet(uow, certificate, account, ids=self._ids, now=now)
            else:
                tasks = await uow.ledger_tasks.for_certificate(certificate.id)
                claim = _latest_claim(tasks)
                if claim is None or claim.kind is LedgerTaskKind.TRANSFER:
                    return False  # a transfer happened: wait until the ledger shows it
                # Pending since the airdrop reached consensus (its task's last update).
                if now - (claim.updated_at or claim.created_at) < self._policy.pending_for:
                    return False
                if await queue_airdrop_cancellation(uow, certificate, ids=self._ids, now=now) is None:
                    return False
            await uow.commit()
        return True
