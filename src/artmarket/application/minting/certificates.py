"""Certificates of authenticity as owners and the public see them, and their verification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final
from uuid import UUID

from artmarket.application.minting.ledger import (
    Ledger,
    hashscan_nft_url,
    hashscan_transaction_url,
)
from artmarket.application.ports import Clock
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import (
    Certificate,
    onchain_metadata,
)
from artmarket.domain.errors import NotFound
from artmarket.domain.provenance import ProvenanceEvent

#: How the public sees an owner who has not chosen to show their name.
PRIVATE_COLLECTION: Final = "a private collection"


@dataclass(frozen=True, slots=True)
class TrailEntry:
    """One provenance entry as pages and the API show it; not yet on the ledger until recorded."""

    position: int
    event: ProvenanceEvent
    created_at: datetime
    topic_id: str | None = None
    transaction_id: str | None = None
    sequence_number: int | None = None
    consensus_timestamp: str | None = None

    @property
    def recorded(self) -> bool:
        return self.sequence_number is not None


@dataclass(frozen=True, slots=True)
class CertificateView:
    """A certificate as the public sees it: the owner as "a private collection" unless they chose.

    `is_owner` is set when the owner asks: only they see more on their own certificate.
    `treasury_account` is the platform account holding certificates in its custody.
    """

    certificate: Certificate
    owner_display: str
    explorer_url: str | None
    transaction_url: str | None
    is_owner: bool = False
    treasury_account: str | None = None
    trail: Sequence[TrailEntry] = ()


class GetCertificate:
    """Anyone may see a certificate; its owner is "a private collection" unless they chose to show
    their display name. `viewer` (the caller's user id, if signed in) tells whether the owner looks."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, certificate_id: UUID, viewer: UUID | None = None) -> CertificateView:
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
            if certificate is None:
                raise NotFound("No such certificate.")
            owner = await uow.users.get(certificate.owner_id)
        view = view_of(certificate, str(owner.display_name) if owner else "")
        return replace(view, is_owner=viewer is not None and viewer == certificate.owner_id)


class SetCertificateNameShown:
    """The owner chooses whether their display name is shown on their certificate (default: not).

    Rules: only the owner; anyone else is told there is no such certificate, as for an unknown id.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, certificate_id: UUID, owner_id: UUID, *, shown: bool) -> Certificate:
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
            if certificate is None or certificate.owner_id != owner_id:
                raise NotFound("No such certificate.")
            certificate.show_owner_name(shown)
            await uow.commit()
        return certificate


def view_of(certificate: Certificate, owner_name: str) -> CertificateView:
    return CertificateView(
        certificate,
        owner_name if certificate.shows_owner_name and owner_name else PRIVATE_COLLECTION,
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
        return [replace(view_of(certificate, name), is_owner=True) for certificate in found]


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
