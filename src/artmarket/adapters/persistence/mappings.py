"""Maps the domain classes onto the tables from outside: the domain never imports SQLAlchemy.

Value objects are composites of plain columns (`Money` = amount + currency). The lists of
frozen value objects an aggregate owns (`Artwork.images`, `Order.history`) cannot be
mapped themselves (slotted, frozen): each is stored as private row objects in a child
table, read into the domain's list the first time the list is used after a load, and
written back from it before every flush (see `_sync_children`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.orm import (
    Composite,
    InstanceState,
    Session,
    UOWTransaction,
    composite,
    registry,
    relationship,
)

from artmarket.adapters.persistence.tables import metadata
from artmarket.adapters.persistence.tables.catalog import artist_profiles, artwork_images, artworks, kyc_cases
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
from artmarket.application.messaging import OutboxMessage
from artmarket.application.notifications.deliveries import EmailDelivery
from artmarket.domain.artists import ArtistProfile, KycCase
from artmarket.domain.catalog import Artwork, ArtworkImage, Dimensions
from artmarket.domain.certificates import ArtworkSnapshot, Certificate, MintBatch, MintJob
from artmarket.domain.delivery import BuyerContact, Delivery, DeliveryKind, PostalAddress, ShippingRate
from artmarket.domain.identity import AccountToken, Email, TokenFamily, User
from artmarket.domain.money import Currency, Money
from artmarket.domain.orders import Order, OrderStatus, PaymentSplit, StatusChange
from artmarket.domain.shipments import Shipment, ShipmentStatus, ShipmentStep

mapper_registry = registry(metadata=metadata)
#: The columns of a stored address, in `address_columns` order (`ship_to_<part>` on orders).
_ADDRESS_PARTS = ("name", "line1", "line2", "city", "region", "postal_code", "country")

V = TypeVar("V")
R = TypeVar("R")


@dataclass(eq=False)
class IssuedToken:
    """A row of `refresh_tokens`: one token hash a family has issued (persistence detail only).

    The many-to-one `family` lets the unit of work insert the family before its tokens.
    """

    token_hash: str
    family: TokenFamily


@dataclass(eq=False)
class StoredImage:
    """A row of `artwork_images`: one `ArtworkImage` of an artwork (persistence detail only)."""

    id: UUID
    position: int
    display_key: str
    thumbnail_key: str
    original_key: str
    width: int
    height: int
    created_at: datetime

    @classmethod
    def of(cls, image: ArtworkImage) -> StoredImage:
        row = cls(image.id, 0, "", "", "", 0, 0, image.created_at)
        row.match(image)
        return row

    def match(self, image: ArtworkImage) -> None:
        # Assigning an equal value records no change, so an unchanged image costs no UPDATE.
        self.position = image.position
        self.display_key = image.display_key
        self.thumbnail_key = image.thumbnail_key
        self.original_key = image.original_key
        self.width = image.width
        self.height = image.height
        self.created_at = image.created_at

    def value(self) -> ArtworkImage:
        return ArtworkImage(
            id=self.id,
            display_key=self.display_key,
            thumbnail_key=self.thumbnail_key,
            original_key=self.original_key,
            width=self.width,
            height=self.height,
            position=self.position,
            created_at=self.created_at,
        )


Step = TypeVar("Step", StatusChange, ShipmentStep)


@dataclass(eq=False)
class _StoredStep(Generic[Step]):
    """A row of a history table: the n-th step (status, when, note) of an aggregate's history."""

    position: int
    status: Any
    at: datetime
    note: str | None

    @classmethod
    def of(cls, position: int, step: Step) -> Self:
        return cls(position, step.status, step.at, step.note)

    def match(self, step: Step) -> None:
        self.status, self.at, self.note = step.status, step.at, step.note


class StoredStatusChange(_StoredStep[StatusChange]):
    """A row of `order_status_changes`: the n-th `StatusChange` of an order's history."""

    status: OrderStatus

    def value(self) -> StatusChange:
        return StatusChange(self.status, self.at, self.note)


