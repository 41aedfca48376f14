"""Certificates of authenticity as owners and the public see them, and their verification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from artmarket.application.i18n import N_
from artmarket.application.i18n import gettext as _
from artmarket.application.minting.certificate_transactions import CertificateLedger
from artmarket.application.minting.certificate_words import day_words, reason_words
from artmarket.application.minting.ledger import (
    Ledger,
    hashscan_nft_url,
    hashscan_transaction_url,
)
from artmarket.application.minting.ledger_tasks import LedgerTaskPolicy
from artmarket.application.minting.ownership import owned_certificate
from artmarket.application.ports import Clock
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import (
    Certificate,
    onchain_metadata,
)
from artmarket.domain.errors import NotFound
from artmarket.domain.ledger_tasks import LedgerTask, LedgerTaskKind, TaskStatus
from artmarket.domain.provenance import ProvenanceEntry, ProvenanceEvent


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


#: How a certificate names an owner who did not choose to show their name (translated where shown).
PRIVATE_OWNER = N_("a private collection")


class GetCertificate:
    """Anyone may see a certificate: its standing, custody and trail; the owner is "a private
    collection" unless they chose to show their display name. The owner, signed in, sees their
    own name (`viewer`) and the controls only they have."""

    def __init__(self, uow: UnitOfWork, ledger: CertificateLedger, tasks: LedgerTaskPolicy) -> None:
        self._uow = uow
        self._ledger = ledger
        self._tasks = tasks

    async def __call__(self, certificate_id: UUID, *, viewer: UUID | None = None) -> CertificateView:
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
            if certificate is None:
                raise NotFound("No such certificate.")
            is_owner = viewer is not None and viewer == certificate.owner_id
            # The name is read only where it is shown: most certificates are a private collection.
            owner = (
                await uow.users.get(certificate.owner_id)
                if is_owner or certificate.shows_owner_name
                else None
            )
            trail = await uow.provenance.trail(certificate.id)
        return view_of(
            certificate,
            str(owner.display_name) if owner else "",
            is_owner=is_owner,
            treasury_account=self._ledger.treasury_account,
            trail=[trail_entry(entry, task, self._tasks.topic_id) for entry, task in trail],
        )


def trail_entry(entry: ProvenanceEntry, task: LedgerTask, topic_id: str | None) -> TrailEntry:
    """An entry as shown: on the ledger once its RECORD task succeeded (then on `topic_id`)."""
    recorded = task.status is TaskStatus.SUCCEEDED
    return TrailEntry(
        position=entry.position,
        event=entry.event,
        created_at=entry.created_at,
        topic_id=topic_id if recorded else None,
        transaction_id=task.transaction_id if recorded else None,
        sequence_number=task.sequence_number if recorded else None,
        consensus_timestamp=task.consensus_timestamp if recorded else None,
    )


def view_of(
    certificate: Certificate,
    owner_name: str,
    *,
    is_owner: bool = False,
    treasury_account: str | None = None,
    trail: Sequence[TrailEntry] = (),
) -> CertificateView:
    """The view; the owner's name shows only to the owner or when they chose to show it."""
    shown = owner_name if is_owner or certificate.shows_owner_name else _(PRIVATE_OWNER)
    return CertificateView(
        certificate,
        shown,
        hashscan_nft_url(certificate.network, certificate.token_id, certificate.serial),
        hashscan_transaction_url(certificate.network, certificate.transaction_id),
        is_owner=is_owner,
        treasury_account=treasury_account,
        trail=trail,
    )


