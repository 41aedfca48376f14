"""The artwork page over HTTP (no browser) for editions and drops: the edition's line and its
artist proofs, "Sold out", a drop's opening time and countdown in place of Buy now, and the
countdown script served. The edition and drop are set on the stored artwork through the domain
(the studio's form for them is another part of the issue)."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_certificates_api import buy
from tests.integration.test_delivery_api import PHYSICAL
from tests.integration.test_web_pages import HTML, sign_in_browser
from tests.support.api import Api, FixedClockProvider, app_settings, running_app
from tests.support.pdfs import read_pdf

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.catalog import Artwork
from artmarket.domain.editions import Edition, EditionStock, NumberState
from artmarket.entrypoints.web.rendering import static_url
from artmarket.fakes.clock import FixedClock

NOW = datetime(2026, 12, 20, 9, 0, tzinfo=UTC)
DROP = datetime(2026, 12, 24, 18, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def api(tmp_path: Path, clock: FixedClock) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path), FixedClockProvider(clock)) as api:
        yield api


async def change(api: Api, artwork_id: str, how: Callable[[Artwork], None]) -> None:
    async with api.container() as scope:
        uow: UnitOfWork = await scope.get(UnitOfWork)
        async with uow:
            artwork = await uow.artworks.get(uuid.UUID(artwork_id))
            assert artwork is not None
            how(artwork)
            await uow.commit()


def an_edition_with(
    sold: int, reserved: int = 0, *, size: int = 25, proofs: int = 0
) -> Callable[[Artwork], None]:
    def apply(artwork: Artwork) -> None:
        artwork.change_edition(Edition.limited(size, proofs), NOW)
        held = dict.fromkeys(range(1, sold + 1), NumberState.SOLD)
        held.update(dict.fromkeys(range(sold + 1, sold + reserved + 1), NumberState.RESERVED))
        artwork.follow_stock(EditionStock(size, held), NOW)

    return apply


async def page(api: Api, artwork: dict[str, Any]) -> str:
    shown = await api.client.get(f"/artworks/{artwork['id']}", headers=HTML)
    assert shown.status_code == 200, shown.text
    return shown.text


async def test_the_artwork_page_shows_the_edition_left_and_its_artist_proofs(api: Api) -> None:
    artist = await api.approved_artist(await api.admin())
    edition = await api.published_artwork(artist, title="Night Market")
    unique = await api.published_artwork(artist, title="Harmattan Light")
    await change(api, edition["id"], an_edition_with(sold=11, reserved=2, proofs=2))
    await sign_in_browser(api, await api.register("buyer", "Bola Ade"))

    shown, plain = await page(api, edition), await page(api, unique)

    assert "Edition of 25 · 12 available" in shown
    assert "2 artist proofs, not for sale" in shown
    assert 'id="buy-now"' in shown
    assert "Edition of 25 — you will get the lowest free number, shown on your order." in shown
    for words in ("Edition of", "artist proof", "lowest free number", "Sold out"):
        assert words not in plain
    assert 'id="buy-now"' in plain


async def test_a_physical_editions_details_step_says_which_print_the_buyer_gets(api: Api) -> None:
    artist = await api.approved_artist(await api.admin())
    edition = await api.published_artwork(artist, title="Night Market", delivery=PHYSICAL)
    unique = await api.published_artwork(artist, title="Harmattan Light", delivery=PHYSICAL)
    await change(api, edition["id"], an_edition_with(sold=0, size=10))
    await sign_in_browser(api, await api.register("buyer", "Bola Ade"))

    step = await api.client.get(f"/artworks/{edition['id']}/checkout", headers=HTML)
    plain = await api.client.get(f"/artworks/{unique['id']}/checkout", headers=HTML)

    assert "Edition of 10 — you will get the lowest free number, shown on your order." in step.text
    assert "lowest free number" not in plain.text


async def test_a_sold_out_edition_says_so_and_offers_no_buy_button(api: Api) -> None:
    artist = await api.approved_artist(await api.admin())
    artwork = await api.published_artwork(artist)
    await change(api, artwork["id"], an_edition_with(sold=5, size=5))

    shown = await page(api, artwork)

    assert 'id="edition-availability">Sold out<' in shown
    assert "Every print of this edition has found its owner." in shown
    assert 'id="buy-now"' not in shown


async def test_a_drop_shows_its_opening_and_a_countdown_until_then_and_buy_now_after(
    api: Api, clock: FixedClock
) -> None:
    artist = await api.approved_artist(await api.admin())
    artwork = await api.published_artwork(artist)
    await change(api, artwork["id"], lambda work: work.schedule_drop(DROP, NOW))
    await sign_in_browser(api, await api.register("buyer", "Bola Ade"))

    before = await page(api, artwork)
    clock.advance(DROP - NOW)
    opened = await page(api, artwork)

    assert re.search(r"Available from <time[^>]*>24 Dec 2026, 18:00 UTC</time>", before)
    assert 'data-drop-seconds="378000" data-drop-reload' in before
    assert 'id="artwork-status">Coming soon<' in before
    assert 'id="buy-now"' not in before
    assert static_url("drop.js") in before
    assert "Available from" not in opened
    assert 'id="buy-now"' in opened


async def test_the_countdown_script_is_served_from_the_static_folder(api: Api) -> None:
    served = await api.client.get(static_url("drop.js"))

    assert served.status_code == 200
    assert "javascript" in served.headers["content-type"]
    assert "data-drop-seconds" in served.text


async def test_the_certificate_page_and_its_pdf_print_the_edition_number(tmp_path: Path) -> None:
    # The real clock here: the purchase runs through the worker's minting.
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        _, _, order = await buy(api)
        certificate_id = uuid.UUID(order["certificate_id"])
        async with api.container() as scope:
            uow: UnitOfWork = await scope.get(UnitOfWork)
            async with uow:
                certificate = await uow.certificates.get(certificate_id)
                assert certificate is not None
                # As minting snapshots an edition order's print (the "7/25").
                certificate.artwork = replace(certificate.artwork, edition_number=7, edition_size=25)
                await uow.commit()

        shown = await api.client.get(f"/certificates/{certificate_id}", headers=HTML)
        pdf = await api.client.get(f"/certificates/{certificate_id}.pdf")

    assert '<dt>Edition</dt><dd id="edition">7/25</dd>' in shown.text
    assert "1/1" not in shown.text
    text = read_pdf(pdf.content).text
    assert re.search(r"EDITION\s+7/25", text), text
    assert "1/1" not in text
