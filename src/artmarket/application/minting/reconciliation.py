"""Reconciling submitted mints whose outcome is unknown with what the ledger says."""

from __future__ import annotations

from dataclasses import dataclass

from artmarket.application.minting.ledger import (
    LedgerRejected,
    LedgerUnavailable,
    PreparedMint,
)
from artmarket.application.minting.work import SPENT_UNMINTED, MintWork
from artmarket.domain.certificates import (
    MintJobStatus,
    onchain_metadata,
)


@dataclass(frozen=True, slots=True)
class ReconcileOutcome:
    """What reconciling found: certificates issued, and transactions still unknown, queued again or failed."""

    issued: int = 0
    unknown: int = 0
    requeued: int = 0
    failed: int = 0
    #: Another minter held the lease: nothing was looked at.
    busy: bool = False

    @property
    def settled(self) -> int:
        return self.issued + self.requeued + self.failed


class ReconcileSubmittedJobs(MintWork):
    """Worker and `artmarket mint reconcile`: settle jobs found `submitted` (after a crash or a timeout).

    Rules: the ledger is asked about the stored transaction id; a receipt issues the
    certificates; a rejection fails the jobs; no record while the transaction may still
    be valid resubmits the very same signed bytes (the ledger accepts an id once); no
    record after `valid_until` + `absence_margin` proves it never happened, and only then
    are the jobs queued again for a new transaction. `force` ignores the back-off.
    """

    async def __call__(self, *, force: bool = False, limit: int = 100) -> ReconcileOutcome:
        holder = str(self._ids.new_id())
        if not await self._lease(holder):
            return ReconcileOutcome(busy=True)
        try:
            return await self._reconcile(force=force, limit=limit)
        finally:
            await self._release(holder)

    async def _reconcile(self, *, force: bool, limit: int) -> ReconcileOutcome:
        now = self._clock.now()
        async with self._uow as uow:
            jobs = await uow.mint_jobs.due(MintJobStatus.SUBMITTED, None if force else now, limit=limit)
        transaction_ids = list(dict.fromkeys(job.transaction_id for job in jobs if job.transaction_id))
        issued = unknown = requeued = failed = 0
        for transaction_id in transaction_ids:
            async with self._uow as uow:
                batch = await uow.mint_jobs.get_batch(transaction_id)
                if batch is None:
                    continue
                batch_jobs = await self._jobs_of(uow, batch)
            try:
                receipt = await self._ledger.mint_receipt(transaction_id, token_id=batch.token_id)
                if receipt is None:
                    if self._clock.now() <= batch.valid_until + self._policy.absence_margin:
                        receipt = await self._ledger.submit_mint(
                            PreparedMint(
                                transaction_id=transaction_id,
                                token_id=batch.token_id,
                                metadata=tuple(
                                    onchain_metadata(job.metadata_uri or "") for job in batch_jobs
                                ),
                                valid_until=batch.valid_until,
                                signed_bytes=batch.signed_bytes,
                            )
                        )
                    else:
                        await self._settle(
                            transaction_id,
                            absent="The ledger has no record of the transaction after it expired.",
                        )
                        requeued += 1
                        continue
            except LedgerUnavailable as error:
                await self._settle(transaction_id, wait=f"outcome unknown: {error.message}")
                unknown += 1
                continue
            except LedgerRejected as rejected:
                await self._settle(transaction_id, reject=rejected)
                if rejected.status in SPENT_UNMINTED:
                    requeued += 1
                else:
                    failed += 1
                continue
            issued += await self._issue(receipt)
        return ReconcileOutcome(issued=issued, unknown=unknown, requeued=requeued, failed=failed)
