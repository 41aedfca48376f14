"""The unit-of-work contract, run once per implementation: in memory, SQLite, PostgreSQL.

Every test asserts the state a fresh unit of work reads back, never how it was stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from artmarket.adapters.persistence.database import create_engine, create_session_factory
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.unit_of_work import REPOSITORIES as SQL_REPOSITORIES
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.application import unit_of_work as port
from artmarket.domain.identity import (
    DisplayName,
    Email,
    EmailAlreadyRegistered,
    RefreshTokenRejected,
    Role,
    TokenFamily,
    User,
    UserStatus,
)
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork
from artmarket.fakes.persistence.unit_of_work import REPOSITORIES as MEMORY_REPOSITORIES

NOW = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
TTL = timedelta(days=30)
FIRST_TOKEN = "1" * 64
SECOND_TOKEN = "2" * 64

UnitOfWork = SqlAlchemyUnitOfWork | InMemoryUnitOfWork
NewUnitOfWork = Callable[[], UnitOfWork]
URL_FIXTURES = {"sqlite": "migrated_sqlite_url", "postgresql": "migrated_postgres_url"}


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def new_uow(request: pytest.FixtureRequest) -> AsyncIterator[NewUnitOfWork]:
    """Builds units of work over one empty (migrated) database of the parametrised kind."""
    if request.param == "memory":
        db = InMemoryDatabase()
        yield lambda: InMemoryUnitOfWork(db)
        return
    url: str = request.getfixturevalue(URL_FIXTURES[request.param])
    start_mappers()
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    yield lambda: SqlAlchemyUnitOfWork(sessions)
    await engine.dispose()


def a_user(
    email: str = "ada@example.com",
    *,
    name: str = "Ada Lovelace",
    roles: frozenset[Role] = frozenset({Role.BUYER}),
    created_at: datetime = NOW,
    status: UserStatus = UserStatus.ACTIVE,
) -> User:
    user = User(uuid4(), Email(email), DisplayName(name), "argon2-hash-of-ada", roles, created_at)
    if status is UserStatus.SUSPENDED:
        user.suspend("chargebacks")
    return user


def a_family(user: User, first_token: str = FIRST_TOKEN, *, now: datetime = NOW) -> TokenFamily:
    return TokenFamily.start(id=uuid4(), user_id=user.id, first_token_hash=first_token, now=now, ttl=TTL)


async def store(new_uow: NewUnitOfWork, *users: User, families: tuple[TokenFamily, ...] = ()) -> None:
    async with new_uow() as uow:
        for user in users:
            uow.users.add(user)
        for family in families:
            uow.token_families.add(family)
        await uow.commit()


async def test_a_committed_user_reads_back_with_equal_fields_and_aware_utc_times(
    new_uow: NewUnitOfWork,
) -> None:
    ada = a_user(roles=frozenset({Role.ADMIN, Role.BUYER}))
    await store(new_uow, ada)

    async with new_uow() as uow:
        by_id = await uow.users.get(ada.id)
        by_email = await uow.users.get_by_email(Email("ADA@example.com"))

    assert by_id is not None
    assert by_email is not None
    assert by_email.id == ada.id
    assert by_id.email == Email("ada@example.com")
    assert by_id.display_name == DisplayName("Ada Lovelace")
    assert by_id.password_hash == "argon2-hash-of-ada"
    assert by_id.roles == frozenset({Role.ADMIN, Role.BUYER})
    assert by_id.status is UserStatus.ACTIVE
    assert by_id.status_reason is None
    assert by_id.created_at == NOW
    assert by_id.created_at.tzinfo is UTC


async def test_leaving_without_commit_keeps_nothing(new_uow: NewUnitOfWork) -> None:
    ada = a_user()
    async with new_uow() as uow:
        uow.users.add(ada)
        uow.token_families.add(a_family(ada))

    async with new_uow() as uow:
        assert await uow.users.get(ada.id) is None
        assert await uow.token_families.find_by_token(FIRST_TOKEN) is None


async def test_an_error_inside_the_block_keeps_nothing(new_uow: NewUnitOfWork) -> None:
    ada = a_user()

    async def add_then_fail() -> None:
        async with new_uow() as uow:
            uow.users.add(ada)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await add_then_fail()

    async with new_uow() as uow:
        assert await uow.users.get(ada.id) is None


async def test_an_email_differing_only_in_case_is_refused_at_commit_and_nothing_is_kept(
    new_uow: NewUnitOfWork,
) -> None:
    ada = a_user("ada@example.com")
    await store(new_uow, ada)
    impostor = a_user("ADA@Example.COM", name="Not Ada")

    async with new_uow() as uow:
        uow.users.add(impostor)
        uow.token_families.add(a_family(ada))  # same transaction: must vanish as well
        with pytest.raises(EmailAlreadyRegistered):
            await uow.commit()

    async with new_uow() as uow:
        assert await uow.users.get(impostor.id) is None
        assert await uow.token_families.find_by_token(FIRST_TOKEN) is None
        kept = await uow.users.get_by_email(Email("ada@example.com"))
    assert kept is not None
    assert kept.display_name == DisplayName("Ada Lovelace")


async def test_a_rejected_commit_leaves_the_unit_of_work_usable_for_the_next_block(
    new_uow: NewUnitOfWork,
) -> None:
    await store(new_uow, a_user("ada@example.com"))
    uow = new_uow()
    async with uow:
        uow.users.add(a_user("ada@example.com"))
        with pytest.raises(EmailAlreadyRegistered):
            await uow.commit()

    grace = a_user("grace@example.com", name="Grace Hopper")
    async with uow:
        uow.users.add(grace)
        await uow.commit()

    async with uow:
        stored = await uow.users.get_by_email(Email("grace@example.com"))
    assert stored is not None
    assert stored.id == grace.id


async def test_changes_to_a_loaded_user_are_saved_on_commit_and_stay_readable_after_the_block(
    new_uow: NewUnitOfWork,
) -> None:
    ada = a_user()
    await store(new_uow, ada)

    async with new_uow() as uow:
        loaded = await uow.users.get(ada.id)
        assert loaded is not None
        loaded.rename(DisplayName("Countess of Lovelace"))
        loaded.suspend("chargebacks")
        await uow.commit()
    assert loaded.display_name == DisplayName("Countess of Lovelace")  # readable after the block

    async with new_uow() as uow:
        reread = await uow.users.get(ada.id)
    assert reread is not None
    assert reread.display_name == DisplayName("Countess of Lovelace")
    assert reread.status is UserStatus.SUSPENDED
    assert reread.status_reason == "chargebacks"


async def test_changes_to_a_loaded_user_are_discarded_without_commit(new_uow: NewUnitOfWork) -> None:
    ada = a_user()
    await store(new_uow, ada)

    async with new_uow() as uow:
        loaded = await uow.users.get(ada.id)
        assert loaded is not None
        loaded.suspend("by mistake")

    async with new_uow() as uow:
        reread = await uow.users.get(ada.id)
    assert reread is not None
    assert reread.status is UserStatus.ACTIVE


async def test_a_familys_first_and_rotated_tokens_both_find_the_family(new_uow: NewUnitOfWork) -> None:
    ada = a_user()
    family = a_family(ada)
    await store(new_uow, ada, families=(family,))

    async with new_uow() as uow:
        found = await uow.token_families.find_by_token(FIRST_TOKEN)
        assert found is not None
        found.rotate(FIRST_TOKEN, SECOND_TOKEN, NOW + timedelta(minutes=5), TTL)
        uow.token_families.remember_current_token(found)
        await uow.commit()

    async with new_uow() as uow:
        by_first = await uow.token_families.find_by_token(FIRST_TOKEN)
        by_second = await uow.token_families.find_by_token(SECOND_TOKEN)
        unknown = await uow.token_families.find_by_token("f" * 64)
        by_id = await uow.token_families.get(family.id)
    assert by_first is not None
    assert by_second is not None
    assert by_id is not None
    assert by_first.id == by_second.id == family.id
    assert unknown is None
    assert by_id.user_id == ada.id
    assert by_id.current_token_hash == SECOND_TOKEN
    assert by_id.current_expires_at == NOW + timedelta(minutes=5) + TTL
    assert by_id.current_expires_at.tzinfo is UTC
    assert by_id.created_at == NOW
    assert not by_id.is_revoked


async def test_a_revocation_is_kept_with_its_time_and_reason(new_uow: NewUnitOfWork) -> None:
    ada = a_user()
    family = a_family(ada)
    await store(new_uow, ada, families=(family,))

    async with new_uow() as uow:
        loaded = await uow.token_families.get(family.id)
        assert loaded is not None
        loaded.revoke("logout", NOW + timedelta(hours=1))
        await uow.commit()

    async with new_uow() as uow:
        reread = await uow.token_families.get(family.id)
    assert reread is not None
    assert reread.revoked_at == NOW + timedelta(hours=1)
    assert reread.revoked_at.tzinfo is UTC
    assert reread.revoked_reason == "logout"


async def test_list_live_for_user_skips_revoked_families_and_other_users(new_uow: NewUnitOfWork) -> None:
    ada, grace = a_user("ada@example.com"), a_user("grace@example.com")
    phone = a_family(ada, "a" * 64)
    laptop = a_family(ada, "b" * 64, now=NOW + timedelta(minutes=1))
    stolen = a_family(ada, "c" * 64, now=NOW + timedelta(minutes=2))
    stolen.revoke("refresh token reuse", NOW + timedelta(minutes=3))
    graces = a_family(grace, "d" * 64)
    await store(new_uow, ada, grace, families=(phone, laptop, stolen, graces))

    async with new_uow() as uow:
        live = await uow.token_families.list_live_for_user(ada.id)

    assert [family.id for family in live] == [phone.id, laptop.id]


async def test_users_list_filters_by_role_and_status_newest_first(new_uow: NewUnitOfWork) -> None:
    ada = a_user("ada@example.com", created_at=NOW)
    bob = a_user("bob@example.com", roles=frozenset({Role.ARTIST}), created_at=NOW + timedelta(minutes=1))
    cy = a_user(
        "cy@example.com", roles=frozenset({Role.ADMIN, Role.BUYER}), created_at=NOW + timedelta(minutes=2)
    )
    dee = a_user("dee@example.com", created_at=NOW + timedelta(minutes=3), status=UserStatus.SUSPENDED)
    await store(new_uow, dee, ada, cy, bob)

    async with new_uow() as uow:
        everyone = await uow.users.list()
        buyers = await uow.users.list(role=Role.BUYER)
        active_buyers = await uow.users.list(role=Role.BUYER, status=UserStatus.ACTIVE)
        artists = await uow.users.list(role=Role.ARTIST)
        admins = await uow.users.list(role=Role.ADMIN)
        suspended = await uow.users.list(status=UserStatus.SUSPENDED)
        newest_two = await uow.users.list(limit=2)

    assert ids(everyone) == [dee.id, cy.id, bob.id, ada.id]
    assert ids(buyers) == [dee.id, cy.id, ada.id]
    assert ids(active_buyers) == [cy.id, ada.id]
    assert ids(artists) == [bob.id]
    assert ids(admins) == [cy.id]
    assert ids(suspended) == [dee.id]
    assert ids(newest_two) == [dee.id, cy.id]


def ids(users: Sequence[User]) -> list[UUID]:
    return [user.id for user in users]


async def test_users_created_at_the_same_instant_are_ordered_by_id_descending(new_uow: NewUnitOfWork) -> None:
    twins = [a_user(f"twin{n}@example.com") for n in range(4)]
    await store(new_uow, *twins)

    async with new_uow() as uow:
        listed = await uow.users.list()

    assert [user.id for user in listed] == sorted((user.id for user in twins), reverse=True)


async def test_two_concurrent_rotations_of_one_family_cannot_both_win(new_uow: NewUnitOfWork) -> None:
    ada = a_user()
    family = a_family(ada)
    await store(new_uow, ada, families=(family,))
    rotations = {"first": "a" * 64, "second": "b" * 64}
    first, second = new_uow(), new_uow()

    async with first, second:
        for uow, successor in ((first, rotations["first"]), (second, rotations["second"])):
            loaded = await uow.token_families.find_by_token(FIRST_TOKEN)
            assert loaded is not None
            loaded.rotate(FIRST_TOKEN, successor, NOW + timedelta(minutes=1), TTL)
            uow.token_families.remember_current_token(loaded)
        outcomes = await asyncio.gather(first.commit(), second.commit(), return_exceptions=True)

    rejected = [o for o in outcomes if isinstance(o, RefreshTokenRejected)]
    assert len(rejected) == 1, outcomes
    assert outcomes.count(None) == 1, outcomes
    winner, loser = ("first", "second") if outcomes[0] is None else ("second", "first")
    async with new_uow() as uow:
        stored = await uow.token_families.get(family.id)
        by_loser_token = await uow.token_families.find_by_token(rotations[loser])
    assert stored is not None
    assert stored.current_token_hash == rotations[winner]
    assert by_loser_token is None


def test_both_units_of_work_build_exactly_the_repositories_the_port_declares() -> None:
    """Adding a repository is declaring it on the port and registering its factory."""
    declared = set(port.UnitOfWork.__annotations__)
    assert set(SQL_REPOSITORIES) == declared
    assert set(MEMORY_REPOSITORIES) == declared


async def test_a_repository_is_refused_before_the_work_begins(new_uow: NewUnitOfWork) -> None:
    uow = new_uow()
    with pytest.raises(RuntimeError, match="inside `async with`"):
        _ = uow.users
    async with uow:
        assert await uow.users.get(uuid4()) is None
