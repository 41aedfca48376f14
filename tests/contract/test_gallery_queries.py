"""The gallery read model, run once per implementation: in memory, SQLite, PostgreSQL.

Walking every page by keyset must yield exactly the works a plain Python sort of the seeded
data gives, each once, whatever the sort, the filters, the ties and the works published
while someone is paging. On PostgreSQL every listing must also use an index as it is
sent: prepared listings under a generic plan (the partial-index trap of `status = $1`),
searches under the custom plan of their words (a rare word and a common one).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import text
from tests.support.persistence import (
    NOW,
    Storage,
    a_user,
    an_artwork,
    an_image,
    store,
)
from tests.support.plans import explain_statements, plan_uses_an_index

from artmarket.adapters.persistence.gallery import PostgresGalleryQueries
from artmarket.application.catalog.ports import GalleryCard, GalleryFilter, GallerySort
from artmarket.application.cursor import GalleryPosition
from artmarket.domain.artists import ArtistProfile
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.editions import UNIQUE, Edition, EditionStock, NumberState
from artmarket.domain.identity import Role, User
from artmarket.domain.listing import Medium
from artmarket.domain.money import Money

PAGE = 7
MEDIA = [Medium.PAINTING, Medium.DRAWING, Medium.PHOTOGRAPHY, Medium.SCULPTURE, Medium.DIGITAL]
DESCENDING = {GallerySort.NEWEST, GallerySort.PRICE_DESC, GallerySort.POPULAR}


@dataclass
class Gallery:
    """The seeded catalog: who the artists are, and every artwork in its final state."""

    oceanne: User
    kwame: User
    ada: User
    drafter: User
    buyer: User
    works: list[Artwork]


def published_work(n: int, artist: User) -> Artwork:
    """The n-th published work: prices, favourites and publication times repeat, so ties abound."""
    return an_artwork(
        artist,
        f"Ocean Study {n}" if n % 10 == 0 else f"Work {n}",
        description="A view of the ocean at dawn." if n % 10 == 5 else "Oil on linen.",
        medium=MEDIA[n % 5],
        price=Money.of((n * 37) % 17 * 100_000 + 50_000, "USD" if n % 4 == 3 else "NGN"),
        favorites_count=n % 6,
        published_at=NOW + timedelta(minutes=n // 4),
        images=1 + n % 3,
    )


async def seed(storage: Storage) -> Gallery:
    oceanne = a_user("Oceanne Duval", role=Role.ARTIST)
    kwame, ada = a_user("Kwame Mensah", role=Role.ARTIST), a_user("Ada Lovelace", role=Role.ARTIST)
    drafter, buyer = a_user("Dee Drafter", role=Role.ARTIST), a_user("Bob Buyer")
    artists = [oceanne, kwame, ada]
    works = [published_work(n, artists[n % 3]) for n in range(60)]
    later = NOW + timedelta(hours=1)
    drafts = [an_artwork(artists[n % 3], f"Ocean Draft {n}", published_at=None) for n in range(4)]
    drafts.append(an_artwork(drafter, "Ocean Sketch", published_at=None))
    withdrawn = [an_artwork(artists[n % 3], f"Ocean Withdrawn {n}") for n in range(3)]
    for work in withdrawn:
        work.withdraw(later)
    sold = [published_work(100 + n, artists[n % 3]) for n in range(5)]
    reserved = [published_work(200 + n, artists[n % 3]) for n in range(2)]
    for work in [*sold, *reserved]:
        work.reserve(later)
    for work in sold:
        work.sell(later)
    works += [*drafts, *withdrawn, *sold, *reserved]
    await store(storage, oceanne, kwame, ada, drafter, buyer, *works)
    async with storage.new_uow() as uow:
        uow.artist_profiles.add(
            ArtistProfile.create(
                user_id=kwame.id,
                display_name="Kwame M.",
                bio="Photographs of Accra.",
                country="GH",
                website="https://kwame.example",
                now=NOW,
                slug="kwame-m",
            )
        )
        await uow.commit()
    return Gallery(oceanne, kwame, ada, drafter, buyer, works)


def expected(works: Sequence[Artwork], where: GalleryFilter, sort: GallerySort) -> list[UUID]:
    """The reference answer: filter and sort the seeded works in plain Python."""
    q = (where.q or "").lower()
    matching = [
        w
        for w in works
        if w.status == where.status
        and (where.medium is None or w.medium == where.medium)
        and (where.artist_id is None or w.artist_id == where.artist_id)
        and (where.currency is None or w.price.currency.code == where.currency)
        and (where.min_price is None or w.price.amount >= where.min_price)
        and (where.max_price is None or w.price.amount <= where.max_price)
        and (not q or any(q in t.lower() for t in (w.title, w.description, w.artist_name)))
    ]

    def key(w: Artwork) -> tuple[object, UUID]:
        if sort in (GallerySort.PRICE_ASC, GallerySort.PRICE_DESC):
            return (w.price.amount, w.id)
        if sort is GallerySort.POPULAR:
            return (w.favorites_count, w.id)
        return (w.published_at, w.id)

    return [w.id for w in sorted(matching, key=key, reverse=sort in DESCENDING)]


async def walk(
    storage: Storage,
    where: GalleryFilter,
    sort: GallerySort,
    *,
    between_pages: Callable[[int], Awaitable[None]] | None = None,
) -> list[GalleryCard]:
    """Every card, page after page of `PAGE`, each page strictly after the last one's end."""
    seen: list[GalleryCard] = []
    after: GalleryPosition | None = None
    for page_number in range(1, 1000):
        page = await storage.gallery.search(where, sort, after, PAGE)
        assert len(page) <= PAGE
        seen.extend(page)
        if len(page) < PAGE:
            return seen
        after = GalleryPosition(page[-1].sort_key(sort), page[-1].id)
        if between_pages is not None:
            await between_pages(page_number)
    raise AssertionError("the walk never ended")


