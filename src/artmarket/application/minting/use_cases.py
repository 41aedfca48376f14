"""Minting use cases: every paid order becomes one certificate NFT, exactly once.

The mint worker batches up to ten queued jobs into one TokenMint. The transaction is
prepared (id chosen, signed) and persisted on the jobs, with its signed bytes, *before*
it is submitted; the receipt then issues the certificates, completes the orders and
writes `certificate.issued` messages in one transaction. A job found `submitted` is
settled only by what the ledger says about its transaction id: a receipt issues it, a
rejection fails it, and only a transaction absent after its valid window (plus a margin)
is rebuilt with a new id. One minter works at a time (a lease), so serials follow the
order of the queue; a version check on every job is the safety net beneath the lease.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from artmarket.application.audit import Actor, record_audit
from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.media import CONTENT_TYPES, ContentStore
from artmarket.application.messages import CertificateIssued, OrderPaid
from artmarket.application.messaging import OutboxMessage
from artmarket.application.minting.content import ContentAddressedStore, ContentUnavailable
from artmarket.application.minting.ledger import (
    MAX_BATCH,
    Ledger,
    LedgerError,
    LedgerRejected,
    LedgerUnavailable,
    MintReceipt,
    PreparedMint,
    hashscan_nft_url,
    hashscan_transaction_url,
)
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.audit import AuditAction
from artmarket.domain.catalog import Artwork, Dimensions
from artmarket.domain.certificates import (
    ArtworkSnapshot,
    Certificate,
    MintBatch,
    MintJob,
    MintJobStatus,
    hip412_document,
    onchain_metadata,
)
from artmarket.domain.errors import NotFound
from artmarket.domain.orders import Order, OrderStatus

#: One minter at a time, whatever the number of worker processes.
MINT_LEASE = "minting"
#: The answer that proves a transaction can no longer happen (submitted after its window).
EXPIRED = "TRANSACTION_EXPIRED"


@dataclass(frozen=True, slots=True)
class MintPolicy:
    """Minting rules from settings.

    `token_id` is the collection minted into (None: minting waits for one). `linger` is
    how long a batch that is not full may wait for more jobs. `recheck` is the pause
    between questions about a transaction whose outcome is unknown. `absence_margin` is
    added to a transaction's `valid_until` before "the ledger has no record" is believed.
    """

    token_id: str | None
    batch_size: int = MAX_BATCH
    max_attempts: int = 5
    linger: timedelta = timedelta(seconds=1)
    recheck: timedelta = timedelta(seconds=5)
    absence_margin: timedelta = timedelta(seconds=60)
    lease_ttl: timedelta = timedelta(minutes=5)
    description: str = "Certificate of authenticity of a unique artwork sold on artmarket."

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be 1..{MAX_BATCH}")


def rejection(rejected: LedgerRejected) -> str:
    """The ledger's refusal as a job's last error: its status first, where operators look."""
    if rejected.message.startswith(rejected.status) or rejected.status in rejected.message:
        return (
            rejected.message
            if rejected.message.startswith(rejected.status)
            else (f"{rejected.status}: {rejected.message.replace(rejected.status, '').rstrip(': .')}")
        )
    return f"{rejected.status}: {rejected.message}"


def dimensions_text(dimensions: Dimensions | None) -> str | None:
    if dimensions is None:
        return None
    sides = [dimensions.height_mm, dimensions.width_mm]
    if dimensions.depth_mm is not None:
        sides.append(dimensions.depth_mm)
    return " x ".join(str(side) for side in sides) + " mm"


class StartMinting:
    """OrderPaid: the order goes `minting` and one mint job is queued for it.

    Rules: idempotent (a second delivery, or a race of two, leaves one job); an order that
    is no longer `paid` (refunded) is left alone.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def handle(self, message: OrderPaid) -> MintJob | None:
        return await self(message.order_id)

    async def __call__(self, order_id: UUID) -> MintJob | None:
        now = self._clock.now()
        async with self._uow as uow:
            existing = await uow.mint_jobs.get_for_order(order_id)
            if existing is not None:
                return existing
            order = await uow.orders.get(order_id)
            if order is None:
                raise NotFound("No such order.")
            if order.status is not OrderStatus.PAID:
                return None
            order.start_minting(now)
            job = MintJob(id=self._ids.new_id(), order_id=order.id, created_at=now, updated_at=now)
            uow.mint_jobs.add(job)
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return None  # another delivery of the same message won
        return job


