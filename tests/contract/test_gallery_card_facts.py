"""Gallery cards carry what a card shows beyond the listing: size, physical or digital, the artist's country.

Run once per implementation (in memory, SQLite, PostgreSQL) like `test_gallery_queries.py`.
"""

from __future__ import annotations

from datetime import timedelta

from tests.support.persistence import NOW, Storage, a_user, an_artwork, ships_to, store

from artmarket.application.catalog.ports import GalleryFilter, GallerySort
from artmarket.domain.artists import ArtistProfile
from artmarket.domain.identity import Role
from artmarket.domain.listing import Dimensions


async def test_a_card_carries_the_size_whether_the_work_ships_and_the_artists_country(
    storage: Storage,
) -> None:
    painter, newcomer = a_user("Amara Obi", role=Role.ARTIST), a_user("No Profile", role=Role.ARTIST)
    canvas = an_artwork(
        painter, "Canvas", dimensions=Dimensions(900, 600, 30), delivery=ships_to((("NG",), 250_000))
    )
    screen = an_artwork(painter, "Screen", published_at=NOW + timedelta(minutes=1))
    sketch = an_artwork(newcomer, "Sketch", delivery=ships_to((("GH",), 100_000)))
    await store(storage, painter, newcomer, canvas, screen, sketch)
    async with storage.new_uow() as uow:
        uow.artist_profiles.add(
            ArtistProfile.create(
                user_id=painter.id,
                display_name="Amara",
                bio="",
                country="NG",
                website=None,
                now=NOW,
                slug="amara",
            )
        )
        await uow.commit()

    cards = await storage.gallery.search(GalleryFilter(), GallerySort.OLDEST, None, 10)

    assert {c.title: (c.dimensions, c.physical, c.ships_from) for c in cards} == {
        "Canvas": (Dimensions(900, 600, 30), True, "NG"),
        "Screen": (None, False, "NG"),
        "Sketch": (None, True, None),
    }
