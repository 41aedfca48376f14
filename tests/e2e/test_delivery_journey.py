"""A physical work in Chromium, at phone and desktop size: the artist lists it through the
studio form (weight, shipping zones); the buyer gives their details and
address (a country the artist does not ship to is refused beside the country field), sees price
+ shipping + total, pays in the sandbox; the artist marks it shipped on the shipments page; the
buyer follows the tracking link and confirms delivery. An admin finds a delivery problem with
the console's shipment filter and resolves it with a reason."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from tests.e2e.conftest import ConsoleWatch, Live, Speech, signed_in_as
from tests.e2e.mailbox import follow_email_links
from tests.support.images import png_bytes

from artmarket.domain.languages import Language

PHYSICAL = {
    "kind": "physical",
    "weight_grams": 4_000,
    "shipping_rates": [
        {"countries": ["NG"], "price": {"amount": 250_000, "currency": "NGN"}},
        {"countries": ["GH", "KE"], "price": {"amount": 900_000, "currency": "NGN"}},
    ],
}

#: A country as the pages name it: its name in the page's language, then its code.
NAMED = {code: re.compile(rf"[^,]+ \({code}\)") for code in ("NG", "GH", "KE")}


def awaiting_shipment(page: Page, t: Speech) -> None:
    """The order page agrees with itself: certified but not delivered, never "Complete"."""
    expect(page.locator("#status")).to_have_text(t("Awaiting shipment"))
    expect(page.locator("#status-text")).to_have_text(t("Paid · certificate issued · awaiting shipment"))
    expect(page.locator("#shipment-status")).to_have_text(t("Awaiting shipment"))
    expect(page.locator("#shipment-text")).to_have_text(t("The artist is preparing your work for shipping"))
    for summary in page.locator("#order-status .status-line, #order-status ol.steps").all():
        expect(summary).not_to_contain_text(t("Complete"))


def test_a_physical_work_from_buy_now_to_the_buyers_door(
    page: Page,
    live: Live,
    viewport: str,
    language: Language,
    console: ConsoleWatch,
    t: Speech,
    money: Callable[[int, str], str],
    shot: Callable[[Page, str], Path],
) -> None:
    seed = live.seed
    admin = seed.admin()
    artist = seed.approved_artist(admin, name=f"Ada Obi {viewport} {language}")
    title = f"Harmattan Canvas ({viewport} {language})"
    buyer = seed.register("buyer", "Bola Ade")
    console.allow("status of 422")  # the forms answer 422 while a field is wrong

    # The artist lists the work as physical in the studio: weight and shipping zones.
    signed_in_as(page, artist.email)
    page.goto("/artist/artworks/new")
    page.get_by_label(t("Title")).fill(title)
    page.get_by_label(t("Price")).fill("25,000" if language is Language.ENGLISH else "25 000")
    expect(page.get_by_label(t("Weight in grams"))).to_be_hidden()  # digital by default
    page.get_by_label(t("Physical")).check()
    page.get_by_label(t("Weight in grams")).fill("4000")
    page.get_by_label(t("Zone %(number)d: countries", number=1)).fill("NG")
    page.get_by_label(t("Zone %(number)d: shipping cost", number=1)).fill("2500")
    page.get_by_label(t("Zone %(number)d: countries", number=2)).fill("GH, XX")
    page.get_by_label(t("Zone %(number)d: shipping cost", number=2)).fill("9000")
    page.get_by_role("button", name=t("Save draft")).click()
    expect(page.locator("#error-zone_1_countries")).to_contain_text(
        t.error("{value!r} is not an ISO 3166-1 alpha-2 country code such as NG.", value="XX")
    )
    expect(page.get_by_label(t("Zone %(number)d: countries", number=1))).to_have_value(
        "NG"
    )  # nothing typed lost
    page.get_by_label(t("Zone %(number)d: countries", number=2)).fill("GH, KE")
    page.get_by_role("button", name=t("Save draft")).click()
    zones = page.locator("#delivery-zones li")
    to_nigeria = t.pattern("%(price)s to %(countries)s", price=money(250_000, "NGN"), countries=NAMED["NG"])
    expect(zones.nth(0)).to_have_text(to_nigeria)
    countries = re.compile(NAMED["GH"].pattern + ", " + NAMED["KE"].pattern)
    expect(zones.nth(1)).to_have_text(
        t.pattern("%(price)s to %(countries)s", price=money(900_000, "NGN"), countries=countries)
    )
    shot(page, "studio-physical-work")
    artwork_id = page.url.rsplit("/", 1)[1]
    uploaded = seed.client.post(
        f"/api/v1/artworks/{artwork_id}/images",
        files={"file": ("work.png", png_bytes(64, 48), "image/png")},
        headers=artist.headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    page.reload()
    page.get_by_role("button", name=t("Publish")).click()
    expect(page.locator("#artwork-status")).to_have_text(t("Published"))
    expect(page.locator("nav.subnav").get_by_role("link", name=t("Shipments"))).to_have_attribute(
        "href", "/artist/shipments"
    )
    artwork = {"id": artwork_id}

    # The artwork page says where it ships; Buy Now asks for the details first.
    signed_in_as(page, buyer.email)
    page.goto(f"/artworks/{artwork['id']}")
    expect(page.locator("#delivery-info")).to_contain_text(
        t.pattern("%(shipped)s from %(price)s%(weight)s.", price=money(250_000, "NGN"))
    )
    expect(page.locator("#ships-to-countries")).to_have_text(
        t.pattern("Ships to %(countries)s.", countries=re.compile(r".*\(NG\).*"))
    )
    shot(page, "artwork")
    page.get_by_role("link", name=t("Buy now")).click()
    expect(page).to_have_url(re.compile(rf"/artworks/{artwork['id']}/checkout$"))
    expect(page.get_by_label(t("Email"))).to_have_value(buyer.email)

    page.get_by_label(t("Full name")).fill("Bolanle Adeyemi")
    page.get_by_label(t("Phone")).fill("+234 803 555 0199")
    page.get_by_label(t("Recipient's name")).fill("Bolanle Adeyemi")
    page.get_by_label(t("Address"), exact=True).fill("14 Kingfisher Crescent")
    page.get_by_label(t("City")).fill("Ikeja")
    page.get_by_label(t("State or region")).fill("Lagos")
    page.get_by_label(t("Postal code")).fill("SW1A 1AA")
    page.get_by_label(t("Country")).select_option("GB")
    page.get_by_role("button", name=t("Continue")).click()

    # Not shipped to: the error beside the country, nothing typed lost.
    expect(page.locator("#error-country")).to_contain_text(
        t.error("The artist does not ship this work to {destination}.", destination="GB")
    )
    expect(page.locator("#field-country")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(t("Address"), exact=True)).to_have_value("14 Kingfisher Crescent")
    expect(page.get_by_label(t("Phone"))).to_have_value("+234 803 555 0199")
    shot(page, "country-not-shipped-to")

    page.get_by_label(t("Country")).select_option("NG")
    page.get_by_label(t("Postal code")).fill("100271")
    page.get_by_label(t("Save this address for next time")).check()
    page.get_by_role("button", name=t("Continue")).click()

    # Reserved: the price, the shipping and the total before payment.
    expect(page).to_have_url(re.compile(r"/checkout/[0-9a-f-]{36}$"))
    expect(page.locator("#price")).to_have_text(money(2_500_000, "NGN"))
    expect(page.locator("#shipping")).to_have_text(money(250_000, "NGN"))
    expect(page.locator("#amount")).to_have_text(money(2_750_000, "NGN"))
    expect(page.locator("#checkout-address")).to_contain_text("14 Kingfisher Crescent")
    shot(page, "checkout")
    page.get_by_role("link", name=t("Continue to payment")).click()
    expect(page).to_have_url(re.compile(r"/sandbox/paystack/checkout/"))
    page.click("#pay")
    expect(page).to_have_url(re.compile(r"/orders/[0-9a-f-]{36}$"))
    order_url = page.url
    expect(page.locator("#shipment-status")).to_have_attribute(
        "data-status", "awaiting_shipment", timeout=20_000
    )
    # Certified but not delivered: never "complete" while the delivery panel says awaiting shipment.
    expect(page.locator("#status")).to_have_attribute("data-status", "completed", timeout=30_000)
    awaiting_shipment(page, t)
    shot(page, "order")

    # The artist ships it from the shipments page.
    page.goto(signed_in_as(page, artist.email))
    expect(page).to_have_url(re.compile(r"/artist$"))  # an artist lands in the studio
    page.get_by_role("navigation", name=t("Studio")).get_by_role("link", name=t("Shipments")).click()
    row = page.locator(".shipment-row").filter(has_text=title)
    expect(row).to_contain_text("14 Kingfisher Crescent")
    row.get_by_role("link", name=t("Mark shipped")).click()
    expect(page.locator("#recipient")).to_contain_text("+2348035550199")
    page.get_by_label(t("Carrier")).fill("DHL")
    page.get_by_label(t("Tracking number")).fill("JD014600003")
    page.get_by_role("button", name=t("Mark shipped")).click()
    expect(page.locator("#toasts .toast").first).to_contain_text(
        t("Marked as shipped: the buyer has been sent the tracking details.")
    )
    expect(page.locator(".shipment-row").filter(has_text=title)).to_have_count(0)
    # The artist's emails (welcome, identity approved, sold, ship it) open pages for the artist.
    assert follow_email_links(page, live, artist.email, count=4) >= 4

    # The buyer follows the tracking link and confirms delivery.
    signed_in_as(page, buyer.email)
    page.goto(order_url)
    expect(page.locator("#shipment-status")).to_have_attribute("data-status", "shipped")
    expect(page.locator("#tracking-link")).to_have_attribute(
        "href", re.compile(r"^https://www\.dhl\.com/.*JD014600003")
    )
    expect(page.locator("#tracking-number")).to_have_text("JD014600003")
    expect(page.locator("#status-text")).to_have_text(t("Paid · certificate issued · shipped"))
    expect(page.locator("#shipment-text")).to_have_text(t("On its way to you"))
    shot(page, "shipped-with-tracking")
    page.get_by_role("button", name=t("Confirm delivery")).click()
    expect(page.locator("#shipment-status")).to_have_attribute("data-status", "delivered")
    expect(page.locator("#status-text")).to_have_text(t("Delivered · the work is yours and certified"))
    expect(page.locator("#shipment-status")).to_have_text(t("Delivered"))
    expect(page.get_by_role("button", name=t("Confirm delivery"))).to_have_count(0)

    # The address was saved for next time.
    page.goto("/me/addresses")
    expect(page.locator("#addresses")).to_contain_text("14 Kingfisher Crescent")

    # The buyer's emails (welcome, how to pay, paid, shipped) open pages for the buyer.
    assert follow_email_links(page, live, buyer.email, count=4) >= 4


BUYER = {"full_name": "Bolanle Adeyemi", "phone": "+234 803 555 0199"}
ADDRESS = {"name": "Bolanle Adeyemi", "lines": ["14 Kingfisher Crescent"], "city": "Ikeja", "country": "NG"}


def shipped_with_a_problem(live: Live, title: str) -> dict[str, Any]:
    """A paid physical work, shipped, and the buyer's problem report, through the REST API."""
    seed = live.seed
    admin = seed.admin()
    artist = seed.approved_artist(admin)
    artwork = seed.published_artwork(artist, title=title, delivery=PHYSICAL)
    buyer = seed.register("buyer")
    placed = seed.client.post(
        "/api/v1/orders",
        json={"artwork_id": artwork["id"], "buyer": BUYER, "delivery_address": ADDRESS},
        headers=buyer.headers,
    )
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order"]["id"]
    paid = seed.client.post(f"/sandbox/paystack/checkout/{placed.json()['payment']['reference']}/pay")
    assert paid.status_code in (200, 303), paid.text
    deadline = time.monotonic() + 20
    while (
        shipment := seed.client.get(f"/api/v1/orders/{order_id}", headers=buyer.headers).json()["shipment"]
    ) is None:
        assert time.monotonic() < deadline, "the payment was not recorded"
        time.sleep(0.1)  # the payment webhook is handled by the app's worker
    assert shipment["status"] == "awaiting_shipment"
    shipped = seed.client.post(
        f"/api/v1/orders/{order_id}/shipment",
        json={"carrier": "DHL", "tracking_number": "JD014600003"},
        headers=artist.headers,
    )
    assert shipped.status_code == 200, shipped.text
    reported = seed.client.post(
        f"/api/v1/orders/{order_id}/delivery-problem",
        json={"message": "The frame arrived broken"},
        headers=buyer.headers,
    )
    assert reported.status_code == 200, reported.text
    return {"order_id": order_id, "admin": admin}