FILTERS: dict[str, Callable[[Gallery], GalleryFilter]] = {
    "everything published": lambda g: GalleryFilter(),
    "one medium": lambda g: GalleryFilter(medium=Medium.PAINTING),
    "one artist": lambda g: GalleryFilter(artist_id=g.ada.id),
    "naira in a price range": lambda g: GalleryFilter(currency="NGN", min_price=450_000, max_price=1_250_000),
    "dollars from a minimum": lambda g: GalleryFilter(currency="USD", min_price=700_000),
    "naira up to a maximum": lambda g: GalleryFilter(currency="NGN", max_price=650_000),
    "sold works": lambda g: GalleryFilter(status=ArtworkStatus.SOLD),
    "sold works of one artist": lambda g: GalleryFilter(status=ArtworkStatus.SOLD, artist_id=g.kwame.id),
    "a search": lambda g: GalleryFilter(q="ocean"),
    "a search with filters": lambda g: GalleryFilter(q="Ocean", medium=Medium.PAINTING, currency="NGN"),
    "nothing matches": lambda g: GalleryFilter(medium=Medium.TEXTILE),
}


async def test_every_sort_and_filter_pages_through_exactly_the_matching_works_in_order(
    storage: Storage,
) -> None:
    gallery = await seed(storage)

    for name, make_filter in FILTERS.items():
        where = make_filter(gallery)
        for sort in GallerySort:
            cards = await walk(storage, where, sort)
            assert [c.id for c in cards] == expected(gallery.works, where, sort), (name, sort)
    assert len(expected(gallery.works, GalleryFilter(), GallerySort.NEWEST)) == 60


async def test_a_card_carries_the_listing_and_the_first_image_as_thumbnail(storage: Storage) -> None:
    gallery = await seed(storage)
    by_id = {w.id: w for w in gallery.works}

    cards = await walk(storage, GalleryFilter(), GallerySort.OLDEST)

    assert len(cards) == 60
    for card in cards:
        work = by_id[card.id]
        thumbnail = work.images[0]
        assert len(work.images) >= 1
        assert (card.title, card.artist_id, card.artist_name, card.medium) == (
            work.title,
            work.artist_id,
            work.artist_name,
            work.medium,
        )
        assert (card.price, card.status, card.year, card.favorites_count) == (
            work.price,
            ArtworkStatus.PUBLISHED,
            2024,
            work.favorites_count,
        )
        assert (card.thumbnail_key, card.thumbnail_width, card.thumbnail_height) == (
            thumbnail.thumbnail_key,
            thumbnail.width,
            thumbnail.height,
        )
        assert card.published_at == work.published_at


