"""Imperative SQLAlchemy mappings of the domain classes onto the tables (ADR 0002).

Value objects are composites of plain columns (see `value_columns`); the lists of value
objects an aggregate owns are stored as child rows (see `child_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.orm import (
    Session,
    composite,
    registry,
    relationship,
)

from artmarket.adapters.persistence.child_rows import (
    StoredImage,
    StoredShipmentStep,
    StoredStatusChange,
    attach_child_list,
    sync_children,
)
from artmarket.adapters.persistence.tables import metadata
from artmarket.adapters.persistence.tables.catalog import artist_profiles, artwork_images, artworks, kyc_cases
from artmarket.adapters.persistence.tables.certificate_life import ledger_tasks, provenance_entries
from artmarket.adapters.persistence.tables.identity import (
    account_tokens,
    refresh_tokens,
    token_families,
    users,
)
from artmarket.adapters.persistence.tables.messaging import outbox_messages
from artmarket.adapters.persistence.tables.minting import certificates, mint_batches, mint_jobs
from artmarket.adapters.persistence.tables.notifications import email_deliveries
from artmarket.adapters.persistence.tables.orders import order_status_changes, orders
from artmarket.adapters.persistence.tables.shipping import shipment_steps, shipments
from artmarket.adapters.persistence.value_columns import (
    ADDRESS_PARTS,
    ValueComposite,
    address_columns,
    address_of,
    contact_columns,
    contact_of,
    delivery_columns,
    delivery_of,
    none_when_first_is_none,
    payment_split,
    payment_split_columns,
)
from artmarket.application.messaging import OutboxMessage
from artmarket.application.notifications.deliveries import EmailDelivery
from artmarket.domain.artists import ArtistProfile, KycCase
from artmarket.domain.catalog import Artwork
from artmarket.domain.certificates import ArtworkSnapshot, Certificate, MintBatch, MintJob
from artmarket.domain.editions import Edition
from artmarket.domain.identity import AccountToken, TokenFamily, User
from artmarket.domain.ledger_tasks import LedgerTask
from artmarket.domain.listing import Dimensions
from artmarket.domain.money import Money
from artmarket.domain.orders import Order
from artmarket.domain.provenance import ProvenanceEntry
from artmarket.domain.shipments import Shipment

mapper_registry = registry(metadata=metadata)


@dataclass(eq=False)
class IssuedToken:
    """A row of `refresh_tokens`: one token hash a family has issued (persistence detail only).

    The many-to-one `family` lets the unit of work insert the family before its tokens.
    """

    token_hash: str
    family: TokenFamily


def start_mappers() -> None:
    """Map the domain classes imperatively; calling it again does nothing."""
    if any(mapper.class_ is User for mapper in mapper_registry.mappers):
        return
    mapper_registry.map_imperatively(User, users)
    _map_versioned(
        TokenFamily,
        token_families,
        properties={
            # Never loaded or set; it only tells the unit of work to insert users before
            # their families (unrelated mappers are flushed in no particular order).
            "_user": relationship(User, lazy="raise"),
        },
    )
    mapper_registry.map_imperatively(
        IssuedToken,
        refresh_tokens,
        properties={"family": relationship(TokenFamily, lazy="raise")},
    )
    _map_catalog()
    _map_checkout()
    _map_notifications()
    _map_minting()


def _map_catalog() -> None:
    mapper_registry.map_imperatively(
        ArtistProfile, artist_profiles, properties={"_user": relationship(User, lazy="raise")}
    )
    _map_versioned(
        KycCase,
        kyc_cases,
        properties={"_artist": relationship(User, lazy="raise", foreign_keys=[kyc_cases.c.artist_id])},
    )
    mapper_registry.map_imperatively(StoredImage, artwork_images)
    _map_versioned(
        Artwork,
        artworks,
        properties={
            "_price_amount": artworks.c.price_amount,
            "_price_currency": artworks.c.price_currency,
            "price": composite(Money, "_price_amount", "_price_currency"),
            "_height_mm": artworks.c.height_mm,
            "_width_mm": artworks.c.width_mm,
            "_depth_mm": artworks.c.depth_mm,
            # No dimensions when the height is NULL (the three are written as NULL together).
            "dimensions": composite(
                Dimensions,
                "_height_mm",
                "_width_mm",
                "_depth_mm",
                return_none_on=lambda height, *_: height is None,
            ),
            "_delivery_kind": artworks.c.delivery_kind,
            "_weight_grams": artworks.c.weight_grams,
            "_shipping_rates": artworks.c.shipping_rates,
            "delivery": ValueComposite(
                delivery_of, delivery_columns, "_delivery_kind", "_weight_grams", "_shipping_rates"
            ),
            "_cover_thumbnail_key": artworks.c.cover_thumbnail_key,
            "_cover_width": artworks.c.cover_width,
            "_cover_height": artworks.c.cover_height,
            "_edition_kind": artworks.c.edition_kind,
            "_edition_size": artworks.c.edition_size,
            "_edition_artist_proofs": artworks.c.edition_artist_proofs,
            "edition": composite(Edition, "_edition_kind", "_edition_size", "_edition_artist_proofs"),
            "_stored_images": _child_rows(StoredImage, artwork_images.c.position),
            "_artist": relationship(User, lazy="raise"),
        },
        # Generated by the database for search; never read or written by the application.
        exclude_properties=["search_vector"],
    )
    attach_child_list(Artwork, "images", "_stored_images", StoredImage.value)


def _map_checkout() -> None:
    mapper_registry.map_imperatively(StoredStatusChange, order_status_changes)
    _map_versioned(
        Order,
        orders,
        properties={
            "_amount": orders.c.amount,
            "_currency": orders.c.currency,
            "amount": composite(Money, "_amount", "_currency"),
            "_artist_share_amount": orders.c.artist_share_amount,
            "_platform_fee_amount": orders.c.platform_fee_amount,
            "_subaccount": orders.c.subaccount,
            # The split is in the order's currency: one column serves both composites.
            "split": ValueComposite(
                payment_split,
                payment_split_columns,
                "_artist_share_amount",
                "_platform_fee_amount",
                "_subaccount",
                "_currency",
            ),
            "_shipping_amount": orders.c.shipping_amount,
            # The shipping is in the order's currency too.
            "shipping": ValueComposite(
                Money, lambda money: (money.amount, money.currency), "_shipping_amount", "_currency"
            ),
            "_buyer_full_name": orders.c.buyer_full_name,
            "_buyer_phone": orders.c.buyer_phone,
            "_buyer_email": orders.c.buyer_email,
            "buyer_contact": ValueComposite(
                contact_of,
                contact_columns,
                "_buyer_full_name",
                "_buyer_phone",
                "_buyer_email",
                return_none_on=none_when_first_is_none,
            ),
            **{f"_ship_to_{part}": orders.c[f"ship_to_{part}"] for part in ADDRESS_PARTS},
            "delivery_address": ValueComposite(
                address_of,
                address_columns,
                *(f"_ship_to_{part}" for part in ADDRESS_PARTS),
                return_none_on=none_when_first_is_none,
            ),
            "_idempotency_key": orders.c.idempotency_key,
            "_request_fingerprint": orders.c.request_fingerprint,
            "_stored_history": _child_rows(StoredStatusChange, order_status_changes.c.position),
            "_buyer": relationship(User, lazy="raise", foreign_keys=[orders.c.buyer_id]),
            "_artwork": relationship(Artwork, lazy="raise"),
        },
    )
    attach_child_list(Order, "history", "_stored_history", StoredStatusChange.value)
    mapper_registry.map_imperatively(StoredShipmentStep, shipment_steps)
    _map_versioned(
        Shipment,
        shipments,
        properties={
            "_stored_steps": _child_rows(StoredShipmentStep, shipment_steps.c.position),
            # Never loaded; it only orders the inserts (orders before their shipments).
            "_order": relationship(Order, lazy="raise"),
        },
    )
    attach_child_list(Shipment, "history", "_stored_steps", StoredShipmentStep.value)
    mapper_registry.map_imperatively(OutboxMessage, outbox_messages)
    event.listen(Session, "before_flush", sync_children)


def _map_notifications() -> None:
    _map_versioned(AccountToken, account_tokens, properties={"_user": relationship(User, lazy="raise")})
    _map_versioned(EmailDelivery, email_deliveries)


def _map_minting() -> None:
    _map_versioned(
        MintJob,
        mint_jobs,
        properties={  # Never loaded; it only orders the inserts (orders before their jobs).
            "_order": relationship(Order, lazy="raise")
        },
    )
    mapper_registry.map_imperatively(MintBatch, mint_batches)
    _map_versioned(
        Certificate,
        certificates,
        properties={
            "_artwork_id": certificates.c.artwork_id,
            "_artwork_title": certificates.c.artwork_title,
            "_artist_id": certificates.c.artist_id,
            "_artist_name": certificates.c.artist_name,
            "_medium": certificates.c.medium,
            "_year": certificates.c.year,
            "_dimensions": certificates.c.dimensions,
            "_image_uri": certificates.c.image_uri,
            "_image_type": certificates.c.image_type,
            "_edition_number": certificates.c.edition_number,
            "_edition_size": certificates.c.edition_size,
            "artwork": composite(
                ArtworkSnapshot,
                "_artwork_id",
                "_artwork_title",
                "_artist_id",
                "_artist_name",
                "_medium",
                "_year",
                "_dimensions",
                "_image_uri",
                "_image_type",
                "_edition_number",
                "_edition_size",
            ),
            "_order": relationship(Order, lazy="raise"),
            "_owner": relationship(User, lazy="raise"),
        },
    )
    _map_certificate_life()


def _map_certificate_life() -> None:
    # The relationships are never loaded; they order the inserts (certificates first).
    mapper_registry.map_imperatively(
        ProvenanceEntry,
        provenance_entries,
        properties={"_certificate": relationship(Certificate, lazy="raise")},
    )
    _map_versioned(
        LedgerTask,
        ledger_tasks,
        properties={
            # Set by the repository's `add`; the domain never reads it.
            "_dedupe_key": ledger_tasks.c.dedupe_key,
            "_certificate": relationship(Certificate, lazy="raise"),
        },
    )


def _map_versioned(cls: type, table: Table, properties: dict[str, Any] | None = None, **options: Any) -> None:
    """Map `cls` with an optimistic lock: an UPDATE applies only to the `version` that was read.

    Mapped as the private `_version`: a persistence concern the domain never reads.
    """
    properties = {"_version": table.c.version, **(properties or {})}
    mapper_registry.map_imperatively(
        cls, table, properties=properties, version_id_col=table.c.version, **options
    )


def _child_rows(row: type, position: Any) -> Any:
    """The rows of an aggregate's child list: in `position` order, loaded with it, deleted with it."""
    return relationship(row, order_by=position, cascade="all, delete-orphan", lazy="selectin")
