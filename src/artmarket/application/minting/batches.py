"""Minting queued jobs in batches, one TokenMint per batch, under the minter's lease."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from uuid import UUID

from artmarket.application.errors import ConcurrentUpdate
from artmarket.application.media import CONTENT_TYPES, ContentStore
from artmarket.application.messages import OrderPaid
from artmarket.application.minting.content import ContentAddressedStore, ContentUnavailable
from artmarket.application.minting.ledger import (
    Ledger,
    LedgerError,
    LedgerRejected,
    LedgerUnavailable,
    MintReceipt,
    PreparedMint,
)
from artmarket.application.minting.work import MintPolicy, MintWork, rejection
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork
from artmarket.domain.certificate_metadata import hip412_document
from artmarket.domain.certificates import (
    ArtworkSnapshot,
    MintBatch,
    MintJob,
    MintJobStatus,
    onchain_metadata,
)
from artmarket.domain.errors import NotFound
from artmarket.domain.listing import Dimensions
from artmarket.domain.orders import Order


def dimensions_text(dimensions: Dimensions | None) -> str | None:
    if dimensions is None:
        return None
    sides = [dimensions.height_mm, dimensions.width_mm]
    if dimensions.depth_mm is not None:
        sides.append(dimensions.depth_mm)
    return " x ".join(str(side) for side in sides) + " mm"


class _Unsent(Enum):
    """Why a turn of the worker stored no transaction to send."""

    NONE_DUE = "no batch is due now"
    SETTLED = "the batch's jobs backed off or failed before any transaction"


#: One submission in flight: its transaction id and outcome (a receipt, or what the ledger said).
_Sending = asyncio.Task[tuple[str, MintReceipt | LedgerError]]


@dataclass(frozen=True, slots=True)
class _Drawn:
    artwork: ArtworkSnapshot
    document: bytes
    metadata_uri: str


class MintQueuedJobs(MintWork):
    """Worker: mint queued jobs in batches of up to `batch_size`, one TokenMint per batch.

    Rules: only one minter at a time (lease); a batch that is not full waits `linger` for
    more jobs; each job's HIP-412 document and the artwork's image are stored in the
    content-addressed store first, so `image` and the on-chain metadata are `ipfs://`
    addresses; the transaction is persisted before it is submitted; a failure before
    submission backs off and fails after `max_attempts`; a rejected transaction fails
    its jobs (visible, retried by an operator); an unknown outcome is reconciled later.

    Pipelined: up to `max_in_flight` stored batches await their receipts at once, so the
    network's latency is paid once per `max_in_flight` batches, not once per batch. Only the
    submissions run concurrently; storing and settling stay one at a time on this worker's
    unit of work (one session), each batch settled by its own receipt.
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
        issued = stored = 0
        in_flight: set[_Sending] = set()
        leased: datetime | None = None
        try:
            while True:
                # Fill the free slots; whenever a receipt frees one, look again: jobs paid
                # meanwhile are due now. The lease is renewed before a batch is stored once a
                # quarter of its time has passed, so it never lapses while this minter stores.
                while len(in_flight) < self._policy.max_in_flight and stored < max_batches:
                    now = self._clock.now()
                    if leased is None or now - leased >= self._policy.lease_ttl / 4:
                        if not await self._lease(holder):
                            break
                        leased = now
                    prepared = await self._store_batch(token_id)
                    if prepared is _Unsent.NONE_DUE:
                        break
                    stored += 1
                    if isinstance(prepared, PreparedMint):
                        in_flight.add(asyncio.create_task(self._send(prepared)))
                if not in_flight:
                    break
                done, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                for sent in done:
                    issued += await self._record(*sent.result())
        finally:
            # Stopped early (cancelled, or storage failed): the batches still in flight stay
            # `submitted`, and the reconciler settles them from the ledger.
            for sending in in_flight:
                sending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*in_flight, return_exceptions=True)
            await self._release(holder)
        return issued

    async def _store_batch(self, token_id: str) -> PreparedMint | _Unsent:
        """The next due batch, signed and stored with its jobs `submitted`, ready to send."""
        now = self._clock.now()
        async with self._uow as uow:
            jobs = list(await uow.mint_jobs.due(MintJobStatus.QUEUED, now, limit=self._policy.batch_size))
            if not jobs:
                return _Unsent.NONE_DUE
            if (
                len(jobs) < self._policy.batch_size
                and now - min(j.created_at for j in jobs) < self._policy.linger
            ):
                return _Unsent.NONE_DUE
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
                        return _Unsent.NONE_DUE  # another minter took it: leave the batch unsent
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
                return _Unsent.NONE_DUE
        return _Unsent.SETTLED if prepared is None else prepared

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
            edition_number=order.edition_number,
            edition_size=artwork.edition.size if artwork.edition.is_limited else None,
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