async def test_a_card_carries_the_edition_its_counts_and_the_drop_time(storage: Storage) -> None:
    artist = a_user("Print Maker", role=Role.ARTIST)
    unique = an_artwork(artist, "The original", published_at=NOW)
    prints = an_artwork(artist, "The prints", published_at=NOW + timedelta(minutes=1))
    prints.change_edition(Edition.limited(25, 2), NOW)
    prints.schedule_drop(NOW + timedelta(days=3), NOW)
    held = dict.fromkeys(range(1, 12), NumberState.SOLD) | dict.fromkeys((12, 13), NumberState.RESERVED)
    prints.follow_stock(EditionStock(25, held), NOW)
    await store(storage, artist, unique, prints)

    cards = await storage.gallery.search(GalleryFilter(artist_id=artist.id), GallerySort.OLDEST, None, 10)

    assert [(c.title, c.edition, c.edition_available, c.edition_sold, c.available_from) for c in cards] == [
        ("The original", UNIQUE, None, None, None),
        ("The prints", Edition.limited(25, 2), 12, 11, NOW + timedelta(days=3)),
    ]


async def test_the_thumbnail_is_the_first_image_even_when_images_are_added_after_the_work_was_stored(
    storage: Storage,
) -> None:
    artist = a_user("Late Uploader", role=Role.ARTIST)
    draft = an_artwork(artist, "Uploaded later", images=0, published_at=None)
    await store(storage, artist, draft)
    first, second = an_image(0, artwork_id=draft.id), an_image(1, artwork_id=draft.id)

    async with storage.new_uow() as uow:
        work = await uow.artworks.get(draft.id)
        assert work is not None
        work.add_image(first, NOW)
        work.publish(kyc_approved=True, now=NOW)
        await uow.commit()
    async with storage.new_uow() as uow:
        published = await uow.artworks.get(draft.id)
        assert published is not None
        published.add_image(second, NOW)
        await uow.commit()

    [card] = await storage.gallery.search(GalleryFilter(artist_id=artist.id), GallerySort.NEWEST, None, 10)
    assert (card.thumbnail_key, card.thumbnail_width, card.thumbnail_height) == (
        first.thumbnail_key,
        first.width,
        first.height,
    )


@pytest.mark.parametrize("q", ["ocean", "OCEAN", "Oceanne", "dawn", "study", "duval", "kwame"])
async def test_a_search_matches_title_description_or_artist_name_ignoring_case(
    storage: Storage, q: str
) -> None:
    gallery = await seed(storage)

    cards = await walk(storage, GalleryFilter(q=q), GallerySort.NEWEST)

    ids = [c.id for c in cards]
    assert ids == expected(gallery.works, GalleryFilter(q=q), GallerySort.NEWEST)
    assert ids, "every search here has matches"
    assert all(
        q.lower() in f"{c.title}\n{c.artist_name}".lower()
        or q.lower() in next(w.description for w in gallery.works if w.id == c.id).lower()
        for c in cards
    )


async def test_a_search_for_wildcards_finds_only_what_it_says(storage: Storage) -> None:
    await seed(storage)

    # Unescaped, each of these would match every work on SQLite.
    for q in ["%", "_", "%_%"]:
        assert await storage.gallery.search(GalleryFilter(q=q), GallerySort.NEWEST, None, 50) == [], q


