"""In-memory read models over the committed state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from artmarket.adapters.persistence.gallery import PUBLIC_STATUSES, SORT_ORDERS
from artmarket.adapters.persistence.operations import IN_FULFILMENT, age
from artmarket.application.catalog.ports import ArtistSummary, GalleryCard, GalleryFilter, GallerySort
from artmarket.application.cursor import GalleryPosition
from artmarket.application.messaging import OutboxStatus
from artmarket.application.notifications.deliveries import DeliveryStatus
from artmarket.application.observability import OperationsSnapshot
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.identity import (
    Role,
)
from artmarket.domain.ledger_tasks import TaskStatus
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.fakes.persistence.database import (
    InMemoryDatabase,
)


class InMemoryGalleryQueries:
    """`GalleryQueries` over an `InMemoryDatabase`'s committed state, same sorts and keyset rules.

    `q` matches a case-insensitive substring of the title, the description or the artist's name.
    """

    def __init__(self, db: InMemoryDatabase) -> None:
        self._db = db

    async def search(
        self, where: GalleryFilter, sort: GallerySort, after: GalleryPosition | None, limit: int
    ) -> Sequence[GalleryCard]:
        order = SORT_ORDERS[GallerySort(sort)]
        cards = [
            _card(artwork, artwork.published_at, self._country(artwork.artist_id))
            for artwork in self._db.artworks.values()
            if artwork.published_at is not None and _shown(artwork, where)
        ]

        def position(card: GalleryCard) -> tuple[Any, UUID]:
            value = card.price.amount if order.key == "price_amount" else getattr(card, order.key)
            return (value, card.id)

        cards.sort(key=position, reverse=order.descending)
        if after is not None:
            boundary = (order.value_of(after), after.id)
            cards = [
                c for c in cards if (position(c) < boundary if order.descending else position(c) > boundary)
            ]
        return cards[:limit]

    def _country(self, artist_id: UUID) -> str | None:
        profile = self._db.artist_profiles.get(artist_id)
        return profile.country if profile else None

    async def artists(self, *, limit: int, after: UUID | None) -> Sequence[ArtistSummary]:
        found = [
            summary
            for user_id in sorted(self._db.users)
            if (after is None or user_id > after) and (summary := self._summary(user_id)) is not None
        ]
        return found[:limit]

    async def artist(self, artist_id: UUID) -> ArtistSummary | None:
        return self._summary(artist_id)

    async def artist_by_slug(self, slug: str) -> ArtistSummary | None:
        owner = next((p.user_id for p in self._db.artist_profiles.values() if p.slug == slug), None)
        return None if owner is None else self._summary(owner)

    def _summary(self, user_id: UUID) -> ArtistSummary | None:
        user = self._db.users.get(user_id)
        if user is None or Role.ARTIST not in user.roles or not user.is_active:
            return None
        works = [artwork for artwork in self._db.artworks.values() if artwork.artist_id == user_id]
        if not any(artwork.status in PUBLIC_STATUSES for artwork in works):
            return None
        profile = self._db.artist_profiles.get(user_id)
        return ArtistSummary(
            id=user_id,
            display_name=profile.display_name if profile else str(user.display_name),
            bio=profile.bio if profile else "",
            country=profile.country if profile else None,
            website=profile.website if profile else None,
            published_works=sum(1 for artwork in works if artwork.status is ArtworkStatus.PUBLISHED),
            slug=profile.slug if profile else None,
            photo_key=profile.photo_key if profile else None,
            verified=any(
                case.artist_id == user_id and case.is_approved for case in self._db.kyc_cases.values()
            ),
        )


def _shown(artwork: Artwork, where: GalleryFilter) -> bool:
    price = artwork.price
    q = (where.q or "").strip().casefold()
    return (
        artwork.status == where.status
        and not artwork.artist_suspended
        and (where.medium is None or artwork.medium == where.medium)
        and (where.artist_id is None or artwork.artist_id == where.artist_id)
        and (where.currency is None or price.currency.code == where.currency)
        and (where.min_price is None or price.amount >= where.min_price)
        and (where.max_price is None or price.amount <= where.max_price)
        and (
            not q
            or any(q in text.casefold() for text in (artwork.title, artwork.description, artwork.artist_name))
        )
    )


def _card(artwork: Artwork, published_at: datetime, country: str | None) -> GalleryCard:
    thumbnail = artwork.cover
    return GalleryCard(
        id=artwork.id,
        title=artwork.title,
        artist_id=artwork.artist_id,
        artist_name=artwork.artist_name,
        medium=artwork.medium,
        price=artwork.price,
        status=artwork.status,
        year=artwork.year,
        thumbnail_key=thumbnail.thumbnail_key if thumbnail else None,
        thumbnail_width=thumbnail.width if thumbnail else None,
        thumbnail_height=thumbnail.height if thumbnail else None,
        favorites_count=artwork.favorites_count,
        published_at=published_at,
        edition=artwork.edition,
        edition_available=artwork.edition_available,
        edition_sold=artwork.edition_sold,
        available_from=artwork.available_from,
        dimensions=artwork.dimensions,
        physical=artwork.delivery.is_physical,
        ships_from=country,
    )


class InMemoryOperationsQueries:
    """`OperationsQueries` over an `InMemoryDatabase`'s committed state."""

    def __init__(self, db: InMemoryDatabase) -> None:
        self._db = db

    async def snapshot(self, now: datetime, *, stuck_after: timedelta) -> OperationsSnapshot:
        cutoff = now - stuck_after
        all_orders = list(self._db.orders.values())
        pending = [m.created_at for m in self._db.outbox.values() if m.status is OutboxStatus.PENDING]
        return OperationsSnapshot(
            taken_at=now,
            orders_by_status=_counted((o.status for o in all_orders), OrderStatus),
            reservations_live=sum(
                1 for o in all_orders if o.status is OrderStatus.AWAITING_PAYMENT and o.expires_at > now
            ),
            orders_stuck=sum(
                1
                for o in all_orders
                if (o.status in IN_FULFILMENT and (o.paid_at or o.created_at) < cutoff)
                or (o.status is OrderStatus.AWAITING_PAYMENT and o.expires_at < cutoff)
            ),
            outbox_by_status=_counted((m.status for m in self._db.outbox.values()), OutboxStatus),
            outbox_oldest_pending_age_seconds=age(now, min(pending, default=None)),
            mint_jobs_by_status=_counted((j.status for j in self._db.mint_jobs.values()), MintJobStatus),
            ledger_tasks_by_status=_counted((t.status for t in self._db.ledger_tasks.values()), TaskStatus),
            emails_by_status=_counted((d.status for d in self._db.email_deliveries.values()), DeliveryStatus),
        )


def _counted(found: Any, statuses: Any) -> dict[Any, int]:
    counts = Counter(found)
    return {status: counts.get(status, 0) for status in statuses}
