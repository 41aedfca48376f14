"""The artist studio and the admin console in real Chromium, at phone and desktop sizes.

1. An artist registers, submits KYC with a photo of their ID through the page; an admin views
   the document in the console and approves it; the artist lists a work, is stopped by the
   client-side size check, uploads a real JPEG (preview, progress) and publishes it.
2. A certificate fails to mint (the ledger's collection is full); an admin sees it in the
   console, retries it once the cause is gone and the order completes; the admin suspends and
   reinstates a user and takes a work down, each with a reason, and finds them in the audit log.

The app runs with a ledger that can be made to refuse mints (tests/support/ledgers.py); the
rest is the embedded profile, as on `make run`.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from tests.e2e.conftest import (
    Account,
    ConsoleWatch,
    Live,
    Seed,
    Speech,
    off_the_browser_loop,
    open_menu,
    signed_in_as,
)
from tests.support.api import PASSWORD, app_settings
from tests.support.ledgers import FillableLedger, LedgerProvider
from tests.support.live_server import live_server
from tests.support.ports import free_port

from artmarket.bootstrap import create_app, upgrade_database

MAX_UPLOAD_BYTES = 1_500_000
LEDGER = FillableLedger()


def jpeg(width: int = 900, height: int = 600) -> bytes:
    """A real photograph-sized JPEG (a gradient, so it does not compress to nothing)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The app on a free port for this module, with a ledger the tests can fill up."""
    port = free_port()
    settings = app_settings(
        tmp_path_factory.mktemp("live"),
        public_base_url=f"http://127.0.0.1:{port}",
        max_upload_bytes=str(MAX_UPLOAD_BYTES),
    )
    off_the_browser_loop(upgrade_database, settings)
    with (
        live_server(create_app(settings, LedgerProvider(LEDGER)), port) as base,
        httpx.Client(base_url=base, timeout=15) as client,
    ):
        yield Live(base, settings, Seed(client, settings))


def fits(page: Page) -> None:
    """Nothing wider than the window: no sideways scrolling, from 375 px phones up."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the window"


def go_to(page: Page, t: Speech, link: str) -> None:
    """Follow a link of the main navigation (behind the menu button on a phone)."""
    open_menu(page)
    page.get_by_role("navigation", name=t("Main")).get_by_role("link", name=t(link)).click()


def loaded(page: Page, image: Locator) -> None:
    """Wait until the browser has fetched and decoded `image` (visible is not loaded on a busy machine)."""
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())


