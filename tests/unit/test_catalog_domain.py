"""Artwork life cycle and listing rules."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from artmarket.domain.artists import KycAlreadyInProgress, KycCase, KycNotPending, KycStatus, ReasonRequired
from artmarket.domain.catalog import (
    TRANSITIONS,
    Artwork,
    ArtworkEvent,
    ArtworkLocked,
    ArtworkNotAvailable,
    ArtworkStateConflict,
    ArtworkStatus,
    KycApprovalRequired,
    PublishRequirementsMissing,
)
from artmarket.domain.listing import (
    ArtworkImage,
    Dimensions,
    InvalidDimensions,
    InvalidPrice,
    InvalidTitle,
    InvalidYear,
    Medium,
)
from artmarket.domain.money import Money

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def a_draft(**overrides: object) -> Artwork:
    fields: dict[str, object] = {
        "id": uuid4(),
        "artist_id": uuid4(),
        "artist_name": "Ada",
        "title": "Harmattan Light",
        "description": "Oil on canvas.",
        "medium": Medium.PAINTING,
        "price": Money.of(2_500_000, "NGN"),
        "year": 2024,
        "dimensions": Dimensions(600, 900),
        "now": NOW,
    }
    fields.update(overrides)
    return Artwork.draft(**fields)  # type: ignore[arg-type]


def an_image() -> ArtworkImage:
    return ArtworkImage(uuid4(), "d.jpg", "t.webp", "o.jpg", 1600, 1200, 0, NOW)


def test_a_complete_draft_by_an_approved_artist_publishes() -> None:
    artwork = a_draft()
    artwork.add_image(an_image(), NOW)
    artwork.publish(kyc_approved=True, now=NOW)
    assert artwork.status is ArtworkStatus.PUBLISHED
    assert artwork.published_at == NOW


def test_publishing_before_kyc_approval_is_refused() -> None:
    artwork = a_draft()
    artwork.add_image(an_image(), NOW)
    with pytest.raises(KycApprovalRequired):
        artwork.publish(kyc_approved=False, now=NOW)


def test_publishing_without_an_image_is_refused() -> None:
    with pytest.raises(PublishRequirementsMissing):
        a_draft().publish(kyc_approved=True, now=NOW)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("title", "   ", InvalidTitle),
        ("price", Money.of(0, "NGN"), InvalidPrice),
        ("year", 999, InvalidYear),
        ("year", 2028, InvalidYear),
    ],
)
def test_invalid_listings_are_refused(field: str, value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        a_draft(**{field: value})


@pytest.mark.parametrize("values", [(0, 10), (10, -1), (10, 10, 200_000), (1.5, 10)])
def test_dimensions_are_whole_positive_millimetres(values: tuple[Any, ...]) -> None:
    with pytest.raises(InvalidDimensions):
        Dimensions(*values)


def test_a_reserved_or_sold_work_cannot_be_edited() -> None:
    artwork = a_draft()
    artwork.add_image(an_image(), NOW)
    artwork.publish(kyc_approved=True, now=NOW)
    artwork.reserve(NOW)
    with pytest.raises(ArtworkLocked):
        artwork.edit(now=NOW, title="New title")
    artwork.sell(NOW)
    with pytest.raises(ArtworkLocked):
        artwork.add_image(an_image(), NOW)


def test_only_a_published_work_can_be_reserved() -> None:
    with pytest.raises(ArtworkNotAvailable):
        a_draft().reserve(NOW)


def test_kyc_resubmission_only_after_rejection_and_decisions_need_a_pending_case() -> None:
    reviewer = uuid4()
    first = KycCase.submit(
        id=uuid4(),
        artist_id=uuid4(),
        legal_name="Ada Obi",
        country="ng",
        document_key="k",
        document_content_type="application/pdf",
        now=NOW,
        previous=None,
    )
    assert first.country == "NG"
    with pytest.raises(KycAlreadyInProgress):
        KycCase.submit(
            id=uuid4(),
            artist_id=first.artist_id,
            legal_name="Ada Obi",
            country="NG",
            document_key="k2",
            document_content_type="application/pdf",
            now=NOW,
            previous=first,
        )
    with pytest.raises(ReasonRequired):
        first.reject(reviewer_id=reviewer, now=NOW, reason=" ")
    first.reject(reviewer_id=reviewer, now=NOW, reason="Blurry document")
    assert (first.status, first.reviewer_id, first.decided_at, first.reason) == (
        KycStatus.REJECTED,
        reviewer,
        NOW,
        "Blurry document",
    )
    with pytest.raises(KycNotPending):
        first.approve(reviewer_id=reviewer, now=NOW)
    second = KycCase.submit(
        id=uuid4(),
        artist_id=first.artist_id,
        legal_name="Ada Obi",
        country="NG",
        document_key="k3",
        document_content_type="image/png",
        now=NOW,
        previous=first,
    )
    assert second.status is KycStatus.PENDING


class ArtworkLifeCycle(RuleBasedStateMachine):
    """Any sequence of events either follows the transition table or is refused without change."""

    def __init__(self) -> None:
        super().__init__()
        self.artwork = a_draft()
        self.artwork.add_image(an_image(), NOW)

    @rule(event=st.sampled_from(list(ArtworkEvent)))
    def apply(self, event: ArtworkEvent) -> None:
        before = self.artwork.status
        expected = TRANSITIONS.get((before, event))
        actions: dict[ArtworkEvent, Callable[[], object]] = {
            ArtworkEvent.PUBLISH: lambda: self.artwork.publish(kyc_approved=True, now=NOW),
            ArtworkEvent.WITHDRAW: lambda: self.artwork.withdraw(NOW),
            ArtworkEvent.RESERVE: lambda: self.artwork.reserve(NOW),
            ArtworkEvent.RELEASE: lambda: self.artwork.release(NOW),
            ArtworkEvent.SELL: lambda: self.artwork.sell(NOW),
        }
        action = actions[event]
        if expected is None:
            with pytest.raises((ArtworkStateConflict, ArtworkNotAvailable)):
                action()
            assert self.artwork.status is before
        else:
            action()
            assert self.artwork.status is expected

    @invariant()
    def a_sold_work_stays_sold(self) -> None:
        if getattr(self, "_was_sold", False):
            assert self.artwork.status is ArtworkStatus.SOLD
        self._was_sold = self.artwork.status is ArtworkStatus.SOLD


TestArtworkLifeCycle = ArtworkLifeCycle.TestCase
