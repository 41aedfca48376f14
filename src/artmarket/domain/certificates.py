"""Certificates of authenticity and the mint jobs that put them on the ledger."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from artmarket.domain.custody import (
    CertificateNotClaimable,
    CertificateRevoked,
    CertificateStatus,
    CustodyKind,
    RevocationReason,
    claimable_from,
)
from artmarket.domain.editions import edition_label
from artmarket.domain.errors import Conflict, InvalidValue

MAX_ONCHAIN_METADATA_BYTES: Final = 100


class MintJobStatus(enum.StrEnum):
    QUEUED = "queued"
    SUBMITTED = "submitted"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class MintJobStateConflict(Conflict):
    default_message = "The mint job's status does not allow this."


class CertificateNotReady(MintJobStateConflict):
    default_message = "The mint job has no certificate yet: it must be drawn up and succeed first."


class MetadataTooLong(InvalidValue):
    default_message = f"On-chain metadata has at most {MAX_ONCHAIN_METADATA_BYTES} bytes."


#: queued → submitted → succeeded; queued/submitted → failed; failed → queued (retry).
TRANSITIONS: Final[dict[MintJobStatus, frozenset[MintJobStatus]]] = {
    MintJobStatus.QUEUED: frozenset({MintJobStatus.SUBMITTED, MintJobStatus.FAILED}),
    MintJobStatus.SUBMITTED: frozenset({MintJobStatus.SUCCEEDED, MintJobStatus.FAILED, MintJobStatus.QUEUED}),
    MintJobStatus.FAILED: frozenset({MintJobStatus.QUEUED}),
    MintJobStatus.SUCCEEDED: frozenset(),
}


def onchain_metadata(metadata_uri: str) -> bytes:
    """The bytes stored on the NFT: the `ipfs://CID` of the HIP-412 document (≤ 100 bytes)."""
    data = metadata_uri.encode()
    if not metadata_uri.startswith("ipfs://") or len(data) > MAX_ONCHAIN_METADATA_BYTES:
        raise MetadataTooLong()
    return data


@dataclass(eq=False)
class MintJob:
    """Minting one order's certificate.

    The ledger transaction id is chosen and stored before submission, so after a crash
    the job is reconciled by asking the ledger about that id, never by minting again.
    """

    id: UUID
    order_id: UUID
    created_at: datetime
    status: MintJobStatus = MintJobStatus.QUEUED
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    metadata_uri: str | None = None
    transaction_id: str | None = None
    transaction_valid_until: datetime | None = None
    serial: int | None = None
    updated_at: datetime | None = None
    #: What was certified, the exact HIP-412 bytes stored under `metadata_uri`, and the
    #: collection minted into: all fixed before the first submission.
    artwork: ArtworkSnapshot | None = None
    metadata_document: bytes | None = field(default=None, repr=False)
    token_id: str | None = None

    @property
    def certificate_id(self) -> UUID:
        """The certificate this job issues has the job's id: one job, one certificate, ever."""
        return self.id

    @property
    def drawn_up(self) -> bool:
        return self.metadata_document is not None and self.metadata_uri is not None

    def _move(self, target: MintJobStatus, now: datetime, note: str | None = None) -> None:
        if target not in TRANSITIONS[self.status]:
            raise MintJobStateConflict(
                "A {status} mint job cannot become {target}.", status=self.status.value, target=target.value
            )
        self.status = target
        self.updated_at = now

    def describe(self, metadata_uri: str) -> None:
        """Record the content address of the certificate's metadata (stored before minting)."""
        onchain_metadata(metadata_uri)
        self.metadata_uri = metadata_uri

    def draw_up(self, artwork: ArtworkSnapshot, document: bytes, metadata_uri: str) -> None:
        """Fix the certificate's content: the snapshot, its HIP-412 bytes and their address."""
        if self.status is not MintJobStatus.QUEUED:
            raise MintJobStateConflict("Only a queued mint job can be drawn up.")
        self.describe(metadata_uri)
        self.artwork = artwork
        self.metadata_document = document

    def submit(
        self, transaction_id: str, valid_until: datetime, now: datetime, *, token_id: str | None = None
    ) -> None:
        """queued → submitted: the transaction is persisted before it is sent."""
        self._move(MintJobStatus.SUBMITTED, now)
        self.attempts += 1
        self.transaction_id = transaction_id
        self.transaction_valid_until = valid_until
        self.token_id = token_id
        self.next_attempt_at = None

    def await_outcome(self, error: str, now: datetime, delay: timedelta) -> None:
        """Submitted, outcome unknown (the ledger did not answer): stay submitted and ask again later.

        Never fails the job: the transaction may have happened, so only the ledger's answer
        about this transaction id may settle it.
        """
        if self.status is not MintJobStatus.SUBMITTED:
            raise MintJobStateConflict("Only a submitted mint job waits for its outcome.")
        self.last_error = error[:500]
        self.next_attempt_at = now + delay
        self.updated_at = now

    def succeed(self, serial: int, now: datetime) -> None:
        self._move(MintJobStatus.SUCCEEDED, now)
        self.serial = serial
        self.last_error = None
        self.next_attempt_at = None

    def back_off(self, error: str, now: datetime, *, max_attempts: int) -> None:
        """A retryable failure: wait exponentially longer, or fail after `max_attempts`."""
        self.last_error = error[:500]
        if self.status is MintJobStatus.QUEUED:
            self.attempts += 1  # a submitted job counted its attempt when it was submitted
        if self.attempts >= max_attempts:
            self._move(MintJobStatus.FAILED, now)
            return
        self.next_attempt_at = now + timedelta(seconds=min(600, 2**self.attempts))
        self.updated_at = now

    def abandon_transaction(
        self, now: datetime, *, error: str | None = None, max_attempts: int | None = None
    ) -> None:
        """submitted → queued: the ledger proved the transaction never happened and it expired.

        With `error`, that attempt counts as a retryable failure: the job backs off, or
        fails after `max_attempts` (safe: nothing was minted, a retry mints afresh).
        """
        self._move(MintJobStatus.QUEUED, now)
        self.transaction_id = None
        self.transaction_valid_until = None
        if error is None:
            return
        self.last_error = error[:500]
        if max_attempts is not None and self.attempts >= max_attempts:
            self._move(MintJobStatus.FAILED, now)
            return
        self.next_attempt_at = now + timedelta(seconds=min(600, 2**self.attempts))

    def fail(self, error: str, now: datetime) -> None:
        """A permanent failure: visible to admins until someone retries."""
        self._move(MintJobStatus.FAILED, now)
        self.last_error = error[:500]

    def certificate(
        self, *, owner_id: UUID, network: str, issued_at: datetime, public_code: str
    ) -> Certificate:
        """The certificate of a succeeded job, with the content fixed when it was drawn up."""
        if (
            self.status is not MintJobStatus.SUCCEEDED
            or self.artwork is None
            or self.metadata_uri is None
            or self.metadata_document is None
            or self.serial is None
            or self.transaction_id is None
            or self.token_id is None
        ):
            raise CertificateNotReady()
        return Certificate(
            id=self.certificate_id,
            order_id=self.order_id,
            owner_id=owner_id,
            artwork=self.artwork,
            network=network,
            token_id=self.token_id,
            serial=self.serial,
            transaction_id=self.transaction_id,
            metadata_uri=self.metadata_uri,
            issued_at=issued_at,
            public_code=public_code,
            metadata_document=self.metadata_document,
        )

    @property
    def can_be_retried(self) -> bool:
        """Only a failed job: a submitted one may still settle on the ledger, and a retry mints afresh."""
        return self.status is MintJobStatus.FAILED

    def retry(self, now: datetime) -> None:
        """failed → queued, by an operator; the attempt count starts again."""
        if not self.can_be_retried:
            raise MintJobStateConflict(
                "A {status} mint job cannot be retried; only a failed one.", status=self.status.value
            )
        self._move(MintJobStatus.QUEUED, now)
        self.attempts = 0
        self.next_attempt_at = None
        # A failed submitted transaction is settled (rejected): mint afresh with a new id.
        self.transaction_id = None
        self.transaction_valid_until = None


