"""The artist studio and the admin console pages over HTTP: the same use cases as the API,
form errors beside their fields with what was typed kept, reasons where the API asks for
them (audited with channel `web`), the upload limit, the authorized KYC document, CSV export.

The browser journeys (uploads with progress, the console at phone and desktop sizes) are in
tests/e2e/test_studio_and_console.py; here every page and action is exercised quickly.
"""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp
from PIL import Image
from tests.integration.test_admin_api import WEBHOOK, pay
from tests.integration.test_notifications_api import SharedMailer
from tests.support.api import PASSWORD, Api, app_settings, running_app
from tests.support.ledgers import FillableLedger, LedgerProvider

from artmarket.application.notifications.sending import SendDueEmails
from artmarket.entrypoints.web.failed_forms import FORM_COOKIE
from artmarket.fakes.mailer import InMemoryMailer

HTML = {"Accept": "text/html"}
HX = {"Accept": "text/html", "HX-Request": "true"}


def jpeg_bytes(width: int = 320, height: int = 240) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, max_upload_bytes="300000")) as api:
        yield api


async def csrf(client: AsyncTestClient[ASGIApp], path: str) -> str:
    page = await client.get(path, headers=HTML)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def sign_in(client: AsyncTestClient[ASGIApp], email: str) -> None:
    token = await csrf(client, "/login")
    answer = await client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        headers=HTML,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


async def email_of(api: Api, headers: dict[str, str]) -> str:
    return str((await api.client.get("/api/v1/me", headers=headers)).json()["email"])


async def post_form(
    client: AsyncTestClient[ASGIApp],
    path: str,
    data: dict[str, str],
    *,
    page: str | None = None,
    **kwargs: Any,
) -> Any:
    token = await csrf(client, page or "/me")
    answer = await client.post(
        path, data={"csrf_token": token, **data}, headers=HTML, follow_redirects=False, **kwargs
    )
    if answer.status_code == 303 and any(
        cookie.startswith(f"{FORM_COOKIE}=") for cookie in answer.headers.get_list("set-cookie")
    ):
        # A failed form comes back to its own page (post/redirect/get): follow, as a browser does.
        return await client.get(answer.headers["location"], headers=HTML)
    return answer


