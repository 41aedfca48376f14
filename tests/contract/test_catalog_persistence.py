"""The catalog's repositories, run once per implementation: in memory, SQLite, PostgreSQL.

Every test asserts the state a fresh unit of work reads back, never how it was stored.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import uuid4

from tests.support.persistence import NOW, Storage, a_user, an_artwork, an_image, store

from artmarket.application.errors import ConcurrentUpdate
from artmarket.domain.artists import ArtistProfile, KycCase, KycStatus
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.identity import Role, User
from artmarket.domain.listing import Dimensions, Medium
from artmarket.domain.money import Currency, Money


def a_case(artist: User, *, at: object = NOW) -> KycCase:
    return KycCase.submit(
        id=uuid4(),
        artist_id=artist.id,
        legal_name="Ada King",
        country="ng",
        document_key=f"kyc/{artist.id}/passport.pdf",
        document_content_type="application/pdf",
        now=at,  # type: ignore[arg-type]
        previous=None,
    )


async def test_an_artist_profile_reads_back_and_its_update_is_saved(storage: Storage) -> None:
    ada = a_user(role=Role.ARTIST)
    await store(storage, ada)
    async with storage.new_uow() as uow:
        uow.artist_profiles.add(
            ArtistProfile.create(
                user_id=ada.id,
                display_name="Ada K.",
                bio="Seascapes.",
                country="ng",
                website=None,
                now=NOW,
                slug="ada-k",
            )
        )
        await uow.commit()

    async with storage.new_uow() as uow:
        profile = await uow.artist_profiles.get(ada.id)
        assert profile is not None
        profile.update(
            display_name="Ada King",
            bio="Seascapes and harbours.",
            country="GH",
            website="https://ada.example",
            now=NOW + timedelta(days=1),
        )
        await uow.commit()

    async with storage.new_uow() as uow:
        reread = await uow.artist_profiles.get(ada.id)
        nobody = await uow.artist_profiles.get(uuid4())
    assert reread is not None
    assert nobody is None
    assert (reread.display_name, reread.bio, reread.country, reread.website) == (
        "Ada King",
        "Seascapes and harbours.",
        "GH",
        "https://ada.example",
    )
    assert reread.updated_at == NOW + timedelta(days=1)
    assert reread.slug == "ada-k"  # a rename keeps the page's address
    async with storage.new_uow() as uow:
        assert await uow.artist_profiles.slug_taken("ada-k")
        assert not await uow.artist_profiles.slug_taken("ada-king")


async def test_kyc_cases_are_listed_newest_first_per_artist_and_oldest_first_in_the_queue(
    storage: Storage,
) -> None:
    ada, bob, admin = a_user("Ada", role=Role.ARTIST), a_user("Bob", role=Role.ARTIST), a_user("Root")
    await store(storage, ada, bob, admin)
    first = a_case(ada, at=NOW)
    first.reject(reviewer_id=admin.id, now=NOW + timedelta(hours=1), reason="blurry scan")
    second = a_case(ada, at=NOW + timedelta(days=1))
    bobs = a_case(bob, at=NOW + timedelta(hours=2))
    async with storage.new_uow() as uow:
        for case in (second, bobs, first):
            uow.kyc_cases.add(case)
        await uow.commit()

    async with storage.new_uow() as uow:
        latest = await uow.kyc_cases.latest_for_artist(ada.id)
        adas = await uow.kyc_cases.list_for_artist(ada.id)
        pending = await uow.kyc_cases.list(status=KycStatus.PENDING, limit=10)
        everything = await uow.kyc_cases.list(status=None, limit=2)
        rejected = await uow.kyc_cases.get(first.id)
        none_yet = await uow.kyc_cases.latest_for_artist(admin.id)

    assert latest is not None
    assert latest.id == second.id
    assert [c.id for c in adas] == [second.id, first.id]
    assert [c.id for c in pending] == [bobs.id, second.id]
    assert [c.id for c in everything] == [first.id, bobs.id]
    assert none_yet is None
    assert rejected is not None
    assert rejected.status is KycStatus.REJECTED
    assert (rejected.reviewer_id, rejected.decided_at, rejected.reason) == (
        admin.id,
        NOW + timedelta(hours=1),
        "blurry scan",
    )
    assert (rejected.legal_name, rejected.country, rejected.document_content_type) == (
        "Ada King",
        "NG",
        "application/pdf",
    )


async def test_two_admins_deciding_one_case_at_once_cannot_both_win(storage: Storage) -> None:
    ada, root, admin = a_user("Ada", role=Role.ARTIST), a_user("Root"), a_user("Admin")
    case = a_case(ada)
    await store(storage, ada, root, admin)
    async with storage.new_uow() as uow:
        uow.kyc_cases.add(case)
        await uow.commit()

    first, second = storage.new_uow(), storage.new_uow()
    async with first, second:
        approving, rejecting = await first.kyc_cases.get(case.id), await second.kyc_cases.get(case.id)
        assert approving is not None
        assert rejecting is not None
        approving.approve(reviewer_id=root.id, now=NOW)
        rejecting.reject(reviewer_id=admin.id, now=NOW, reason="no")
        outcomes = await asyncio.gather(first.commit(), second.commit(), return_exceptions=True)

    assert sorted(map(type, outcomes), key=str) == sorted([type(None), ConcurrentUpdate], key=str), outcomes
    async with storage.new_uow() as uow:
        stored = await uow.kyc_cases.get(case.id)
    assert stored is not None
    assert stored.status is (KycStatus.APPROVED if outcomes[0] is None else KycStatus.REJECTED)


async def test_an_artwork_reads_back_with_its_money_dimensions_and_images_in_order(storage: Storage) -> None:
    ada = a_user(role=Role.ARTIST)
    sculpture = an_artwork(
        ada,
        "Tidal Form",
        price=Money.of(123_456_789_012, "USD"),
        medium=Medium.SCULPTURE,
        dimensions=Dimensions(height_mm=1200, width_mm=800, depth_mm=450),
        images=3,
        favorites_count=0,
    )
    sketch = an_artwork(ada, "Study", dimensions=Dimensions(210, 297), year=None, images=0, published_at=None)
    untitled = an_artwork(ada, "Untitled", dimensions=None, images=1, published_at=None)
    await store(storage, ada, sculpture, sketch, untitled)

    async with storage.new_uow() as uow:
        loaded = await uow.artworks.get(sculpture.id)
        drawn = await uow.artworks.get(sketch.id)
        bare = await uow.artworks.get(untitled.id)
        missing = await uow.artworks.get(uuid4())

    assert missing is None
    assert loaded is not None
    assert drawn is not None
    assert bare is not None
    assert loaded.price == Money(123_456_789_012, Currency("USD"))
    assert loaded.dimensions == Dimensions(1200, 800, 450)
    assert drawn.dimensions == Dimensions(210, 297, None)
    assert bare.dimensions is None
    assert drawn.year is None
    assert loaded.images == sculpture.images
    assert [image.position for image in loaded.images] == [0, 1, 2]
    assert drawn.images == []
    assert (loaded.title, loaded.medium, loaded.status, loaded.year) == (
        "Tidal Form",
        Medium.SCULPTURE,
        ArtworkStatus.PUBLISHED,
        2024,
    )
    assert (loaded.artist_id, loaded.artist_name, loaded.description) == (
        ada.id,
        "Ada Lovelace",
        "Oil on linen.",
    )
    assert (loaded.created_at, loaded.published_at, loaded.favorites_count) == (NOW, NOW, 0)
    assert bare.status is ArtworkStatus.DRAFT
    assert bare.published_at is None


async def test_images_appended_to_a_loaded_artwork_are_saved_in_order(storage: Storage) -> None:
    ada = a_user(role=Role.ARTIST)
    draft = an_artwork(ada, images=1, published_at=None)
    await store(storage, ada, draft)
    added = [an_image(1, artwork_id=draft.id), an_image(2, artwork_id=draft.id)]

    async with storage.new_uow() as uow:
        loaded = await uow.artworks.get(draft.id)
        assert loaded is not None
        for image in added:
            loaded.add_image(image, NOW + timedelta(minutes=1))
        await uow.commit()
    async with storage.new_uow() as uow:
        loaded = await uow.artworks.get(draft.id)
        assert loaded is not None
        loaded.publish(kyc_approved=True, now=NOW + timedelta(minutes=2))
        await uow.commit()

    async with storage.new_uow() as uow:
        reread = await uow.artworks.get(draft.id)
    assert reread is not None
    assert reread.images == [*draft.images, *added]
    assert reread.status is ArtworkStatus.PUBLISHED
    assert reread.updated_at == NOW + timedelta(minutes=2)


async def test_an_edit_that_removes_the_dimensions_and_changes_the_price_is_saved(storage: Storage) -> None:
    ada = a_user(role=Role.ARTIST)
    work = an_artwork(ada, dimensions=Dimensions(100, 200, 30))
    await store(storage, ada, work)

    async with storage.new_uow() as uow:
        loaded = await uow.artworks.get(work.id)
        assert loaded is not None
        loaded.edit(now=NOW + timedelta(hours=1), title="Harbour  at  Dusk", price=Money.of(9_900, "USD"))
        loaded.dimensions = None
        await uow.commit()

    async with storage.new_uow() as uow:
        reread = await uow.artworks.get(work.id)
    assert reread is not None
    assert reread.title == "Harbour at Dusk"
    assert reread.price == Money.of(9_900, "USD")
    assert reread.dimensions is None
    assert reread.images == work.images


async def test_an_artists_works_are_listed_newest_first_and_by_status(storage: Storage) -> None:
    ada, bob = a_user("Ada", role=Role.ARTIST), a_user("Bob", role=Role.ARTIST)
    old = an_artwork(ada, "Old", at=NOW)
    new = an_artwork(ada, "New", at=NOW + timedelta(days=1), published_at=None)
    twins = [an_artwork(ada, f"Twin {n}", at=NOW + timedelta(days=2)) for n in range(3)]
    bobs = an_artwork(bob, "Bob's")
    await store(storage, ada, bob, old, new, *twins, bobs)

    async with storage.new_uow() as uow:
        everything = await uow.artworks.list_for_artist(ada.id)
        drafts = await uow.artworks.list_for_artist(ada.id, status=ArtworkStatus.DRAFT)

    twin_ids = sorted((t.id for t in twins), reverse=True)
    assert [a.id for a in everything] == [*twin_ids, new.id, old.id]
    assert [a.id for a in drafts] == [new.id]


async def test_renaming_an_artist_renames_their_works_without_conflicting_with_an_edit(
    storage: Storage,
) -> None:
    ada, bob = a_user("Ada", role=Role.ARTIST), a_user("Bob", role=Role.ARTIST)
    first, second, bobs = an_artwork(ada, "First"), an_artwork(ada, "Second"), an_artwork(bob, "Bob's")
    await store(storage, ada, bob, first, second, bobs)

    editing = storage.new_uow()
    async with editing:
        edited = await editing.artworks.get(first.id)
        assert edited is not None
        edited.edit(now=NOW + timedelta(hours=1), title="First, revised")
        async with storage.new_uow() as uow:
            seen = await uow.artworks.get(second.id)
            await uow.artworks.rename_artist(ada.id, "Ada King")
            assert seen is not None
            assert seen.artist_name == "Ada King"  # a work loaded in the same transaction follows
            await uow.commit()
        await editing.commit()  # a rename is not a change of the artwork: no conflict

    async with storage.new_uow() as uow:
        bobs_work = await uow.artworks.get(bobs.id)
        assert bobs_work is not None
        works = {a.id: a for a in [*await uow.artworks.list_for_artist(ada.id), bobs_work]}
    assert works[first.id].title == "First, revised"
    assert {works[first.id].artist_name, works[second.id].artist_name} == {"Ada King"}
    assert works[bobs.id].artist_name == "Bob"


async def test_two_concurrent_changes_to_one_artwork_cannot_both_win(storage: Storage) -> None:
    ada, buyer = a_user("Ada", role=Role.ARTIST), a_user("Buyer")
    work = an_artwork(ada)
    await store(storage, ada, buyer, work)

    first, second = storage.new_uow(), storage.new_uow()
    async with first, second:
        withdrawing, reserving = await first.artworks.get(work.id), await second.artworks.get(work.id)
        assert withdrawing is not None
        assert reserving is not None
        withdrawing.withdraw(NOW + timedelta(minutes=1))
        reserving.reserve(NOW + timedelta(minutes=1))
        outcomes = await asyncio.gather(first.commit(), second.commit(), return_exceptions=True)

    assert outcomes.count(None) == 1, outcomes
    assert [type(o) for o in outcomes if o is not None] == [ConcurrentUpdate], outcomes
    async with storage.new_uow() as uow:
        stored = await uow.artworks.get(work.id)
    assert stored is not None
    assert stored.status is (ArtworkStatus.WITHDRAWN if outcomes[0] is None else ArtworkStatus.RESERVED)


async def test_favourites_are_idempotent_and_keep_the_counter_right(storage: Storage) -> None:
    ada, bob, cy = a_user("Ada", role=Role.ARTIST), a_user("Bob"), a_user("Cy")
    harbour, dusk = an_artwork(ada, "Harbour"), an_artwork(ada, "Dusk")
    await store(storage, ada, bob, cy, harbour, dusk)

    async with storage.new_uow() as uow:
        loaded = await uow.artworks.get(harbour.id)
        assert await uow.favorites.add(bob.id, harbour.id, NOW)
        assert not await uow.favorites.add(bob.id, harbour.id, NOW + timedelta(seconds=1))
        assert await uow.favorites.add(cy.id, harbour.id, NOW)
        assert await uow.favorites.add(bob.id, dusk.id, NOW + timedelta(minutes=1))
        assert loaded is not None
        assert loaded.favorites_count == 2  # the loaded artwork follows its counter
        await uow.commit()

    async with storage.new_uow() as uow:
        assert await uow.favorites.remove(cy.id, harbour.id)
        assert not await uow.favorites.remove(cy.id, harbour.id)
        assert not await uow.favorites.remove(cy.id, dusk.id)
        await uow.commit()

    async with storage.new_uow() as uow:  # not committed: nothing changes
        assert await uow.favorites.add(cy.id, dusk.id, NOW)
        assert await uow.favorites.remove(bob.id, dusk.id)

    async with storage.new_uow() as uow:
        counts = [(await uow.artworks.get(a.id)).favorites_count for a in (harbour, dusk)]  # type: ignore[union-attr]
        bobs = await uow.favorites.artwork_ids_for_user(bob.id, limit=10)
        bobs_latest = await uow.favorites.artwork_ids_for_user(bob.id, limit=1)
        cys = await uow.favorites.artwork_ids_for_user(cy.id, limit=10)
    assert counts == [1, 1]
    assert list(bobs) == [dusk.id, harbour.id]
    assert list(bobs_latest) == [dusk.id]
    assert list(cys) == []


async def test_a_favourite_does_not_conflict_with_an_edit_of_the_artwork(storage: Storage) -> None:
    ada, bob = a_user("Ada", role=Role.ARTIST), a_user("Bob")
    work = an_artwork(ada)
    await store(storage, ada, bob, work)

    editing = storage.new_uow()
    async with editing:
        edited = await editing.artworks.get(work.id)
        assert edited is not None
        edited.edit(now=NOW + timedelta(hours=1), description="Oil and wax on linen.")
        async with storage.new_uow() as uow:
            assert await uow.favorites.add(bob.id, work.id, NOW)
            await uow.commit()
        await editing.commit()

    async with storage.new_uow() as uow:
        stored = await uow.artworks.get(work.id)
    assert stored is not None
    assert stored.description == "Oil and wax on linen."
    assert stored.favorites_count == 1  # the edit did not write its stale counter back
