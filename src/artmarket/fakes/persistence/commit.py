"""The in-memory commit: every rule the database enforces, checked against the committed state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from artmarket.application.errors import ConcurrentUpdate, StorageUnavailable
from artmarket.domain.catalog import Artwork, ArtworkNotAvailable
from artmarket.domain.identity import (
    Email,
    EmailAlreadyRegistered,
    RefreshTokenRejected,
    User,
)
from artmarket.domain.orders import Order
from artmarket.fakes.persistence.certificate_life import publish_certificate_life
from artmarket.fakes.persistence.database import (
    MAINTAINED_IN_BULK,
    E,
    InMemoryDatabase,
    Workspace,
    private_copy,
)


class Commit:
    """Checks every rule against the committed state, then applies the changes at once."""

    def __init__(self, db: InMemoryDatabase, work: Workspace) -> None:
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
            db.artworks, db.artwork_versions, ConcurrentUpdate, keep=MAINTAINED_IN_BULK
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
        db.mint_jobs, db.mint_job_versions, db.mint_batches, life, db.leases = minting
        (
            db.certificates,
            db.certificate_versions,
            db.provenance,
            db.ledger_tasks,
            db.ledger_task_versions,
            db.ledger_task_keys,
            db.ledger_transactions,
        ) = life
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
        certificates, certificate_versions = work.certificates.merged(
            db.certificates, db.certificate_versions, ConcurrentUpdate
        )
        self._references(certificates.values(), orders, lambda c: [c.order_id])
        self._references(certificates.values(), users, lambda c: [c.owner_id])
        self._references(certificates.values(), artworks, lambda c: [c.artwork.artwork_id])
        if len({c.order_id for c in certificates.values()}) != len(certificates):
            raise ConcurrentUpdate()  # uq_certificates_order_id
        if len({(c.token_id, c.serial) for c in certificates.values()}) != len(certificates):
            raise StorageUnavailable()  # uq_certificates_token_id: a bug, as in SQL
        if len({c.public_code for c in certificates.values()}) != len(certificates):
            raise StorageUnavailable()  # uq_certificates_public_code: random codes never collide
        life = publish_certificate_life(db, work, certificates)
        leases = dict(db.leases)
        for name, lease in work.leases.items():
            if db.leases.get(name) != work.base_leases.get(name):
                raise ConcurrentUpdate()  # someone else took or released it meanwhile
            leases[name] = lease
        return jobs, job_versions, batches, (certificates, certificate_versions, *life), leases

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
                artworks[artwork_id] = updated = private_copy(artworks[artwork_id])
                updated.favorites_count += step
        return favorites

    def _renames(self, artworks: dict[UUID, Artwork]) -> None:
        for artwork_id, artwork in artworks.items():
            name = self.work.renamed_artists.get(artwork.artist_id)
            if name is not None and artwork.artist_name != name:
                artworks[artwork_id] = renamed = private_copy(artwork)
                renamed.artist_name = name

    def _suspensions(self, artworks: dict[UUID, Artwork]) -> None:
        for artwork_id, artwork in artworks.items():
            suspended = self.work.suspended_artists.get(artwork.artist_id)
            if suspended is not None and artwork.artist_suspended != suspended:
                artworks[artwork_id] = changed = private_copy(artwork)
                changed.artist_suspended = suspended

    @staticmethod
    def _check_orders(orders: dict[UUID, Order]) -> None:
        live: set[UUID] = set()
        numbers: set[tuple[UUID, int]] = set()
        references: set[str] = set()
        for order in orders.values():
            if order.reference in references:
                raise StorageUnavailable()  # uq_orders_reference: references are made unique
            references.add(order.reference)
            if order.edition_number is not None:
                if (order.artwork_id, order.edition_number) in numbers:
                    raise ArtworkNotAvailable()  # uq_orders_edition_number
                numbers.add((order.artwork_id, order.edition_number))
            elif order.is_live:
                if order.artwork_id in live:
                    raise ArtworkNotAvailable()  # uq_orders_live_artwork
                live.add(order.artwork_id)