def test_an_admin_finds_a_delivery_problem_and_resolves_it_in_the_console(
    page: Page,
    live: Live,
    viewport: str,
    language: Language,
    console: ConsoleWatch,
    t: Speech,
    shot: Callable[[Page, str], Path],
) -> None:
    title = f"Broken Frame ({viewport} {language})"
    world = shipped_with_a_problem(live, title)
    console.allow("status of 422")  # the resolve form answers 422 without a reason
    signed_in_as(page, world["admin"].email)
    page.goto("/admin/orders")
    page.get_by_label(t("Search")).fill(title)
    page.get_by_label(t("Shipment status")).select_option("delivery_problem")
    page.get_by_role("button", name=t("Show orders")).click()
    expect(page).to_have_url(re.compile(r"shipment_status=delivery_problem"))
    rows = page.locator("#orders-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(t("Delivery problem"))
    shot(page, "console-delivery-problems")
    rows.first.get_by_role("link").first.click()

    expect(page.locator("#admin-shipment-status")).to_have_attribute("data-status", "delivery_problem")
    expect(page.locator("#admin-shipment-problem")).to_contain_text("The frame arrived broken")
    expect(page.locator("#admin-tracking-link")).to_have_attribute(
        "href", re.compile(r"dhl\.com.*JD014600003")
    )
    expect(page.locator("#admin-shipment")).not_to_contain_text("Kingfisher")  # never the address
    page.locator("#action-resolve summary").click()
    page.locator("#action-resolve").get_by_role("button", name=t("Resolve problem")).click()
    expect(page.locator("#error-reason-resolve")).to_contain_text(
        t.error("Give a reason of 1 to 1000 characters.")
    )
    page.get_by_label(t("How the problem was resolved")).fill("Refunded in part; the buyer keeps the work")
    page.locator("#action-resolve").get_by_role("button", name=t("Resolve problem")).click()
    expect(page.locator("#toasts")).to_contain_text(t("The delivery problem is resolved."))
    expect(page.locator("#admin-shipment-status")).to_have_attribute("data-status", "resolved")
    expect(page.locator("#shipment-history")).to_contain_text("Refunded in part; the buyer keeps the work")
    expect(page.locator("#action-resolve")).to_have_count(0)
    shot(page, "console-problem-resolved")
    page.goto(f"/admin/audit-log?action=shipment.resolve&target_id={world['order_id']}")
    expect(page.locator("main")).to_contain_text("Refunded in part; the buyer keeps the work")
