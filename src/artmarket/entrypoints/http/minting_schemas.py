"""msgspec structs of the certificate and mint-job routes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from artmarket.application.minting.certificates import CertificateView, Verification
from artmarket.domain.certificates import MintJob


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
        )


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
