"""The in-memory unit of work: a working fake for fast tests, held to the same contract.

Inside `async with`, repositories work on private copies of the committed state (made on
first read); `commit()` checks the same rules the database enforces and raises the same
errors — unique email, one live order per artwork (`ArtworkNotAvailable`), one winner
per optimistic version (`RefreshTokenRejected` for token families, `ConcurrentUpdate` for
artworks, orders, KYC cases, account tokens, email deliveries and shipments), one shipment
per order, unique outbox keys and email Message-IDs (`ConcurrentUpdate`), existing
references — and then publishes the changes at once. Leaving without a commit discards
the copies.

Counters and denormalised copies that SQL maintains with one relative UPDATE
(`favorites_count`, `artist_name`, `artist_suspended`) are applied as such at commit: they are not changes
of the artwork, so they neither conflict with nor bump its version.

`InMemoryGalleryQueries(db)` reads the same committed state as the gallery does.
"""

from __future__ import annotations

import builtins
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from artmarket.adapters.observability.tracing import current_trace_context
from artmarket.adapters.persistence.admin_queries import monthly
from artmarket.adapters.persistence.gallery import PUBLIC_STATUSES, SORT_ORDERS
from artmarket.application.admin.ports import OrderFilter, OrderRow
from artmarket.application.audit import AuditFilter
from artmarket.application.catalog.ports import (
    ArtistSummary,
    GalleryCard,
    GalleryFilter,
    GalleryPosition,
    GallerySort,
)
from artmarket.application.checkout.ports import PaymentEventRecord, PayoutAccount
from artmarket.application.dashboards.ports import REVENUE_STATUSES, MonthlyRevenue, Sale, TopWork
from artmarket.application.errors import ConcurrentUpdate, StorageUnavailable
from artmarket.application.messaging import OutboxMessage, OutboxStatus
from artmarket.application.notifications.deliveries import DeliveryStatus, EmailDelivery
from artmarket.application.shipping.ports import SavedAddress
from artmarket.domain.artists import ArtistProfile, KycCase, KycStatus
from artmarket.domain.audit import AuditEntry
from artmarket.domain.catalog import Artwork, ArtworkNotAvailable, ArtworkStatus
from artmarket.domain.certificates import Certificate, MintBatch, MintJob, MintJobStatus
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import (
    AccountToken,
    AccountTokenPurpose,
    Email,
    EmailAlreadyRegistered,
    RefreshTokenRejected,
    Role,
    TokenFamily,
    User,
    UserStatus,
)
from artmarket.domain.orders import Order, OrderStatus
from artmarket.domain.shipments import Shipment, ShipmentStatus

K = TypeVar("K", bound=Hashable)
E = TypeVar("E")

#: Artwork fields kept up to date by bulk statements, not by changing the artwork.
_MAINTAINED_IN_BULK = ("favorites_count", "artist_name", "artist_suspended")


def _copy(entity: E) -> E:
    """A private copy: the same field values, with lists and dicts copied (their items are immutable)."""
    changes = {}
    for f in fields(entity):  # type: ignore[arg-type]
        value = getattr(entity, f.name)
        if isinstance(value, list | dict):
            changes[f.name] = value.copy()
    return replace(entity, **changes)  # type: ignore[type-var]


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value


def _state(entity: Any) -> tuple[Any, ...]:
    return tuple(_frozen(getattr(entity, f.name)) for f in fields(entity))


def _artwork_state(artwork: Artwork) -> tuple[Any, ...]:
    return tuple(
        _frozen(getattr(artwork, f.name)) for f in fields(artwork) if f.name not in _MAINTAINED_IN_BULK
    )


@dataclass
class InMemoryDatabase:
    """The committed state, shared by every `InMemoryUnitOfWork` and `InMemoryGalleryQueries` on it.

    A commit replaces these dictionaries rather than changing them, so a transaction that
    is open keeps reading the state as it was when it began.
    """

    users: dict[UUID, User] = field(default_factory=dict)
    token_families: dict[UUID, TokenFamily] = field(default_factory=dict)
    #: Every refresh-token hash ever issued, and the family that issued it.
    refresh_tokens: dict[str, UUID] = field(default_factory=dict)
    artist_profiles: dict[UUID, ArtistProfile] = field(default_factory=dict)
    kyc_cases: dict[UUID, KycCase] = field(default_factory=dict)
    artworks: dict[UUID, Artwork] = field(default_factory=dict)
    #: (user id, artwork id) → when it was favourited.
    favorites: dict[tuple[UUID, UUID], datetime] = field(default_factory=dict)
    orders: dict[UUID, Order] = field(default_factory=dict)
    #: (buyer id, Idempotency-Key) → (order id, request fingerprint).
    idempotency_keys: dict[tuple[UUID, str], tuple[UUID, str]] = field(default_factory=dict)
    payment_events: dict[str, PaymentEventRecord] = field(default_factory=dict)
    payout_accounts: dict[UUID, PayoutAccount] = field(default_factory=dict)
    outbox: dict[UUID, OutboxMessage] = field(default_factory=dict)
    account_tokens: dict[UUID, AccountToken] = field(default_factory=dict)
    email_deliveries: dict[UUID, EmailDelivery] = field(default_factory=dict)
    #: The audit log, oldest first; entries are only ever appended.
    audit_log: tuple[AuditEntry, ...] = ()
    #: The optimistic-lock versions, bumped by every committed change.
    family_versions: dict[UUID, int] = field(default_factory=dict)
    kyc_versions: dict[UUID, int] = field(default_factory=dict)
    artwork_versions: dict[UUID, int] = field(default_factory=dict)
    order_versions: dict[UUID, int] = field(default_factory=dict)
    account_token_versions: dict[UUID, int] = field(default_factory=dict)
    delivery_versions: dict[UUID, int] = field(default_factory=dict)
    mint_jobs: dict[UUID, MintJob] = field(default_factory=dict)
    mint_job_versions: dict[UUID, int] = field(default_factory=dict)
    mint_batches: dict[str, MintBatch] = field(default_factory=dict)
    certificates: dict[UUID, Certificate] = field(default_factory=dict)
    #: name → (holder, expires at)
    leases: dict[str, tuple[str | None, datetime | None]] = field(default_factory=dict)
    shipments: dict[UUID, Shipment] = field(default_factory=dict)
    shipment_versions: dict[UUID, int] = field(default_factory=dict)
    saved_addresses: dict[UUID, SavedAddress] = field(default_factory=dict)
    #: How many commits succeeded.
    commits: int = 0


