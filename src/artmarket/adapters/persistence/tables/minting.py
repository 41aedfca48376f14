"""Certificates on the ledger: mint jobs, their batches, issued certificates and the minter's lease."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
)

from artmarket.adapters.persistence.tables.schema import metadata, one_of
from artmarket.adapters.persistence.types import (
    ArtworkSnapshotType,
    StrEnumType,
    UtcDateTime,
    UuidList,
)
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.custody import CertificateStatus, CustodyKind, RevocationReason

mint_jobs = Table(
    "mint_jobs",
    metadata,
    # Also the id of the certificate the job issues.
    Column("id", Uuid, primary_key=True),
    # At most one job, hence one certificate, per order, whatever delivers OrderPaid twice.
    Column("order_id", Uuid, ForeignKey("orders.id"), nullable=False),
    Column("status", StrEnumType(MintJobStatus, 16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    # What is certified and its exact HIP-412 bytes, fixed before the first submission.
    Column("artwork", ArtworkSnapshotType, nullable=True),
    Column("metadata_uri", String(100), nullable=True),
    Column("metadata_document", LargeBinary, nullable=True),
    # The transaction, chosen and stored before it is sent (its signed bytes: mint_batches).
    Column("token_id", String(32), nullable=True),
    Column("transaction_id", String(64), nullable=True),
    Column("transaction_valid_until", UtcDateTime, nullable=True),
    Column("serial", BigInteger, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    # Optimistic lock: two workers cannot both submit (or settle) one job.
    Column("version", Integer, nullable=False),
    UniqueConstraint("order_id"),
    CheckConstraint(one_of("status", MintJobStatus), name="status"),
    CheckConstraint("attempts >= 0", name="attempts"),
    # The worker's "due jobs of a status, oldest first" and the admin's list by status.
    Index("ix_mint_jobs_status", "status", "created_at", "id"),
    Index(None, "created_at"),
    Index(None, "transaction_id"),
)

mint_batches = Table(
    "mint_batches",
    metadata,
    # One TokenMint: resubmitting `signed_bytes` as they are is always safe.
    Column("transaction_id", String(64), primary_key=True),
    Column("token_id", String(32), nullable=False),
    # The jobs in the order of the metadata: the n-th serial belongs to the n-th job.
    Column("job_ids", UuidList, nullable=False),
    Column("valid_until", UtcDateTime, nullable=False),
    Column("signed_bytes", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

certificates = Table(
    "certificates",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("order_id", Uuid, ForeignKey("orders.id"), nullable=False),
    Column("owner_id", Uuid, ForeignKey("users.id"), nullable=False),
    # The artwork as certified (a snapshot: later edits do not change it).
    Column("artwork_id", Uuid, ForeignKey("artworks.id"), nullable=False),
    Column("artwork_title", String(200), nullable=False),
    Column("artist_id", Uuid, nullable=False),
    Column("artist_name", String(200), nullable=False),
    Column("medium", String(32), nullable=False),
    Column("year", Integer, nullable=True),
    Column("dimensions", String(64), nullable=True),
    Column("image_uri", String(200), nullable=True),
    Column("image_type", String(64), nullable=False),
    # The print's number and its edition's size (both NULL: a unique work).
    Column("edition_number", Integer, nullable=True),
    Column("edition_size", Integer, nullable=True),
    Column("network", String(32), nullable=False),
    Column("token_id", String(32), nullable=False),
    Column("serial", BigInteger, nullable=False),
    Column("transaction_id", String(64), nullable=False),
    Column("metadata_uri", String(100), nullable=False),
    # The exact bytes whose CID is `metadata_uri`, served as they are.
    Column("metadata_document", LargeBinary, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    # The short code of the certificate's QR link (`/c/{code}`).
    Column("public_code", String(16), nullable=False),
    Column("status", StrEnumType(CertificateStatus, 16), nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revocation_reason", StrEnumType(RevocationReason, 16), nullable=True),
    Column("custody", StrEnumType(CustodyKind, 16), nullable=False),
    Column("custody_account", String(32), nullable=True),
    Column("shows_owner_name", Boolean, nullable=False, server_default=false()),
    # Optimistic lock: a revocation and a custody move of one certificate cannot both win.
    Column("version", Integer, nullable=False, server_default=text("1")),
    UniqueConstraint("order_id"),
    UniqueConstraint("public_code"),
    CheckConstraint(one_of("status", CertificateStatus), name="status"),
    CheckConstraint(one_of("custody", CustodyKind), name="custody"),
    UniqueConstraint("token_id", "serial"),
    CheckConstraint("serial > 0", name="serial_positive"),
    Index("ix_certificates_owner_id", "owner_id", "issued_at", "id"),
)


leases = Table(
    "leases",
    metadata,
    # A named lease one holder owns until it expires (one minter at a time).
    Column("name", String(64), primary_key=True),
    Column("holder", String(64), nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
)