class StoredShipmentStep(_StoredStep[ShipmentStep]):
    """A row of `shipment_steps`: the n-th `ShipmentStep` of a shipment's history."""

    status: ShipmentStatus

    def value(self) -> ShipmentStep:
        return ShipmentStep(self.status, self.at, self.note)


class _ReadFromRows(Generic[R, V]):
    """Fills a domain list from its row objects on first use after a load.

    A non-data descriptor on the domain class: an instance that has the list in its
    `__dict__` (built by the domain, or already read) never reaches it. Eagerly loaded
    rows (`selectin`) are complete once the query returns, so no IO happens here.
    """

    def __init__(self, name: str, rows: str, value_of: Callable[[R], V]) -> None:
        self.name, self.rows, self.value_of = name, rows, value_of

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        values = [self.value_of(row) for row in getattr(instance, self.rows)]
        instance.__dict__[self.name] = values
        return values


def _sync_images(artwork: Artwork) -> None:
    """Make `artwork._stored_images` match `artwork.images` (matched by image id)."""
    rows: list[StoredImage] = artwork._stored_images  # type: ignore[attr-defined]
    by_id = {row.id: row for row in rows}
    wanted = []
    for image in artwork.images:
        row = by_id.get(image.id)
        if row is None:
            row = StoredImage.of(image)
        else:
            row.match(image)
        wanted.append(row)
    _replace_if_changed(artwork, "_stored_images", rows, wanted)
    # The gallery's copy of the cover (see `tables.artworks`); equal values write nothing.
    cover = artwork.cover
    artwork._cover_thumbnail_key = cover.thumbnail_key if cover else None  # type: ignore[attr-defined]
    artwork._cover_width = cover.width if cover else None  # type: ignore[attr-defined]
    artwork._cover_height = cover.height if cover else None  # type: ignore[attr-defined]


def _sync_steps(owner: object, key: str, history: Sequence[Step], row: type[_StoredStep[Step]]) -> None:
    """Make the rows under `owner.<key>` match `history` (matched by position)."""
    rows: list[_StoredStep[Step]] = getattr(owner, key)
    wanted = []
    for position, step in enumerate(history):
        if position < len(rows):
            rows[position].match(step)
            wanted.append(rows[position])
        else:
            wanted.append(row.of(position, step))
    _replace_if_changed(owner, key, rows, wanted)


def _sync_history(order: Order) -> None:
    _sync_steps(order, "_stored_history", order.history, StoredStatusChange)


def _sync_shipment_steps(shipment: Shipment) -> None:
    _sync_steps(shipment, "_stored_steps", shipment.history, StoredShipmentStep)


def _replace_if_changed(owner: object, key: str, rows: Sequence[object], wanted: list[Any]) -> None:
    if len(rows) != len(wanted) or any(a is not b for a, b in zip(rows, wanted, strict=True)):
        # The cascade adds new rows to the session; rows left out are deleted (orphans).
        setattr(owner, key, wanted)


_CHILD_LISTS: dict[type, tuple[str, Callable[[Any], None]]] = {
    Artwork: ("images", _sync_images),
    Order: ("history", _sync_history),
    Shipment: ("history", _sync_shipment_steps),
}


def _sync_children(session: Session, flush_context: UOWTransaction, instances: object) -> None:
    """Before each flush, write the domain's lists into their row objects."""
    for instance in (*session.new, *session.identity_map.values()):
        entry = _CHILD_LISTS.get(type(instance))
        # A list never read since the load cannot have changed: nothing to write.
        if entry is not None and entry[0] in instance.__dict__:
            entry[1](instance)


class _ValueComposite(Composite[V]):
    """`composite()` for a value object whose fields are not its columns one for one.

    `build` makes the value from the column values; `columns_of` takes it apart again in
    the same order (SQLAlchemy's generated accessor only handles a dataclass whose fields
    are exactly its columns).
    """

    def __init__(
        self, build: Callable[..., V], columns_of: Callable[[V], tuple[Any, ...]], *attrs: Any, **kw: Any
    ) -> None:
        super().__init__(build, *attrs, **kw)
        # SQLAlchemy's own hook for taking a value apart (private; set for dataclasses). The
        # order round-trip contract tests would fail if a SQLAlchemy upgrade changed it.
        self._generated_composite_accessor = columns_of