class _Table(Generic[K, E]):
    """One transaction's view of one kind of entity: a private copy of each, made on first read."""

    def __init__(
        self,
        committed: dict[K, E],
        versions: dict[K, int] | None = None,
        state: Callable[[Any], tuple[Any, ...]] = _state,
    ) -> None:
        self.committed, self.versions, self.state = committed, versions, state
        self.rows: dict[K, E] = {}
        self.base: dict[K, tuple[Any, ...]] = {}
        self.base_versions: dict[K, int] = {}
        self.added: set[K] = set()

    def get(self, key: K) -> E | None:
        if key in self.rows:
            return self.rows[key]
        entity = self.committed.get(key)
        return None if entity is None else self._copied(key, entity)

    def _copied(self, key: K, entity: E) -> E:
        copy = self.rows[key] = _copy(entity)
        self.base[key] = self.state(copy)
        if self.versions is not None:
            self.base_versions[key] = self.versions[key]
        return copy

    def add(self, key: K, entity: E) -> None:
        self.rows[key] = entity
        self.added.add(key)

    def select(self, matches: Callable[[E], bool]) -> builtins.list[E]:
        """Every entity that matches, copying only those (a read-only look at the others)."""
        found: builtins.list[E] = []
        for key in {**self.committed, **self.rows}:
            entity = self.rows.get(key, self.committed.get(key))
            if entity is not None and matches(entity):
                found.append(self.rows[key] if key in self.rows else self._copied(key, entity))
        return found

    def merged(
        self,
        current: dict[K, E],
        current_versions: dict[K, int] | None,
        stale: type[DomainError],
        keep: Sequence[str] = (),
    ) -> tuple[dict[K, E], dict[K, int]]:
        """The state committed by now (`current`) with this transaction's changes applied.

        `stale` is raised when a changed entity's version moved since it was read; the
        fields in `keep` are taken from the committed entity (they are maintained in bulk).
        """
        merged, versions = dict(current), dict(current_versions or {})
        for key, entity in self.rows.items():
            stored = _copy(entity)
            if key in self.added:
                if key in current:
                    raise StorageUnavailable()  # duplicate primary key: a bug, as in SQL
                versions[key] = 1
            elif self.state(entity) == self.base[key]:
                continue
            else:
                if current_versions is not None:
                    if current_versions.get(key) != self.base_versions.get(key):
                        raise stale()  # another transaction changed it first
                    versions[key] += 1
                for name in keep:
                    setattr(stored, name, getattr(current[key], name))
            merged[key] = stored
        return merged, versions

    def rebase(self, committed: dict[K, E], versions: dict[K, int] | None) -> None:
        """After a commit: the same objects stay in use, now matching the committed state."""
        self.committed, self.versions = committed, versions
        self.base = {key: self.state(entity) for key, entity in self.rows.items()}
        self.base_versions = {key: versions[key] for key in self.rows} if versions is not None else {}
        self.added.clear()


class _Workspace:
    """One transaction's private copies and what it added."""

    def __init__(self, db: InMemoryDatabase) -> None:
        self.users: _Table[UUID, User] = _Table(db.users)
        self.token_families: _Table[UUID, TokenFamily] = _Table(db.token_families, db.family_versions)
        self.refresh_tokens = dict(db.refresh_tokens)
        self.added_tokens: dict[str, UUID] = {}
        self.artist_profiles: _Table[UUID, ArtistProfile] = _Table(db.artist_profiles)
        self.kyc_cases: _Table[UUID, KycCase] = _Table(db.kyc_cases, db.kyc_versions)
        self.artworks: _Table[UUID, Artwork] = _Table(db.artworks, db.artwork_versions, _artwork_state)
        self.renamed_artists: dict[UUID, str] = {}
        self.suspended_artists: dict[UUID, bool] = {}
        self.base_favorites = db.favorites
        self.favorites = dict(db.favorites)
        self.orders: _Table[UUID, Order] = _Table(db.orders, db.order_versions)
        self.idempotency_keys = dict(db.idempotency_keys)
        self.added_idempotency_keys: dict[tuple[UUID, str], tuple[UUID, str]] = {}
        self.payment_events = db.payment_events
        self.added_payment_events: dict[str, PaymentEventRecord] = {}
        self.payout_accounts = db.payout_accounts
        self.saved_payout_accounts: dict[UUID, PayoutAccount] = {}
        self.outbox: _Table[UUID, OutboxMessage] = _Table(db.outbox)
        self.account_tokens: _Table[UUID, AccountToken] = _Table(db.account_tokens, db.account_token_versions)
        self.email_deliveries: _Table[UUID, EmailDelivery] = _Table(db.email_deliveries, db.delivery_versions)
        self.audit_log = db.audit_log
        self.added_audit: list[AuditEntry] = []
        self._minting(db)
        self._delivery(db)

    def _delivery(self, db: InMemoryDatabase) -> None:
        self.shipments: _Table[UUID, Shipment] = _Table(db.shipments, db.shipment_versions)
        self.saved_addresses = dict(db.saved_addresses)
        self.added_addresses: dict[UUID, SavedAddress] = {}
        self.removed_addresses: set[UUID] = set()

    def _minting(self, db: InMemoryDatabase) -> None:
        self.mint_jobs: _Table[UUID, MintJob] = _Table(db.mint_jobs, db.mint_job_versions)
        self.mint_batches = db.mint_batches
        self.added_mint_batches: dict[str, MintBatch] = {}
        self.certificates: _Table[UUID, Certificate] = _Table(db.certificates)
        self.base_leases = db.leases
        self.leases: dict[str, tuple[str | None, datetime | None]] = {}

    def rebase(self, db: InMemoryDatabase) -> None:
        self.users.rebase(db.users, None)
        self.token_families.rebase(db.token_families, db.family_versions)
        self.refresh_tokens, self.added_tokens = dict(db.refresh_tokens), {}
        self.artist_profiles.rebase(db.artist_profiles, None)
        self.kyc_cases.rebase(db.kyc_cases, db.kyc_versions)
        self.artworks.rebase(db.artworks, db.artwork_versions)
        self.renamed_artists = {}
        self.suspended_artists = {}
        self.base_favorites, self.favorites = db.favorites, dict(db.favorites)
        self.orders.rebase(db.orders, db.order_versions)
        self.idempotency_keys, self.added_idempotency_keys = dict(db.idempotency_keys), {}
        self.payment_events, self.added_payment_events = db.payment_events, {}
        self.payout_accounts, self.saved_payout_accounts = db.payout_accounts, {}
        self.outbox.rebase(db.outbox, None)
        self.account_tokens.rebase(db.account_tokens, db.account_token_versions)
        self.email_deliveries.rebase(db.email_deliveries, db.delivery_versions)
        self.mint_jobs.rebase(db.mint_jobs, db.mint_job_versions)
        self.mint_batches, self.added_mint_batches = db.mint_batches, {}
        self.certificates.rebase(db.certificates, None)
        self.base_leases, self.leases = db.leases, {}
        self.audit_log, self.added_audit = db.audit_log, []
        self.shipments.rebase(db.shipments, db.shipment_versions)
        self.saved_addresses, self.added_addresses, self.removed_addresses = (
            dict(db.saved_addresses),
            {},
            set(),
        )


