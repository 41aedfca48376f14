"""Live reservations are capped per client address as well as per account, so a handful of
fresh accounts can no longer hold the whole catalogue (three of them reserved all nine works in
3 s); both caps hold under concurrent requests, on SQLite and PostgreSQL; admins see who holds
reservations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from tests.support.api import PASSWORD, Api, app_settings, running_app
from tests.support.peers import HTML, Peers, csrf_token, live_api

OFFICE, HOME = "203.0.113.9", "198.51.100.20"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url"}[request.param]))


def _caps(tmp_path: Path, database_url: str, *, per_account: int, per_address: int) -> Any:
    return app_settings(
        tmp_path,
        database_url=database_url,
        max_open_orders=str(per_account),
        max_open_orders_per_address=str(per_address),
        db_pool_size="20",
        db_max_overflow="20",
    )


async def _catalogue(api: Api, works: int) -> tuple[dict[str, str], list[str]]:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    return admin, [(await api.published_artwork(artist))["id"] for _ in range(works)]


async def _order(api: Api, buyer: Mapping[str, str], artwork_id: str) -> Any:
    return await api.client.post("/api/v1/orders", json={"artwork_id": artwork_id}, headers=buyer)


def _problem_type(answer: Any) -> str:
    assert answer.status_code == 409, answer.text
    return str(answer.json()["type"]).rsplit("/", 1)[1]


@pytest.fixture
async def behind_one_address(tmp_path: Path, database_url: str) -> AsyncIterator[tuple[Api, Peers]]:
    peers = Peers(OFFICE)
    settings = _caps(tmp_path, database_url, per_account=2, per_address=3)
    async with running_app(settings, network=peers) as api:
        yield api, peers


async def test_fresh_accounts_behind_one_address_share_its_cap(behind_one_address: tuple[Api, Peers]) -> None:
    api, peers = behind_one_address
    _, works = await _catalogue(api, 6)
    first, second, third = [await api.register("buyer") for _ in range(3)]

    assert (await _order(api, first, works[0])).status_code == 201
    assert (await _order(api, first, works[1])).status_code == 201
    assert _problem_type(await _order(api, first, works[2])) == "too-many-open-orders"  # the account's cap
    assert (await _order(api, second, works[2])).status_code == 201
    assert _problem_type(await _order(api, second, works[3])) == "too-many-open-orders-from-address"
    refused = await _order(api, third, works[3])
    assert _problem_type(refused) == "too-many-open-orders-from-address"
    assert "network" in refused.json()["detail"]
    assert (await api.client.get(f"/api/v1/artworks/{works[3]}")).json()["status"] == "published"

    peers.address = HOME  # the same account elsewhere is not held back by the office
    assert (await _order(api, third, works[3])).status_code == 201

    peers.address = OFFICE
    mine = (await api.client.get("/api/v1/me/orders", headers=first)).json()["items"][0]
    cancelled = await api.client.post(f"/api/v1/orders/{mine['id']}/cancel", headers=first)
    assert cancelled.status_code == 200, cancelled.text
    assert (await _order(api, third, works[4])).status_code == 201  # a freed place can be taken


async def test_admins_see_who_holds_the_reservations(behind_one_address: tuple[Api, Peers]) -> None:
    api, peers = behind_one_address
    admin, works = await _catalogue(api, 3)
    first, second, elsewhere = [await api.register("buyer") for _ in range(3)]
    assert (await _order(api, first, works[0])).status_code == 201
    assert (await _order(api, second, works[1])).status_code == 201
    peers.address = HOME
    assert (await _order(api, elsewhere, works[2])).status_code == 201

    answer = await api.client.get("/api/v1/admin/reservations", headers=admin)
    assert answer.status_code == 200, answer.text
    holders = answer.json()["holders"]
    assert [(h["reservations"], len(h["buyers"])) for h in holders] == [(2, 2), (1, 1)]
    office, home = holders
    assert office["client_tag"] != home["client_tag"]
    assert OFFICE not in answer.text  # a keyed tag, never the address
    assert HOME not in answer.text
    emails = {b["email"] for b in office["buyers"]}
    assert emails == {
        (await api.client.get("/api/v1/me", headers=b)).json()["email"] for b in (first, second)
    }
    assert {o["artwork"]["id"] for o in office["orders"]} == {works[0], works[1]}

    buyers_view = await api.client.get("/api/v1/admin/reservations", headers=first)
    assert buyers_view.status_code == 403

    admin_email = (await api.client.get("/api/v1/me", headers=admin)).json()["email"]
    token = await csrf_token(api.client, "/login")
    credentials = {"csrf_token": token, "email": admin_email, "password": PASSWORD}
    assert (await api.client.post("/login", data=credentials, headers=HTML)).status_code == 200
    page = await api.client.get("/admin/reservations", headers=HTML)
    assert page.status_code == 200
    assert "2 reserved by 2 accounts" in page.text
    assert "1 reserved by 1 account<" in page.text
    assert all(email in page.text for email in emails)


async def test_concurrent_reservations_from_one_address_stop_at_its_cap(
    tmp_path: Path, database_url: str
) -> None:
    settings = _caps(tmp_path, database_url, per_account=100, per_address=3)
    async with live_api(settings) as api:  # every request comes from 127.0.0.1
        _, works = await _catalogue(api, 9)
        buyers = [await api.register("buyer") for _ in range(9)]
        answers = await asyncio.gather(*(_order(api, b, w) for b, w in zip(buyers, works, strict=True)))

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * 3 + [409] * 6, [a.text for a in answers]


async def test_concurrent_reservations_of_one_account_stop_at_its_cap(
    tmp_path: Path, database_url: str
) -> None:
    settings = _caps(tmp_path, database_url, per_account=2, per_address=100)
    async with live_api(settings) as api:
        _, works = await _catalogue(api, 6)
        buyer = await api.register("buyer")
        answers = await asyncio.gather(*(_order(api, buyer, w) for w in works))

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * 2 + [409] * 4, [a.text for a in answers]