def text_of(body: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


async def test_an_artist_submits_kyc_an_admin_views_the_document_and_approves_then_the_work_is_published(
    api: Api,
) -> None:
    admin_email = await email_of(api, await api.admin())
    artist = await api.register("artist", "Ada Obi")
    artist_email = await email_of(api, artist)
    client = api.client
    await sign_in(client, artist_email)

    dashboard = await client.get("/artist", headers=HTML)
    assert dashboard.status_code == 200
    assert "Before you can sell" in dashboard.text
    kyc_page = await client.get("/artist/kyc", headers=HTML)
    assert 'data-max-bytes="300000"' in kyc_page.text  # the server's limit, for app.js

    document = jpeg_bytes()
    token = await csrf(client, "/artist/kyc")
    submitted = await client.post(
        "/artist/kyc",
        data={"csrf_token": token, "legal_name": "Adaeze Obi", "country": "ng"},
        files={"id_document": ("passport.jpg", document, "image/jpeg")},
        headers=HTML,
        follow_redirects=False,
    )
    assert submitted.status_code == 303, submitted.text
    pending = await client.get("/artist/kyc", headers=HTML)
    assert "Pending" in pending.text
    assert 'id="kyc-form"' not in pending.text  # nothing more to submit while it is reviewed

    # The artist cannot see the console, nor the document.
    assert (await client.get("/admin/kyc", headers=HTML)).status_code == 403

    await sign_in(client, admin_email)
    queue = await client.get("/admin/kyc", headers=HTML)
    (case_id,) = re.findall(r'href="/admin/kyc/([0-9a-f-]{36})"', queue.text)
    case_page = await client.get(f"/admin/kyc/{case_id}", headers=HTML)
    assert "Adaeze Obi" in case_page.text
    assert f'src="/admin/kyc/{case_id}/document"' in case_page.text
    shown = await client.get(f"/admin/kyc/{case_id}/document")
    assert shown.status_code == 200
    assert shown.content == document
    assert shown.headers["content-type"] == "image/jpeg"
    assert shown.headers["cache-control"] == "private, no-store"

    refused = await post_form(client, f"/admin/kyc/{case_id}/reject", {"reason": " "}, page="/admin/kyc")
    assert refused.status_code == 422
    assert "Give a reason" in refused.text
    approved = await post_form(
        client, f"/admin/kyc/{case_id}/approve", {"reason": "Passport matches", "back": "/admin/kyc"}
    )
    assert (approved.status_code, approved.headers["location"]) == (303, "/admin/kyc")
    log = await client.get("/admin/audit-log?action=kyc.approve", headers=HTML)
    assert "Passport matches" in log.text
    assert "web" in text_of(log.text)

    await sign_in(client, artist_email)
    created = await post_form(
        client,
        "/artist/artworks",
        {
            "title": "Harmattan Light",
            "description": "Oil on linen.",
            "medium": "painting",
            "price": "25,000.50",
            "currency": "NGN",
            "year": "2024",
            "height_mm": "600",
            "width_mm": "800",
            "depth_mm": "",
        },
    )
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    artwork_id = location.rsplit("/", 1)[1]
    artwork = (await client.get(f"/api/v1/artworks/{artwork_id}", headers=artist)).json()
    assert artwork["price"] == {"amount": 2_500_050, "currency": "NGN"}
    assert artwork["dimensions"] == {"height_mm": 600, "width_mm": 800, "depth_mm": None}

    early = await post_form(client, f"{location}/publish", {}, page=location)
    assert early.status_code == 409
    assert "at least one image" in early.text

    token = await csrf(client, location)
    uploaded = await client.post(
        f"{location}/images",
        files={"file": ("work.jpg", jpeg_bytes(), "image/jpeg")},
        headers={**HX, "X-CSRF-Token": token},
    )
    assert uploaded.status_code == 200, uploaded.text
    assert 'id="image-list"' in uploaded.text
    assert 'alt="Harmattan Light, image 1"' in uploaded.text
    assert "<html" not in uploaded.text  # the fragment app.js swaps in

    published = await post_form(client, f"{location}/publish", {}, page=location)
    assert published.status_code == 303
    assert (await client.get(f"/api/v1/artworks/{artwork_id}")).json()["status"] == "published"
    studio = await client.get("/artist", headers=HTML)
    assert "Harmattan Light" in studio.text
    assert "Before you can sell" not in studio.text


async def test_a_bad_listing_is_refused_beside_its_fields_and_what_was_typed_is_kept(api: Api) -> None:
    artist = await api.register("artist")
    await sign_in(api.client, await email_of(api, artist))

    answer = await post_form(
        api.client,
        "/artist/artworks",
        {
            "title": "Lagos at Night",
            "description": "Acrylic <b>bold</b>",
            "medium": "painting",
            "price": "12.345",
            "currency": "NGN",
            "height_mm": "300",
        },
    )

    assert answer.status_code == 422
    assert 'id="error-price"' in answer.text
    assert "at most 2 decimal places" in answer.text
    assert 'id="error-height_mm"' in answer.text
    assert 'value="Lagos at Night"' in answer.text
    assert "Acrylic &lt;b&gt;bold&lt;/b&gt;</textarea>" in answer.text
    assert 'value="12.345"' in answer.text
    assert (await api.client.get("/api/v1/me/artworks", headers=artist)).json()["items"] == []

    zero = await post_form(
        api.client,
        "/artist/artworks",
        {"title": "Free", "medium": "painting", "price": "0", "currency": "NGN"},
    )
    assert zero.status_code == 422
    assert re.search(r'id="error-price".*positive', zero.text, re.S)  # the use case's own rule


async def test_uploads_over_the_limit_are_refused_and_another_artists_work_is_not_found(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await api.published_artwork(artist)
    await sign_in(api.client, await email_of(api, artist))
    location = f"/artist/artworks/{work['id']}"
    token = await csrf(api.client, location)

    too_big = await api.client.post(
        f"{location}/images",
        files={"file": ("huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * 300_001, "image/png")},
        headers={**HX, "X-CSRF-Token": token},
    )
    assert too_big.status_code == 422  # beside the file field, as any bad value
    assert too_big.text.startswith("The file is larger than")
    not_image = await api.client.post(
        f"{location}/images",
        data={"csrf_token": token},
        files={"file": ("notes.txt", b"just words", "text/plain")},
        headers=HTML,
    )
    assert not_image.status_code == 415
    assert "not a JPEG, PNG or WebP image" in not_image.text
    assert 'id="artwork-form"' in not_image.text  # the page again, the error beside the file
    huge_body = await api.client.post(
        f"{location}/images",
        files={"file": ("huge.png", b"0" * 500_000, "image/png")},
        headers={**HX, "X-CSRF-Token": token},
    )
    assert huge_body.status_code == 413  # refused by the body limit before the handler runs

    forged = await api.client.post(
        f"{location}/images", files={"file": ("work.jpg", jpeg_bytes(), "image/jpeg")}, headers=HTML
    )
    assert forged.status_code == 403  # the upload routes check the CSRF token too
    assert "did not come from this site" in forged.text

    other = await api.register("artist", "Someone Else")
    await sign_in(api.client, await email_of(api, other))
    assert (await api.client.get(location, headers=HTML)).status_code == 404


async def test_admin_actions_need_a_reason_and_land_on_the_audit_log(api: Api) -> None:
    admin_headers = await api.admin()
    artist = await api.approved_artist(admin_headers, "Kemi Adeyemi")
    work = await api.published_artwork(artist, title="Take Me Down")
    buyer = await api.register("buyer", "Bola Ade")
    buyer_email = await email_of(api, buyer)
    client = api.client
    await sign_in(client, await email_of(api, admin_headers))

    users = await client.get(f"/admin/users?q={buyer_email}", headers=HTML)
    assert buyer_email in users.text
    back = f"/admin/users?q={buyer_email}"
    buyer_id = (await client.get("/api/v1/me", headers=buyer)).json()["id"]
    blank = await post_form(client, f"/admin/users/{buyer_id}/suspend", {"reason": "", "back": back})
    assert blank.status_code == 422
    assert f'id="error-reason-suspend-{buyer_id}"' in blank.text  # beside that user's reason
    assert f'id="action-suspend-{buyer_id}"' in blank.text
    assert re.search(rf'<details class="action" open id="action-suspend-{buyer_id}"', blank.text)
    suspended = await post_form(
        client, f"/admin/users/{buyer_id}/suspend", {"reason": "Chargeback fraud", "back": back}
    )
    assert (suspended.status_code, suspended.headers["location"]) == (303, back)
    assert (await api.client.get("/api/v1/me", headers=buyer)).status_code == 401  # sessions ended
    listed = await client.get("/admin/users?status=suspended", headers=HTML)
    assert "Chargeback fraud" in listed.text
    reinstated = await post_form(
        client, f"/admin/users/{buyer_id}/reinstate", {"reason": "Bank reversed it", "back": back}
    )
    assert reinstated.status_code == 303

    found = await client.get("/admin/artworks?q=Take", headers=HTML)
    assert f"/admin/artworks/{work['id']}" in found.text
    blank = await post_form(client, f"/admin/artworks/{work['id']}/unpublish", {"reason": "  "})
    assert blank.status_code == 422
    taken = await post_form(client, f"/admin/artworks/{work['id']}/unpublish", {"reason": "Copyright claim"})
    assert taken.status_code == 303
    assert (await client.get(f"/api/v1/artworks/{work['id']}")).status_code == 404
    page = await client.get(f"/admin/artworks/{work['id']}", headers=HTML)
    assert "Copyright claim" in page.text

    log = (await client.get("/admin/audit-log", headers=HTML)).text
    for reason in ("Chargeback fraud", "Bank reversed it", "Copyright claim"):
        assert reason in log
    only = (await client.get("/admin/audit-log?action=user.suspend", headers=HTML)).text
    assert "Chargeback fraud" in only
    assert "Copyright claim" not in only
    bad = await client.get("/admin/audit-log?actor_id=nope", headers=HTML)
    assert bad.status_code == 200
    assert 'id="error-actor_id"' in bad.text

    # Suspending yourself is refused with the API's reason, shown on the page.
    admin_id = (await client.get("/api/v1/me", headers=admin_headers)).json()["id"]
    self_suspend = await post_form(client, f"/admin/users/{admin_id}/suspend", {"reason": "oops"})
    assert self_suspend.status_code == 409
    assert "cannot suspend their own account" in self_suspend.text
    assert (await client.get("/api/v1/me/artworks", headers=artist)).status_code == 200


async def test_orders_table_detail_refund_and_csv(api: Api) -> None:
    admin_headers = await api.admin()
    artist = await api.approved_artist(admin_headers)
    work = await api.published_artwork(artist, title="Sold Piece")
    buyer = await api.register("buyer")
    order = await pay(api, buyer, work["id"])
    client = api.client
    await sign_in(client, await email_of(api, artist))
    studio = text_of((await client.get("/artist", headers=HTML)).text)
    month = datetime.now(UTC).strftime("%Y-%m")
    assert f"{month} NGN 1 ₦25,000 ₦22,500" in studio  # revenue by month, per currency
    assert "Sold Piece" in studio
    assert "1 Sold" in studio
    await sign_in(client, await email_of(api, admin_headers))

    table = await client.get("/admin/orders?status=completed&q=Sold", headers=HTML)
    assert order["payment"]["reference"] in table.text
    assert 'href="/admin/orders.csv?status=completed&amp;q=Sold"' in table.text
    empty = await client.get("/admin/orders?status=refunded", headers=HTML)
    assert order["payment"]["reference"] not in empty.text
    bad = await client.get("/admin/orders?from=2025-13-01", headers=HTML)
    assert (bad.status_code, 'id="error-from"' in bad.text) == (200, True)
    today = datetime.now(UTC).date().isoformat()
    same_day = await client.get(f"/admin/orders?from={today}&to={today}", headers=HTML)
    assert order["payment"]["reference"] in same_day.text  # "to" includes its day

    exported = await client.get("/admin/orders.csv?status=completed")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["order_id"] for r in rows] == [order["id"]]

    detail = await client.get(f"/admin/orders/{order['id']}", headers=HTML)
    assert 'id="payment-events"' in detail.text
    assert "charge.success" in detail.text
    assert "Succeeded" in detail.text  # the mint job
    blank = await post_form(client, f"/admin/orders/{order['id']}/refund", {"reason": ""})
    assert (blank.status_code, "Give a reason" in blank.text) == (422, True)
    refunded = await post_form(client, f"/admin/orders/{order['id']}/refund", {"reason": "Damaged"})
    assert refunded.status_code == 303
    assert len(api.gateway.refunds) == 1
    again = await client.get(f"/admin/orders/{order['id']}", headers=HTML)
    assert "Refund order" not in again.text


async def paid(api: Api, buyer: dict[str, str], artwork_id: str) -> dict[str, Any]:
    """A purchase paid in the sandbox (its certificate is minted, or not, by the worker)."""
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork_id}, headers=buyer)
    assert placed.status_code == 201, placed.text
    reference = placed.json()["payment"]["reference"]
    api.gateway.complete(reference, outcome="success")
    raw, signature = api.gateway.webhook_for(reference)
    answer = await api.client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature})
    assert answer.is_success
    return dict(placed.json()["order"])


