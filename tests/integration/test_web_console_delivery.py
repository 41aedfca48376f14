"""Delivery in the artist studio and the admin console over HTTP: a physical work listed
through the studio form (weight, shipping zones as rows, the domain's errors beside the right
row, what was typed kept), its delivery summary; the console's shipment filters, the
shipment on the order page (never the address or phone) and the reasoned, audited
"Resolve problem" / "Confirm delivery" actions. Browser journey: tests/e2e/test_delivery_journey.py.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.integration.test_delivery_api import PHYSICAL, paid_physical_order, private_parts
from tests.integration.test_web_console import HTML, email_of, post_form, sign_in, text_of
from tests.support.api import Api, app_settings, running_app
from tests.support.page_text import error_beside

LISTING = {
    "title": "Harmattan Light",
    "description": "Oil on linen.",
    "medium": "painting",
    "price": "25000",
    "currency": "NGN",
    "delivery": "physical",
}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        yield api


def text_matching(pattern: str, body: str, group: int = 0) -> str:
    """The text of `group` of the first match of `pattern` (across lines) in `body`."""
    found = re.search(pattern, body, re.S)
    assert found, f"nothing matches {pattern}"
    return text_of(found.group(group))


async def test_an_artist_lists_a_physical_work_with_shipping_zones_through_the_studio(api: Api) -> None:
    artist = await api.register("artist", "Ada Obi")
    await sign_in(api.client, await email_of(api, artist))

    new = await api.client.get("/artist/artworks/new", headers=HTML)
    assert '<a href="/artist/shipments" >Shipments</a>' in new.text  # the studio's sub-navigation
    assert re.search(r'value="digital" checked', new.text)  # digital by default
    assert all(f'id="field-zone_{row}_countries"' in new.text for row in range(3))

    # Every mistake at once, beside its field; what was typed is kept; nothing is saved.
    wrong = await post_form(
        api.client,
        "/artist/artworks",
        {
            **LISTING,
            "weight_grams": "",
            "zone_0_countries": "NG, XX",
            "zone_0_price": "2500",
            "zone_1_countries": "",
            "zone_1_price": "9000",
            "zone_2_countries": "GH",
            "zone_2_price": "12.345",
        },
    )
    assert wrong.status_code == 422
    assert error_beside(wrong.text, "weight_grams") == "A physical work needs its weight in grams."
    assert "ISO 3166-1 alpha-2" in error_beside(wrong.text, "zone_0_countries")
    assert "List the countries" in error_beside(wrong.text, "zone_1_countries")
    assert "decimal places" in error_beside(wrong.text, "zone_2_price")
    assert 'value="NG, XX"' in wrong.text
    assert 'value="9000"' in wrong.text
    assert re.search(r'value="physical" checked', wrong.text)
    assert (await api.client.get("/api/v1/me/artworks", headers=artist)).json()["items"] == []

    # The domain's own rules: a country in two zones, a weight over a tonne, no zone at all.
    twice = await post_form(
        api.client,
        "/artist/artworks",
        {**LISTING, "weight_grams": "4000", "zone_0_countries": "NG", "zone_0_price": "2500"}
        | {"zone_1_countries": "ng gh", "zone_1_price": "9000"},
    )
    assert twice.status_code == 422
    assert "a country appears in one zone only" in error_beside(twice.text, "zones")
    heavy = await post_form(
        api.client,
        "/artist/artworks",
        {**LISTING, "weight_grams": "2000000", "zone_0_countries": "NG"} | {"zone_0_price": "0"},
    )
    assert (heavy.status_code, "1 to 1000000 grams" in error_beside(heavy.text, "weight_grams")) == (
        422,
        True,
    )
    nowhere = await post_form(api.client, "/artist/artworks", {**LISTING, "weight_grams": "4000"})
    assert nowhere.status_code == 422
    assert "ships to 1 to 50 zones" in error_beside(nowhere.text, "zones")

    # Blank rows are ignored; a fourth row is offered once three are used.
    created = await post_form(
        api.client,
        "/artist/artworks",
        {
            **LISTING,
            "weight_grams": "4000",
            "zone_0_countries": "ng",
            "zone_0_price": "2,500",
            "zone_2_countries": "GH, KE",
            "zone_2_price": "9000",
        },
    )
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    artwork_id = location.rsplit("/", 1)[1]
    saved = (await api.client.get(f"/api/v1/artworks/{artwork_id}", headers=artist)).json()
    assert saved["delivery"] == PHYSICAL  # the same as the API's own example listing

    page = await api.client.get(location, headers=HTML)
    summary = text_matching(r'id="delivery-summary".*?</section>', page.text)
    assert "Physical" in summary
    assert "4000 g" in summary
    assert "₦2,500 to Nigeria (NG)" in summary
    assert "₦9,000 to Ghana (GH), Kenya (KE)" in summary
    assert 'value="GH, KE"' in page.text  # the zones in the form's rows, ready to edit
    assert 'value="2500.00"' in page.text
    assert 'id="field-zone_2_countries"' in page.text

    # Editing: a bad zone is refused beside its row; back to digital drops weight and zones.
    bad_edit = await post_form(
        api.client,
        location,
        {**LISTING, "weight_grams": "4000", "zone_0_countries": "Nigeria"} | {"zone_0_price": "2500"},
        page=location,
    )
    assert bad_edit.status_code == 422
    assert "'NIGERIA'" in error_beside(bad_edit.text, "zone_0_countries").upper()
    digital = await post_form(
        api.client, location, {**LISTING, "delivery": "digital", "weight_grams": "4000"}, page=location
    )
    assert digital.status_code == 303
    assert (await api.client.get(f"/api/v1/artworks/{artwork_id}", headers=artist)).json()["delivery"] == {
        "kind": "digital"
    }
    again = await api.client.get(location, headers=HTML)
    assert "<strong>Digital</strong>" in again.text

    shipments = await api.client.get("/artist/shipments", headers=HTML)
    assert '<a href="/artist/shipments" aria-current="page">Shipments</a>' in shipments.text


async def test_admins_filter_shipments_and_resolve_or_confirm_deliveries_with_a_reason(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await api.published_artwork(artist, title="Broken Frame", delivery=PHYSICAL)
    other = await api.published_artwork(artist, title="Slow Boat", delivery=PHYSICAL)
    digital = await api.published_artwork(artist, title="Pixels")
    buyer = await api.register("buyer")
    problem_id = await paid_physical_order(api, buyer, work["id"])
    waiting_id = await paid_physical_order(api, buyer, other["id"])
    await api.client.post("/api/v1/orders", json={"artwork_id": digital["id"]}, headers=buyer)
    shipped = await api.client.post(
        f"/api/v1/orders/{problem_id}/shipment",
        json={
            "carrier": "GIG Logistics",
            "tracking_number": "GIG-77",
            "tracking_url": "https://gig.example/t/77",
        },
        headers=artist,
    )
    assert shipped.status_code == 200, shipped.text
    reported = await api.client.post(
        f"/api/v1/orders/{problem_id}/delivery-problem",
        json={"message": "The frame arrived broken"},
        headers=buyer,
    )
    assert reported.status_code == 200, reported.text
    client = api.client
    await sign_in(client, await email_of(api, admin))

    problems = await client.get("/admin/orders?shipment_status=delivery_problem", headers=HTML)
    assert 'id="field-awaiting_shipment_days"' in problems.text
    assert f"/admin/orders/{problem_id}" in problems.text
    assert f"/admin/orders/{waiting_id}" not in problems.text
    assert 'href="/admin/orders.csv?shipment_status=delivery_problem"' in problems.text
    exported = await client.get("/admin/orders.csv?shipment_status=delivery_problem")
    assert problem_id in exported.text
    assert waiting_id not in exported.text
    stuck = await client.get("/admin/orders?awaiting_shipment_days=0", headers=HTML)
    assert f"/admin/orders/{waiting_id}" in stuck.text
    assert f"/admin/orders/{problem_id}" not in stuck.text  # shipped already
    assert "Awaiting shipment" in text_of(stuck.text)
    assert (
        f"/admin/orders/{waiting_id}"
        not in (await client.get("/admin/orders?awaiting_shipment_days=3", headers=HTML)).text
    )
    bad = await client.get("/admin/orders?awaiting_shipment_days=-1&shipment_status=lost", headers=HTML)
    assert bad.status_code == 200
    assert 'id="error-awaiting_shipment_days"' in bad.text
    assert 'id="error-shipment_status"' in bad.text

    detail = await client.get(f"/admin/orders/{problem_id}", headers=HTML)
    assert 'data-status="delivery_problem"' in detail.text
    assert "GIG Logistics" in detail.text
    assert 'id="admin-tracking-link" href="https://gig.example/t/77"' in detail.text
    assert "The frame arrived broken" in detail.text
    history = text_matching(r'id="shipment-history">(.*?)</ol>', detail.text, 1)
    assert ["Awaiting shipment" in history, "Shipped" in history, "Delivery problem" in history] == [True] * 3
    assert private_parts(detail.text) == []  # admins never see the address or the phone
    assert 'id="action-resolve"' in detail.text
    assert 'id="action-confirm-delivery"' in detail.text

    blank = await post_form(client, f"/admin/orders/{problem_id}/shipment/resolve", {"reason": "  "})
    assert blank.status_code == 422
    assert 'id="error-reason-resolve"' in blank.text  # beside the resolve reason, that form open
    assert f'name="back" value="/admin/orders/{problem_id}"' in blank.text  # not the POST's path
    assert re.search(r'<details class="action" open id="action-resolve"', blank.text)
    resolved = await post_form(
        client,
        f"/admin/orders/{problem_id}/shipment/resolve",
        {"reason": "Refunded in part; the buyer keeps the work", "back": f"/admin/orders/{problem_id}"},
    )
    assert (resolved.status_code, resolved.headers["location"]) == (303, f"/admin/orders/{problem_id}")
    after = await client.get(f"/admin/orders/{problem_id}", headers=HTML)
    assert 'data-status="resolved"' in after.text
    assert "Refunded in part; the buyer keeps the work" in after.text
    assert 'id="action-resolve"' not in after.text
    assert 'id="action-confirm-delivery"' not in after.text
    twice = await post_form(client, f"/admin/orders/{problem_id}/shipment/resolve", {"reason": "again"})
    assert twice.status_code == 409
    assert re.search(r'<details class="action" open id="action-resolve"', twice.text)

    waiting = await client.get(f"/admin/orders/{waiting_id}", headers=HTML)
    assert 'id="action-confirm-delivery"' not in waiting.text  # not shipped yet
    early = await post_form(client, f"/admin/orders/{waiting_id}/shipment/confirm-delivery", {"reason": "x"})
    assert early.status_code == 409
    await api.client.post(
        f"/api/v1/orders/{waiting_id}/shipment",
        json={"carrier": "DHL", "tracking_number": "1"},
        headers=artist,
    )
    confirmed = await post_form(
        client,
        f"/admin/orders/{waiting_id}/shipment/confirm-delivery",
        {"reason": "Carrier's proof of delivery, signed by the buyer"},
    )
    assert confirmed.status_code == 303
    api_view = (await api.client.get(f"/api/v1/orders/{waiting_id}", headers=buyer)).json()
    assert (api_view["shipment"]["status"], api_view["shipment"]["confirmed_by"]) == ("delivered", "admin")

    for action, reason in (
        ("shipment.resolve", "Refunded in part; the buyer keeps the work"),
        ("shipment.confirm_delivery", "Carrier's proof of delivery, signed by the buyer"),
    ):
        log = await api.client.get(f"/api/v1/admin/audit-log?action={action}", headers=admin)
        (entry,) = log.json()["items"]
        assert (entry["reason"], entry["channel"]) == (reason, "web")
