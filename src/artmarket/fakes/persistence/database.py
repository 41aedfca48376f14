"""The committed state of the in-memory database, and one transaction's private view of it."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from artmarket.application.errors import StorageUnavailable
from artmarket.application.messaging import OutboxMessage
from artmarket.application.minting.certificate_transactions import PreparedTransaction
from artmarket.application.notifications.deliveries import EmailDelivery
from artmarket.application.payments.records import PaymentEventRecord, PayoutAccount
from artmarket.application.shipping.ports import SavedAddress
from artmarket.domain.artists import ArtistProfile, KycCase
from artmarket.domain.audit import AuditEntry
from artmarket.domain.catalog import Artwork
from artmarket.domain.certificates import Certificate, MintBatch, MintJob
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import (
    AccountToken,
    TokenFamily,
    User,
)
from artmarket.domain.ledger_tasks import LedgerTask
from artmarket.domain.orders import Order
from artmarket.domain.provenance import ProvenanceEntry
from artmarket.domain.shipments import Shipment

K = TypeVar("K", bound=Hashable)
E = TypeVar("E")

#: Artwork fields kept up to date by bulk statements, not by changing the artwork.
MAINTAINED_IN_BULK = ("favorites_count", "artist_name", "artist_suspended")


def private_copy(entity: E) -> E:
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


def entity_state(entity: Any) -> tuple[Any, ...]:
    return tuple(_frozen(getattr(entity, f.name)) for f in fields(entity))


def artwork_state(artwork: Artwork) -> tuple[Any, ...]:
    return tuple(
        _frozen(getattr(artwork, f.name)) for f in fields(artwork) if f.name not in MAINTAINED_IN_BULK
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
    certificate_versions: dict[UUID, int] = field(default_factory=dict)
    provenance: dict[UUID, ProvenanceEntry] = field(default_factory=dict)
    ledger_tasks: dict[UUID, LedgerTask] = field(default_factory=dict)
    ledger_task_versions: dict[UUID, int] = field(default_factory=dict)
    #: task id → its dedupe key (unique).
    ledger_task_keys: dict[UUID, str] = field(default_factory=dict)
    #: transaction id → (task id, the prepared transaction).
    ledger_transactions: dict[str, tuple[UUID, PreparedTransaction]] = field(default_factory=dict)
    #: name → (holder, expires at)
    leases: dict[str, tuple[str | None, datetime | None]] = field(default_factory=dict)
    shipments: dict[UUID, Shipment] = field(default_factory=dict)
    shipment_versions: dict[UUID, int] = field(default_factory=dict)
    saved_addresses: dict[UUID, SavedAddress] = field(default_factory=dict)
    #: How many commits succeeded.
    commits: int = 0


class Table(Generic[K, E]):
    """One transaction's view of one kind of entity: a private copy of each, made on first read."""

    def __init__(
        self,
        committed: dict[K, E],
        versions: dict[K, int] | None = None,
        state: Callable[[Any], tuple[Any, ...]] = entity_state,
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
        copy = self.rows[key] = private_copy(entity)
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
            stored = private_copy(entity)
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


class Workspace:
    """One transaction's private copies and what it added."""

    def __init__(self, db: InMemoryDatabase) -> None:
        self.users: Table[UUID, User] = Table(db.users)
        self.token_families: Table[UUID, TokenFamily] = Table(db.token_families, db.family_versions)
        self.refresh_tokens = dict(db.refresh_tokens)
        self.added_tokens: dict[str, UUID] = {}
        self.artist_profiles: Table[UUID, ArtistProfile] = Table(db.artist_profiles)
        self.kyc_cases: Table[UUID, KycCase] = Table(db.kyc_cases, db.kyc_versions)
        self.artworks: Table[UUID, Artwork] = Table(db.artworks, db.artwork_versions, artwork_state)
        self.renamed_artists: dict[UUID, str] = {}
        self.suspended_artists: dict[UUID, bool] = {}
        self.base_favorites = db.favorites
        self.favorites = dict(db.favorites)
        self.orders: Table[UUID, Order] = Table(db.orders, db.order_versions)
        self.idempotency_keys = dict(db.idempotency_keys)
        self.added_idempotency_keys: dict[tuple[UUID, str], tuple[UUID, str]] = {}
        self.payment_events = db.payment_events
        self.added_payment_events: dict[str, PaymentEventRecord] = {}
        self.payout_accounts = db.payout_accounts
        self.saved_payout_accounts: dict[UUID, PayoutAccount] = {}
        self.outbox: Table[UUID, OutboxMessage] = Table(db.outbox)
        self.account_tokens: Table[UUID, AccountToken] = Table(db.account_tokens, db.account_token_versions)
        self.email_deliveries: Table[UUID, EmailDelivery] = Table(db.email_deliveries, db.delivery_versions)
        self.audit_log = db.audit_log
        self.added_audit: list[AuditEntry] = []
        self._minting(db)
        self._delivery(db)

    def _delivery(self, db: InMemoryDatabase) -> None:
        self.shipments: Table[UUID, Shipment] = Table(db.shipments, db.shipment_versions)
        self.saved_addresses = dict(db.saved_addresses)
        self.added_addresses: dict[UUID, SavedAddress] = {}
        self.removed_addresses: set[UUID] = set()

    def _minting(self, db: InMemoryDatabase) -> None:
        self.mint_jobs: Table[UUID, MintJob] = Table(db.mint_jobs, db.mint_job_versions)
        self.mint_batches = db.mint_batches
        self.added_mint_batches: dict[str, MintBatch] = {}
        self.certificates: Table[UUID, Certificate] = Table(db.certificates, db.certificate_versions)
        self.provenance: Table[UUID, ProvenanceEntry] = Table(db.provenance)
        self.ledger_tasks: Table[UUID, LedgerTask] = Table(db.ledger_tasks, db.ledger_task_versions)
        self.ledger_task_keys = db.ledger_task_keys
        self.added_task_keys: dict[UUID, str] = {}
        self.ledger_transactions = db.ledger_transactions
        self.added_transactions: dict[str, tuple[UUID, PreparedTransaction]] = {}
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
        self.certificates.rebase(db.certificates, db.certificate_versions)
        self.provenance.rebase(db.provenance, None)
        self.ledger_tasks.rebase(db.ledger_tasks, db.ledger_task_versions)
        self.ledger_task_keys, self.added_task_keys = db.ledger_task_keys, {}
        self.ledger_transactions, self.added_transactions = db.ledger_transactions, {}
        self.base_leases, self.leases = db.leases, {}
        self.audit_log, self.added_audit = db.audit_log, []
        self.shipments.rebase(db.shipments, db.shipment_versions)
        self.saved_addresses, self.added_addresses, self.removed_addresses = (
            dict(db.saved_addresses),
            {},
            set(),
        )


def newest_first(found: Iterable[Any], *keys: str) -> list[Any]:
    return sorted(found, key=lambda item: tuple(getattr(item, key) for key in keys), reverse=True)
