"""Editions and drops in the artist studio over HTTP: the form's edition choice and "Available
from (UTC)", its errors beside their fields, the edition fields disabled once a number went to
a buyer, and the page of sales per edition number."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from tests.integration.test_edition_api import hold_numbers
from tests.integration.test_web_console import HTML, email_of, post_form, sign_in
from tests.integration.test_web_console_delivery import text_matching
from tests.support.api import Api, app_settings, running_app
from tests.support.page_text import error_beside

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.editions import NumberState
from artmarket.domain.money import Money
from artmarket.domain.orders import Order, PaymentSplit

LISTING = {
    "title": "Harbour Prints",
    "description": "Giclée prints.",
    "medium": "photography",
    "price": "80000",
    "currency": "NGN",
    "delivery": "digital",
}
PRINTS = {**LISTING, "edition": "limited", "edition_size": "5", "artist_proofs": "1"}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


async def place_numbered_order(api: Api, buyer_id: UUID, artwork: dict[str, Any], number: int) -> str:
    """An order holding `number`, as checkout places it; returns its reference."""
    order_id, price = uuid4(), Money.of(80_000, "NGN")
    order = Order.place(
        id=order_id,
        buyer_id=buyer_id,
        artwork_id=UUID(artwork["id"]),
        artist_id=UUID(artwork["artist"]["id"]),
        amount=price,
        reference=f"am-{order_id.hex}",
        split=PaymentSplit(price - price.percentage(10), price.percentage(10), None),
        now=datetime.now(UTC),
        reservation=timedelta(minutes=15),
        edition_number=number,
    )
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            uow.orders.add(order)
            await uow.commit()
    return order.reference


async def test_an_artist_lists_a_limited_edition_dropping_later_through_the_studio(api: Api) -> None:
    artist = await api.register("artist", "Ada Obi")
    await sign_in(api.client, await email_of(api, artist))

    new = await api.client.get("/artist/artworks/new", headers=HTML)
    assert re.search(r'value="unique" checked', new.text)  # unique by default
    assert "Available from (UTC)" in new.text
    assert 'type="datetime-local"' in new.text

    # Every mistake beside its field; nothing is saved.
    wrong = await post_form(
        api.client,
        "/artist/artworks",
        {**PRINTS, "edition_size": "", "artist_proofs": "x", "available_from": "soon"},
    )
    too_many_proofs = await post_form(api.client, "/artist/artworks", {**PRINTS, "artist_proofs": "6"})
    too_small = await post_form(api.client, "/artist/artworks", {**PRINTS, "edition_size": "1"})
    assert [r.status_code for r in (wrong, too_many_proofs, too_small)] == [422, 422, 422]
    assert error_beside(wrong.text, "edition_size") == "Give the number of prints in the edition."
    assert error_beside(wrong.text, "artist_proofs") == "Enter a whole number."
    assert "Enter a date and time" in error_beside(wrong.text, "available_from")
    assert re.search(r'value="limited" checked', wrong.text)  # what was typed is kept
    assert "artist proofs" in error_beside(too_many_proofs.text, "artist_proofs")
    assert error_beside(too_small.text, "edition_size") == "Enter a number from 2 to 10000."
    assert (await api.client.get("/api/v1/me/artworks", headers=artist)).json()["items"] == []

    created = await post_form(
        api.client, "/artist/artworks", {**PRINTS, "available_from": "2026-12-24T18:00"}
    )
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    saved = (await api.client.get(f"/api/v1/artworks/{location.rsplit('/', 1)[1]}", headers=artist)).json()
    assert (saved["edition"], saved["available_from"]) == (
        {"kind": "limited", "size": 5, "artist_proofs": 1, "available": 5, "sold": 0},
        "2026-12-24T18:00:00Z",  # the form's time is UTC, as its label says
    )

    page = await api.client.get(location, headers=HTML)
    assert re.search(r'value="limited" checked', page.text)
    assert 'value="2026-12-24T18:00"' in page.text
    assert "Edition of 5 (plus 1 artist proof) · 5 available · 0 sold" in text_matching(
        r'id="edition-summary".*?</section>', page.text
    )
    assert 'id="edition-locked"' not in page.text

    # Cleared drop time and a unique work again, while no number has gone to a buyer.
    unique = await post_form(api.client, location, {**LISTING, "edition": "unique"}, page=location)
    assert unique.status_code == 303, unique.text
    again = (await api.client.get(f"/api/v1/artworks/{saved['id']}", headers=artist)).json()
    assert (again["edition"], again["available_from"]) == ({"kind": "unique"}, None)


async def test_once_a_number_went_to_a_buyer_the_edition_fields_are_disabled_and_sales_show_per_number(
    api: Api,
) -> None:
    artist = await api.register("artist", "Ada Obi")
    buyer = await api.register("buyer", "Bola Ade")
    buyer_id = UUID((await api.client.get("/api/v1/me", headers=buyer)).json()["id"])
    await sign_in(api.client, await email_of(api, artist))
    created = await post_form(api.client, "/artist/artworks", PRINTS)
    location = created.headers["location"]
    artwork = (await api.client.get(f"/api/v1/artworks/{location.rsplit('/', 1)[1]}", headers=artist)).json()
    reference = await place_numbered_order(api, buyer_id, artwork, 1)
    await hold_numbers(api, artwork["id"], {1: NumberState.RESERVED})

    page = await api.client.get(location, headers=HTML)
    assert re.search(r'<fieldset class="edition-choice" id="edition-section" disabled', page.text)
    assert "a number has gone to a buyer" in page.text
    # A disabled fieldset sends nothing: the edition stays, the rest is saved.
    repriced = await post_form(api.client, location, {**LISTING, "price": "90000"}, page=location)
    assert repriced.status_code == 303, repriced.text
    saved = (await api.client.get(f"/api/v1/artworks/{artwork['id']}", headers=artist)).json()
    assert (saved["edition"]["size"], saved["edition"]["available"], saved["price"]["amount"]) == (
        5,
        4,
        9_000_000,
    )
    # Sent anyway (an old page), a change is refused beside no field and nothing changes.
    resized = await post_form(api.client, location, {**PRINTS, "edition_size": "10"}, page=location)
    assert resized.status_code == 409
    assert "cannot change once a number" in resized.text

    sales = await api.client.get(f"{location}/editions", headers=HTML)
    assert sales.status_code == 200
    rows = {n: text_matching(rf'<tr id="print-{n}".*?</tr>', sales.text).strip() for n in range(1, 6)}
    assert rows[1] == f"1/5 Awaiting payment Bola Ade {reference}"
    assert [rows[n] for n in range(2, 6)] == [f"{n}/5 Available" for n in range(2, 6)]
    assert f'href="{location}/editions" id="edition-sales-link"' in page.text

    unique = await post_form(api.client, "/artist/artworks", LISTING)
    unique_sales = await api.client.get(
        f"{unique.headers['location']}/editions", headers=HTML, follow_redirects=False
    )
    assert (unique_sales.status_code, unique_sales.headers["location"]) == (303, unique.headers["location"])
