"""Artists: public profiles and the KYC review that lets them sell."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from artmarket.domain.countries import parse_country
from artmarket.domain.errors import Conflict, InvalidValue
from artmarket.domain.identity import DisplayName
from artmarket.domain.text import check_text

BIO_MAX_LENGTH = 4000
LEGAL_NAME_MAX_LENGTH = 200
REASON_MAX_LENGTH = 1000


class InvalidWebsite(InvalidValue):
    default_message = "A website is an https:// or http:// address."
    field = "website"


class InvalidBio(InvalidValue):
    default_message = f"A bio has at most {BIO_MAX_LENGTH} characters."
    field = "bio"


class InvalidLegalName(InvalidValue):
    default_message = f"A legal name has 1 to {LEGAL_NAME_MAX_LENGTH} characters."
    field = "legal_name"


class ReasonRequired(InvalidValue):
    default_message = f"Give a reason of 1 to {REASON_MAX_LENGTH} characters."
    field = "reason"


class KycNotPending(Conflict):
    default_message = "Only a pending KYC case can be decided."


class KycAlreadyInProgress(Conflict):
    default_message = "A KYC case is already pending or approved; resubmit only after a rejection."


def reason_text(value: str | None) -> str:
    text = (value or "").strip()
    if not 1 <= len(text) <= REASON_MAX_LENGTH:
        raise ReasonRequired()
    return text


@dataclass(eq=False)
class ArtistProfile:
    """What buyers see of an artist; `slug` names their page and never changes once given;
    `photo_key` is their photo's stored file (None: no photo)."""

    user_id: UUID
    display_name: str
    bio: str
    country: str
    website: str | None
    updated_at: datetime
    slug: str
    photo_key: str | None = None

    @classmethod
    def create(
        cls,
        *,
        user_id: UUID,
        display_name: str,
        bio: str,
        country: str,
        website: str | None,
        now: datetime,
        slug: str,
    ) -> ArtistProfile:
        """A new profile; `slug` is a free one (`artist_slugs.numbered_slug`), checked by the caller."""
        profile = cls(user_id, display_name, "", "", None, now, slug)
        profile.update(display_name=display_name, bio=bio, country=country, website=website, now=now)
        return profile

    def update(
        self, *, display_name: str, bio: str, country: str, website: str | None, now: datetime
    ) -> None:
        if len(bio) > BIO_MAX_LENGTH:
            raise InvalidBio()
        if website is not None and (
            not website.startswith(("https://", "http://"))
            or len(website) > 300
            or any(c.isspace() for c in website)
        ):
            raise InvalidWebsite()
        self.display_name = DisplayName(display_name).value
        self.bio = bio.strip()
        self.country = parse_country(country)
        self.website = website
        self.updated_at = now

    def change_photo(self, photo_key: str, now: datetime) -> str | None:
        """The new photo replaces the old one; returns the old one's key (its file can go)."""
        previous, self.photo_key, self.updated_at = self.photo_key, photo_key, now
        return previous


class KycStatus(enum.StrEnum):
    NOT_SUBMITTED = "not_submitted"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(eq=False)
class KycCase:
    """One submission of an artist's identity for review.

    pending → approved | rejected; a rejected artist submits a new case. Each decision
    records the reviewer, the time and the reason.
    """

    id: UUID
    artist_id: UUID
    legal_name: str
    country: str
    document_key: str
    document_content_type: str
    submitted_at: datetime
    status: KycStatus = KycStatus.PENDING
    reviewer_id: UUID | None = None
    decided_at: datetime | None = None
    reason: str | None = None

    @classmethod
    def submit(
        cls,
        *,
        id: UUID,
        artist_id: UUID,
        legal_name: str,
        country: str,
        document_key: str,
        document_content_type: str,
        now: datetime,
        previous: KycCase | None,
    ) -> KycCase:
        """A new case; refused while an earlier one is pending or approved."""
        if not may_submit_kyc(previous):
            raise KycAlreadyInProgress()
        name = legal_name.strip() if isinstance(legal_name, str) else ""
        if not 1 <= len(name) <= LEGAL_NAME_MAX_LENGTH:
            raise InvalidLegalName()
        # Read by people who compare it with an identity document: nothing invisible in it.
        check_text(name, field="legal_name")
        return cls(id, artist_id, name, parse_country(country), document_key, document_content_type, now)

    @property
    def can_be_decided(self) -> bool:
        """Still pending: an admin may approve or reject it."""
        return self.status is KycStatus.PENDING

    @property
    def is_approved(self) -> bool:
        """The artist's identity was approved: their works may be published."""
        return self.status is KycStatus.APPROVED

    def approve(self, *, reviewer_id: UUID, now: datetime, reason: str | None = None) -> None:
        """pending → approved."""
        self._decide(KycStatus.APPROVED, reviewer_id, now, (reason or "").strip() or "approved")

    def reject(self, *, reviewer_id: UUID, now: datetime, reason: str) -> None:
        """pending → rejected; the artist is told the reason."""
        self._decide(KycStatus.REJECTED, reviewer_id, now, reason_text(reason))

    def _decide(self, status: KycStatus, reviewer_id: UUID, now: datetime, reason: str) -> None:
        if not self.can_be_decided:
            raise KycNotPending()
        self.status = status
        self.reviewer_id = reviewer_id
        self.decided_at = now
        self.reason = reason


def may_submit_kyc(latest: KycCase | None) -> bool:
    """An artist submits a case when they have none yet or their latest one was rejected."""
    return latest is None or not (latest.can_be_decided or latest.is_approved)
