"""The gallery and a work's page over HTTP (#20 §3): cards show works whole with their facts,
prices read as people write them, price sorts compare within a currency, filter mistakes come
all at once beside their fields, the viewer, sizes in cm and inches, the favourite count, and
a taken-down work's 410."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.integration.test_web_pages import HTML, HTMX, page_token, sign_in_browser
from tests.support.api import Api, app_settings, running_app

BY = " \N{MULTIPLICATION SIGN} "
PHYSICAL = {
    "kind": "physical",
    "weight_grams": 4000,
    "shipping_rates": [{"countries": ["NG", "GH"], "price": {"amount": 250_000, "currency": "NGN"}}],
}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


def card_of(page: str, title: str) -> str:
    """The `<li class="card">` whose heading is `title`."""
    for card in re.findall(r'<li class="card".*?</li>', page, flags=re.S):
        if f">{title}</a></h3>" in card:
            return str(card)
    raise AssertionError(f"no card for {title!r}")


async def test_a_card_shows_the_work_whole_with_its_facts_and_a_converted_price(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    saved = await api.client.put(
        "/api/v1/me/artist-profile", json={"display_name": "Ada Obi", "country": "NG"}, headers=artist
    )
    assert saved.status_code == 200, saved.text
    await api.published_artwork(
        artist,
        title="Harmattan Light",
        price=18_600_000,
        dimensions={"height_mm": 900, "width_mm": 605},
        delivery=PHYSICAL,
    )
    await api.published_artwork(artist, title="Night Market", medium="digital", price=125_050, currency="USD")

    page = (await api.client.get("/", headers=HTML)).text

    painting, screen = card_of(page, "Harmattan Light"), card_of(page, "Night Market")
    assert f"Painting · 90{BY}60.5 cm · Physical</p>" in painting
    assert "Ships from Nigeria</p>" in painting
    assert '<strong class="price">₦186,000</strong>' in painting
    assert ">≈ $120</span>" in painting
    assert 'width="64" height="48"' in painting  # the thumbnail's own shape, not a fixed box
    assert ">Digital</p>" in screen  # a digital medium is not said twice
    assert "Ships from" not in screen
    assert '<strong class="price">$1,250.50</strong>' in screen
    assert "≈" not in screen  # already in the base currency
    assert "gallery.css" in page


async def test_a_price_sort_compares_within_one_currency_and_says_so(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    await api.published_artwork(artist, title="Naira Big", price=2_500_000)
    await api.published_artwork(artist, title="Naira Small", price=900_000)
    await api.published_artwork(artist, title="Dollar Big", price=1_500_000, currency="USD")
    await api.published_artwork(artist, title="Dollar Small", price=50_000, currency="USD")

    unchosen = (await api.client.get("/?sort=price_desc", headers=HTML)).text
    naira = (await api.client.get("/?sort=price_desc&currency=NGN", headers=HTML)).text
    newest = (await api.client.get("/", headers=HTML)).text

    titles = re.compile(r'<h3><a href="/artworks/[^"]+">([^<]+)</a></h3>')
    assert titles.findall(unchosen) == ["Dollar Big", "Dollar Small"]
    assert "Prices sorted within each currency; choose a currency to compare." in unchosen
    assert "Showing works priced in USD." in unchosen
    assert '<option value="USD" selected>' in unchosen
    assert titles.findall(naira) == ["Naira Big", "Naira Small"]
    assert "Prices sorted within each currency" in naira
    assert "Showing works priced in" not in naira
    assert 'id="sort-note"' not in newest


async def test_every_filter_mistake_is_named_as_the_form_names_it_all_at_once(api: Api) -> None:
    page = await api.client.get(
        "/?min_price=lots&max_price=5&medium=oils&sort=cheapest&artist=someone", headers=HTML
    )

    errors = dict(
        re.findall(r'<p class="field-error" id="error-([a-z_]+)">.*?</span> ([^<]+)</p>', page.text)
    )
    assert errors == {
        "currency": "Choose a currency to filter by price.",
        "min_price": "Lowest price: enter an amount such as 25000 or 25000.50.",
        "medium": "Choose a medium from the list.",
        "sort": "Choose an order from the “Sort by” list.",
        "artist": "Choose an artist from the list.",
    }
    for field in errors:
        assert re.search(rf'id="field-{field}"[^>]*aria-invalid="true"', page.text), field
    summary = re.search(r'<div class="error-summary".*?</div>', page.text, flags=re.S)
    assert summary is not None
    assert summary.group(0).count("<li>") == 5
    reversed_range = await api.client.get("/?currency=NGN&min_price=500&max_price=100", headers=HTML)
    assert "The lowest price is above the highest price." in reversed_range.text


async def test_the_artwork_page_has_a_viewer_sizes_in_cm_and_inches_and_a_live_favourite_count(
    api: Api,
) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await api.published_artwork(artist, dimensions={"height_mm": 900, "width_mm": 600, "depth_mm": 30})
    await sign_in_browser(api, await api.register("buyer"))

    page = (await api.client.get(f"/artworks/{work['id']}", headers=HTML)).text
    script = re.search(r'<script src="(/static/viewer\.js\?v=[0-9a-f]+)"', page)
    token = await page_token(api.client, f"/artworks/{work['id']}")
    favourited = await api.client.post(
        f"/artworks/{work['id']}/favorite", data={"favorite": "1"}, headers={**HTMX, "X-CSRF-Token": token}
    )

    assert f'id="artwork-size">90{BY}60{BY}3 cm <span class="muted">(35.4{BY}23.6{BY}1.2 in)</span>' in page
    assert 'id="viewer-open" data-viewer-open' in page
    assert 'id="viewer-dialog"' in page
    assert "♥ 0 favourites" in page
    assert script is not None
    served = await api.client.get(script.group(1))
    assert served.status_code == 200
    assert "showModal" in served.text
    assert 'aria-pressed="true"' in favourited.text
    assert "♥ 1 favourite</span>" in favourited.text


async def test_a_taken_down_work_answers_410_without_its_image_or_favourite_button(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await api.published_artwork(artist, title="Disputed Work")
    taken = await api.client.post(
        f"/api/v1/admin/artworks/{work['id']}/unpublish",
        json={"reason": "Copyright complaint"},
        headers=admin,
    )
    assert taken.status_code == 200, taken.text
    await sign_in_browser(api, await api.register("buyer"))

    page = await api.client.get(f"/artworks/{work['id']}", headers=HTML)
    never = await api.client.get("/artworks/01890000-0000-7000-8000-000000000000", headers=HTML)

    assert page.status_code == 410
    assert "This work has been removed" in page.text
    assert "Disputed Work" not in page.text
    assert "<img" not in page.text
    assert 'data-testid="favorite"' not in page.text
    assert never.status_code == 404
    assert (await api.client.get(f"/api/v1/artworks/{work['id']}")).status_code == 404  # the API is unchanged
