"""The pages offer exactly the actions the domain accepts, in every status.

For each order status (with and without a refund under way), each artwork status (taken
down or not, with room for another image or not), each KYC and account status, the entity
is put in that state in the database, the real page is rendered, and the buttons and forms
it offers are compared with what the domain method says when called on the same entity (in
a transaction rolled back).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from tests.integration.test_web_console import HTML, email_of, sign_in
from tests.support.api import Api, app_settings, running_app

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import KycCase, KycStatus
from artmarket.domain.catalog import MAX_IMAGES, Artwork, ArtworkStatus
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import User, UserStatus, check_not_self_suspension
from artmarket.domain.listing import ArtworkImage
from artmarket.domain.order_lifecycle import OrderStatus, RefundStatus
from artmarket.domain.orders import Order

T = TypeVar("T")
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def change(api: Api, load: Callable[[UnitOfWork], Awaitable[T]], edit: Callable[[T], None]) -> None:
    """Put an entity in a state no journey reaches on demand (e.g. minting) and store it."""
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            edit(await load(uow))
            await uow.commit()


async def accepts(api: Api, load: Callable[[UnitOfWork], Awaitable[T]], action: Callable[[T], Any]) -> bool:
    """Whether the domain accepts `action` on the stored entity; nothing is committed."""
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            try:
                action(await load(uow))
            except DomainError:
                return False
            return True


def an_image(position: int) -> ArtworkImage:
    key = f"artworks/{uuid.uuid4()}"
    return ArtworkImage(uuid.uuid4(), f"{key}.jpg", f"{key}.webp", f"{key}-o.jpg", 64, 48, position, NOW)


async def test_the_console_offers_a_refund_exactly_when_the_order_can_be_refunded(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await api.published_artwork(artist)
    buyer = await api.register("buyer")
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": work["id"]}, headers=buyer)
    assert placed.status_code == 201, placed.text
    order_id = uuid.UUID(placed.json()["order"]["id"])
    await sign_in(api.client, await email_of(api, admin))

    async def load(uow: UnitOfWork) -> Order:
        order = await uow.orders.get(order_id)
        assert order is not None
        return order

    offered_by_state: dict[tuple[OrderStatus, RefundStatus | None], tuple[bool, bool]] = {}
    for status, refund in itertools.product(OrderStatus, (None, RefundStatus.REQUESTED)):

        def put(order: Order, status: OrderStatus = status, refund: RefundStatus | None = refund) -> None:
            order.status, order.refund_status = status, refund

        await change(api, load, put)
        page = await api.client.get(f"/admin/orders/{order_id}", headers=HTML)
        assert page.status_code == 200, page.text
        offered = f'/admin/orders/{order_id}/refund"' in page.text
        accepted = await accepts(api, load, lambda order: order.request_refund("Damaged", NOW))
        offered_by_state[status, refund] = (offered, accepted)
    assert {state: pair for state, pair in offered_by_state.items() if pair[0] != pair[1]} == {}
    # Not vacuous: some states are refundable, the minting order (the old bug) is not.
    assert offered_by_state[OrderStatus.PAID, None] == (True, True)
    assert offered_by_state[OrderStatus.MINTING, None] == (False, False)


async def test_the_console_and_the_studio_offer_exactly_the_artwork_actions_the_domain_accepts(
    api: Api,
) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work_id = uuid.UUID((await api.published_artwork(artist))["id"])

    async def load(uow: UnitOfWork) -> Artwork:
        artwork = await uow.artworks.get(work_id)
        assert artwork is not None
        return artwork

    async def offers(path: str, markers: dict[str, str]) -> dict[str, bool]:
        page = await api.client.get(path, headers=HTML)
        assert page.status_code == 200, page.text
        return {action: marker in page.text for action, marker in markers.items()}

    console_markers = {"take down": f'/admin/artworks/{work_id}/unpublish"'}
    studio_markers = {
        "edit": 'id="artwork-form"',
        "add image": 'id="image-form"',
        "publish": f'/artist/artworks/{work_id}/publish"',
        "withdraw": f'/artist/artworks/{work_id}/withdraw"',
    }
    studio_actions: dict[str, Callable[[Artwork], Any]] = {
        "edit": lambda artwork: artwork.edit(now=NOW, title="Another title"),
        "add image": lambda artwork: artwork.add_image(an_image(len(artwork.images)), NOW),
        # The artist's KYC is approved and the work has an image: only its status decides.
        "publish": lambda artwork: artwork.publish(kyc_approved=True, now=NOW),
        "withdraw": lambda artwork: artwork.withdraw(NOW),
    }
    mismatches: list[tuple[object, ...]] = []
    seen: set[tuple[str, bool]] = set()
    # Full last: images are only ever added.
    states = itertools.product((False, True), ArtworkStatus, (None, "Copyright claim"))
    for full, status, taken_down in states:

        def put(
            artwork: Artwork, status: ArtworkStatus = status, taken_down: str | None = taken_down
        ) -> None:
            artwork.status, artwork.taken_down_reason = status, taken_down
            while full and len(artwork.images) < MAX_IMAGES:  # noqa: B023 (used at once)
                artwork.images.append(an_image(len(artwork.images)))

        await change(api, load, put)
        state = (status, taken_down, full)
        await sign_in(api.client, await email_of(api, admin))
        console = await offers(f"/admin/artworks/{work_id}", console_markers)
        accepted = await accepts(api, load, lambda artwork: artwork.take_down("Copyright claim", NOW))
        if console["take down"] != accepted:
            mismatches.append((state, "take down", console["take down"], accepted))
        seen.add(("take down", accepted))

        await sign_in(api.client, await email_of(api, artist))
        studio = await offers(f"/artist/artworks/{work_id}", studio_markers)
        for action, act in studio_actions.items():
            accepted = await accepts(api, load, act)
            if studio[action] != accepted:
                mismatches.append((state, action, studio[action], accepted))
            seen.add((action, accepted))
    assert mismatches == []
    # Not vacuous: every action is both offered in some state and refused in another.
    assert seen == {(action, ok) for action in ("take down", *studio_actions) for ok in (True, False)}


async def test_the_console_offers_kyc_decisions_and_account_actions_exactly_when_the_domain_accepts(
    api: Api,
) -> None:
    admin = await api.admin()
    artist = await api.register("artist", "Ada Obi")
    submitted = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": "NG"},
        files={"id_document": ("passport.pdf", b"%PDF-1.4 test identity document", "application/pdf")},
        headers=artist,
    )
    assert submitted.status_code == 201, submitted.text
    case_id = uuid.UUID(submitted.json()["id"])
    admin_id = uuid.UUID((await api.client.get("/api/v1/me", headers=admin)).json()["id"])
    artist_id = uuid.UUID((await api.client.get("/api/v1/me", headers=artist)).json()["id"])
    emails = {admin_id: await email_of(api, admin), artist_id: await email_of(api, artist)}
    await sign_in(api.client, emails[admin_id])

    async def load_case(uow: UnitOfWork) -> KycCase:
        case = await uow.kyc_cases.get(case_id)
        assert case is not None
        return case

    mismatches: list[tuple[object, ...]] = []
    seen: set[tuple[str, bool]] = set()
    for kyc_status in KycStatus:

        def put_case(case: KycCase, status: KycStatus = kyc_status) -> None:
            case.status = status

        await change(api, load_case, put_case)
        page = await api.client.get(f"/admin/kyc/{case_id}", headers=HTML)
        assert page.status_code == 200, page.text
        for decision, act in {
            "approve": lambda case: case.approve(reviewer_id=admin_id, now=NOW),
            "reject": lambda case: case.reject(reviewer_id=admin_id, now=NOW, reason="Blurred document"),
        }.items():
            offered = f'/admin/kyc/{case_id}/{decision}"' in page.text
            accepted = await accepts(api, load_case, act)
            if offered != accepted:
                mismatches.append((kyc_status, decision, offered, accepted))
            seen.add((decision, accepted))

    for user_id, user_status in itertools.product((artist_id, admin_id), UserStatus):

        async def load_user(uow: UnitOfWork, user_id: uuid.UUID = user_id) -> User:
            user = await uow.users.get(user_id)
            assert user is not None
            return user

        def put_user(user: User, status: UserStatus = user_status) -> None:
            user.status = status

        def suspend(user: User) -> None:
            check_not_self_suspension(user.id, admin_id)
            user.suspend("Chargeback fraud")

        # A suspended administrator cannot see the console: their own row is checked while active.
        if user_id == admin_id and user_status is UserStatus.SUSPENDED:
            continue
        await change(api, load_user, put_user)
        page = await api.client.get(f"/admin/users?q={emails[user_id]}", headers=HTML)
        assert page.status_code == 200, page.text
        actions: dict[str, Callable[[User], Any]] = {
            "suspend": suspend,
            "reinstate": lambda user: user.reinstate("Appeal upheld"),
        }
        for action, act in actions.items():
            offered = f'/admin/users/{user_id}/{action}"' in page.text
            accepted = await accepts(api, load_user, act)
            if offered != accepted:
                mismatches.append((user_id == admin_id, user_status, action, offered, accepted))
            seen.add((action, accepted))
        await change(api, load_user, lambda user: put_user(user, UserStatus.ACTIVE))
    assert mismatches == []
    assert seen == {
        (action, ok) for action in ("approve", "reject", "suspend", "reinstate") for ok in (True, False)
    }
