"""A certificate's facts in words (custody, revocation, its day), in the language being spoken.

The certificate page, its PDF and the ledger check are made per request: each sentence is
translated when it is made, so a French page says it in French while the API keeps English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from artmarket.application.i18n import N_, current_language
from artmarket.application.i18n import gettext as _
from artmarket.application.local_formats import time_text
from artmarket.domain.certificates import Certificate
from artmarket.domain.custody import CustodyKind, RevocationReason


def day_words(moment: datetime) -> str:
    """`12 Jan 2027` (`12 janv. 2027`): the day as the language being spoken writes it."""
    return time_text(moment, current_language(), "date")


def nft_words(certificate: Certificate) -> str:
    return _("token %(token)s serial %(serial)s") % {
        "token": certificate.token_id,
        "serial": certificate.serial,
    }


def custody_words(certificate: Certificate, treasury_account: str | None) -> str:
    """Who holds the NFT, as the ledger would say it (in the language being spoken)."""
    account = {"account": certificate.custody_account}
    if certificate.custody is CustodyKind.PENDING_CLAIM:
        return _("Waiting in Hedera account %(account)s for its owner to accept") % account
    if certificate.custody is CustodyKind.WALLET:
        return _("In Hedera account %(account)s (checked on the ledger)") % account
    nft = nft_words(certificate)
    if treasury_account:
        return _(
            "Held by artmarket on behalf of the owner (%(nft)s in the platform's account %(account)s)"
        ) % {
            "nft": nft,
            "account": treasury_account,
        }
    return _("Held by artmarket on behalf of the owner (%(nft)s in the platform's account)") % {"nft": nft}


#: Why a certificate was revoked, as it says so publicly.
REVOCATION_REASONS: Final[dict[RevocationReason, str]] = {
    RevocationReason.REFUNDED: N_("refunded"),
    RevocationReason.CHARGEBACK: N_("chargeback"),
    RevocationReason.ADMIN: N_("admin"),
}


def reason_words(reason: RevocationReason | None) -> str:
    """The public reason of a revocation ("refunded"), "revoked" when none was recorded."""
    return _(REVOCATION_REASONS[reason]) if reason else _("revoked")


def revocation_words(certificate: Certificate) -> str | None:
    """ "Revoked on 12 Jan 2027 (refunded)", or None for a valid certificate."""
    if certificate.is_valid:
        return None
    reason = reason_words(certificate.revocation_reason)
    if certificate.revoked_at is None:
        return _("Revoked on an unrecorded date (%(reason)s)") % {"reason": reason}
    return _("Revoked on %(day)s (%(reason)s)") % {"day": day_words(certificate.revoked_at), "reason": reason}


@dataclass(frozen=True, slots=True)
class SheetWords:
    """The printed certificate's own words: its title, its facts' labels, the check below the QR code."""

    title: str
    #: "by %(artist)s", filled with the artist's name where it is printed.
    by_artist: str
    revoked: str
    check: str
    check_how: str
    medium: str
    dimensions: str
    year: str
    edition: str
    number: str
    issued: str
    issuer: str
    owner: str
    custody: str
    nft: str


def sheet_words() -> SheetWords:
    """The words of the printed certificate in the language being spoken."""
    return SheetWords(
        title=_("Certificate of Authenticity"),
        by_artist=_("by %(artist)s"),
        revoked=_("REVOKED"),
        check=_("Check this certificate"),
        check_how=_(
            "Scan the code or open the address below. The certificate page checks the NFT and its "
            "provenance trail against the public Hedera ledger, not against artmarket."
        ),
        medium=_("Medium"),
        dimensions=_("Dimensions"),
        year=_("Year"),
        edition=_("Edition"),
        number=_("Certificate number"),
        issued=_("Issued"),
        issuer=_("Issuer"),
        owner=_("Owner"),
        custody=_("Custody"),
        nft=_("NFT"),
    )