class StartMissedMinting:
    """Periodic: orders paid a while ago whose OrderPaid was lost start minting now."""

    def __init__(self, uow: UnitOfWork, start: StartMinting, clock: Clock) -> None:
        self._uow = uow
        self._start = start
        self._clock = clock

    async def __call__(self, *, older_than: timedelta = timedelta(seconds=30), limit: int = 100) -> int:
        async with self._uow as uow:
            stranded = await uow.orders.paid_before(self._clock.now() - older_than, limit=limit)
        started = 0
        for order in stranded:
            if await self._start(order.id) is not None:
                started += 1
        return started


class _MintWork:
    """What the worker and the reconciler share: the lease, and settling a transaction."""

    def __init__(
        self,
        uow: UnitOfWork,
        ledger: Ledger,
        ids: IdGenerator,
        clock: Clock,
        policy: MintPolicy,
    ) -> None:
        self._uow = uow
        self._ledger = ledger
        self._ids = ids
        self._clock = clock
        self._policy = policy

    async def _lease(self, holder: str) -> bool:
        async with self._uow as uow:
            taken = await uow.leases.acquire(MINT_LEASE, holder, self._clock.now(), self._policy.lease_ttl)
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return False
        return taken

    async def _release(self, holder: str) -> None:
        async with self._uow as uow:
            await uow.leases.release(MINT_LEASE, holder)
            await uow.commit()

    async def _jobs_of(self, uow: UnitOfWork, batch: MintBatch) -> list[MintJob]:
        jobs = []
        for job_id in batch.job_ids:
            job = await uow.mint_jobs.get(job_id)
            if job is None:
                raise NotFound(f"Mint job {job_id} of transaction {batch.transaction_id} is missing.")
            jobs.append(job)
        return jobs

    async def _issue(self, receipt: MintReceipt) -> int:
        """The transaction succeeded: certificates, completed orders and messages, in one transaction."""
        now = self._clock.now()
        async with self._uow as uow:
            batch = await uow.mint_jobs.get_batch(receipt.transaction_id)
            if batch is None:
                raise NotFound(f"No mint batch has transaction {receipt.transaction_id}.")
            jobs = await self._jobs_of(uow, batch)
            if len(receipt.serials) != len(jobs):
                raise LedgerError(
                    f"Transaction {receipt.transaction_id} minted {len(receipt.serials)} NFTs "
                    f"for {len(jobs)} jobs."
                )
            issued = 0
            for job, serial in zip(jobs, receipt.serials, strict=True):
                if job.status is not MintJobStatus.SUBMITTED or job.transaction_id != receipt.transaction_id:
                    continue  # settled already (another worker issued it)
                job.succeed(serial, now)
                order = await uow.orders.get(job.order_id)
                if order is None:
                    raise NotFound(f"The order of mint job {job.id} is missing.")
                certificate = job.certificate(
                    owner_id=order.buyer_id, network=self._ledger.network, issued_at=now
                )
                uow.certificates.add(certificate)
                if order.status is OrderStatus.MINTING:
                    order.complete(certificate.id, now)
                uow.outbox.add(
                    OutboxMessage.of(
                        CertificateIssued(certificate.id, certificate.order_id), self._ids.new_id(), now
                    )
                )
                issued += 1
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return 0  # someone else settled this transaction first
        return issued

    async def _settle(
        self,
        transaction_id: str,
        *,
        wait: str | None = None,
        reject: LedgerRejected | None = None,
        absent: str | None = None,
    ) -> None:
        """Record what is known about a transaction that issued nothing."""
        now = self._clock.now()
        async with self._uow as uow:
            batch = await uow.mint_jobs.get_batch(transaction_id)
            if batch is None:
                return
            for job in await self._jobs_of(uow, batch):
                if job.status is not MintJobStatus.SUBMITTED or job.transaction_id != transaction_id:
                    continue
                if wait is not None:
                    job.await_outcome(wait, now, self._policy.recheck)
                elif reject is not None and reject.status != EXPIRED:
                    job.fail(rejection(reject), now)
                else:
                    reason = absent or f"{EXPIRED}: {reject.message if reject else 'expired'}"
                    job.abandon_transaction(now, error=reason, max_attempts=self._policy.max_attempts)
            try:
                await uow.commit()
            except ConcurrentUpdate:
                return

    async def _submit(self, prepared: PreparedMint) -> int:
        try:
            receipt = await self._ledger.submit_mint(prepared)
        except LedgerUnavailable as error:
            await self._settle(prepared.transaction_id, wait=f"outcome unknown: {error.message}")
            return 0
        except LedgerRejected as rejected:
            await self._settle(prepared.transaction_id, reject=rejected)
            return 0
        return await self._issue(receipt)