def _split(artist_share: int, platform_fee: int, subaccount: str | None, currency: Currency) -> PaymentSplit:
    return PaymentSplit(Money(artist_share, currency), Money(platform_fee, currency), subaccount)


def _split_columns(split: PaymentSplit) -> tuple[Any, ...]:
    return (
        split.artist_share.amount,
        split.platform_fee.amount,
        split.subaccount,
        split.artist_share.currency,
    )


def _delivery(
    kind: DeliveryKind | None, weight: int | None, rates: tuple[ShippingRate, ...] | None
) -> Delivery:
    return Delivery(kind or DeliveryKind.DIGITAL, weight, rates or ())


def _delivery_columns(delivery: Delivery) -> tuple[Any, ...]:
    return (delivery.kind, delivery.weight_grams, delivery.shipping_rates or None)


def _contact(full_name: str, phone: str, email: Email) -> BuyerContact:
    # Read as stored: it was checked when the order was placed.
    return BuyerContact(full_name, phone, email)


def _contact_columns(contact: BuyerContact) -> tuple[Any, ...]:
    return (contact.full_name, contact.phone, contact.email)


def _address(
    name: str, line1: str, line2: str | None, city: str, region: str | None, code: str | None, country: str
) -> PostalAddress:
    return PostalAddress(name, (line1,) if line2 is None else (line1, line2), city, region, code, country)


def address_columns(address: PostalAddress) -> tuple[Any, ...]:
    """(name, line1, line2, city, region, postal code, country) of an address."""
    line2 = address.lines[1] if len(address.lines) > 1 else None
    return (
        address.name,
        address.lines[0],
        line2,
        address.city,
        address.region,
        address.postal_code,
        address.country,
    )


def address_of(*columns: Any) -> PostalAddress:
    """The address stored in (name, line1, line2, city, region, postal code, country) columns."""
    return _address(*columns)


def _none_when_first_is_none(first: object, *_: object) -> bool:
    return first is None