@dataclass(eq=False)
class MintBatch:
    """One ledger transaction minting up to ten certificates, kept so it can be resubmitted as is.

    `job_ids` are in the order of the metadata, so the n-th serial belongs to the n-th job.
    """

    transaction_id: str
    token_id: str
    job_ids: list[UUID]
    valid_until: datetime
    signed_bytes: bytes
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ArtworkSnapshot:
    """The artwork as it was certified; later edits do not change a certificate."""

    artwork_id: UUID
    title: str
    artist_id: UUID
    artist_name: str
    medium: str
    year: int | None
    dimensions: str | None
    image_uri: str | None
    #: The MIME type of the image at `image_uri`.
    image_type: str = "image/jpeg"
    #: The print's number in a limited edition of `edition_size` (both None: a unique work).
    edition_number: int | None = None
    edition_size: int | None = None

    @property
    def edition(self) -> str:
        """The edition as printed: "7/25", or "1/1" for a unique work."""
        return edition_label(self.edition_number, self.edition_size)


@dataclass(eq=False)
class Certificate:
    """A certificate of authenticity: one NFT (token id + serial) for one paid order.

    It is valid until revoked (a refund, a lost chargeback, an admin's decision), which is
    final. Custody: the platform's treasury holds the NFT for the owner until they claim it
    to their own account (`pending_claim` while an airdrop waits for them, then `wallet`).
    """

    id: UUID
    order_id: UUID
    owner_id: UUID
    artwork: ArtworkSnapshot
    network: str
    token_id: str
    serial: int
    transaction_id: str
    metadata_uri: str
    issued_at: datetime
    #: The short code of the certificate's QR link, `/c/{public_code}`.
    public_code: str = ""
    #: The exact HIP-412 bytes whose CID is `metadata_uri`: served as is, so anyone can check.
    metadata_document: bytes = field(default=b"", repr=False)
    status: CertificateStatus = CertificateStatus.VALID
    revoked_at: datetime | None = None
    revocation_reason: RevocationReason | None = None
    custody: CustodyKind = CustodyKind.PLATFORM
    #: The owner's account while an airdrop waits for it or once the NFT is in it.
    custody_account: str | None = None
    #: The owner chose to show their display name; otherwise "a private collection".
    shows_owner_name: bool = False

    @property
    def edition(self) -> str:
        """The edition as printed on the certificate and its PDF ("7/25"; "1/1" for a unique work)."""
        return self.artwork.edition

    @property
    def edition_number(self) -> int | None:
        return self.artwork.edition_number

    @property
    def is_valid(self) -> bool:
        return self.status is CertificateStatus.VALID

    def revoke(self, reason: RevocationReason, now: datetime) -> bool:
        """valid → revoked, for good; False when it already was (a repeated refund changes nothing)."""
        if self.status is CertificateStatus.REVOKED:
            return False
        self.status = CertificateStatus.REVOKED
        self.revoked_at = now
        self.revocation_reason = reason
        return True

    @property
    def can_be_burned(self) -> bool:
        """A revoked NFT is burned while the treasury holds it; one in a wallet cannot be."""
        return self.status is CertificateStatus.REVOKED and self.custody is CustodyKind.PLATFORM

    @property
    def may_be_claimed(self) -> bool:
        """Valid and held by the platform: a claim may start once the refund window is over."""
        return self.is_valid and self.custody is CustodyKind.PLATFORM

    def can_be_claimed(self, now: datetime, *, ready_since: datetime | None, wait: timedelta) -> bool:
        """`may_be_claimed`, and the refund window (`wait` after delivery or issue) is over."""
        opens = claimable_from(ready_since, wait)
        return self.may_be_claimed and opens is not None and now >= opens

    def start_claim(self, now: datetime, *, ready_since: datetime | None, wait: timedelta) -> None:
        """Check that a claim may start; custody changes only when the ledger shows it."""
        if not self.is_valid:
            raise CertificateRevoked()
        if not self.can_be_claimed(now, ready_since=ready_since, wait=wait):
            raise CertificateNotClaimable(_claim_refusal(self, ready_since, wait))

    def await_claim(self, account_id: str) -> None:
        """platform → pending_claim: an airdrop to `account_id` waits for its owner to accept it."""
        self.custody = CustodyKind.PENDING_CLAIM
        self.custody_account = account_id

    def move_to_wallet(self, account_id: str) -> None:
        """→ wallet: the ledger shows the NFT in the owner's account."""
        self.custody = CustodyKind.WALLET
        self.custody_account = account_id

    def return_to_platform(self) -> None:
        """pending_claim → platform: the airdrop was cancelled (unclaimed in time, or revoked)."""
        if self.custody is CustodyKind.PENDING_CLAIM:
            self.custody = CustodyKind.PLATFORM
            self.custody_account = None

    def show_owner_name(self, shown: bool) -> None:
        """The owner's choice: their display name on the public page, or "a private collection"."""
        self.shows_owner_name = shown


def _claim_refusal(certificate: Certificate, ready_since: datetime | None, wait: timedelta) -> str:
    if certificate.custody is not CustodyKind.PLATFORM:
        return "This certificate is already being claimed or is in a wallet."
    opens = claimable_from(ready_since, wait)
    if opens is None:
        return "A certificate can be claimed once the work is delivered and the return window has closed."
    return f"A certificate can be claimed from {opens:%d %b %Y %H:%M} UTC, when the return window closes."