@dataclass(frozen=True, slots=True)
class _Drawn:
    artwork: ArtworkSnapshot
    document: bytes
    metadata_uri: str


class MintQueuedJobs(_MintWork):
    """Worker: mint queued jobs in batches of up to `batch_size`, one TokenMint per batch.

    Rules: only one minter at a time (lease); a batch that is not full waits `linger` for
    more jobs; each job's HIP-412 document and the artwork's image are stored in the
    content-addressed store first, so `image` and the on-chain metadata are `ipfs://`
    addresses; the transaction is persisted before it is submitted; a failure before
    submission backs off and fails after `max_attempts`; a rejected transaction fails
    its jobs (visible, retried by an operator); an unknown outcome is reconciled later.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        ledger: Ledger,
        content: ContentAddressedStore,
        media: ContentStore,
        ids: IdGenerator,
        clock: Clock,
        policy: MintPolicy,
    ) -> None:
        super().__init__(uow, ledger, ids, clock, policy)
        self._content = content
        self._media = media

    async def handle(self, message: OrderPaid) -> int:
        """A paid order's job is queued: mint whatever batch is ready now."""
        return await self()

    async def __call__(self, *, max_batches: int = 100) -> int:
        token_id = self._policy.token_id
        if token_id is None:
            return 0
        holder = str(self._ids.new_id())
        issued = 0
        try:
            for _ in range(max_batches):
                if not await self._lease(holder):
                    break
                minted = await self._mint_one_batch(token_id)
                if minted is None:
                    break
                issued += minted
        finally:
            await self._release(holder)
        return issued

    async def _mint_one_batch(self, token_id: str) -> int | None:
        """Certificates issued by one batch; None when there is no batch to mint now."""
        now = self._clock.now()
        async with self._uow as uow:
            jobs = list(await uow.mint_jobs.due(MintJobStatus.QUEUED, now, limit=self._policy.batch_size))
            if not jobs:
                return None
            if (
                len(jobs) < self._policy.batch_size
                and now - min(j.created_at for j in jobs) < self._policy.linger
            ):
                return None
            to_draw: list[tuple[MintJob, Order | None, Artwork | None]] = []
            for job in jobs:
                if not job.drawn_up:
                    order = await uow.orders.get(job.order_id)
                    artwork = await uow.artworks.get(order.artwork_id) if order else None
                    to_draw.append((job, order, artwork))

        drawn: dict[UUID, _Drawn] = {}
        retryable: dict[UUID, str] = {}
        permanent: dict[UUID, str] = {}
        for job, order, artwork in to_draw:
            if order is None or artwork is None:
                permanent[job.id] = "The order or its artwork no longer exists."
                continue
            try:
                drawn[job.id] = await self._draw_up(job, order, artwork, now)
            except (ContentUnavailable, NotFound) as error:
                retryable[job.id] = f"content store: {error.message}"

        ready = [job for job in jobs if job.id not in retryable and job.id not in permanent]
        prepared: PreparedMint | None = None
        if ready:
            uris = [drawn[job.id].metadata_uri if job.id in drawn else job.metadata_uri for job in ready]
            try:
                prepared = await self._ledger.prepare_mint(
                    token_id, [onchain_metadata(uri or "") for uri in uris]
                )
            except LedgerUnavailable as error:
                retryable.update({job.id: f"ledger: {error.message}" for job in ready})
            except LedgerRejected as rejected:
                permanent.update({job.id: rejection(rejected) for job in ready})

        async with self._uow as uow:
            for job_id, reason in retryable.items():
                failing = await uow.mint_jobs.get(job_id)
                if failing is not None and failing.status is MintJobStatus.QUEUED:
                    failing.back_off(reason, now, max_attempts=self._policy.max_attempts)
            for job_id, reason in permanent.items():
                failing = await uow.mint_jobs.get(job_id)
                if failing is not None and failing.status is MintJobStatus.QUEUED:
                    failing.fail(reason, now)
            if prepared is not None:
                for ready_job in ready:
                    sent = await uow.mint_jobs.get(ready_job.id)
                    if sent is None or sent.status is not MintJobStatus.QUEUED:
                        return None  # another minter took it: leave the whole batch unsent
                    if sent.id in drawn:
                        found = drawn[sent.id]
                        sent.draw_up(found.artwork, found.document, found.metadata_uri)
                    sent.submit(prepared.transaction_id, prepared.valid_until, now, token_id=token_id)
                uow.mint_jobs.add_batch(
                    MintBatch(
                        transaction_id=prepared.transaction_id,
                        token_id=token_id,
                        job_ids=[job.id for job in ready],
                        valid_until=prepared.valid_until,
                        signed_bytes=prepared.signed_bytes,
                        created_at=now,
                    )
                )
            try:
                await uow.commit()  # persisted before it is sent
            except ConcurrentUpdate:
                return None
        if prepared is None:
            return 0
        return await self._submit(prepared)

    async def _draw_up(self, job: MintJob, order: Order, artwork: Artwork, now: datetime) -> _Drawn:
        image_uri, image_type = None, "image/jpeg"
        if artwork.images:
            display_key = sorted(artwork.images, key=lambda image: image.position)[0].display_key
            image = await self._content.put_bytes(await self._media.get(display_key))
            image_uri = image.uri
            image_type = CONTENT_TYPES.get(display_key.rsplit(".", 1)[-1].lower(), image_type)
        snapshot = ArtworkSnapshot(
            artwork_id=artwork.id,
            title=artwork.title,
            artist_id=artwork.artist_id,
            artist_name=artwork.artist_name,
            medium=artwork.medium.value,
            year=artwork.year,
            dimensions=dimensions_text(artwork.dimensions),
            image_uri=image_uri,
            image_type=image_type,
        )
        document = hip412_document(
            certificate_id=job.certificate_id,
            order_id=order.id,
            artwork=snapshot,
            issued_at=now,
            description=self._policy.description,
        )
        stored = await self._content.put_bytes(document)
        onchain_metadata(stored.uri)  # checked before anything is minted
        return _Drawn(snapshot, document, stored.uri)


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