async def test_works_published_while_paging_are_neither_skipped_nor_repeated(storage: Storage) -> None:
    gallery = await seed(storage)
    ada = gallery.ada
    fresh: list[Artwork] = []

    async def publish_three(page_number: int) -> None:
        if page_number != 2:
            return
        batch = [
            an_artwork(
                ada,
                f"Fresh {len(fresh) + n}",
                price=Money.of(n * 400_000 + 100_000, "NGN"),
                favorites_count=n * 2,
                published_at=NOW + timedelta(days=1, minutes=len(fresh) + n),
            )
            for n in range(3)
        ]
        await store(storage, *batch)
        fresh.extend(batch)

    for sort in GallerySort:
        before = expected(gallery.works + fresh, GalleryFilter(), sort)
        known = set(before)
        cards = await walk(storage, GalleryFilter(), sort, between_pages=publish_three)
        ids = [c.id for c in cards]
        assert len(ids) == len(set(ids)), (sort, "a work was repeated")
        assert [i for i in ids if i in known] == before, (sort, "a work was skipped or moved")
        if sort is GallerySort.NEWEST:
            # Newer than the cursor: they belong before the pages already seen.
            assert set(ids) == known, sort
        if sort is GallerySort.OLDEST:
            assert ids[len(before) :] == [w.id for w in fresh[-3:]], sort


async def test_the_artist_directory_lists_artists_with_public_works_by_id(storage: Storage) -> None:
    gallery = await seed(storage)
    artists = sorted([gallery.oceanne, gallery.kwame, gallery.ada], key=lambda u: u.id)

    everyone = await storage.gallery.artists(limit=10, after=None)
    first_two = await storage.gallery.artists(limit=2, after=None)
    the_rest = await storage.gallery.artists(limit=2, after=first_two[-1].id)
    kwame = await storage.gallery.artist(gallery.kwame.id)
    oceanne = await storage.gallery.artist(gallery.oceanne.id)
    drafter = await storage.gallery.artist(gallery.drafter.id)
    buyer = await storage.gallery.artist(gallery.buyer.id)

    assert [a.id for a in everyone] == [a.id for a in artists]
    assert [a.id for a in [*first_two, *the_rest]] == [a.id for a in artists]
    assert drafter is None  # drafts only
    assert buyer is None  # not an artist
    assert kwame is not None
    assert (kwame.display_name, kwame.bio, kwame.country, kwame.website, kwame.published_works) == (
        "Kwame M.",
        "Photographs of Accra.",
        "GH",
        "https://kwame.example",
        20,
    )
    assert oceanne is not None
    assert (oceanne.display_name, oceanne.bio, oceanne.country, oceanne.website, oceanne.published_works) == (
        "Oceanne Duval",
        "",
        None,
        None,
        20,
    )
    assert {a.id: a.published_works for a in everyone} == {a.id: 20 for a in artists}


async def test_an_artist_is_found_by_their_slug_once_they_have_a_profile(storage: Storage) -> None:
    gallery = await seed(storage)

    kwame = await storage.gallery.artist_by_slug("kwame-m")
    nobody = await storage.gallery.artist_by_slug("kwame")
    oceanne = await storage.gallery.artist(gallery.oceanne.id)

    assert kwame is not None
    assert (kwame.id, kwame.slug, kwame.verified) == (gallery.kwame.id, "kwame-m", False)
    assert nobody is None
    assert oceanne is not None
    assert oceanne.slug is None  # no profile yet: their page is addressed by id


# ---------------------------------------------------------------------------------------
# PostgreSQL plans: every listing must use an index as the gallery sends it.

PLAN_ROWS = 20_000


async def _seed_many(storage: Storage, artist: User) -> None:
    """`PLAN_ROWS` artworks (95% published) with a thumbnail each, in two INSERT ... SELECTs."""
    assert storage.engine is not None
    async with storage.engine.begin() as connection:
        await connection.execute(
            text(
                """
                INSERT INTO artworks (id, artist_id, artist_name, title, description, medium,
                    price_amount, price_currency, year, status, created_at, updated_at,
                    published_at, favorites_count, version, cover_thumbnail_key, cover_width, cover_height)
                SELECT md5('artwork' || n)::uuid, :artist, 'Artist ' || (n % 97),
                    'Work ' || n || CASE WHEN n % 500 = 0 THEN ' ocean' ELSE '' END,
                    'Description of work ' || n, 'painting', 10000 + (n * 7919) % 5000000,
                    CASE WHEN n % 4 = 0 THEN 'USD' ELSE 'NGN' END, 2020,
                    CASE WHEN n % 20 = 0 THEN 'draft' ELSE 'published' END,
                    now(), now(), now() - make_interval(secs => n), n % 50, 1, 't', 800, 600
                FROM generate_series(1, :rows) AS n
                """
            ),
            {"artist": artist.id, "rows": PLAN_ROWS},
        )
        await connection.execute(
            text(
                """
                INSERT INTO artwork_images (id, artwork_id, position, display_key, thumbnail_key,
                    original_key, width, height, created_at)
                SELECT md5('image' || n)::uuid, md5('artwork' || n)::uuid, 0, 'd', 't', 'o', 800, 600, now()
                FROM generate_series(1, :rows) AS n
                """
            ),
            {"rows": PLAN_ROWS},
        )
        await connection.execute(text("ANALYZE artworks"))
        await connection.execute(text("ANALYZE artwork_images"))


