"""msgspec structs of an artwork's edition: what an artist sends, and what every representation shows."""

from __future__ import annotations

from datetime import datetime
from inspect import cleandoc
from typing import Annotated, Literal

import msgspec

from artmarket.application.catalog.ports import GalleryCard
from artmarket.domain.catalog import Artwork
from artmarket.domain.editions import MAX_EDITION_SIZE, UNIQUE, Edition, EditionKind, InvalidEdition


class EditionIn(msgspec.Struct, forbid_unknown_fields=True):
    """`{"kind": "unique"}` (one work), or `{"kind": "limited", "size": 25, "artist_proofs": 2}`:
    numbers 1..size are sold once each (size 2 to 10000); the artist proofs (0 to size, default 0)
    are the artist's own and not sold here. The edition cannot change once a number has gone to
    a buyer (409 `edition-locked`)."""

    kind: Literal["unique", "limited"]
    size: int | None = None
    artist_proofs: int | None = None

    def to_domain(self) -> Edition:
        """The edition, or a 422 naming the field that is wrong (`edition.size`, `edition.artist_proofs`)."""
        if self.kind == EditionKind.UNIQUE.value:
            for name, value, unique in (("size", self.size, 1), ("artist_proofs", self.artist_proofs, 0)):
                if value is not None and value != unique:
                    raise InvalidEdition(
                        f"A unique work has no {name.replace('_', ' ')}.", field=f"edition.{name}"
                    )
            return UNIQUE
        if self.size is None or not 2 <= self.size <= MAX_EDITION_SIZE:
            raise InvalidEdition(
                f"A limited edition has a size of 2 to {MAX_EDITION_SIZE}.", field="edition.size"
            )
        proofs = self.artist_proofs or 0
        if not 0 <= proofs <= self.size:
            raise InvalidEdition(
                "A limited edition has 0 to size artist proofs.", field="edition.artist_proofs"
            )
        return Edition.limited(self.size, proofs)


class EditionOut(msgspec.Struct, omit_defaults=True):
    """`{"kind": "unique"}`, or for a limited edition `{"kind": "limited", "size": 25,
    "artist_proofs": 2, "available": 12, "sold": 11}`: `available` numbers are free to buy (not
    held by an order awaiting payment, sold, or retired by a refund); `sold` numbers are paid for."""

    kind: Literal["unique", "limited"]
    size: int | None = None
    artist_proofs: int | None = None
    available: int | None = None
    sold: int | None = None

    @classmethod
    def of(cls, edition: Edition, available: int | None, sold: int | None) -> EditionOut:
        if not edition.is_limited:
            return cls("unique")
        return cls("limited", edition.size, edition.artist_proofs, available, sold)

    @classmethod
    def of_artwork(cls, artwork: Artwork | GalleryCard) -> EditionOut:
        return cls.of(artwork.edition, artwork.edition_available, artwork.edition_sold)


#: What a request's `edition` is (its description in the OpenAPI document).
EditionField = Annotated[EditionIn, msgspec.Meta(description=cleandoc(EditionIn.__doc__ or ""))]
#: What a representation's `edition` is.
EditionShown = Annotated[EditionOut, msgspec.Meta(description=cleandoc(EditionOut.__doc__ or ""))]
#: A drop's opening time.
DropTime = Annotated[
    datetime,
    msgspec.Meta(
        description="A drop: the work is listed once published and on sale from this time "
        "(RFC 3339 with its offset; answered in UTC). Before it, POST /orders answers 409 "
        "`not-yet-available`. null: on sale as soon as published."
    ),
]