class ReconcileSubmittedJobs(_MintWork):
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
                if rejected.status == EXPIRED:
                    requeued += 1
                else:
                    failed += 1
                continue
            issued += await self._issue(receipt)
        return ReconcileOutcome(issued=issued, unknown=unknown, requeued=requeued, failed=failed)


class RetryMintJob:
    """An operator retries a failed mint job: queued again, attempts from zero (409 otherwise). Audited."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, job_id: UUID) -> MintJob:
        now = self._clock.now()
        async with self._uow as uow:
            job = await uow.mint_jobs.get(job_id)
            if job is None:
                raise NotFound("No such mint job.")
            job.retry(now)
            record_audit(
                uow.audit_log,
                actor,
                AuditAction.MINT_JOB_RETRY,
                ("mint_job", job.id),
                reason=None,
                ids=self._ids,
                now=now,
            )
            await uow.commit()
        return job


class RetryFailedMintJobs:
    """An operator retries every failed mint job at once; each retry is audited."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock

    async def __call__(self, actor: Actor, *, limit: int = 1000) -> Sequence[MintJob]:
        now = self._clock.now()
        async with self._uow as uow:
            failed = await uow.mint_jobs.list(status=MintJobStatus.FAILED, limit=limit)
            for job in failed:
                job.retry(now)
                record_audit(
                    uow.audit_log,
                    actor,
                    AuditAction.MINT_JOB_RETRY,
                    ("mint_job", job.id),
                    reason="all failed jobs",
                    ids=self._ids,
                    now=now,
                )
            await uow.commit()
        return failed


