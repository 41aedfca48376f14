"""msgspec structs of the certificate and mint-job routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from artmarket.application.minting.certificates import CertificateView, TrailEntry, Verification
from artmarket.domain.certificates import Certificate, MintJob
from artmarket.domain.custody import CertificateStatus, CustodyKind, RevocationReason
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind, TaskStatus
from artmarket.domain.provenance import ProvenanceEvent


class CertificateArtist(msgspec.Struct):
    id: UUID
    display_name: str


class CertificateArtwork(msgspec.Struct):
    id: UUID
    title: str
    artist: CertificateArtist
    medium: str
    year: int | None
    dimensions: str | None
    image_uri: str | None


class CertificateCustody(msgspec.Struct):
    """Who holds the NFT: the platform's treasury (its account), an airdrop waiting in the
    owner's account, or the owner's account."""

    kind: CustodyKind
    account_id: str | None

    @classmethod
    def of(cls, certificate: Certificate, treasury_account: str | None) -> CertificateCustody:
        in_treasury = certificate.custody is CustodyKind.PLATFORM
        return cls(certificate.custody, treasury_account if in_treasury else certificate.custody_account)


class CertificateLinks(msgspec.Struct):
    provenance: str
    proof: str
    pdf: str


class CertificateOut(msgspec.Struct):
    id: UUID
    artwork: CertificateArtwork
    order_id: UUID
    owner_display: str
    network: str
    token_id: str
    serial: int
    transaction_id: str
    metadata_uri: str
    explorer_url: str | None
    transaction_url: str | None
    issued_at: datetime
    status: CertificateStatus
    revoked_at: datetime | None
    revocation_reason: RevocationReason | None
    custody: CertificateCustody
    #: As printed: "7/25" for number 7 of a limited edition of 25, "1/1" for a unique work.
    edition: str
    #: The number of a limited edition's print (null for a unique work).
    edition_number: int | None
    links: CertificateLinks
    #: Set only for the owner: whether their display name shows to everyone.
    show_owner_name: bool | None = None

    @classmethod
    def of(cls, view: CertificateView) -> CertificateOut:
        c, a = view.certificate, view.certificate.artwork
        return cls(
            id=c.id,
            artwork=CertificateArtwork(
                a.artwork_id,
                a.title,
                CertificateArtist(a.artist_id, a.artist_name),
                a.medium,
                a.year,
                a.dimensions,
                a.image_uri,
            ),
            order_id=c.order_id,
            owner_display=view.owner_display,
            network=c.network,
            token_id=c.token_id,
            serial=c.serial,
            transaction_id=c.transaction_id,
            metadata_uri=c.metadata_uri,
            explorer_url=view.explorer_url,
            transaction_url=view.transaction_url,
            issued_at=c.issued_at,
            status=c.status,
            revoked_at=c.revoked_at,
            revocation_reason=c.revocation_reason,
            custody=CertificateCustody.of(c, view.treasury_account),
            edition=c.edition,
            edition_number=c.edition_number,
            links=CertificateLinks(
                provenance=f"/api/v1/certificates/{c.id}/provenance",
                proof=f"/api/v1/certificates/{c.id}/proof",
                pdf=f"/certificates/{c.id}.pdf",
            ),
            show_owner_name=c.shows_owner_name if view.is_owner else None,
        )


class ProvenanceEntryOut(msgspec.Struct):
    position: int
    event: ProvenanceEvent
    sequence_number: int | None
    consensus_timestamp: str | None
    transaction_id: str | None
    topic_id: str | None
    recorded: bool
    created_at: datetime

    @classmethod
    def of(cls, entry: TrailEntry) -> ProvenanceEntryOut:
        return cls(
            position=entry.position,
            event=entry.event,
            sequence_number=entry.sequence_number,
            consensus_timestamp=entry.consensus_timestamp,
            transaction_id=entry.transaction_id,
            topic_id=entry.topic_id,
            recorded=entry.recorded,
            created_at=entry.created_at,
        )


class ProvenanceOut(msgspec.Struct):
    """The certificate's trail in order; an entry not yet on the ledger has `recorded: false`."""

    items: list[ProvenanceEntryOut]


class OwnerNameIn(msgspec.Struct, forbid_unknown_fields=True):
    show_owner_name: bool


class RevocationIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Literal["chargeback", "admin"]
    note: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class CertificateList(msgspec.Struct):
    items: list[CertificateOut]
    next_cursor: str | None


class VerificationOut(msgspec.Struct):
    valid: bool
    checked_at: datetime
    network: str
    details: str
    onchain_metadata: str | None

    @classmethod
    def of(cls, v: Verification) -> VerificationOut:
        return cls(v.valid, v.checked_at, v.network, v.details, v.onchain_metadata)


class MintJobOut(msgspec.Struct):
    id: UUID
    order_id: UUID
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    metadata_uri: str | None
    token_id: str | None
    transaction_id: str | None
    serial: int | None
    certificate_id: UUID | None
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, job: MintJob) -> MintJobOut:
        return cls(
            id=job.id,
            order_id=job.order_id,
            status=job.status.value,
            attempts=job.attempts,
            last_error=job.last_error,
            next_attempt_at=job.next_attempt_at,
            metadata_uri=job.metadata_uri,
            token_id=job.token_id,
            transaction_id=job.transaction_id,
            serial=job.serial,
            certificate_id=job.certificate_id if job.serial is not None else None,
            created_at=job.created_at,
            updated_at=job.updated_at,
        )


class MintJobList(msgspec.Struct):
    items: list[MintJobOut]
    next_cursor: str | None


class LedgerTaskOut(msgspec.Struct):
    id: UUID
    certificate_id: UUID
    kind: LedgerTaskKind
    status: TaskStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    account_id: str | None
    transaction_id: str | None
    sequence_number: int | None
    consensus_timestamp: str | None
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, task: LedgerTask) -> LedgerTaskOut:
        return cls(
            id=task.id,
            certificate_id=task.certificate_id,
            kind=task.kind,
            status=task.status,
            attempts=task.attempts,
            last_error=task.last_error,
            next_attempt_at=task.next_attempt_at,
            account_id=task.account_id,
            transaction_id=task.transaction_id,
            sequence_number=task.sequence_number,
            consensus_timestamp=task.consensus_timestamp,
            created_at=task.created_at,
            updated_at=task.updated_at,
        )


class LedgerTaskList(msgspec.Struct):
    items: list[LedgerTaskOut]