def _newest_first(found: Iterable[Any], *keys: str) -> list[Any]:
    return sorted(found, key=lambda item: tuple(getattr(item, key) for key in keys), reverse=True)


class InMemoryUserRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, user: User) -> None:
        self._work.users.add(user.id, user)

    async def get(self, user_id: UUID) -> User | None:
        return self._work.users.get(user_id)

    async def get_by_email(self, email: Email) -> User | None:
        return next(iter(self._work.users.select(lambda user: user.email == email)), None)

    async def list(
        self,
        *,
        role: Role | None = None,
        status: UserStatus | None = None,
        q: str | None = None,
        before: tuple[datetime, UUID] | None = None,
        limit: int = 100,
    ) -> Sequence[User]:
        text = (q or "").strip().casefold()
        found = self._work.users.select(
            lambda user: (
                (role is None or role in user.roles)
                and (status is None or user.status == status)
                and (
                    not text
                    or text in str(user.email).casefold()
                    or text in str(user.display_name).casefold()
                )
                and (before is None or (user.created_at, user.id) < before)
            )
        )
        return _newest_first(found, "created_at", "id")[:limit]


class InMemoryTokenFamilyRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, family: TokenFamily) -> None:
        self._work.token_families.add(family.id, family)
        self.remember_current_token(family)

    def remember_current_token(self, family: TokenFamily) -> None:
        self._work.refresh_tokens[family.current_token_hash] = family.id
        self._work.added_tokens[family.current_token_hash] = family.id

    async def get(self, family_id: UUID) -> TokenFamily | None:
        return self._work.token_families.get(family_id)

    async def find_by_token(self, token_hash: str) -> TokenFamily | None:
        family_id = self._work.refresh_tokens.get(token_hash)
        return None if family_id is None else self._work.token_families.get(family_id)

    async def list_live_for_user(self, user_id: UUID) -> Sequence[TokenFamily]:
        live = self._work.token_families.select(lambda f: f.user_id == user_id and not f.is_revoked)
        return sorted(live, key=lambda family: (family.created_at, family.id))


class InMemoryArtistProfileRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, profile: ArtistProfile) -> None:
        self._work.artist_profiles.add(profile.user_id, profile)

    async def get(self, user_id: UUID) -> ArtistProfile | None:
        return self._work.artist_profiles.get(user_id)


class InMemoryKycCaseRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, case: KycCase) -> None:
        self._work.kyc_cases.add(case.id, case)

    async def get(self, case_id: UUID) -> KycCase | None:
        return self._work.kyc_cases.get(case_id)

    async def latest_for_artist(self, artist_id: UUID) -> KycCase | None:
        return next(iter(await self.list_for_artist(artist_id)), None)

    async def list_for_artist(self, artist_id: UUID) -> Sequence[KycCase]:
        found = self._work.kyc_cases.select(lambda case: case.artist_id == artist_id)
        return _newest_first(found, "submitted_at", "id")

    async def list(self, *, status: KycStatus | None, limit: int) -> Sequence[KycCase]:
        found = self._work.kyc_cases.select(lambda case: status is None or case.status == status)
        return sorted(found, key=lambda case: (case.submitted_at, case.id))[:limit]


class InMemoryArtworkRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, artwork: Artwork) -> None:
        self._work.artworks.add(artwork.id, artwork)

    async def get(self, artwork_id: UUID) -> Artwork | None:
        return self._work.artworks.get(artwork_id)

    async def list_for_artist(
        self, artist_id: UUID, *, status: ArtworkStatus | None = None
    ) -> Sequence[Artwork]:
        found = self._work.artworks.select(
            lambda artwork: artwork.artist_id == artist_id and (status is None or artwork.status == status)
        )
        return _newest_first(found, "created_at", "id")

    async def rename_artist(self, artist_id: UUID, artist_name: str) -> None:
        for artwork in self._work.artworks.select(lambda artwork: artwork.artist_id == artist_id):
            artwork.artist_name = artist_name
        self._work.renamed_artists[artist_id] = artist_name

    async def mark_artist_suspended(self, artist_id: UUID, suspended: bool) -> None:
        for artwork in self._work.artworks.select(lambda artwork: artwork.artist_id == artist_id):
            artwork.artist_suspended = suspended
        self._work.suspended_artists[artist_id] = suspended


class InMemoryFavoriteRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    async def add(self, user_id: UUID, artwork_id: UUID, now: datetime) -> bool:
        artwork = self._referenced_artwork(user_id, artwork_id)
        if (user_id, artwork_id) in self._work.favorites:
            return False
        self._work.favorites[(user_id, artwork_id)] = now
        artwork.favorites_count += 1
        return True

    async def remove(self, user_id: UUID, artwork_id: UUID) -> bool:
        if self._work.favorites.pop((user_id, artwork_id), None) is None:
            return False
        artwork = self._work.artworks.get(artwork_id)
        if artwork is not None:
            artwork.favorites_count -= 1
        return True

    async def artwork_ids_for_user(self, user_id: UUID, *, limit: int) -> Sequence[UUID]:
        mine = [
            (at, artwork_id) for (user, artwork_id), at in self._work.favorites.items() if user == user_id
        ]
        return [artwork_id for _, artwork_id in sorted(mine, reverse=True)[:limit]]

    def _referenced_artwork(self, user_id: UUID, artwork_id: UUID) -> Artwork:
        artwork = self._work.artworks.get(artwork_id)
        if artwork is None or self._work.users.get(user_id) is None:
            raise StorageUnavailable()  # foreign key, as in SQL
        return artwork


class InMemoryOrderRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, order: Order) -> None:
        self._work.orders.add(order.id, order)

    async def get(self, order_id: UUID) -> Order | None:
        return self._work.orders.get(order_id)

    async def get_by_reference(self, reference: str) -> Order | None:
        return next(iter(self._work.orders.select(lambda order: order.reference == reference)), None)

    async def get_by_idempotency_key(self, buyer_id: UUID, key: str) -> tuple[Order, str] | None:
        found = self._work.idempotency_keys.get((buyer_id, key))
        if found is None:
            return None
        order = self._work.orders.get(found[0])
        return None if order is None else (order, found[1])

    def remember_idempotency_key(self, order: Order, key: str, fingerprint: str) -> None:
        self._work.idempotency_keys[(order.buyer_id, key)] = (order.id, fingerprint)
        self._work.added_idempotency_keys[(order.buyer_id, key)] = (order.id, fingerprint)

    async def take_placement_turn(self, holders: Sequence[str], now: datetime) -> None:
        """Nothing to wait for: the fast tests place their orders one after another (the
        database repositories are the ones proven under concurrent placements)."""

    async def count_awaiting_payment(self, buyer_id: UUID) -> int:
        return len(self._awaiting(lambda order: order.buyer_id == buyer_id))

    async def count_awaiting_payment_from(self, client_tag: str) -> int:
        return len(self._awaiting(lambda order: order.client_tag == client_tag))

    async def list_for_buyer(
        self, buyer_id: UUID, *, status: OrderStatus | None, limit: int, before: tuple[datetime, UUID] | None
    ) -> Sequence[Order]:
        found = self._work.orders.select(
            lambda order: (
                order.buyer_id == buyer_id
                and (status is None or order.status == status)
                and (before is None or (order.created_at, order.id) < before)
            )
        )
        return _newest_first(found, "created_at", "id")[:limit]

    async def lapsed(self, now: datetime, *, limit: int) -> Sequence[Order]:
        found = self._awaiting(lambda order: order.expires_at <= now)
        return sorted(found, key=lambda order: (order.expires_at, order.id))[:limit]

    async def awaiting_since(self, before: datetime, *, limit: int) -> Sequence[Order]:
        found = self._awaiting(lambda order: order.created_at < before)
        return sorted(found, key=lambda order: (order.created_at, order.id))[:limit]

    async def paid_before(self, before: datetime, *, limit: int) -> Sequence[Order]:
        found = self._work.orders.select(
            lambda order: (
                order.status is OrderStatus.PAID and order.paid_at is not None and order.paid_at < before
            )
        )
        return sorted(found, key=lambda order: (order.paid_at, order.id))[:limit]

    def _awaiting(self, matches: Callable[[Order], bool]) -> list[Order]:
        return self._work.orders.select(
            lambda order: order.status is OrderStatus.AWAITING_PAYMENT and matches(order)
        )


class InMemoryPaymentEventRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    async def add_if_new(self, record: PaymentEventRecord) -> bool:
        if record.key in self._work.payment_events or record.key in self._work.added_payment_events:
            return False
        self._work.added_payment_events[record.key] = replace(record, payload=dict(record.payload))
        return True

    async def list_for_reference(self, reference: str) -> Sequence[PaymentEventRecord]:
        events = {**self._work.payment_events, **self._work.added_payment_events}.values()
        found = [event for event in events if event.reference == reference]
        return sorted(found, key=lambda event: (event.received_at, event.key))


class InMemoryPayoutAccountRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    async def get(self, artist_id: UUID) -> PayoutAccount | None:
        saved = self._work.saved_payout_accounts.get(artist_id)
        return saved if saved is not None else self._work.payout_accounts.get(artist_id)

    async def save(self, account: PayoutAccount) -> None:
        self._work.saved_payout_accounts[account.artist_id] = account


class InMemoryOutboxRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, message: OutboxMessage) -> None:
        if message.trace_context is None:
            message.trace_context = current_trace_context() or None
        self._work.outbox.add(message.id, message)

    async def pending(self, now: datetime, *, limit: int) -> Sequence[OutboxMessage]:
        found = self._work.outbox.select(
            lambda m: m.status is OutboxStatus.PENDING and (m.available_at is None or m.available_at <= now)
        )
        return sorted(found, key=lambda message: (message.created_at, message.id))[:limit]

    async def has_key(self, key: str) -> bool:
        return bool(self._work.outbox.select(lambda message: message.key == key))

    async def get(self, message_id: UUID) -> OutboxMessage | None:
        return self._work.outbox.get(message_id)

    async def list(self, *, status: OutboxStatus | None, limit: int) -> Sequence[OutboxMessage]:
        found = self._work.outbox.select(lambda message: status is None or message.status == status)
        return _newest_first(found, "created_at", "id")[:limit]


class InMemoryAccountTokenRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, token: AccountToken) -> None:
        self._work.account_tokens.add(token.id, token)

    async def get(self, token_id: UUID) -> AccountToken | None:
        return self._work.account_tokens.get(token_id)

    async def find_by_hash(self, token_hash: str) -> AccountToken | None:
        found = self._work.account_tokens.select(lambda token: token.token_hash == token_hash)
        return next(iter(found), None)

    async def live_for_user(
        self, user_id: UUID, purpose: AccountTokenPurpose, now: datetime
    ) -> Sequence[AccountToken]:
        found = self._work.account_tokens.select(
            lambda token: token.user_id == user_id and token.purpose is purpose and token.is_live(now)
        )
        return sorted(found, key=lambda token: (token.created_at, token.id))


class InMemoryEmailDeliveryRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, delivery: EmailDelivery) -> None:
        self._work.email_deliveries.add(delivery.id, delivery)

    async def get(self, delivery_id: UUID) -> EmailDelivery | None:
        return self._work.email_deliveries.get(delivery_id)

    async def get_by_message_id(self, message_id: str) -> EmailDelivery | None:
        found = self._work.email_deliveries.select(lambda delivery: delivery.message_id == message_id)
        return next(iter(found), None)

    async def due(self, now: datetime, *, limit: int) -> Sequence[EmailDelivery]:
        found = self._work.email_deliveries.select(lambda delivery: delivery.is_due(now))
        return sorted(found, key=lambda delivery: (delivery.created_at, delivery.id))[:limit]

    async def list(self, *, status: DeliveryStatus | None, limit: int) -> Sequence[EmailDelivery]:
        found = self._work.email_deliveries.select(lambda d: status is None or d.status == status)
        return _newest_first(found, "created_at", "id")[:limit]


class InMemoryMintJobRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, job: MintJob) -> None:
        self._work.mint_jobs.add(job.id, job)

    async def get(self, job_id: UUID) -> MintJob | None:
        return self._work.mint_jobs.get(job_id)

    async def get_for_order(self, order_id: UUID) -> MintJob | None:
        return next(iter(self._work.mint_jobs.select(lambda job: job.order_id == order_id)), None)

    async def due(self, status: MintJobStatus, now: datetime | None, *, limit: int) -> Sequence[MintJob]:
        found = self._work.mint_jobs.select(
            lambda job: (
                job.status is status
                and (now is None or job.next_attempt_at is None or job.next_attempt_at <= now)
            )
        )
        return sorted(found, key=lambda job: (job.created_at, job.id))[:limit]

    async def list(
        self, *, status: MintJobStatus | None, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[MintJob]:
        found = self._work.mint_jobs.select(
            lambda job: (
                (status is None or job.status is status)
                and (before is None or (job.created_at, job.id) < before)
            )
        )
        return _newest_first(found, "created_at", "id")[:limit]

    async def count_by_status(self) -> dict[MintJobStatus, int]:
        counts = dict.fromkeys(MintJobStatus, 0)
        for job in self._work.mint_jobs.select(lambda job: True):
            counts[job.status] += 1
        return counts

    def add_batch(self, batch: MintBatch) -> None:
        self._work.added_mint_batches[batch.transaction_id] = replace(batch, job_ids=list(batch.job_ids))

    async def get_batch(self, transaction_id: str) -> MintBatch | None:
        batch = self._work.added_mint_batches.get(transaction_id) or self._work.mint_batches.get(
            transaction_id
        )
        return None if batch is None else replace(batch, job_ids=list(batch.job_ids))


class InMemoryCertificateRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, certificate: Certificate) -> None:
        self._work.certificates.add(certificate.id, certificate)

    async def get(self, certificate_id: UUID) -> Certificate | None:
        return self._work.certificates.get(certificate_id)

    async def list_for_owner(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> Sequence[Certificate]:
        found = self._work.certificates.select(
            lambda c: c.owner_id == owner_id and (before is None or (c.issued_at, c.id) < before)
        )
        return _newest_first(found, "issued_at", "id")[:limit]


class InMemoryLeaseRepository:
    """Read at the call, checked again at commit: the second of two takers gets ConcurrentUpdate."""

    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def _current(self, name: str) -> tuple[str | None, datetime | None]:
        if name in self._work.leases:
            return self._work.leases[name]
        return self._work.base_leases.get(name, (None, None))

    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        current, expires_at = self._current(name)
        if current is None or current == holder or (expires_at is not None and expires_at <= now):
            self._work.leases[name] = (holder, now + ttl)
            return True
        return False

    async def release(self, name: str, holder: str) -> None:
        if self._current(name)[0] == holder:
            self._work.leases[name] = (None, None)


class InMemoryShipmentRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, shipment: Shipment) -> None:
        self._work.shipments.add(shipment.order_id, shipment)

    async def get(self, order_id: UUID) -> Shipment | None:
        return self._work.shipments.get(order_id)

    def _live(self, matches: Callable[[Shipment], bool]) -> list[Shipment]:
        """Shipments that match, refunded orders left out (a read-only look at the orders)."""
        orders = self._work.orders

        def refunded(order_id: UUID) -> bool:
            order = orders.rows.get(order_id) or orders.committed.get(order_id)
            return order is not None and order.status is OrderStatus.REFUNDED

        return self._work.shipments.select(lambda s: matches(s) and not refunded(s.order_id))

    async def list_for_artist(
        self,
        artist_id: UUID,
        *,
        status: ShipmentStatus | None,
        before: tuple[datetime, UUID] | None,
        limit: int,
    ) -> Sequence[Shipment]:
        found = self._live(
            lambda s: (
                s.artist_id == artist_id
                and (status is None or s.status == status)
                and (before is None or (s.awaiting_since, s.order_id) < before)
            )
        )
        return _newest_first(found, "awaiting_since", "order_id")[:limit]

    async def awaiting_before(
        self, before: datetime, *, reminders_below: int, limit: int
    ) -> Sequence[Shipment]:
        found = self._live(
            lambda s: (
                s.status is ShipmentStatus.AWAITING_SHIPMENT
                and s.awaiting_since < before
                and s.reminders_sent < reminders_below
            )
        )
        return sorted(found, key=lambda s: (s.awaiting_since, s.order_id))[:limit]

    async def shipped_before(self, before: datetime, *, limit: int) -> Sequence[Shipment]:
        found = self._live(
            lambda s: (
                s.status is ShipmentStatus.SHIPPED and s.shipped_at is not None and s.shipped_at < before
            )
        )
        return sorted(found, key=lambda s: (s.shipped_at, s.order_id))[:limit]


class InMemorySavedAddressRepository:
    def __init__(self, work: _Workspace) -> None:
        self._work = work

    async def add(self, saved: SavedAddress) -> None:
        self._work.saved_addresses[saved.id] = saved
        self._work.added_addresses[saved.id] = saved

    async def get(self, address_id: UUID) -> SavedAddress | None:
        return self._work.saved_addresses.get(address_id)

    async def list_for_buyer(self, buyer_id: UUID) -> Sequence[SavedAddress]:
        found = [saved for saved in self._work.saved_addresses.values() if saved.buyer_id == buyer_id]
        return _newest_first(found, "created_at", "id")

    async def remove(self, address_id: UUID) -> bool:
        if self._work.saved_addresses.pop(address_id, None) is None:
            return False
        self._work.added_addresses.pop(address_id, None)
        self._work.removed_addresses.add(address_id)
        return True