class ListMintJobs:
    """Mint jobs, newest first, optionally of one status, with attempts and last error."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, *, status: MintJobStatus | None, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[MintJob]:
        async with self._uow as uow:
            return await uow.mint_jobs.list(status=status, limit=limit, before=before)


@dataclass(frozen=True, slots=True)
class LedgerStatus:
    network: str
    token_id: str | None
    jobs: dict[MintJobStatus, int]


class GetLedgerStatus:
    """The ledger in use, the collection minted into and how many mint jobs are in each status."""

    def __init__(self, uow: UnitOfWork, ledger: Ledger, policy: MintPolicy) -> None:
        self._uow = uow
        self._ledger = ledger
        self._policy = policy

    async def __call__(self) -> LedgerStatus:
        async with self._uow as uow:
            counts = await uow.mint_jobs.count_by_status()
        return LedgerStatus(self._ledger.network, self._policy.token_id, counts)


class CreateCollection:
    """An operator creates the NFT collection certificates are minted into; its token id goes in settings."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    async def __call__(self, *, name: str, symbol: str, max_supply: int) -> str:
        return await self._ledger.create_collection(name=name, symbol=symbol, max_supply=max_supply)


@dataclass(frozen=True, slots=True)
class CertificateView:
    """A certificate as the public sees it: the owner by display name only."""

    certificate: Certificate
    owner_display: str
    explorer_url: str | None
    transaction_url: str | None


class GetCertificate:
    """Anyone may see a certificate; its owner is shown by display name only."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, certificate_id: UUID) -> CertificateView:
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
            if certificate is None:
                raise NotFound("No such certificate.")
            owner = await uow.users.get(certificate.owner_id)
        return view_of(certificate, str(owner.display_name) if owner else "")


def view_of(certificate: Certificate, owner_display: str) -> CertificateView:
    return CertificateView(
        certificate,
        owner_display,
        hashscan_nft_url(certificate.network, certificate.token_id, certificate.serial),
        hashscan_transaction_url(certificate.network, certificate.transaction_id),
    )


class GetCertificateMetadata:
    """The exact HIP-412 bytes whose CID is the certificate's metadata URI."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, certificate_id: UUID) -> bytes:
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
        if certificate is None:
            raise NotFound("No such certificate.")
        return certificate.metadata_document


class ListMyCertificates:
    """The certificates the caller owns, newest first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[CertificateView]:
        async with self._uow as uow:
            found = await uow.certificates.list_for_owner(owner_id, limit=limit, before=before)
            owner = await uow.users.get(owner_id)
        name = str(owner.display_name) if owner else ""
        return [view_of(certificate, name) for certificate in found]


@dataclass(frozen=True, slots=True)
class Verification:
    valid: bool
    checked_at: datetime
    network: str
    details: str
    onchain_metadata: str | None


class VerifyCertificate:
    """Re-check a certificate against the ledger: the NFT exists with the certificate's metadata.

    Rules: the ledger's own record decides (the mirror node on Hedera); a certificate from
    another network than the one this server uses is reported as not checkable; on the
    simulated ledger the answer says plainly that nothing is on a public network.
    """

    def __init__(self, uow: UnitOfWork, ledger: Ledger, clock: Clock) -> None:
        self._uow = uow
        self._ledger = ledger
        self._clock = clock

    async def __call__(self, certificate_id: UUID) -> Verification:
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
        if certificate is None:
            raise NotFound("No such certificate.")
        network = self._ledger.network
        if certificate.network != network:
            return Verification(
                False,
                self._clock.now(),
                certificate.network,
                f"This certificate was minted on {certificate.network}; "
                f"this server uses {network} and cannot check it.",
                None,
            )
        nft = await self._ledger.nft(certificate.token_id, certificate.serial)
        expected = onchain_metadata(certificate.metadata_uri)
        where = f"NFT {certificate.token_id} serial {certificate.serial}"
        found: str | None = None
        if nft is None:
            valid, details = False, f"The ledger has no {where}."
        else:
            found = nft.metadata.decode(errors="replace")
            if nft.metadata != expected:
                valid, details = (
                    False,
                    f"The ledger's {where} carries metadata {found!r}, not {certificate.metadata_uri!r}.",
                )
            elif nft.owner_account is None:
                valid, details = False, f"The {where} no longer exists on the ledger (burned)."
            else:
                valid = True
                details = (
                    f"The ledger has {where} with metadata {found}, held by account {nft.owner_account}."
                )
        if network == "simulated":
            details = (
                "Simulated ledger: this certificate exists only in this server's local simulation, "
                "not on any public network. " + details
            )
        return Verification(valid, self._clock.now(), network, details, found)
