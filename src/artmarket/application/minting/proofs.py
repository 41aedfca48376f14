"""A certificate's proof bundle: everything a third party needs to check it on the public ledger.

The bundle carries the exact metadata bytes, so whoever holds it can recompute their CID and
compare it with what the NFT carries on the ledger, and the provenance entries' sequence
numbers, so they can read the trail's messages off the topic, without asking artmarket.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from uuid import UUID

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.custody import CertificateStatus
from artmarket.domain.errors import NotFound
from artmarket.domain.provenance import ProvenanceEvent

#: The layout of a proof bundle; `artmarket verify-proof` refuses versions it does not know.
PROOF_FORMAT: Final = "artmarket-proof@1"


@dataclass(frozen=True, slots=True)
class ProofEntry:
    """One provenance entry of the bundle; `sequence_number` is None until it is on the topic."""

    position: int
    event: ProvenanceEvent
    sequence_number: int | None = None
    consensus_timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class CertificateProof:
    """A certificate as the public ledger must confirm it (bytes travel as base64 in JSON).

    `metadata_uri` is `ipfs://{cid}` and `cid` is the raw CIDv1 of `metadata`; `status` is what
    artmarket says (a revoked certificate's NFT is burned while the platform holds it).
    """

    format: str
    certificate_id: UUID
    network: str
    token_id: str
    serial: int
    mint_transaction_id: str
    metadata_uri: str
    cid: str
    metadata: bytes
    status: CertificateStatus
    topic_id: str | None
    provenance: tuple[ProofEntry, ...]
    mirror_url: str | None


@dataclass(frozen=True, slots=True)
class ProofSources:
    """Where the public records are: the mirror node to ask and the provenance topic (set up once)."""

    mirror_url: str | None
    topic_id: str | None


class GetCertificateProof:
    """Anyone may download a certificate's proof bundle: it holds nothing private (holders are hashed)."""

    def __init__(self, uow: UnitOfWork, sources: ProofSources) -> None:
        self._uow = uow
        self._sources = sources

    async def __call__(self, certificate_id: UUID) -> CertificateProof:
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
            if certificate is None:
                raise NotFound("No such certificate.")
            trail = await uow.provenance.trail(certificate_id)
        return CertificateProof(
            format=PROOF_FORMAT,
            certificate_id=certificate.id,
            network=certificate.network,
            token_id=certificate.token_id,
            serial=certificate.serial,
            mint_transaction_id=certificate.transaction_id,
            metadata_uri=certificate.metadata_uri,
            cid=certificate.metadata_uri.removeprefix("ipfs://"),
            metadata=certificate.metadata_document,
            status=certificate.status,
            topic_id=self._sources.topic_id,
            provenance=tuple(
                ProofEntry(entry.position, entry.event, task.sequence_number, task.consensus_timestamp)
                for entry, task in trail
            ),
            mirror_url=self._sources.mirror_url,
        )