class InMemoryAuditLog:
    """Append-only, like the table: no update or delete exists."""

    def __init__(self, work: _Workspace) -> None:
        self._work = work

    def add(self, entry: AuditEntry) -> None:
        self._work.added_audit.append(entry)

    async def list(
        self, where: AuditFilter, *, before: tuple[datetime, UUID] | None, limit: int
    ) -> Sequence[AuditEntry]:
        found = [
            entry
            for entry in (*self._work.audit_log, *self._work.added_audit)
            if (where.action is None or entry.action == where.action)
            and (where.actor_id is None or entry.actor_id == where.actor_id)
            and (where.target_type is None or entry.target_type == where.target_type)
            and (where.target_id is None or entry.target_id == where.target_id)
            and (before is None or (entry.at, entry.id) < before)
        ]
        return _newest_first(found, "at", "id")[:limit]


class InMemoryUnitOfWork:
    """Same contract as `SqlAlchemyUnitOfWork`; `committed` tells tests a commit succeeded."""

    users: InMemoryUserRepository
    token_families: InMemoryTokenFamilyRepository
    artist_profiles: InMemoryArtistProfileRepository
    kyc_cases: InMemoryKycCaseRepository
    artworks: InMemoryArtworkRepository
    favorites: InMemoryFavoriteRepository
    orders: InMemoryOrderRepository
    payment_events: InMemoryPaymentEventRepository
    payout_accounts: InMemoryPayoutAccountRepository
    outbox: InMemoryOutboxRepository
    account_tokens: InMemoryAccountTokenRepository
    email_deliveries: InMemoryEmailDeliveryRepository
    mint_jobs: InMemoryMintJobRepository
    certificates: InMemoryCertificateRepository
    leases: InMemoryLeaseRepository
    audit_log: InMemoryAuditLog
    shipments: InMemoryShipmentRepository
    saved_addresses: InMemorySavedAddressRepository

    def __init__(self, db: InMemoryDatabase | None = None) -> None:
        self.db = db if db is not None else InMemoryDatabase()
        #: True once any commit of this unit of work succeeded.
        self.committed = False
        self._work: _Workspace | None = None

    async def __aenter__(self) -> Self:
        if self._work is not None:
            raise RuntimeError("This unit of work is already open; nested `async with` is not supported.")
        self._begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work = None

    async def commit(self) -> None:
        work = self._require_work()
        try:
            _Commit(self.db, work).publish()
        except Exception:
            self._begin()  # like a rollback: the block goes on from the committed state
            raise
        self.db.commits += 1
        self.committed = True
        # Like a session after commit: the same objects stay in use, now matching the database.
        work.rebase(self.db)

    def _begin(self) -> None:
        self._work = work = _Workspace(self.db)
        self.users = InMemoryUserRepository(work)
        self.token_families = InMemoryTokenFamilyRepository(work)
        self.artist_profiles = InMemoryArtistProfileRepository(work)
        self.kyc_cases = InMemoryKycCaseRepository(work)
        self.artworks = InMemoryArtworkRepository(work)
        self.favorites = InMemoryFavoriteRepository(work)
        self.orders = InMemoryOrderRepository(work)
        self.payment_events = InMemoryPaymentEventRepository(work)
        self.payout_accounts = InMemoryPayoutAccountRepository(work)
        self.outbox = InMemoryOutboxRepository(work)
        self.account_tokens = InMemoryAccountTokenRepository(work)
        self.email_deliveries = InMemoryEmailDeliveryRepository(work)
        self.mint_jobs = InMemoryMintJobRepository(work)
        self.certificates = InMemoryCertificateRepository(work)
        self.leases = InMemoryLeaseRepository(work)
        self.audit_log = InMemoryAuditLog(work)
        self.shipments = InMemoryShipmentRepository(work)
        self.saved_addresses = InMemorySavedAddressRepository(work)

    def _require_work(self) -> _Workspace:
        if self._work is None:
            raise RuntimeError("Use the unit of work inside `async with`.")
        return self._work