def start_mappers() -> None:
    """Map the domain classes imperatively; calling it again does nothing."""
    if any(mapper.class_ is User for mapper in mapper_registry.mappers):
        return
    mapper_registry.map_imperatively(User, users)
    mapper_registry.map_imperatively(
        TokenFamily,
        token_families,
        properties={
            # Private names: persistence concerns the domain never reads.
            "_version": token_families.c.version,
            # Never loaded or set; it only tells the unit of work to insert users before
            # their families (unrelated mappers are flushed in no particular order).
            "_user": relationship(User, lazy="raise"),
        },
        version_id_col=token_families.c.version,
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
    mapper_registry.map_imperatively(
        KycCase,
        kyc_cases,
        properties={
            "_version": kyc_cases.c.version,
            "_artist": relationship(User, lazy="raise", foreign_keys=[kyc_cases.c.artist_id]),
        },
        version_id_col=kyc_cases.c.version,
    )
    mapper_registry.map_imperatively(StoredImage, artwork_images)
    mapper_registry.map_imperatively(
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
            "delivery": _ValueComposite(
                _delivery, _delivery_columns, "_delivery_kind", "_weight_grams", "_shipping_rates"
            ),
            "_cover_thumbnail_key": artworks.c.cover_thumbnail_key,
            "_cover_width": artworks.c.cover_width,
            "_cover_height": artworks.c.cover_height,
            "_version": artworks.c.version,
            "_stored_images": relationship(
                StoredImage,
                order_by=artwork_images.c.position,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
            "_artist": relationship(User, lazy="raise"),
        },
        # Generated by the database for search; never read or written by the application.
        exclude_properties=["search_vector"],
        version_id_col=artworks.c.version,
    )
    _attach_child_list(Artwork, "images", "_stored_images", StoredImage.value)


def _map_checkout() -> None:
    mapper_registry.map_imperatively(StoredStatusChange, order_status_changes)
    mapper_registry.map_imperatively(
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
            "split": _ValueComposite(
                _split,
                _split_columns,
                "_artist_share_amount",
                "_platform_fee_amount",
                "_subaccount",
                "_currency",
            ),
            "_shipping_amount": orders.c.shipping_amount,
            # The shipping is in the order's currency too.
            "shipping": _ValueComposite(
                Money, lambda money: (money.amount, money.currency), "_shipping_amount", "_currency"
            ),
            "_buyer_full_name": orders.c.buyer_full_name,
            "_buyer_phone": orders.c.buyer_phone,
            "_buyer_email": orders.c.buyer_email,
            "buyer_contact": _ValueComposite(
                _contact,
                _contact_columns,
                "_buyer_full_name",
                "_buyer_phone",
                "_buyer_email",
                return_none_on=_none_when_first_is_none,
            ),
            **{f"_ship_to_{part}": orders.c[f"ship_to_{part}"] for part in _ADDRESS_PARTS},
            "delivery_address": _ValueComposite(
                _address,
                address_columns,
                *(f"_ship_to_{part}" for part in _ADDRESS_PARTS),
                return_none_on=_none_when_first_is_none,
            ),
            "_idempotency_key": orders.c.idempotency_key,
            "_request_fingerprint": orders.c.request_fingerprint,
            "_version": orders.c.version,
            "_stored_history": relationship(
                StoredStatusChange,
                order_by=order_status_changes.c.position,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
            "_buyer": relationship(User, lazy="raise", foreign_keys=[orders.c.buyer_id]),
            "_artwork": relationship(Artwork, lazy="raise"),
        },
        version_id_col=orders.c.version,
    )
    _attach_child_list(Order, "history", "_stored_history", StoredStatusChange.value)
    mapper_registry.map_imperatively(StoredShipmentStep, shipment_steps)
    mapper_registry.map_imperatively(
        Shipment,
        shipments,
        properties={
            "_version": shipments.c.version,
            "_stored_steps": relationship(
                StoredShipmentStep,
                order_by=shipment_steps.c.position,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
            # Never loaded; it only orders the inserts (orders before their shipments).
            "_order": relationship(Order, lazy="raise"),
        },
        version_id_col=shipments.c.version,
    )
    _attach_child_list(Shipment, "history", "_stored_steps", StoredShipmentStep.value)
    mapper_registry.map_imperatively(OutboxMessage, outbox_messages)
    event.listen(Session, "before_flush", _sync_children)


def _map_notifications() -> None:
    mapper_registry.map_imperatively(
        AccountToken,
        account_tokens,
        properties={"_version": account_tokens.c.version, "_user": relationship(User, lazy="raise")},
        version_id_col=account_tokens.c.version,
    )
    mapper_registry.map_imperatively(
        EmailDelivery,
        email_deliveries,
        properties={"_version": email_deliveries.c.version},
        version_id_col=email_deliveries.c.version,
    )


def _map_minting() -> None:
    mapper_registry.map_imperatively(
        MintJob,
        mint_jobs,
        properties={
            "_version": mint_jobs.c.version,
            # Never loaded; it only orders the inserts (orders before their jobs).
            "_order": relationship(Order, lazy="raise"),
        },
        version_id_col=mint_jobs.c.version,
    )
    mapper_registry.map_imperatively(MintBatch, mint_batches)
    mapper_registry.map_imperatively(
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
            ),
            "_order": relationship(Order, lazy="raise"),
            "_owner": relationship(User, lazy="raise"),
        },
    )


def _attach_child_list(cls: type, name: str, rows: str, value_of: Callable[[Any], Any]) -> None:
    setattr(cls, name, _ReadFromRows(name, rows, value_of))

    def forget(state: InstanceState[Any], *args: Any) -> None:
        attributes = args[-1] if args else None
        if attributes is None or rows in attributes:
            # `state.dict`, not the object: a rollback may expire an object that is being
            # garbage-collected (its state then has an empty dict).
            state.dict.pop(name, None)

    # A rollback expires the rows: the list is read again from what the database kept.
    event.listen(cls, "expire", forget, raw=True)
    event.listen(cls, "refresh", forget, raw=True)