async def until(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    """Wait for the in-process worker (the relay and the minter run every second)."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.1)


async def test_a_failed_mint_is_retried_from_the_console_and_the_certificate_is_issued(
    tmp_path: Path,
) -> None:
    ledger = FillableLedger()
    ledger.full = True
    async with running_app(app_settings(tmp_path), LedgerProvider(ledger)) as api:
        admin_headers = await api.admin()
        artist = await api.approved_artist(admin_headers)
        work = await api.published_artwork(artist)
        buyer = await api.register("buyer")
        order = await paid(api, buyer, work["id"])

        async def failed_jobs() -> list[dict[str, Any]]:
            answer = await api.client.get("/api/v1/admin/mint-jobs?status=failed", headers=admin_headers)
            return list(answer.json()["items"])

        async def has_failed() -> bool:
            return len(await failed_jobs()) == 1

        await until(has_failed)
        (job,) = await failed_jobs()
        client = api.client
        await sign_in(client, await email_of(api, admin_headers))

        home = await client.get("/admin", headers=HTML)
        assert re.search(r'id="count-mints">1<', home.text)
        queue = await client.get("/admin/mint-jobs?status=failed", headers=HTML)
        assert "TOKEN_MAX_SUPPLY_REACHED" in queue.text
        detail = await client.get(f"/admin/orders/{order['id']}", headers=HTML)
        assert 'id="retry-mint"' in detail.text
        assert "TOKEN_MAX_SUPPLY_REACHED" in detail.text

        ledger.full = False  # the operator fixed the cause (a bigger collection)
        back = f"/admin/orders/{order['id']}"
        retried = await post_form(client, f"/admin/mint-jobs/{job['id']}/retry", {"back": back})
        assert (retried.status_code, retried.headers["location"]) == (303, back)

        async def completed() -> bool:
            answer = await api.client.get(f"/api/v1/orders/{order['id']}", headers=buyer)
            return bool(answer.json()["status"] == "completed")

        await until(completed)
        again = await post_form(client, f"/admin/mint-jobs/{job['id']}/retry", {})
        assert again.status_code == 409  # only a failed job is retried
        assert "cannot be retried; only a failed one" in again.text
        log = await client.get("/admin/audit-log?action=mint_job.retry", headers=HTML)
        assert job["id"] in log.text
        settled = await client.get(back, headers=HTML)
        assert "Succeeded" in settled.text


async def test_a_failed_email_is_sent_again_from_the_console(tmp_path: Path) -> None:
    mailer = InMemoryMailer()
    mailer.available = False
    async with running_app(app_settings(tmp_path, mail_max_attempts="1"), SharedMailer(mailer)) as api:
        admin_headers = await api.admin()
        buyer_email = await email_of(api, await api.register("buyer"))
        await sign_in(api.client, await email_of(api, admin_headers))

        async def failed_entry() -> bool:
            page = await api.client.get("/admin/outbox?status=failed&channel=email", headers=HTML)
            return buyer_email in page.text

        await until(failed_entry)
        page = await api.client.get("/admin/outbox?status=failed&channel=email", headers=HTML)
        (entry_id,) = re.findall(r'action="/admin/outbox/([0-9a-f-]{36})/retry"', page.text)
        assert "unavailable" in page.text  # the last error, where operators look

        mailer.available = True
        back = "/admin/outbox?status=failed&channel=email"
        retried = await post_form(api.client, f"/admin/outbox/{entry_id}/retry", {"back": back})
        assert (retried.status_code, retried.headers["location"]) == (303, back)
        async with api.container() as scope:
            assert await (await scope.get(SendDueEmails))() == 1
        assert [sent.to.address for sent in mailer.sent] == [buyer_email]
        again = await post_form(api.client, f"/admin/outbox/{entry_id}/retry", {})
        assert again.status_code == 409
        missing = await post_form(api.client, f"/admin/outbox/{uuid.uuid4()}/retry", {})
        assert missing.status_code == 404
        log = await api.client.get("/admin/audit-log?action=outbox.retry", headers=HTML)
        assert entry_id in log.text


async def test_console_listings_page_with_load_more_fragments(api: Api) -> None:
    admin_headers = await api.admin()
    for n in range(27):
        await api.register("buyer", f"Buyer {n:02d}")
    await sign_in(api.client, await email_of(api, admin_headers))

    first = await api.client.get("/admin/users?role=buyer", headers=HTML)
    assert first.text.count('<tr id="user-') == 25
    more = re.search(r'hx-get="([^"]+cursor=[^"]+)"', first.text)
    assert more
    second = await api.client.get(html.unescape(more.group(1)), headers=HX)
    assert second.status_code == 200
    assert "<html" not in second.text
    buyers = await api.client.get("/api/v1/admin/users?role=buyer&limit=100", headers=admin_headers)
    assert second.text.count('<tr id="user-') == len(buyers.json()["items"]) - 25
    assert "hx-get" not in second.text  # the last page


async def test_console_and_studio_pages_are_for_their_roles(api: Api) -> None:
    buyer = await api.register("buyer")
    await sign_in(api.client, await email_of(api, buyer))
    for path in ("/artist", "/artist/kyc", "/admin", "/admin/orders", f"/admin/kyc/{uuid.uuid4()}/document"):
        answer = await api.client.get(path, headers=HTML)
        assert answer.status_code == 403, path
    admin = await api.admin()
    await sign_in(api.client, await email_of(api, admin))
    forged = await api.client.post(
        f"/admin/users/{uuid.uuid4()}/suspend", data={"reason": "x"}, headers=HTML, follow_redirects=False
    )
    assert forged.status_code == 403  # no CSRF token
    assert "did not come from this site" in forged.text
    api.client.cookies.clear()
    anonymous = await api.client.get("/admin/orders?status=paid", headers=HTML, follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (
        303,
        "/login?next=/admin/orders%3Fstatus%3Dpaid",
    )


async def test_profile_and_payout_pages_save_through_the_same_use_cases(api: Api) -> None:
    artist = await api.register("artist", "Ada Obi")
    await sign_in(api.client, await email_of(api, artist))

    bad = await post_form(
        api.client, "/artist/profile", {"display_name": "Ada O.", "country": "Nigeria", "bio": "Painter."}
    )
    assert bad.status_code == 422
    assert 'id="error-country"' in bad.text
    assert "Painter.</textarea>" in bad.text
    saved = await post_form(
        api.client,
        "/artist/profile",
        {"display_name": "Ada O.", "country": "ng", "bio": "Painter.", "website": "https://ada.example"},
    )
    assert saved.status_code == 303
    page = await api.client.get("/artist/profile", headers=HTML)
    assert 'value="NG"' in page.text
    assert 'value="https://ada.example"' in page.text

    letters = await post_form(api.client, "/artist/payout", {"bank_code": "058", "account_number": "12ab"})
    assert letters.status_code == 422
    assert 'id="error-account_number"' in letters.text
    payout = await post_form(
        api.client, "/artist/payout", {"bank_code": "058", "account_number": "0123456789"}
    )
    assert payout.status_code == 303
    dashboard = await api.client.get("/artist", headers=HTML)
    assert "•••• 6789" in dashboard.text
