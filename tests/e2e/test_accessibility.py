"""Every page of the site through axe-core, at phone and desktop size: no serious or critical
violation (tests/support/accessibility.py). One browser context per viewport visits the public
pages, then the buyer's, the artist's and the console's, signed in through the sign-in page; the
world they show is seeded once for the module through the REST API."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import Account, ConsoleWatch, Live, Seed, Speech, examine, open_menu
from tests.support.accessibility import axe_violations
from tests.support.api import PASSWORD

from artmarket.domain.languages import Language

PHYSICAL = {
    "kind": "physical",
    "weight_grams": 4_000,
    "shipping_rates": [{"countries": ["NG"], "price": {"amount": 250_000, "currency": "NGN"}}],
}
ADDRESS = {
    "name": "Bolanle Adeyemi",
    "lines": ["14 Kingfisher Crescent"],
    "city": "Ikeja",
    "region": "Lagos",
    "postal_code": "100271",
    "country": "NG",
}


@dataclass
class World:
    admin: Account
    artist: Account
    buyer: Account
    artwork: dict[str, Any]
    prints: str
    physical: str
    sold_order: str
    certificate: str
    open_order: str
    kyc_case: str


def _place(seed: Seed, who: Account, artwork_id: str, **fields: Any) -> dict[str, Any]:
    placed = seed.client.post(
        "/api/v1/orders", json={"artwork_id": artwork_id, **fields}, headers=who.headers
    )
    assert placed.status_code == 201, placed.text
    return dict(placed.json())


def _certificate_of(seed: Seed, buyer: Account, order_id: str) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        order = seed.client.get(f"/api/v1/orders/{order_id}", headers=buyer.headers).json()
        if order.get("certificate_id"):
            return str(order["certificate_id"])
        time.sleep(0.2)
    raise AssertionError(f"no certificate for order {order_id} in time")


@pytest.fixture(scope="module")
def world(live: Live) -> World:
    """A listed work, a sold physical work with its certificate, an unpaid order, a KYC case."""
    seed = live.seed
    admin = seed.admin()
    artist = seed.approved_artist(admin)
    buyer = seed.register("buyer", "Bola Ade")
    artwork = seed.published_artwork(artist)
    physical = seed.published_artwork(artist, title="Kano Indigo", delivery=PHYSICAL)
    reserved = seed.published_artwork(artist, title="Lagoon at Dusk")
    shippable = seed.published_artwork(artist, title="Sahel Bronze", medium="sculpture", delivery=PHYSICAL)
    prints = seed.published_artwork(
        artist, title="Harbour Prints", edition={"kind": "limited", "size": 25, "artist_proofs": 2}
    )

    placed = _place(
        seed,
        buyer,
        physical["id"],
        buyer={"full_name": "Bolanle Adeyemi", "phone": "+234 803 555 0199"},
        delivery_address=ADDRESS,
    )
    paid = seed.client.post(f"/sandbox/paystack/checkout/{placed['payment']['reference']}/pay")
    assert paid.status_code == 303, paid.text
    sold_order = placed["order"]["id"]
    certificate = _certificate_of(seed, buyer, sold_order)
    open_order = _place(seed, buyer, reserved["id"])["order"]["id"]

    saved = seed.client.post("/api/v1/me/addresses", json=ADDRESS, headers=buyer.headers)
    assert saved.status_code == 201, saved.text
    liked = seed.client.put(f"/api/v1/artworks/{artwork['id']}/favorite", headers=buyer.headers)
    assert liked.status_code in (200, 204), liked.text

    applicant = seed.register("artist", "Kemi Adeyemi")
    case = seed.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Kemi Adeyemi", "country": "NG"},
        files={"id_document": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
        headers=applicant.headers,
    )
    assert case.status_code == 201, case.text
    return World(
        admin,
        artist,
        buyer,
        artwork,
        prints["id"],
        shippable["id"],
        sold_order,
        certificate,
        open_order,
        case.json()["id"],
    )


@pytest.fixture
def check(page: Page, inaccessible: list[str]) -> Callable[..., None]:
    """`check(path)` opens the page and runs axe-core on it; the `page` fixture fails the test
    with every violation found, so one run lists every page that needs fixing."""

    def visit(path: str, status: int = 200) -> None:
        answer = page.goto(path)
        # The page itself, not a redirect to sign-in or an error page standing in for it.
        assert answer is not None
        assert answer.status == status, f"{path} answered {answer.status}"
        assert page.url.endswith(path), f"{path} went to {page.url}"
        examine(page, path, inaccessible)

    return visit


@pytest.fixture
def language(viewport: str) -> Language:
    """The tour sees every page at both sizes: the phone in French, the desktop in English (the
    journeys run in both languages at both sizes)."""
    return Language.FRENCH if viewport == "phone" else Language.ENGLISH


def _sign_in(page: Page, email: str, t: Speech) -> None:
    page.goto("/login")
    page.get_by_label(t("Email")).fill(email)
    page.get_by_label(t("Password")).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in")).click()
    expect(page.locator("#nav-account")).to_be_attached()


def _sign_out(page: Page) -> None:
    open_menu(page)
    page.locator("#logout").click()
    expect(page.locator("#nav-login")).to_be_attached()


def test_every_page_has_no_serious_or_critical_accessibility_violation(
    page: Page,
    world: World,
    check: Callable[..., None],
    console: ConsoleWatch,
    inaccessible: list[str],
    language: Language,
    t: Speech,
) -> None:
    console.allow("status of 404")  # the error pages are visited on purpose
    console.allow("status of 400")
    console.allow("status of 401")  # and a refused sign-in
    artwork = world.artwork["id"]
    for path in (
        "/",
        f"/artworks/{artwork}",
        f"/artworks/{world.prints}",
        f"/artists/{world.artwork['artist']['id']}",
        "/login",
        "/register",
        "/account/forgot-password",
        "/account/reset-password?token=not-a-real-token",
        "/?q=nothing-matches-this",
        f"/certificates/{world.certificate}?verify=1",
        f"/certificates/{world.certificate}",
    ):
        check(path)
    check("/no/such/page", 404)
    check("/account/verify-email?token=not-a-real-token", 400)  # the broken-link page
    open_menu(page)  # the navigation as a phone shows it, behind its button
    examine(page, "navigation open", inaccessible)
    page.goto("/login")
    page.get_by_label(t("Email")).fill(world.buyer.email)
    page.get_by_label(t("Password")).fill("not the password")
    page.get_by_role("button", name=t("Sign in")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    examine(page, "sign-in refused", inaccessible)

    _sign_in(page, world.buyer.email, t)
    for path in (
        "/me",
        "/me/orders",
        f"/orders/{world.sold_order}",
        f"/checkout/{world.open_order}",
        f"/artworks/{world.physical}/checkout",
        f"/certificates/{world.certificate}/claim",
        "/me/addresses",
        "/me/favorites",
    ):
        check(path)
    _sign_out(page)

    _sign_in(page, world.artist.email, t)
    for path in (
        "/artist",
        "/artist/artworks/new",
        f"/artist/artworks/{artwork}",
        f"/artist/artworks/{world.prints}/editions",
        "/artist/profile",
        "/artist/kyc",
        "/artist/payout",
        "/artist/shipments",
        f"/artist/shipments/{world.sold_order}",
    ):
        check(path)
    _sign_out(page)

    _sign_in(page, world.admin.email, t)
    for path in (
        "/admin",
        "/admin/users",
        "/admin/artworks",
        f"/admin/artworks/{artwork}",
        "/admin/orders",
        f"/admin/orders/{world.sold_order}",
        "/admin/kyc",
        f"/admin/kyc/{world.kyc_case}",
        "/admin/mint-jobs",
        "/admin/outbox",
        "/admin/audit-log",
        "/admin/reservations",
    ):
        check(path)

    # In the other language the page says so (screen readers pick their voice from it), and stays
    # as accessible.
    other = Language.ENGLISH if language is Language.FRENCH else Language.FRENCH
    switcher = page.get_by_role("form", name=t("Language"))
    switcher.get_by_role("button", name="English" if other is Language.ENGLISH else "Français").click()
    expect(page.locator("html")).to_have_attribute("lang", other.value)
    for path in ("/admin", f"/artworks/{artwork}"):
        check(path)
        expect(page.locator("html")).to_have_attribute("lang", other.value)


def test_the_check_names_the_rule_and_the_element_of_each_serious_fault(browser: Browser) -> None:
    bare = browser.new_page()
    try:
        bare.set_content(
            '<html lang="en"><title>Faults</title><main><img src="/w.png" id="work">'
            '<button id="buy"></button><p style="color:#bbb;background:#fff">Sold</p></main></html>'
        )
        found = {v.rule: v.targets for v in axe_violations(bare)}
    finally:
        bare.close()
    assert found == {"image-alt": ("#work",), "button-name": ("#buy",), "color-contrast": ("p",)}