class ShowOwnerName:
    """The owner chooses whether their display name shows on the certificate (else "a private
    collection"). Another user's certificate is a 404, as if it did not exist."""

    def __init__(self, uow: UnitOfWork, get: GetCertificate) -> None:
        self._uow = uow
        self._get = get

    async def __call__(self, owner_id: UUID, certificate_id: UUID, *, shown: bool) -> CertificateView:
        async with self._uow as uow:
            certificate = await owned_certificate(uow, owner_id, certificate_id)
            if certificate.shows_owner_name != shown:
                certificate.show_owner_name(shown)
                await uow.commit()
        return await self._get(certificate_id, viewer=owner_id)


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
    """The certificates the caller owns, newest first (without their trails: each has its own)."""

    def __init__(self, uow: UnitOfWork, ledger: CertificateLedger) -> None:
        self._uow = uow
        self._ledger = ledger

    async def __call__(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[CertificateView]:
        async with self._uow as uow:
            found = await uow.certificates.list_for_owner(owner_id, limit=limit, before=before)
            owner = await uow.users.get(owner_id)
        name = str(owner.display_name) if owner else ""
        treasury = self._ledger.treasury_account
        return [view_of(c, name, is_owner=True, treasury_account=treasury) for c in found]


@dataclass(frozen=True, slots=True)
class Verification:
    valid: bool
    checked_at: datetime
    network: str
    details: str
    onchain_metadata: str | None


class VerifyCertificate:
    """Re-check a certificate against the ledger: the NFT exists with the certificate's metadata,
    and who holds it.

    Rules: the ledger's own record decides (the mirror node on Hedera); a burned NFT is
    reported plainly as a revoked certificate, with the burn's date; a revoked certificate
    whose NFT is not burned (yet, or it is in a wallet) is not valid either; custody is said
    as it is: held by artmarket for the owner, or in the owner's account; a certificate from
    another network than the one this server uses is reported as not checkable; on the
    simulated ledger the answer says plainly that nothing is on a public network.
    """

    def __init__(
        self, uow: UnitOfWork, ledger: Ledger, certificates: CertificateLedger, clock: Clock
    ) -> None:
        self._uow = uow
        self._ledger = ledger
        self._certificates = certificates
        self._clock = clock

    async def __call__(self, certificate_id: UUID) -> Verification:
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
            tasks = await uow.ledger_tasks.for_certificate(certificate_id) if certificate else ()
        if certificate is None:
            raise NotFound("No such certificate.")
        network = self._ledger.network
        if certificate.network != network:
            return Verification(
                False,
                self._clock.now(),
                certificate.network,
                _(
                    "This certificate was minted on %(minted_on)s; "
                    "this server uses %(network)s and cannot check it."
                )
                % {"minted_on": certificate.network, "network": network},
                None,
            )
        nft = await self._ledger.nft(certificate.token_id, certificate.serial)
        expected = onchain_metadata(certificate.metadata_uri)
        where = {"token": certificate.token_id, "serial": certificate.serial}
        found: str | None = None
        if nft is None:
            valid, details = False, _("The ledger has no NFT %(token)s serial %(serial)s.") % where
        else:
            found = nft.metadata.decode(errors="replace")
            valid = False
            if nft.metadata != expected:
                details = _(
                    "The ledger's NFT %(token)s serial %(serial)s carries metadata %(found)s, "
                    "not %(expected)s."
                ) % {**where, "found": repr(found), "expected": repr(certificate.metadata_uri)}
            elif nft.owner_account is None:
                details = _burned(certificate, tasks, where)
            elif not certificate.is_valid:
                details = _(
                    "%(revocation)s The ledger still has NFT %(token)s serial %(serial)s, %(holder)s."
                ) % {
                    **where,
                    "revocation": _revocation(certificate),
                    "holder": self._custody(nft.owner_account),
                }
            else:
                valid = True
                details = _(
                    "The ledger has NFT %(token)s serial %(serial)s with metadata %(found)s. %(holder)s."
                ) % {**where, "found": found, "holder": self._custody(nft.owner_account)}
        if network == "simulated":
            details = _(
                "Simulated ledger: this certificate exists only in this server's local simulation, "
                "not on any public network. %(details)s"
            ) % {"details": details}
        return Verification(valid, self._clock.now(), network, details, found)

    def _custody(self, holder: str) -> str:
        if holder == self._certificates.treasury_account:
            return _("Held by artmarket on behalf of the owner (in the platform's account %(account)s)") % {
                "account": holder
            }
        return _("In Hedera account %(account)s (checked on the ledger)") % {"account": holder}


def _revocation(certificate: Certificate) -> str:
    reason = certificate.revocation_reason
    if certificate.revoked_at is None:
        if reason is None:
            return _("The certificate was revoked.")
        return _("The certificate was revoked (%(reason)s).") % {"reason": reason_words(reason)}
    day = day_words(certificate.revoked_at)
    if reason is None:
        return _("The certificate was revoked on %(day)s.") % {"day": day}
    return _("The certificate was revoked on %(day)s (%(reason)s).") % {
        "day": day,
        "reason": reason_words(reason),
    }


def _burned(certificate: Certificate, tasks: Sequence[LedgerTask], where: dict[str, object]) -> str:
    """The burn, dated by its consensus time (else the revocation's) when there is one."""
    burn = next((t for t in tasks if t.kind is LedgerTaskKind.BURN and t.consensus_timestamp), None)
    burned_at = certificate.revoked_at
    if burn is not None and burn.consensus_timestamp is not None:
        burned_at = datetime.fromtimestamp(int(burn.consensus_timestamp.split(".", 1)[0]), UTC)
    if burned_at is None:
        return (
            _("The NFT %(token)s serial %(serial)s was burned on the ledger: the certificate is revoked.")
            % where
        )
    return _(
        "The NFT %(token)s serial %(serial)s was burned on the ledger on %(day)s: the certificate is revoked."
    ) % {**where, "day": day_words(burned_at)}