class _Commit:
    """Checks every rule against the committed state, then applies the changes at once."""

    def __init__(self, db: InMemoryDatabase, work: _Workspace) -> None:
        self.db, self.work = db, work

    def publish(self) -> None:
        db, work = self.db, self.work
        users, _ = work.users.merged(db.users, None, StorageUnavailable)
        emails: dict[Email, UUID] = {}
        for user in users.values():
            if emails.setdefault(user.email, user.id) != user.id:
                raise EmailAlreadyRegistered()

        families, family_versions = work.token_families.merged(
            db.token_families, db.family_versions, RefreshTokenRejected
        )
        self._references(families.values(), users, lambda family: [family.user_id])
        tokens = dict(db.refresh_tokens)
        for token_hash, family_id in work.added_tokens.items():
            if token_hash in db.refresh_tokens or family_id not in families:
                raise StorageUnavailable()  # primary key or foreign key
            tokens[token_hash] = family_id

        profiles, _ = work.artist_profiles.merged(db.artist_profiles, None, StorageUnavailable)
        self._references(profiles.values(), users, lambda profile: [profile.user_id])
        cases, kyc_versions = work.kyc_cases.merged(db.kyc_cases, db.kyc_versions, ConcurrentUpdate)
        self._references(cases.values(), users, lambda case: [case.artist_id, case.reviewer_id])
        artworks, artwork_versions = work.artworks.merged(
            db.artworks, db.artwork_versions, ConcurrentUpdate, keep=_MAINTAINED_IN_BULK
        )
        self._references(artworks.values(), users, lambda artwork: [artwork.artist_id])
        favorites = self._favorites(artworks, users)
        self._renames(artworks)
        self._suspensions(artworks)

        orders, order_versions = work.orders.merged(db.orders, db.order_versions, ConcurrentUpdate)
        self._references(orders.values(), users, lambda order: [order.buyer_id, order.artist_id])
        self._references(orders.values(), artworks, lambda order: [order.artwork_id])
        self._check_orders(orders)
        idempotency_keys = dict(db.idempotency_keys)
        for pair, found in work.added_idempotency_keys.items():
            if pair in idempotency_keys:
                raise ConcurrentUpdate()  # uq_orders_idempotency_key
            idempotency_keys[pair] = found

        payment_events = dict(db.payment_events)
        for key, record in work.added_payment_events.items():
            if key in payment_events:
                # SQL would have waited for the other transaction and then returned False.
                raise ConcurrentUpdate()
            payment_events[key] = record
        payout_accounts = {**db.payout_accounts, **work.saved_payout_accounts}
        self._references(payout_accounts.values(), users, lambda account: [account.artist_id])
        outbox, _ = work.outbox.merged(db.outbox, None, StorageUnavailable)
        keys: set[str] = set()
        for message in outbox.values():
            if message.key in keys:
                raise ConcurrentUpdate()  # uq_outbox_messages_key: someone did this work already
            keys.add(message.key)
        tokens_by_id, token_versions = work.account_tokens.merged(
            db.account_tokens, db.account_token_versions, ConcurrentUpdate
        )
        self._references(tokens_by_id.values(), users, lambda token: [token.user_id])
        if len({token.token_hash for token in tokens_by_id.values()}) != len(tokens_by_id):
            raise StorageUnavailable()  # uq_account_tokens_token_hash: hashes of 256-bit tokens never collide
        deliveries, delivery_versions = work.email_deliveries.merged(
            db.email_deliveries, db.delivery_versions, ConcurrentUpdate
        )
        if len({delivery.message_id for delivery in deliveries.values()}) != len(deliveries):
            raise ConcurrentUpdate()  # uq_email_deliveries_message_id: another worker recorded it

        minting = self._minting(orders, users, artworks)
        shipments, shipment_versions, saved_addresses = self._delivery(orders, users)
        audit_ids = {entry.id for entry in db.audit_log}
        if any(entry.id in audit_ids for entry in work.added_audit):
            raise StorageUnavailable()  # duplicate primary key, as in SQL

        db.users, db.token_families, db.family_versions, db.refresh_tokens = (
            users,
            families,
            family_versions,
            tokens,
        )
        db.artist_profiles, db.kyc_cases, db.kyc_versions = profiles, cases, kyc_versions
        db.artworks, db.artwork_versions, db.favorites = artworks, artwork_versions, favorites
        db.orders, db.order_versions, db.idempotency_keys = orders, order_versions, idempotency_keys
        db.payment_events, db.payout_accounts, db.outbox = payment_events, payout_accounts, outbox
        db.account_tokens, db.account_token_versions = tokens_by_id, token_versions
        db.email_deliveries, db.delivery_versions = deliveries, delivery_versions
        db.mint_jobs, db.mint_job_versions, db.mint_batches, db.certificates, db.leases = minting
        db.shipments, db.shipment_versions, db.saved_addresses = shipments, shipment_versions, saved_addresses

        db.audit_log = (*db.audit_log, *work.added_audit)

    def _minting(
        self, orders: dict[UUID, Order], users: dict[UUID, User], artworks: dict[UUID, Artwork]
    ) -> tuple[Any, ...]:
        db, work = self.db, self.work
        jobs, job_versions = work.mint_jobs.merged(db.mint_jobs, db.mint_job_versions, ConcurrentUpdate)
        self._references(jobs.values(), orders, lambda job: [job.order_id])
        if len({job.order_id for job in jobs.values()}) != len(jobs):
            raise ConcurrentUpdate()  # uq_mint_jobs_order_id: another delivery started minting first
        batches = dict(db.mint_batches)
        for key, batch in work.added_mint_batches.items():
            if key in batches:
                raise ConcurrentUpdate()  # pk_mint_batches
            batches[key] = batch
        if any(key in db.certificates for key in work.certificates.added):
            raise ConcurrentUpdate()  # pk_certificates: another worker issued it first
        certificates, _ = work.certificates.merged(db.certificates, None, StorageUnavailable)
        self._references(certificates.values(), orders, lambda c: [c.order_id])
        self._references(certificates.values(), users, lambda c: [c.owner_id])
        self._references(certificates.values(), artworks, lambda c: [c.artwork.artwork_id])
        if len({c.order_id for c in certificates.values()}) != len(certificates):
            raise ConcurrentUpdate()  # uq_certificates_order_id
        if len({(c.token_id, c.serial) for c in certificates.values()}) != len(certificates):
            raise StorageUnavailable()  # uq_certificates_token_id: a bug, as in SQL
        leases = dict(db.leases)
        for name, lease in work.leases.items():
            if db.leases.get(name) != work.base_leases.get(name):
                raise ConcurrentUpdate()  # someone else took or released it meanwhile
            leases[name] = lease
        return jobs, job_versions, batches, certificates, leases

    def _delivery(self, orders: dict[UUID, Order], users: dict[UUID, User]) -> tuple[Any, ...]:
        db, work = self.db, self.work
        if any(key in db.shipments for key in work.shipments.added):
            raise ConcurrentUpdate()  # pk_shipments: another delivery of the payment started it first
        shipments, versions = work.shipments.merged(db.shipments, db.shipment_versions, ConcurrentUpdate)
        self._references(shipments.values(), orders, lambda s: [s.order_id])
        self._references(shipments.values(), users, lambda s: [s.artist_id, s.buyer_id])
        saved = {k: v for k, v in db.saved_addresses.items() if k not in work.removed_addresses}
        for key, address in work.added_addresses.items():
            if key in saved:
                raise StorageUnavailable()  # duplicate primary key, as in SQL
            saved[key] = address
        self._references(saved.values(), users, lambda s: [s.buyer_id])
        return shipments, versions, saved

    @staticmethod
    def _references(
        entities: Iterable[E], targets: dict[UUID, Any], keys: Callable[[E], Sequence[UUID | None]]
    ) -> None:
        for entity in entities:
            if any(key is not None and key not in targets for key in keys(entity)):
                raise StorageUnavailable()  # foreign key, as in SQL

    def _favorites(
        self, artworks: dict[UUID, Artwork], users: dict[UUID, User]
    ) -> dict[tuple[UUID, UUID], datetime]:
        """Apply this transaction's favourites to the committed ones, counting what really changed."""
        work = self.work
        favorites = dict(self.db.favorites)
        counts: Counter[UUID] = Counter()
        for pair in work.base_favorites.keys() - work.favorites.keys():
            if favorites.pop(pair, None) is not None:
                counts[pair[1]] -= 1
        for pair in work.favorites.keys() - work.base_favorites.keys():
            if pair[0] not in users or pair[1] not in artworks:
                raise StorageUnavailable()
            if pair not in favorites:
                favorites[pair] = work.favorites[pair]
                counts[pair[1]] += 1
        for artwork_id, step in counts.items():
            if step:
                artworks[artwork_id] = updated = _copy(artworks[artwork_id])
                updated.favorites_count += step
        return favorites

    def _renames(self, artworks: dict[UUID, Artwork]) -> None:
        for artwork_id, artwork in artworks.items():
            name = self.work.renamed_artists.get(artwork.artist_id)
            if name is not None and artwork.artist_name != name:
                artworks[artwork_id] = renamed = _copy(artwork)
                renamed.artist_name = name

    def _suspensions(self, artworks: dict[UUID, Artwork]) -> None:
        for artwork_id, artwork in artworks.items():
            suspended = self.work.suspended_artists.get(artwork.artist_id)
            if suspended is not None and artwork.artist_suspended != suspended:
                artworks[artwork_id] = changed = _copy(artwork)
                changed.artist_suspended = suspended

    @staticmethod
    def _check_orders(orders: dict[UUID, Order]) -> None:
        live: set[UUID] = set()
        references: set[str] = set()
        for order in orders.values():
            if order.reference in references:
                raise StorageUnavailable()  # uq_orders_reference: references are made unique
            references.add(order.reference)
            if order.is_live:
                if order.artwork_id in live:
                    raise ArtworkNotAvailable()  # uq_orders_live_artwork
                live.add(order.artwork_id)


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
            _card(artwork, artwork.published_at)
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

    async def artists(self, *, limit: int, after: UUID | None) -> Sequence[ArtistSummary]:
        found = [
            summary
            for user_id in sorted(self._db.users)
            if (after is None or user_id > after) and (summary := self._summary(user_id)) is not None
        ]
        return found[:limit]

    async def artist(self, artist_id: UUID) -> ArtistSummary | None:
        return self._summary(artist_id)

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


