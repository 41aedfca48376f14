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
from tests.e2e.conftest import Account, ConsoleWatch, Live, Seed, off_the_browser_loop, open_menu
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


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed in.")


def sign_out(page: Page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")


def go_to(page: Page, link: str) -> None:
    """Follow a link of the main navigation (behind the menu button on a phone)."""
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()


def loaded(page: Page, image: Locator) -> None:
    """Wait until the browser has fetched and decoded `image` (visible is not loaded on a busy machine)."""
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())


def test_an_artist_is_approved_in_the_console_and_publishes_a_work_with_an_uploaded_photo(
    page: Page, live: Live, console: ConsoleWatch, shot: Any
) -> None:
    admin = live.seed.admin()
    email = live.seed.email("artist")

    page.goto("/register?role=artist")
    page.get_by_label("Sell my art").check()
    page.get_by_label("Your name").fill("Ada Obi")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome")

    go_to(page, "Studio")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your studio")
    expect(page.locator("#kyc-notice")).to_contain_text("Before you can sell")
    page.locator("#kyc-notice").get_by_role("link").click()

    page.get_by_label("Legal name").fill("Adaeze Obi")
    page.get_by_label("Country").select_option("NG")
    page.get_by_label("Identity document").set_input_files(
        {"name": "passport.jpg", "mimeType": "image/jpeg", "buffer": jpeg(640, 420)}
    )
    expect(page.locator("#preview-id_document img")).to_have_attribute("alt", "Preview of passport.jpg")
    fits(page)
    shot(page, "kyc-form")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("being reviewed")
    expect(page.locator("#kyc-status")).to_contain_text("Pending")

    sign_out(page)
    sign_in(page, admin.email)
    go_to(page, "Console")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="KYC").click()
    page.get_by_role("link", name="Adaeze Obi").click()
    document = page.locator("#kyc-document")
    expect(document).to_be_visible()
    loaded(page, document)
    assert document.evaluate("img => img.naturalWidth") == 640  # the real document
    fits(page)
    shot(page, "kyc-review")
    page.locator("#action-approve summary").click()
    expect(page.get_by_label("Note for the record")).to_be_focused()
    page.get_by_label("Note for the record").fill("Passport checked against the name")
    page.locator("#action-approve").get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("Adaeze Obi: identity approved.")

    sign_out(page)
    sign_in(page, email)
    page.goto("/artist/artworks/new")
    page.get_by_label("Title").fill("Harmattan Light")
    page.get_by_label("Description").fill("Oil on linen, the dry season light over Kano.")
    page.get_by_label("Medium").select_option("painting")
    page.get_by_label("Price").fill("25,000")
    page.get_by_label("Height").fill("600")
    page.get_by_label("Width").fill("800")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harmattan Light")

    # Larger than the server's limit: refused beside the field, nothing is sent.
    upload = page.get_by_label("Add an image")
    upload.set_input_files(
        {
            "name": "huge.jpg",
            "mimeType": "image/jpeg",
            "buffer": b"\xff\xd8\xff" + b"0" * 2 * MAX_UPLOAD_BYTES,
        }
    )
    expect(page.locator("#error-file")).to_contain_text("files can be at most 1.4 MB")
    page.get_by_role("button", name="Upload image").click()
    expect(upload).to_be_focused()
    expect(page.locator("#no-images")).to_be_visible()

    photo = jpeg()
    upload.set_input_files({"name": "harmattan.jpg", "mimeType": "image/jpeg", "buffer": photo})
    expect(page.locator("#error-file")).to_be_hidden()
    expect(page.locator("#preview-file img")).to_be_visible()
    page.get_by_role("button", name="Upload image").click()
    thumbnail = page.get_by_role("img", name="Harmattan Light, image 1")
    expect(thumbnail).to_be_visible()
    loaded(page, thumbnail)
    expect(page.get_by_role("status").last).to_contain_text("The image is uploaded.")
    fits(page)
    shot(page, "artwork-with-image")

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Published")
    expect(page.locator("#artwork-status")).to_have_text("Published")
    go_to(page, "Studio")
    expect(page.locator("#works-by-status")).to_contain_text("1 Published")
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
    page: Page, live: Live, console: ConsoleWatch, shot: Any
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

    sign_in(page, admin.email)
    go_to(page, "Console")
    expect(page.locator("#count-mints")).to_have_text("1")
    page.get_by_role("link", name=re.compile("failed mint job")).click()  # "1 failed mint job"
    expect(page.locator("#mint-jobs")).to_contain_text("TOKEN_MAX_SUPPLY_REACHED")
    fits(page)
    shot(page, "mint-queue-failed")
    page.locator("#mint-jobs").get_by_role("link", name="Order").first.click()
    expect(page.locator("#mint-status")).to_have_text("Failed")
    page.get_by_role("button", name="Retry minting").click()
    expect(page.get_by_role("status")).to_contain_text("queued again")
    # The mint panel refreshes itself while the job is queued: no reload needed.
    expect(page.locator("#order-status")).to_have_text("Completed", timeout=20_000)
    expect(page.locator("#mint-status")).to_have_text("Succeeded")
    expect(page.locator("#order-status")).to_have_text("Completed")
    fits(page)
    shot(page, "order-after-retry")

    # Suspend the buyer: a reason is required, the error stays beside the field.
    console.allow("status of 422")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Users").click()
    page.get_by_label("Search").fill(buyer.email)
    page.get_by_role("button", name="Show users").click()
    # The search swaps the table in (HTMX): act on the filtered rows, not on the first page's.
    expect(page).to_have_url(re.compile(r"q=buyer"))
    row = page.locator("#users-table tbody tr").filter(has_text=buyer.email)
    expect(row).to_have_count(1)
    row.locator("summary", has_text="Suspend").click()
    row.get_by_role("button", name="Suspend", exact=True).click()
    reason = page.get_by_label(re.compile("Why suspend Bola Ade"))
    expect(page.locator(".field-error").filter(has_text="Give a reason")).to_be_visible()
    expect(reason).to_be_visible()
    fits(page)
    shot(page, "suspend-needs-a-reason")
    reason.fill("Chargeback fraud reported by the bank")
    page.get_by_role("button", name="Suspend", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("suspended")
    expect(row).to_contain_text("Suspended")
    row.locator("summary", has_text="Reinstate").click()
    page.get_by_label(re.compile("Why reinstate Bola Ade")).fill("The bank reversed the chargeback")
    row.get_by_role("button", name="Reinstate", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("reinstated")
    expect(row).to_contain_text("Active")

    # Take a work down.
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Artworks").click()
    page.get_by_label("Search").fill("Borrowed")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=Borrowed"))
    page.get_by_role("link", name="Borrowed Composition").click()
    page.locator("#action-unpublish summary").click()
    page.get_by_label("Reason for taking it down").fill("Copyright claim from the original photographer")
    page.locator("#action-unpublish").get_by_role("button", name="Unpublish").click()
    expect(page.get_by_role("status")).to_contain_text("Unpublished")
    expect(page.locator("#artwork-status")).to_have_text("Withdrawn")
    assert seed.client.get(f"/api/v1/artworks/{doubtful['id']}").status_code == 404

    page.get_by_role("navigation", name="Console").get_by_role("link", name="Orders").click()
    page.get_by_label("Search").fill(buyer.email)
    page.get_by_role("button", name="Show orders").click()
    expect(page).to_have_url(re.compile(r"q=buyer"))
    expect(page.locator("#orders-table tbody tr")).to_have_count(1)
    expect(page.locator("#orders-csv")).to_have_attribute(
        "href", re.compile(r"/admin/orders\.csv\?.*q=buyer")
    )
    fits(page)
    shot(page, "orders")

    page.get_by_role("navigation", name="Console").get_by_role("link", name="Audit log").click()
    log = page.locator("#audit-table")
    for text in (
        "Chargeback fraud reported by the bank",
        "The bank reversed the chargeback",
        "Copyright claim from the original photographer",
        "mint_job.retry",
    ):
        expect(log).to_contain_text(text)
    page.get_by_label("Action").select_option("user.suspend")
    page.get_by_role("button", name="Show entries").click()
    expect(page).to_have_url(re.compile(r"action=user\.suspend"))
    expect(log).to_contain_text("Chargeback fraud reported by the bank")
    expect(log.locator("tbody tr").filter(has_not_text="user.suspend")).to_have_count(0)
    fits(page)
    shot(page, "audit-log")
