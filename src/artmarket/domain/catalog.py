"""The catalog: artworks, their images, and the rules of their life cycle."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from uuid import UUID

from artmarket.domain.catalog_errors import (
    MAX_IMAGES as MAX_IMAGES,
)
from artmarket.domain.catalog_errors import (
    ArtworkLocked as ArtworkLocked,
)
from artmarket.domain.catalog_errors import (
    ArtworkNotAvailable as ArtworkNotAvailable,
)
from artmarket.domain.catalog_errors import (
    ArtworkStateConflict as ArtworkStateConflict,
)
from artmarket.domain.catalog_errors import (
    ArtworkTakenDown as ArtworkTakenDown,
)
from artmarket.domain.catalog_errors import (
    KycApprovalRequired as KycApprovalRequired,
)
from artmarket.domain.catalog_errors import (
    PublishRequirementsMissing as PublishRequirementsMissing,
)
from artmarket.domain.catalog_errors import (
    TooManyImages as TooManyImages,
)
from artmarket.domain.delivery import Delivery
from artmarket.domain.editions import (
    UNIQUE,
    Edition,
    EditionLocked,
    EditionStock,
    NotYetAvailable,
    on_sale_yet,
)
from artmarket.domain.listing import (
    ArtworkImage,
    Dimensions,
    InvalidPrice,
    Medium,
    PublishNeed,
    checked_year,
    description_text,
    title_text,
)
from artmarket.domain.money import Money


class ArtworkStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RESERVED = "reserved"
    SOLD = "sold"
    WITHDRAWN = "withdrawn"


#: What an artist has shown the public: on sale, reserved by a buyer, or sold (`Artwork.is_listed`).
LISTED_STATUSES: Final = frozenset({ArtworkStatus.PUBLISHED, ArtworkStatus.RESERVED, ArtworkStatus.SOLD})


class ArtworkEvent(enum.StrEnum):
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    RESERVE = "reserve"
    RELEASE = "release"
    SELL = "sell"


#: The artwork life cycle. Anything not listed is refused with `ArtworkStateConflict`.
TRANSITIONS: Final[dict[tuple[ArtworkStatus, ArtworkEvent], ArtworkStatus]] = {
    (ArtworkStatus.DRAFT, ArtworkEvent.PUBLISH): ArtworkStatus.PUBLISHED,
    # A withdrawn work can go back on sale: the artist changed their mind.
    (ArtworkStatus.WITHDRAWN, ArtworkEvent.PUBLISH): ArtworkStatus.PUBLISHED,
    (ArtworkStatus.DRAFT, ArtworkEvent.WITHDRAW): ArtworkStatus.WITHDRAWN,
    (ArtworkStatus.PUBLISHED, ArtworkEvent.WITHDRAW): ArtworkStatus.WITHDRAWN,
    (ArtworkStatus.PUBLISHED, ArtworkEvent.RESERVE): ArtworkStatus.RESERVED,
    (ArtworkStatus.RESERVED, ArtworkEvent.RELEASE): ArtworkStatus.PUBLISHED,
    (ArtworkStatus.RESERVED, ArtworkEvent.SELL): ArtworkStatus.SOLD,
}


@dataclass(eq=False)
class Artwork:
    """A unique work offered by one artist.

    draft → published → reserved → sold; draft/published → withdrawn; reserved →
    published when a reservation lapses. Publishing needs approved KYC, a title, a
    positive price and an image; a reserved or sold work cannot be edited.
    """

    id: UUID
    artist_id: UUID
    artist_name: str
    title: str
    description: str
    medium: Medium
    price: Money
    created_at: datetime
    updated_at: datetime
    year: int | None = None
    dimensions: Dimensions | None = None
    status: ArtworkStatus = ArtworkStatus.DRAFT
    published_at: datetime | None = None
    favorites_count: int = 0
    images: list[ArtworkImage] = field(default_factory=list)
    #: The artist is suspended: the work is hidden from everyone but them and admins
    #: (a copy of the artist's status, kept in step in bulk like `artist_name`).
    artist_suspended: bool = False
    #: Why an administrator took the work down; while set, the artist cannot publish it.
    taken_down_reason: str | None = None
    #: Digital (the certificate alone) unless the artist says the work ships.
    delivery: Delivery = field(default_factory=Delivery)
    #: Unique, or a limited edition whose numbers are sold one each.
    edition: Edition = UNIQUE
    #: A drop: listed before, on sale from this time (UTC).
    available_from: datetime | None = None
    #: A limited edition's free and sold numbers, as last counted under its placement turn
    #: (None for a unique work): listings show them without counting orders.
    edition_available: int | None = None
    edition_sold: int | None = None

    @classmethod
    def draft(
        cls,
        *,
        id: UUID,
        artist_id: UUID,
        artist_name: str,
        title: str,
        description: str,
        medium: Medium,
        price: Money,
        year: int | None,
        dimensions: Dimensions | None,
        now: datetime,
        delivery: Delivery | None = None,
        edition: Edition = UNIQUE,
        available_from: datetime | None = None,
    ) -> Artwork:
        if not price.is_positive:
            raise InvalidPrice()
        delivery = delivery or Delivery()
        delivery.check_currency(price)
        return cls(
            edition=edition,
            available_from=available_from,
            edition_available=edition.size if edition.is_limited else None,
            edition_sold=0 if edition.is_limited else None,
            id=id,
            artist_id=artist_id,
            artist_name=artist_name,
            title=title_text(title),
            description=description_text(description),
            medium=medium,
            price=price,
            created_at=now,
            updated_at=now,
            year=checked_year(year, now),
            dimensions=dimensions,
            delivery=delivery,
        )

    @property
    def is_listed(self) -> bool:
        """On sale, reserved by someone, or sold: what the artist has shown the public. Its image
        files are public (a draft's or a withdrawn work's are served only to its artist and admins)."""
        return self.status in LISTED_STATUSES

    @property
    def is_public(self) -> bool:
        """Visible to everyone: listed, by an artist who is not suspended."""
        return not self.artist_suspended and self.is_listed

    @property
    def cover(self) -> ArtworkImage | None:
        """The image that stands for the work (gallery card, dashboard, order): the first one."""
        return self.images[0] if self.images else None

    @property
    def is_editable(self) -> bool:
        """The listing may change: not while a buyer holds it (reserved) or owns it (sold).

        A limited edition on sale with numbers sold stays editable (the next buyers' price);
        its edition itself is fixed once a number went to a buyer (`edition_can_change`).
        """
        return self.status not in (ArtworkStatus.RESERVED, ArtworkStatus.SOLD)

    @property
    def accepts_images(self) -> bool:
        """Another image may be added: the work is editable and has fewer than `MAX_IMAGES`."""
        return self.is_editable and len(self.images) < MAX_IMAGES

    @property
    def can_be_published(self) -> bool:
        """Its status lets the artist put it on sale (KYC and a complete listing are checked by `publish`)."""
        return self.taken_down_reason is None and (self.status, ArtworkEvent.PUBLISH) in TRANSITIONS

    def missing_for_publishing(self, *, kyc_approved: bool) -> tuple[PublishNeed, ...]:
        """What `publish` still needs, in the publish checklist's order (empty: nothing)."""
        needs = {
            PublishNeed.IDENTITY_REVIEW: not kyc_approved,
            PublishNeed.TITLE: not self.title,
            PublishNeed.PRICE: not self.price.is_positive,
            PublishNeed.IMAGE: not self.images,
        }
        return tuple(need for need, missing in needs.items() if missing)

    @property
    def can_be_withdrawn(self) -> bool:
        """The artist may withdraw it: a draft (shelved) or a published work (taken off sale)."""
        return (self.status, ArtworkEvent.WITHDRAW) in TRANSITIONS

    @property
    def is_on_sale(self) -> bool:
        """Published: buyers may reserve it now (the studio offers "Withdraw from sale"; a
        draft's withdrawal is "Archive this draft")."""
        return self.status is ArtworkStatus.PUBLISHED

    @property
    def can_be_taken_down(self) -> bool:
        """An administrator may take it down: a reserved or sold work's order stands."""
        return self.is_editable

    @property
    def is_sold_out(self) -> bool:
        """Every number (or the one work) is sold or retired: "Sold out"."""
        return self.status is ArtworkStatus.SOLD

    def on_sale_yet(self, now: datetime) -> bool:
        """A drop is listed before it opens; it can be bought from `available_from`."""
        return on_sale_yet(self.available_from, now)

    def ensure_on_sale_yet(self, now: datetime) -> None:
        if not self.on_sale_yet(now):
            assert self.available_from is not None
            raise NotYetAvailable(
                "This work is on sale from {start:%d %b %Y %H:%M} UTC.", start=self.available_from
            )

    def is_by(self, user_id: UUID | None) -> bool:
        """The work is this user's own (an artist cannot buy it)."""
        return self.artist_id == user_id

    def _apply(self, event: ArtworkEvent, now: datetime) -> None:
        target = TRANSITIONS.get((self.status, event))
        if target is None:
            raise ArtworkStateConflict(
                "A {status} artwork cannot {event}.", status=self.status.value, event=event.value
            )
        self.status = target
        self.updated_at = now

    def _ensure_editable(self) -> None:
        if not self.is_editable:
            raise ArtworkLocked()

    def edit(
        self,
        *,
        now: datetime,
        title: str | None = None,
        description: str | None = None,
        medium: Medium | None = None,
        price: Money | None = None,
        year: int | None = None,
        dimensions: Dimensions | None = None,
        delivery: Delivery | None = None,
    ) -> None:
        """Change the listing while it is a draft, published or withdrawn.

        Shipping is priced in the artwork's currency: a new price in another currency
        needs new shipping rates in the same request.
        """
        self._ensure_editable()
        if price is not None and not price.is_positive:
            raise InvalidPrice()
        (delivery or self.delivery).check_currency(price or self.price)
        self.title = title_text(title) if title is not None else self.title
        self.description = description_text(description) if description is not None else self.description
        self.medium = medium or self.medium
        self.price = price or self.price
        self.year = checked_year(year, now) if year is not None else self.year
        self.dimensions = dimensions or self.dimensions
        self.delivery = delivery or self.delivery
        self.updated_at = now

    @property
    def edition_can_change(self) -> bool:
        """The artist may change the edition while no number has been reserved, sold or retired."""
        return not self.edition.is_limited or self.edition_available == self.edition.size

    def change_edition(self, edition: Edition, now: datetime) -> None:
        """Unique ↔ limited, or another size, before any number has gone to a buyer."""
        self._ensure_editable()
        if edition == self.edition:
            return
        if not self.edition_can_change:
            raise EditionLocked()
        self.edition = edition
        self.edition_available = edition.size if edition.is_limited else None
        self.edition_sold = 0 if edition.is_limited else None
        self.updated_at = now

    def schedule_drop(self, available_from: datetime | None, now: datetime) -> None:
        """Open sales at `available_from` (None: on sale as soon as it is published)."""
        self._ensure_editable()
        self.available_from = available_from
        self.updated_at = now

    def add_image(self, image: ArtworkImage, now: datetime) -> None:
        self._ensure_editable()
        if not self.accepts_images:
            raise TooManyImages()
        self.images.append(image)
        self.updated_at = now

    def publish(self, *, kyc_approved: bool, now: datetime) -> None:
        """draft/withdrawn → published, once KYC is approved and the listing is complete."""
        if self.taken_down_reason is not None:
            raise ArtworkTakenDown()
        if not kyc_approved:
            raise KycApprovalRequired()
        if self.missing_for_publishing(kyc_approved=True):
            raise PublishRequirementsMissing()
        self._apply(ArtworkEvent.PUBLISH, now)
        self.published_at = now

    def withdraw(self, now: datetime) -> None:
        """draft/published → withdrawn: off sale, hidden from the gallery."""
        self._apply(ArtworkEvent.WITHDRAW, now)

    def take_down(self, reason: str, now: datetime) -> None:
        """An administrator unpublishes a draft or published work (→ withdrawn) for `reason`.

        A reserved or sold work is refused: its buyer's checkout or purchase stands (refund
        the order instead). The artist cannot publish the work again.
        """
        if not self.can_be_taken_down:
            raise ArtworkStateConflict(
                "A {status} artwork cannot be taken down; its order stands (refund it instead).",
                status=self.status.value,
            )
        if self.status is not ArtworkStatus.WITHDRAWN:
            self._apply(ArtworkEvent.WITHDRAW, now)
        self.taken_down_reason = reason
        self.updated_at = now

    def reserve(self, now: datetime) -> None:
        """published → reserved for one buyer's checkout."""
        if self.status is not ArtworkStatus.PUBLISHED:
            raise ArtworkNotAvailable()
        self._apply(ArtworkEvent.RESERVE, now)

    def release(self, now: datetime) -> None:
        """reserved → published: the reservation lapsed or was cancelled."""
        self._apply(ArtworkEvent.RELEASE, now)

    def sell(self, now: datetime) -> None:
        """reserved → sold: the buyer's payment was confirmed."""
        self._apply(ArtworkEvent.SELL, now)

    def take_number(self, stock: EditionStock, now: datetime) -> int:
        """A limited edition hands its lowest free number to a buyer's order (see `follow_stock`)."""
        number = stock.lowest_free
        if not self.edition.is_limited or self.status is not ArtworkStatus.PUBLISHED or number is None:
            raise ArtworkNotAvailable()
        self.follow_stock(stock.taking(number), now)
        return number

    def follow_stock(self, stock: EditionStock, now: datetime) -> None:
        """A limited edition's status follows its numbers: published while one is free, reserved
        while the last ones await payment, sold when every number is sold or retired.

        A withdrawn edition keeps its status (orders placed before still pay or lapse).
        """
        self.edition_available, self.edition_sold = stock.available, stock.sold
        self.updated_at = now
        if self.status not in (ArtworkStatus.PUBLISHED, ArtworkStatus.RESERVED):
            return
        if stock.available:
            target = ArtworkStatus.PUBLISHED
        else:
            target = ArtworkStatus.RESERVED if stock.reserved else ArtworkStatus.SOLD
        if self.status is ArtworkStatus.PUBLISHED and target is not ArtworkStatus.PUBLISHED:
            self._apply(ArtworkEvent.RESERVE, now)
        if self.status is ArtworkStatus.RESERVED and target is ArtworkStatus.PUBLISHED:
            self._apply(ArtworkEvent.RELEASE, now)
        elif self.status is ArtworkStatus.RESERVED and target is ArtworkStatus.SOLD:
            self._apply(ArtworkEvent.SELL, now)