def _card(artwork: Artwork, published_at: datetime) -> GalleryCard:
    thumbnail = next((image for image in artwork.images if image.position == 0), None)
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
    )


class InMemoryAdminOrderQueries:
    """`AdminOrderQueries` over an `InMemoryDatabase`'s committed state."""

    def __init__(self, db: InMemoryDatabase) -> None:
        self._db = db

    async def search(
        self, where: OrderFilter, *, before: tuple[datetime, UUID] | None, limit: int
    ) -> Sequence[OrderRow]:
        q = (where.q or "").strip().casefold()
        rows = []
        for order in self._db.orders.values():
            buyer = self._db.users[order.buyer_id]
            artwork = self._db.artworks[order.artwork_id]
            shipment = self._db.shipments.get(order.id)
            if (
                (where.status is None or order.status == where.status)
                and (where.currency is None or order.amount.currency.code == where.currency)
                and (where.created_from is None or order.created_at >= where.created_from)
                and (where.created_to is None or order.created_at < where.created_to)
                and (before is None or (order.created_at, order.id) < before)
                and (
                    not q
                    or any(
                        q in text.casefold() for text in (order.reference, str(buyer.email), artwork.title)
                    )
                )
                and _shipment_matches(where, order, shipment)
            ):
                rows.append(
                    OrderRow(
                        id=order.id,
                        reference=order.reference,
                        status=order.status,
                        amount=order.amount,
                        artist_share=order.split.artist_share,
                        platform_fee=order.split.platform_fee,
                        buyer_id=buyer.id,
                        buyer_email=str(buyer.email),
                        buyer_name=str(buyer.display_name),
                        artist_id=order.artist_id,
                        artwork_id=artwork.id,
                        artwork_title=artwork.title,
                        created_at=order.created_at,
                        paid_at=order.paid_at,
                        refund_status=order.refund_status,
                        attention=order.attention,
                        shipping=order.shipping_fee,
                        shipment_status=shipment.status if shipment else None,
                        awaiting_shipment_since=shipment.awaiting_since if shipment else None,
                        destination_country=order.delivery_address.country
                        if order.delivery_address
                        else None,
                    )
                )
        return _newest_first(rows, "created_at", "id")[:limit]


def _shipment_matches(where: OrderFilter, order: Order, shipment: Shipment | None) -> bool:
    if where.shipment_status is not None and (shipment is None or shipment.status != where.shipment_status):
        return False
    if where.awaiting_shipment_before is None:
        return True
    return (
        shipment is not None
        and shipment.status is ShipmentStatus.AWAITING_SHIPMENT
        and shipment.awaiting_since < where.awaiting_shipment_before
        and order.status is not OrderStatus.REFUNDED
    )


class InMemoryDashboardQueries:
    """`DashboardQueries` over an `InMemoryDatabase`'s committed state."""

    def __init__(self, db: InMemoryDatabase) -> None:
        self._db = db

    async def artworks_by_status(self, artist_id: UUID) -> Mapping[ArtworkStatus, int]:
        return dict(Counter(a.status for a in self._db.artworks.values() if a.artist_id == artist_id))

    def _paid(self, artist_id: UUID) -> list[Order]:
        return [o for o in self._db.orders.values() if o.artist_id == artist_id and o.paid_at is not None]

    async def sales(self, artist_id: UUID, *, limit: int) -> Sequence[Sale]:
        found = _newest_first(self._paid(artist_id), "paid_at", "id")[:limit]
        return [
            Sale(
                order_id=o.id,
                artwork_id=o.artwork_id,
                artwork_title=self._db.artworks[o.artwork_id].title,
                buyer_name=str(self._db.users[o.buyer_id].display_name),
                amount=o.amount,
                artist_share=o.split.artist_share,
                status=o.status,
                paid_at=o.paid_at,
                shipping=o.shipping_fee,
            )
            for o in found
            if o.paid_at is not None
        ]

    async def revenue_by_month(self, artist_id: UUID) -> Sequence[MonthlyRevenue]:
        return monthly(
            [
                (
                    o.paid_at,
                    o.amount.currency.code,
                    o.amount.amount,
                    o.split.artist_share.amount,
                    o.shipping_fee.amount,
                )
                for o in self._paid(artist_id)
                if o.paid_at is not None and o.status in REVENUE_STATUSES
            ]
        )

    async def top_works(self, artist_id: UUID, *, limit: int) -> Sequence[TopWork]:
        works = [a for a in self._db.artworks.values() if a.artist_id == artist_id]
        works.sort(key=lambda a: (-a.favorites_count, _reversed_order(a.created_at, a.id)))
        return [TopWork(a.id, a.title, a.status, a.favorites_count) for a in works[:limit]]


def _reversed_order(at: datetime, item_id: UUID) -> tuple[float, int]:
    """A key sorting (at, id) newest first inside an ascending sort."""
    return (-at.timestamp(), -item_id.int)