async def _plan(
    storage: Storage, where: GalleryFilter, sort: GallerySort, after: object, *, generic: bool
) -> str:
    """EXPLAIN of the listing as the gallery sends it (see `tests.support.plans`)."""
    assert storage.engine is not None
    assert isinstance(storage.gallery, PostgresGalleryQueries)
    text, values = storage.gallery.sql(storage.gallery.prepare(where, sort, after, 25))  # type: ignore[arg-type]
    plan: list[str] = []
    async with storage.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        async with driver.cursor() as cursor:
            for statement, parameters in explain_statements(text, values, generic=generic):
                await cursor.execute(statement, parameters)
                if statement.as_string(driver).startswith("EXPLAIN"):
                    plan = [row[0] for row in await cursor.fetchall()]
    return "\n".join(plan)


@pytest.mark.parametrize("storage", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
async def test_every_listing_uses_an_index_as_the_gallery_sends_it(storage: Storage) -> None:
    artist = a_user("Prolific", role=Role.ARTIST)
    await store(storage, artist)
    await _seed_many(storage, artist)
    page_50 = (await walk_to(storage, GalleryFilter(), GallerySort.NEWEST, pages=50))[-1]
    price_position = GalleryPosition(1_000_000, page_50.id)
    listings = {
        "newest": (GalleryFilter(), GallerySort.NEWEST, None),
        "price_asc, naira in a range": (
            GalleryFilter(currency="NGN", min_price=100_000, max_price=2_000_000),
            GallerySort.PRICE_ASC,
            None,
        ),
        "price_asc, naira in a range, later page": (
            GalleryFilter(currency="NGN", min_price=100_000, max_price=2_000_000),
            GallerySort.PRICE_ASC,
            price_position,
        ),
        "search": (GalleryFilter(q="ocean"), GallerySort.NEWEST, None),
        "newest, a deep page": (GalleryFilter(), GallerySort.NEWEST, _position(page_50, GallerySort.NEWEST)),
        "oldest, a deep page": (GalleryFilter(), GallerySort.OLDEST, _position(page_50, GallerySort.OLDEST)),
        "popular, a deep page": (GalleryFilter(), GallerySort.POPULAR, GalleryPosition(25, page_50.id)),
        "price_desc": (GalleryFilter(), GallerySort.PRICE_DESC, None),
        "sold": (GalleryFilter(status=ArtworkStatus.SOLD), GallerySort.NEWEST, None),
    }

    for name, (where, sort, after) in listings.items():
        plan = await _plan(storage, where, sort, after, generic=True)
        assert plan_uses_an_index(plan), f"{name}:\n{plan}"
    for q in ("ocean", "work"):  # a rare word, and one in every title: each planned for its value
        plan = await _plan(storage, GalleryFilter(q=q), GallerySort.NEWEST, None, generic=False)
        assert plan_uses_an_index(plan), f"search {q!r}:\n{plan}"


def _position(card: GalleryCard, sort: GallerySort) -> GalleryPosition:
    return GalleryPosition(card.sort_key(sort), card.id)


async def walk_to(
    storage: Storage, where: GalleryFilter, sort: GallerySort, *, pages: int
) -> list[GalleryCard]:
    seen: list[GalleryCard] = []
    after: GalleryPosition | None = None
    for _ in range(pages):
        page = await storage.gallery.search(where, sort, after, 25)
        seen.extend(page)
        after = _position(page[-1], sort)
    return seen
