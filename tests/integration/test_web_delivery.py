"""The delivery pages over HTTP (no browser): a physical work's details step (errors beside the
fields, nothing typed lost, a country not shipped to), price + shipping + total before payment,
the artist's shipments page, the buyer's tracking, confirmation and problem report, saved
addresses. The browser journey is tests/e2e/test_delivery_journey.py."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_checkout_api import eventually
from tests.integration.test_delivery_api import PHYSICAL
from tests.integration.test_web_pages import HTML, csrf_of, sign_in_browser
from tests.support.api import Api, app_settings, running_app
from tests.support.page_text import error_beside

DETAILS = {
    "full_name": "Bolanle Adeyemi-Okafor",
    "phone": "+234 803 555 0199",
    "email": "",
    "saved_address": "new",
    "name": "Bolanle Adeyemi-Okafor",
    "line1": "14 Kingfisher Crescent",
    "line2": "Flat 2B",
    "city": "Ikeja",
    "region": "Lagos",
    "postal_code": "100271",
    "country": "NG",
}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        yield api


async def details_step(api: Api, artwork_id: str, **changes: str) -> Any:
    page = await api.client.get(f"/artworks/{artwork_id}/checkout", headers=HTML)
    assert page.status_code == 200, page.text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page.text)
    assert key is not None
    form = {**DETAILS, "csrf_token": csrf_of(page.text), "idempotency_key": key.group(1), **changes}
    return await api.client.post(f"/artworks/{artwork_id}/checkout", data=form, headers=HTML)


async def pay(api: Api, order_id: str) -> None:
    to_payment = await api.client.get(f"/checkout/{order_id}/pay", headers=HTML, follow_redirects=False)
    reference = to_payment.headers["location"].rsplit("/", 1)[1]
    api.gateway.complete(reference, outcome="success")
    raw, signature = api.gateway.webhook_for(reference)
    await api.client.post(
        "/api/v1/payments/paystack/webhook", content=raw, headers={"x-paystack-signature": signature}
    )


async def test_a_physical_work_is_bought_shipped_tracked_and_confirmed_through_the_pages(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, title="Harmattan Light", price=2_500_000, delivery=PHYSICAL)
    digital = await api.published_artwork(artist, title="Night Market")
    buyer = await api.register("buyer", "Bola Ade")
    me = await sign_in_browser(api, buyer)

    shown = await api.client.get(f"/artworks/{artwork['id']}", headers=HTML)
    assert f'id="buy-now" href="/artworks/{artwork["id"]}/checkout"' in shown.text
    assert "from ₦2,500" in shown.text
    assert "Nigeria (NG)" in shown.text
    assert "Ghana (GH)" in shown.text
    other = await api.client.get(f"/artworks/{digital['id']}", headers=HTML)
    assert "Delivered by certificate" in other.text
    assert f'action="/artworks/{digital["id"]}/buy"' in other.text

    # The one-click Buy Now of a page opened before the work became physical: to the details step.
    stale = await api.client.post(
        f"/artworks/{artwork['id']}/buy",
        data={"csrf_token": csrf_of(shown.text)},
        headers=HTML,
        follow_redirects=False,
    )
    assert stale.headers["location"] == f"/artworks/{artwork['id']}/checkout"

    form = await api.client.get(f"/artworks/{artwork['id']}/checkout", headers=HTML)
    assert 'value="' + me["email"] + '"' in form.text  # the account's email by default
    assert "Nigeria (NG): shipping ₦2,500" in form.text
    assert "Kenya (KE): shipping ₦9,000" in form.text
    assert "United Kingdom (GB): not shipped to" in form.text

    # Every mistake at once, beside its field, everything typed kept.
    wrong = await details_step(
        api, artwork["id"], phone="0803 555", postal_code="", country="GB", city="", save_address="on"
    )
    assert wrong.status_code == 422
    assert "E.164" in error_beside(wrong.text, "phone")
    assert error_beside(wrong.text, "city") == "This field is required."
    assert 'value="14 Kingfisher Crescent"' in wrong.text
    assert 'value="0803 555"' in wrong.text
    assert '<option value="GB" selected>' in wrong.text
    assert 'id="save-address" checked' in wrong.text

    abroad = await details_step(api, artwork["id"], country="GB", postal_code="SW1A 1AA")
    assert abroad.status_code == 422
    assert error_beside(abroad.text, "country") == "The artist does not ship this work to GB."
    assert (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()["status"] == "published"

    # Reserved: price, shipping and total before payment, and the address saved for next time.
    placed = await details_step(api, artwork["id"], country="GH", postal_code="", save_address="on")
    assert placed.status_code == 200, placed.text
    assert 'id="step-delivery"' in placed.text
    assert re.search(r'id="price">₦25,000<', placed.text)
    assert re.search(r'id="shipping">₦9,000<', placed.text)
    assert "₦34,000" in placed.text
    assert "14 Kingfisher Crescent" in placed.text
    order_id = re.search(r'action="/checkout/([0-9a-f-]+)/cancel"', placed.text)
    assert order_id is not None
    order = order_id.group(1)
    addresses = await api.client.get("/me/addresses", headers=HTML)
    assert "14 Kingfisher Crescent" in addresses.text

    await pay(api, order)

    async def awaiting_shipment() -> bool:
        page = await api.client.get(f"/orders/{order}", headers=HTML)
        return 'id="shipment-status" data-status="awaiting_shipment"' in page.text

    await eventually(awaiting_shipment, within=15)

    # The artist ships it from the shipments page.
    await sign_in_browser(api, artist)
    listing = await api.client.get("/artist/shipments", headers=HTML)
    assert "Harmattan Light" in listing.text
    assert "14 Kingfisher Crescent" in listing.text
    detail = await api.client.get(f"/artist/shipments/{order}", headers=HTML)
    assert "+2348035550199" in detail.text
    assert me["email"] not in detail.text  # the artist never sees the buyer's email
    bad = await api.client.post(
        f"/artist/shipments/{order}/ship",
        data={
            "csrf_token": csrf_of(detail.text),
            "carrier": "DHL",
            "tracking_number": "#!",
            "tracking_url": "",
        },
        headers=HTML,
    )
    assert bad.status_code == 422
    assert "tracking number" in error_beside(bad.text, "tracking_number")
    assert 'value="DHL"' in bad.text
    shipped = await api.client.post(
        f"/artist/shipments/{order}/ship",
        data={
            "csrf_token": csrf_of(detail.text),
            "carrier": "DHL",
            "tracking_number": "JD0146",
            "tracking_url": "",
        },
        headers=HTML,
    )
    assert shipped.status_code == 200
    assert "Marked as shipped" in shipped.text
    assert 'data-status="awaiting_shipment"' not in shipped.text  # the default filter: none left

    # The buyer follows the parcel, reports nothing, confirms delivery.
    await sign_in_browser(api, buyer)
    page = await api.client.get(f"/orders/{order}", headers=HTML)
    assert 'data-status="shipped"' in page.text
    assert 'id="tracking-link" href="https://www.dhl.com/' in page.text
    assert "JD0146" in page.text
    assert 'id="confirm-delivery"' in page.text
    empty = await api.client.post(
        f"/orders/{order}/delivery-problem",
        data={"csrf_token": csrf_of(page.text), "message": ""},
        headers=HTML,
    )
    assert empty.status_code == 422
    assert error_beside(empty.text, "message") == "Describe the problem."
    confirmed = await api.client.post(
        f"/orders/{order}/delivery-confirmation", data={"csrf_token": csrf_of(page.text)}, headers=HTML
    )
    assert "the delivery is confirmed" in confirmed.text
    assert 'id="shipment-status" data-status="delivered"' in confirmed.text
    assert 'id="confirm-delivery"' not in confirmed.text


async def test_saved_addresses_are_added_deleted_and_picked_at_checkout(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, title="Harmattan Light", delivery=PHYSICAL)
    buyer = await api.register("buyer", "Bola Ade")
    await sign_in_browser(api, buyer)

    page = await api.client.get("/me/addresses", headers=HTML)
    assert 'id="no-addresses"' in page.text
    address = {k: DETAILS[k] for k in ("name", "line1", "line2", "city", "region", "postal_code")}
    wrong = await api.client.post(
        "/me/addresses",
        data={"csrf_token": csrf_of(page.text), **address, "country": "GB", "postal_code": "12"},
        headers=HTML,
    )
    assert wrong.status_code == 422
    assert "not a postal code of GB" in error_beside(wrong.text, "postal_code")
    assert 'value="14 Kingfisher Crescent"' in wrong.text
    for country, code in (("GB", "SW1A 1AA"), ("NG", "100271")):
        saved = await api.client.post(
            "/me/addresses",
            data={"csrf_token": csrf_of(page.text), **address, "country": country, "postal_code": code},
            headers=HTML,
        )
        assert "Address saved." in saved.text
    listed = (await api.client.get("/api/v1/me/addresses", headers=buyer)).json()["items"]
    by_country = {item["country"]: item["id"] for item in listed}
    assert set(by_country) == {"GB", "NG"}

    # A saved address abroad: the error is beside the address picker; a served one reserves the work.
    abroad = await details_step(api, artwork["id"], saved_address=by_country["GB"], country="")
    assert abroad.status_code == 422
    assert error_beside(abroad.text, "saved_address") == "The artist does not ship this work to GB."
    home = await details_step(
        api, artwork["id"], saved_address=by_country["NG"], name="", line1="", city="", country=""
    )
    assert home.status_code == 200, home.text
    assert re.search(r'id="shipping">₦2,500<', home.text)

    deleted = await api.client.post(
        f"/me/addresses/{by_country['GB']}/delete", data={"csrf_token": csrf_of(page.text)}, headers=HTML
    )
    assert "Address deleted." in deleted.text
    assert "SW1A 1AA" not in deleted.text
    assert "100271" in deleted.text
    other = await api.register("buyer", "Chidi")
    await sign_in_browser(api, other)
    page = await api.client.get("/me/addresses", headers=HTML)
    refused = await api.client.post(
        f"/me/addresses/{by_country['NG']}/delete", data={"csrf_token": csrf_of(page.text)}, headers=HTML
    )
    assert refused.status_code == 404


async def test_a_delivery_problem_is_reported_from_the_order_page(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, title="Harmattan Light", delivery=PHYSICAL)
    buyer = await api.register("buyer", "Bola Ade")
    await sign_in_browser(api, buyer)
    placed = await details_step(api, artwork["id"])
    found = re.search(r'action="/checkout/([0-9a-f-]+)/cancel"', placed.text)
    assert found is not None
    order = found.group(1)
    await pay(api, order)

    async def paid() -> bool:
        answer = await api.client.get(f"/api/v1/orders/{order}", headers=buyer)
        return answer.json()["shipment"] is not None

    await eventually(paid, within=15)
    shipped = await api.client.post(
        f"/api/v1/orders/{order}/shipment",
        json={
            "carrier": "GIG Logistics",
            "tracking_number": "GIG-77",
            "tracking_url": "https://gig.example/t/77",
        },
        headers=artist,
    )
    assert shipped.status_code == 200, shipped.text
    page = await api.client.get(f"/orders/{order}", headers=HTML)
    assert 'id="tracking-link" href="https://gig.example/t/77"' in page.text
    reported = await api.client.post(
        f"/orders/{order}/delivery-problem",
        data={"csrf_token": csrf_of(page.text), "message": "The frame arrived cracked."},
        headers=HTML,
    )
    assert "our team will look into it" in reported.text
    assert 'id="shipment-status" data-status="delivery_problem"' in reported.text
    assert "The frame arrived cracked." in reported.text
    assert 'id="report-problem"' not in reported.text
    assert 'id="confirm-delivery"' in reported.text  # the parcel may turn up after all
    # The history lists the order's steps and the shipment's.
    history = reported.text.split('id="history"')[1].split("</ol>")[0]
    assert [label in history for label in ("Paid", "Awaiting shipment", "Shipped", "Delivery problem")] == [
        True
    ] * 4
