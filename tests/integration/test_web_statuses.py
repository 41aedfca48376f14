"""Statuses that never contradict each other (issue #20 §4), over HTTP on the in-process app:
a physical order is not "complete" before delivery, a refund says what, why and when and is
emailed once, a lapsed reservation cannot be paid, a declined payment says so, the buyer
holding a reservation finds their checkout, drafts show draft actions, sign-in lands at home."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from tests.integration.test_checkout_api import eventually
from tests.integration.test_delivery_api import PHYSICAL, paid_physical_order
from tests.integration.test_email_links import deliveries, sign_in_as
from tests.integration.test_web_pages import HTML, page_token, sign_in_browser
from tests.support.api import PASSWORD, Api, FixedClockProvider, app_settings, running_app

from artmarket.application.notifications.deliveries import EmailKind
from artmarket.fakes.clock import FixedClock

WEBHOOK = "/api/v1/payments/paystack/webhook"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        yield api


def stage_of(html: str) -> str:
    found = re.search(r'id="status" data-status="[a-z_]+" data-stage="([a-z_]+)">([^<]+)<', html)
    text = re.search(r'<span id="status-text">([^<]+)</span>', html)
    assert found, html
    assert text, html
    return f"{found.group(1)}: {found.group(2)} / {text.group(1)}"


async def refund_emails(api: Api, email: str) -> int:
    return len(
        [d for d in await deliveries(api) if d.kind is EmailKind.ORDER_REFUNDED and d.recipient == email]
    )


async def test_a_physical_order_is_not_complete_before_delivery_and_its_refund_is_shown_and_emailed_once(
    api: Api,
) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, title="Harmattan Light", delivery=PHYSICAL)
    buyer = await api.register("buyer", "Bola Ade")
    order_id = await paid_physical_order(api, buyer, artwork["id"])
    me = await sign_in_browser(api, buyer)

    page = await api.client.get(f"/orders/{order_id}", headers=HTML)
    assert stage_of(page.text) == (
        "awaiting_shipment: Awaiting shipment / Paid · certificate issued · awaiting shipment"
    )
    assert "the work is yours" not in page.text
    history = re.search(r'<ol class="history" id="history">(.*?)</ol>', page.text, re.S)
    assert history is not None
    steps = re.findall(r'<span class="badge">([^<]+)</span>', history.group(1))
    assert "Certificate issued" in steps
    assert "Completed" not in steps
    listed = await api.client.get("/me/orders", headers=HTML)
    assert 'data-stage="awaiting_shipment"' in listed.text
    assert 'data-stage="complete"' not in listed.text

    body = {"carrier": "DHL", "tracking_number": "JD0146000012345"}
    assert (
        await api.client.post(f"/api/v1/orders/{order_id}/shipment", json=body, headers=artist)
    ).is_success
    shipped = await api.client.get(f"/orders/{order_id}", headers=HTML)
    assert stage_of(shipped.text) == "shipped: Shipped / Paid · certificate issued · shipped"
    confirmed = await api.client.post(f"/api/v1/orders/{order_id}/delivery-confirmation", headers=buyer)
    assert confirmed.is_success
    delivered = await api.client.get(f"/orders/{order_id}", headers=HTML)
    assert stage_of(delivered.text) == "delivered: Delivered / Delivered · the work is yours and certified"

    refunded = await api.client.post(
        f"/api/v1/admin/orders/{order_id}/refund", json={"reason": "Damaged in transit"}, headers=admin
    )
    assert refunded.status_code == 200, refunded.text

    async def emailed() -> bool:
        return await refund_emails(api, me["email"]) == 1

    await eventually(emailed, within=10)  # on the provider's acceptance, before any refund.* event
    page = await api.client.get(f"/orders/{order_id}", headers=HTML)
    assert stage_of(page.text) == "refunded: Refunded / Your payment was refunded"
    assert "Refunded Refunded" not in re.sub(r"<[^>]+>|\s+", " ", page.text).replace("  ", " ")
    assert re.search(r'id="refund-amount">₦27,500(\.00)?<', page.text)
    assert 'id="refund-reason">Damaged in transit<' in page.text
    assert re.search(r'id="refund-date">\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC<', page.text)

    refund = api.gateway.refunds[-1]
    raw, signature = api.gateway.refund_webhook_for(refund.refund_id, "processed")
    assert (
        await api.client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature})
    ).is_success

    async def processed() -> bool:
        detail = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
        return bool(detail["refund_status"] == "processed")

    await eventually(processed, within=10)
    assert await refund_emails(api, me["email"]) == 1  # refund.processed following tells nobody again


async def test_a_reservation_is_found_from_the_work_counts_down_and_cannot_be_paid_once_lapsed(
    tmp_path: Path,
) -> None:
    clock = FixedClock()
    async with running_app(app_settings(tmp_path), FixedClockProvider(clock)) as api:
        admin = await api.admin()
        artist = await api.approved_artist(admin)
        artwork = await api.published_artwork(artist, title="Night Market")
        declined_work = await api.published_artwork(artist, title="Lagos Rain")
        buyer = await api.register("buyer", "Bola Ade")
        me = await sign_in_browser(api, buyer)
        placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
        order_id = placed.json()["order"]["id"]

        work_page = await api.client.get(f"/artworks/{artwork['id']}", headers=HTML)
        assert "You have reserved this work" in work_page.text
        assert f'id="continue-checkout" href="/checkout/{order_id}"' in work_page.text
        checkout = await api.client.get(f"/checkout/{order_id}", headers=HTML)
        assert re.search(r">15:00 left</time>", checkout.text)  # a countdown, not a clock time
        assert f'id="pay-now" href="/checkout/{order_id}/pay"' in checkout.text
        assert 'data-disables="pay-now"' in checkout.text  # app.js disables it when the countdown ends

        clock.advance(timedelta(minutes=15, seconds=1))
        lapsed = await api.client.get(f"/checkout/{order_id}", headers=HTML)
        assert re.search(r'id="pay-now" aria-disabled="true"', lapsed.text)
        assert f'href="/checkout/{order_id}/pay"' not in lapsed.text
        refused = await api.client.get(f"/checkout/{order_id}/pay", headers=HTML, follow_redirects=False)
        assert refused.headers["location"] == f"/orders/{order_id}"
        assert "You have reserved this work" not in (await api.client.get(f"/artworks/{artwork['id']}")).text

        buyer = await api.login(me["email"])  # the access token lapsed with the reservation
        second = await api.client.post(
            "/api/v1/orders", json={"artwork_id": declined_work["id"]}, headers=buyer
        )
        assert second.status_code == 201, second.text
        reference, declined_id = second.json()["payment"]["reference"], second.json()["order"]["id"]
        api.gateway.complete(reference, outcome="failed")
        back = await api.client.get(
            f"/api/v1/payments/paystack/callback?reference={reference}", headers=HTML, follow_redirects=False
        )
        assert back.headers["location"] == f"/orders/{declined_id}?payment=declined"
        page = await api.client.get(back.headers["location"], headers=HTML)
        assert 'id="payment-declined"' in page.text
        assert "Your payment was declined, so nothing was charged." in page.text
        assert (
            stage_of(page.text) == "awaiting_payment: Awaiting payment / Reserved · waiting for your payment"
        )
        assert f'href="/checkout/{declined_id}/pay" id="pay-now"' in page.text  # try again
        spoofed = await api.client.get(f"/orders/{order_id}?payment=declined", headers=HTML)
        assert 'id="payment-declined"' not in spoofed.text  # only an order that can still be paid


async def test_sign_in_lands_each_role_at_home_unless_a_page_was_asked_for(api: Api) -> None:
    admin = await api.admin()
    artist = await api.register("artist", "Ada Obi")
    buyer = await api.register("buyer", "Bola Ade")
    form = await api.client.get("/login", headers=HTML)
    assert 'name="next" value=""' in form.text  # no page asked for
    for headers, home in ((admin, "/admin"), (artist, "/artist"), (buyer, "/")):
        email = (await api.client.get("/api/v1/me", headers=headers)).json()["email"]
        answer = await api.client.post(
            "/login",
            data={
                "csrf_token": await page_token(api.client),
                "email": email,
                "password": PASSWORD,
                "next": "",
            },
            headers=HTML,
            follow_redirects=False,
        )
        assert answer.headers["location"] == home
    await sign_in_as(api, (await api.client.get("/api/v1/me", headers=artist)).json()["email"])
    asked = await api.client.post(
        "/login",
        data={
            "csrf_token": await page_token(api.client),
            "email": (await api.client.get("/api/v1/me", headers=artist)).json()["email"],
            "password": PASSWORD,
            "next": "/artist/payout",
        },
        headers=HTML,
        follow_redirects=False,
    )
    assert asked.headers["location"] == "/artist/payout"


async def test_a_draft_shows_draft_actions_what_it_still_needs_and_the_truth_about_payouts(api: Api) -> None:
    artist = await api.register("artist", "Ada Obi")
    created = await api.client.post(
        "/api/v1/artworks",
        json={"title": "Study", "medium": "painting", "price": {"amount": 100_000, "currency": "NGN"}},
        headers=artist,
    )
    assert created.status_code == 201, created.text
    await sign_in_browser(api, artist)

    page = await api.client.get(f"/artist/artworks/{created.json()['id']}", headers=HTML)
    assert 'id="withdraw"' not in page.text  # not on sale: nothing to withdraw from sale
    assert 'id="archive"' in page.text  # a draft's own action
    checklist = re.search(r'<ul class="checklist" id="publish-checklist">(.*?)</ul>', page.text, re.S)
    assert checklist is not None
    needs = re.sub(r"<[^>]+>", "|", checklist.group(1))
    assert [n for n in needs.split("|") if n.strip()] == ["an approved identity review", "an image"]

    studio = await api.client.get("/artist", headers=HTML)
    warning = re.search(r'<p id="no-payout-account">(.*?)</p>', studio.text, re.S)
    assert warning is not None
    assert "Buyers can still buy your works" in warning.group(1)
    assert "paid in full to artmarket" in warning.group(1)
