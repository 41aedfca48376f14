"""A buyer's whole journey in Chromium: register, find a work by filter, Buy Now, pay on the sandbox
page, watch the order reach `completed`, open the certificate and verify it; at phone and desktop size."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import ConsoleWatch, Live, Speech, open_menu
from tests.e2e.mailbox import follow_email_links
from tests.support.api import PASSWORD

from artmarket.domain.languages import Language


def test_register_find_by_filter_buy_pay_and_verify_the_certificate(
    page: Page,
    live: Live,
    viewport: str,
    language: Language,
    t: Speech,
    money: Callable[[int, str], str],
    shot: Callable[[Page, str], Path],
) -> None:
    seed = live.seed
    admin = seed.admin()
    artist = seed.approved_artist(admin, name=f"Ada Obi {viewport} {language}")
    title = f"Harmattan Light ({viewport} {language})"
    seed.published_artwork(artist, title=title, medium="photography", price=4_200_000, currency="NGN")
    # Decoys the filters must leave out: another medium, and a price above the range.
    seed.published_artwork(
        artist, title=f"Lagos Dusk ({viewport} {language})", medium="painting", price=4_000_000
    )
    seed.published_artwork(
        artist, title=f"Big Print ({viewport} {language})", medium="photography", price=90_000_000
    )

    # Register as a buyer through the page.
    email = seed.email("buyer")
    page.goto("/")
    open_menu(page)
    page.get_by_role("link", name=t("Create account")).click()
    page.get_by_label(t("Buy art")).check()
    page.get_by_label(t("Your name")).fill("Bola Ade")
    page.get_by_label(t("Email")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Password again")).fill(PASSWORD)
    page.get_by_role("button", name=t("Create account")).click()
    expect(page).to_have_url(live.url("/"))
    shot(page, "gallery")

    # Find the work by medium and price range.
    if not page.locator("details.more-filters").get_attribute("open") is not None:
        page.get_by_text(t("Filters and sort")).click()
    page.get_by_label(t("Medium")).select_option("photography")
    page.get_by_label(t("Currency")).select_option("NGN")
    # Thousands as each language groups them: both are read.
    page.get_by_label(t("Lowest price")).fill("40,000" if language is Language.ENGLISH else "40 000")
    page.get_by_label(t("Highest price")).fill("50000")
    page.get_by_role("button", name=t("Apply")).click()
    expect(page).to_have_url(re.compile(r"medium=photography"))
    cards = page.locator("#cards li.card")
    expect(cards.filter(has_text=title)).to_have_count(1)
    expect(cards.filter(has_text="Lagos Dusk")).to_have_count(0)
    expect(cards.filter(has_text="Big Print")).to_have_count(0)
    shot(page, "gallery-filtered")

    cards.filter(has_text=title).get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#price")).to_have_text(money(4_200_000, "NGN"))
    expect(page.get_by_role("img", name=re.compile(re.escape(title)))).to_be_visible()
    shot(page, "artwork")
    # The artist's page lists the work; back to it to buy.
    page.locator("#artist-link").click()
    expect(page.locator("#artist-name")).to_have_text(artist.display_name)
    expect(page.get_by_role("link", name=title)).to_be_visible()
    shot(page, "artist")
    page.go_back()

    # Buy Now: the reservation with its countdown, then the payment page.
    page.get_by_role("button", name=t("Buy now")).click()
    expect(page).to_have_url(re.compile(r"/checkout/[0-9a-f-]{36}$"))
    expect(page.locator("#countdown")).to_have_text(t.pattern("%(time)s left", time=re.compile(r"\d+:\d\d")))
    shot(page, "checkout")
    page.get_by_role("link", name=t("Continue to payment")).click()
    expect(page).to_have_url(re.compile(r"/sandbox/paystack/checkout/"))
    page.click("#pay")

    # Back on the order page, which updates itself until the certificate is ready.
    expect(page).to_have_url(re.compile(r"/orders/[0-9a-f-]{36}$"))
    expect(page.locator("#status")).to_have_attribute(
        "data-status", re.compile("paid|minting|completed"), timeout=10_000
    )
    expect(page.locator("#status")).to_have_attribute("data-status", "completed", timeout=30_000)
    # A digital work is complete once certified: the stage says so, and no delivery is waited for.
    expect(page.locator("#status")).to_have_text(t("Complete"))
    expect(page.locator("#status-text")).to_have_text(t("Complete · the work is yours and certified"))
    expect(page.locator("#shipment")).to_have_count(0)
    order_url = page.url
    shot(page, "order")

    page.get_by_role("link", name=t("View the certificate")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    # Private by default (the owner alone sees their name, and is offered to show it).
    expect(page.locator("#owner")).to_contain_text("Bola Ade")
    expect(page.locator("#owner-private-note")).to_be_visible()
    expect(page.locator("#custody")).to_contain_text(re.compile(r"0\.0\.\d+"))  # the platform's account
    expect(page.get_by_role("link", name=t("Download PDF"))).to_be_visible()
    shot(page, "certificate")
    page.get_by_role("button", name=t("Show my name on this certificate")).click()
    expect(page.locator("#owner")).to_have_text("Bola Ade")
    expect(page.locator("#owner-private-note")).to_have_count(0)
    expect(page.locator("#token")).to_have_text(
        t.pattern("%(token)s serial %(serial)s", token=re.compile(r"0\.0\.\d+"), serial=re.compile(r"\d+"))
    )
    expect(page.locator("#metadata")).to_have_text(re.compile(r"^ipfs://"))
    page.get_by_role("link", name=t("Verify on the ledger")).click()
    expect(page.locator("#verification-result")).to_have_text(t("Verified"))
    expect(page.locator("#verification-details")).not_to_be_empty()
    shot(page, "certificate-verified")

    # The order history lists it with its certificate.
    page.goto("/me/orders")
    row = page.locator(".order-row").filter(has_text=title)
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "completed")
    expect(row.get_by_role("link", name=t("Certificate"))).to_be_visible()

    # Every link of the emails the journey caused (welcome, how to pay, paid, certificate) opens a
    # page for the buyer; and the order page still agrees with itself afterwards.
    assert follow_email_links(page, live, email, count=4) >= 4
    page.goto(order_url)
    expect(page.locator("#status-text")).to_have_text(t("Complete · the work is yours and certified"))


@pytest.fixture(scope="module")
def series(live: Live) -> str:
    """An artist with 26 works, one more page than the gallery's 24: set up once for the module's
    runs (each run favourites as a buyer of its own, so they do not meet)."""
    seed = live.seed
    artist = seed.approved_artist(seed.admin(), name="Kemi Ade")
    for n in range(26):
        seed.published_artwork(artist, title=f"Series {n:02d}", medium="drawing", price=100_000)
    return artist_id_of(live, artist.headers)


def test_load_more_favourites_and_the_login_round_trip_from_a_work(
    page: Page, live: Live, series: str, console: ConsoleWatch, t: Speech
) -> None:
    buyer = live.seed.register("buyer", "Chidi")

    page.goto(f"/?artist={series}")
    cards = page.locator("#cards li.card")
    expect(cards).to_have_count(24)
    page.get_by_role("link", name=t("Load more")).click()
    expect(cards).to_have_count(26, timeout=15_000)  # a busy 2-core machine can take more than 5 s
    expect(page.get_by_role("link", name=t("Load more"))).to_have_count(0)

    # Favouriting needs a sign-in: the page sends you there and back.
    cards.first.get_by_role("link").first.click()
    work_url = page.url
    expect(page.get_by_role("button", name=t("Buy now"))).to_be_visible()
    open_menu(page)
    page.get_by_role("link", name=t("Sign in")).click()
    page.get_by_label(t("Email")).fill(buyer.email)
    page.get_by_label(t("Password")).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in")).click()
    expect(page).to_have_url(live.url("/"))
    page.goto(work_url)
    page.get_by_role("button", name=t("Add to favourites")).click()
    expect(page.get_by_role("button", name=t("Favourited"))).to_be_visible()
    page.goto("/me/favorites")
    expect(page.locator("#cards li.card")).to_have_count(1)

    # An HTMX request that fails shows its message in the toast area, and changes nothing:
    # here the page's CSRF token was tampered with.
    console.allow("status of 403")
    console.allow("Response Status Error Code 403")  # htmx logs every error answer
    page.locator('meta[name="csrf-token"]').evaluate("meta => meta.setAttribute('content', 'forged')")
    page.get_by_role("button", name=t("Remove from favourites")).click()
    expect(page.locator("#toasts .toast.error")).to_contain_text(
        t.error("This form has expired or did not come from this site. Reload the page and try again.")
    )
    page.reload()
    expect(page.locator("#cards li.card")).to_have_count(1)


def artist_id_of(live: Live, headers: dict[str, str]) -> str:
    return str(live.seed.client.get("/api/v1/me", headers=headers).json()["id"])