def test_an_artist_is_approved_in_the_console_and_publishes_a_work_with_an_uploaded_photo(
    page: Page, live: Live, console: ConsoleWatch, t: Speech, shot: Any
) -> None:
    admin = live.seed.admin()
    email = live.seed.email("artist")

    page.goto("/register?role=artist")
    page.get_by_label(t("Sell my art")).check()
    page.get_by_label(t("Your name")).fill("Ada Obi")
    page.get_by_label(t("Email")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Password again")).fill(PASSWORD)
    page.get_by_role("button", name=t("Create account")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("Welcome! We sent you an email to confirm your address.")
    )

    go_to(page, t, "Studio")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your studio"))
    expect(page.locator("#kyc-notice")).to_contain_text(t("Before you can sell"))
    page.locator("#kyc-notice").get_by_role("link").click()

    page.get_by_label(t("Legal name")).fill("Adaeze Obi")
    page.get_by_label(t("Country")).select_option("NG")
    page.get_by_label(t("Identity document")).set_input_files(
        {"name": "passport.jpg", "mimeType": "image/jpeg", "buffer": jpeg(640, 420)}
    )
    expect(page.locator("#preview-id_document img")).to_have_attribute(
        "alt", t("Preview of %(name)s", name="passport.jpg")
    )
    fits(page)
    shot(page, "kyc-form")
    page.get_by_role("button", name=t("Submit for review")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("Thank you. Your identity is being reviewed; we will email you.")
    )
    expect(page.locator("#kyc-status")).to_contain_text(t("Pending"))

    page.goto(signed_in_as(page, admin.email))
    go_to(page, t, "Console")
    page.get_by_role("navigation", name=t("Console")).get_by_role("link", name=t("KYC")).click()
    page.get_by_role("link", name="Adaeze Obi").click()
    document = page.locator("#kyc-document")
    expect(document).to_be_visible()
    loaded(page, document)
    assert document.evaluate("img => img.naturalWidth") == 640  # the real document
    fits(page)
    shot(page, "kyc-review")
    page.locator("#action-approve summary").click()
    expect(page.get_by_label(t("Note for the record"))).to_be_focused()
    page.get_by_label(t("Note for the record")).fill("Passport checked against the name")
    page.locator("#action-approve").get_by_role("button", name=t("Approve")).click()
    expect(page.get_by_role("status")).to_contain_text(t("%(name)s: identity approved.", name="Adaeze Obi"))

    signed_in_as(page, email)
    page.goto("/artist/artworks/new")
    page.get_by_label(t("Title")).fill("Harmattan Light")
    page.get_by_label(t("Description")).fill("Oil on linen, the dry season light over Kano.")
    page.get_by_label(t("Medium")).select_option("painting")
    page.get_by_label(t("Price")).fill("25,000")
    page.get_by_label(t("Height")).fill("600")
    page.get_by_label(t("Width")).fill("800")
    page.get_by_role("button", name=t("Save draft")).click()
    expect(page.get_by_role("status")).to_contain_text(t("Draft saved. Add an image, then publish it."))
    expect(page.get_by_role("heading", level=1)).to_have_text("Harmattan Light")

    # Larger than the server's limit: refused beside the field, nothing is sent.
    upload = page.get_by_label(t("Add an image"))
    upload.set_input_files(
        {
            "name": "huge.jpg",
            "mimeType": "image/jpeg",
            "buffer": b"\xff\xd8\xff" + b"0" * 2 * MAX_UPLOAD_BYTES,
        }
    )
    expect(page.locator("#error-file")).to_have_text(
        t.pattern("“%(name)s” is %(size)s MB: files can be at most %(limit)s.", name="huge.jpg")
    )
    page.get_by_role("button", name=t("Upload image")).click()
    expect(upload).to_be_focused()
    expect(page.locator("#no-images")).to_be_visible()

    photo = jpeg()
    upload.set_input_files({"name": "harmattan.jpg", "mimeType": "image/jpeg", "buffer": photo})
    expect(page.locator("#error-file")).to_be_hidden()
    expect(page.locator("#preview-file img")).to_be_visible()
    page.get_by_role("button", name=t("Upload image")).click()
    thumbnail = page.get_by_role(
        "img", name=t("%(title)s, image %(number)d", title="Harmattan Light", number=1)
    )
    expect(thumbnail).to_be_visible()
    loaded(page, thumbnail)
    expect(page.get_by_role("status").last).to_contain_text(t("The image is uploaded."))
    fits(page)
    shot(page, "artwork-with-image")

    page.get_by_role("button", name=t("Publish")).click()
    expect(page.get_by_role("status")).to_contain_text(t("Published: the work is in the gallery now."))
    expect(page.locator("#artwork-status")).to_have_text(t("Published"))
    go_to(page, t, "Studio")
    expect(page.locator("#works-by-status")).to_contain_text(re.compile(r"1\s+" + re.escape(t("Published"))))
    expect(page.locator("#my-works")).to_contain_text("Harmattan Light")
    fits(page)
    assert console.unexpected() == []


def buy(seed: Seed, buyer: Account, artwork_id: str) -> dict[str, Any]:
    """A buyer pays on the sandbox checkout page (its form, posted like a browser would)."""
    placed = seed.client.post("/api/v1/orders", json={"artwork_id": artwork_id}, headers=buyer.headers)
    assert placed.status_code == 201, placed.text
    reference = placed.json()["payment"]["reference"]
    paid = seed.client.post(f"/sandbox/paystack/checkout/{reference}/pay")
    assert paid.status_code == 303, paid.text
    return dict(placed.json()["order"])


def wait_for(check: Any, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.2)


def test_an_admin_retries_a_failed_mint_moderates_users_and_works_and_reads_the_audit_log(
    page: Page, live: Live, console: ConsoleWatch, t: Speech, shot: Any
) -> None:
    seed = live.seed
    admin = seed.admin()
    artist = seed.approved_artist(admin, "Kemi Adeyemi")
    sold = seed.published_artwork(artist, title="Lagoon at Dusk")
    doubtful = seed.published_artwork(artist, title="Borrowed Composition")
    buyer = seed.register("buyer", "Bola Ade")

    LEDGER.full = True  # the collection is full: the certificate cannot be minted
    try:
        order = buy(seed, buyer, sold["id"])

        def failed() -> bool:
            jobs = seed.client.get("/api/v1/admin/mint-jobs?status=failed", headers=admin.headers).json()
            return any(job["order_id"] == order["id"] for job in jobs["items"])

        wait_for(failed)
    finally:
        LEDGER.full = False  # the operator fixed the cause (a bigger collection)

    page.goto(signed_in_as(page, admin.email))
    go_to(page, t, "Console")
    expect(page.locator("#count-mints")).to_have_text("1")
    page.get_by_role(
        "link", name=re.compile(re.escape(t.plural("failed mint job", "failed mint jobs", 1)))
    ).click()
    expect(page.locator("#mint-jobs")).to_contain_text("TOKEN_MAX_SUPPLY_REACHED")
    fits(page)
    shot(page, "mint-queue-failed")
    page.locator("#mint-jobs").get_by_role("link", name=t("Order")).first.click()
    expect(page.locator("#mint-status")).to_have_text(t("Failed"))
    page.get_by_role("button", name=t("Retry minting")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("The mint job is queued again; the minter takes it shortly.")
    )
    # The mint panel refreshes itself while the job is queued: no reload needed.
    expect(page.locator("#order-status")).to_have_text(t("Completed"), timeout=20_000)
    expect(page.locator("#mint-status")).to_have_text(t("Succeeded"))
    fits(page)
    shot(page, "order-after-retry")

    # Suspend the buyer: a reason is required, the error stays beside the field.
    console.allow("status of 422")
    page.get_by_role("navigation", name=t("Console")).get_by_role("link", name=t("Users")).click()
    page.get_by_label(t("Search")).fill(buyer.email)
    page.get_by_role("button", name=t("Show users")).click()
    # The search swaps the table in (HTMX): act on the filtered rows, not on the first page's.
    expect(page).to_have_url(re.compile(r"q=buyer"))
    row = page.locator("#users-table tbody tr").filter(has_text=buyer.email)
    expect(row).to_have_count(1)
    row.locator("summary", has_text=t("Suspend")).click()
    row.get_by_role("button", name=t("Suspend"), exact=True).click()
    reason = page.get_by_label(t.pattern("Why suspend %(name)s?", name="Bola Ade"))
    expect(
        page.locator(".field-error").filter(has_text=t.error("Give a reason of 1 to 1000 characters."))
    ).to_be_visible()
    expect(reason).to_be_visible()
    fits(page)
    shot(page, "suspend-needs-a-reason")
    reason.fill("Chargeback fraud reported by the bank")
    page.get_by_role("button", name=t("Suspend"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("%(email)s: suspended; their sessions are signed out.", email=buyer.email)
    )
    expect(row).to_contain_text(t("Suspended"))
    row.locator("summary", has_text=t("Reinstate")).click()
    page.get_by_label(t.pattern("Why reinstate %(name)s?", name="Bola Ade")).fill(
        "The bank reversed the chargeback"
    )
    row.get_by_role("button", name=t("Reinstate"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(t("%(email)s: reinstated.", email=buyer.email))
    expect(row).to_contain_text(t("Active"))

    # Take a work down.
    page.get_by_role("navigation", name=t("Console")).get_by_role("link", name=t("Artworks")).click()
    page.get_by_label(t("Search")).fill("Borrowed")
    page.get_by_role("button", name=t("Search")).click()
    expect(page).to_have_url(re.compile(r"q=Borrowed"))
    page.get_by_role("link", name="Borrowed Composition").click()
    page.locator("#action-unpublish summary").click()
    page.get_by_label(t("Reason for taking it down")).fill("Copyright claim from the original photographer")
    page.locator("#action-unpublish").get_by_role("button", name=t("Unpublish")).click()
    expect(page.get_by_role("status")).to_contain_text(t("Unpublished: the artist cannot publish it again."))
    expect(page.locator("#artwork-status")).to_have_text(t("Withdrawn"))
    assert seed.client.get(f"/api/v1/artworks/{doubtful['id']}").status_code == 404

    page.get_by_role("navigation", name=t("Console")).get_by_role("link", name=t("Orders")).click()
    page.get_by_label(t("Search")).fill(buyer.email)
    page.get_by_role("button", name=t("Show orders")).click()
    expect(page).to_have_url(re.compile(r"q=buyer"))
    expect(page.locator("#orders-table tbody tr")).to_have_count(1)
    expect(page.locator("#orders-csv")).to_have_attribute(
        "href", re.compile(r"/admin/orders\.csv\?.*q=buyer")
    )
    fits(page)
    shot(page, "orders")

    page.get_by_role("navigation", name=t("Console")).get_by_role("link", name=t("Audit log")).click()
    log = page.locator("#audit-table")
    for text in (
        "Chargeback fraud reported by the bank",
        "The bank reversed the chargeback",
        "Copyright claim from the original photographer",
        "mint_job.retry",
    ):
        expect(log).to_contain_text(text)
    page.get_by_label(t("Action")).select_option("user.suspend")
    page.get_by_role("button", name=t("Show entries")).click()
    expect(page).to_have_url(re.compile(r"action=user\.suspend"))
    expect(log).to_contain_text("Chargeback fraud reported by the bank")
    expect(log.locator("tbody tr").filter(has_not_text="user.suspend")).to_have_count(0)
    fits(page)
    shot(page, "audit-log")
