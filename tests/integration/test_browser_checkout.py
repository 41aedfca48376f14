"""Buy Now through the sandbox checkout in a real browser (Debian's Chromium, driven by Playwright).

The buyer's browser opens the `authorization_url` Buy Now returned, presses Pay, follows
the provider-style redirects through the callback, and lands on the order page, which
refreshes itself until the order has settled.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright
from tests.support.api import PASSWORD, app_settings
from tests.support.images import png_bytes
from tests.support.live_server import live_server
from tests.support.ports import free_port

from artmarket.application.identity.use_cases import CreateAdmin
from artmarket.bootstrap import create_app, make_container, upgrade_database
from artmarket.settings import Settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the rest keep it off this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        reason = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def _off_the_browser_loop(function: Callable[..., object], *args: object) -> None:
    """Run `function` in another thread: Playwright's sync API keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(function, *args).result()


async def _create_admin(settings: Settings, email: str) -> None:
    """The way operators do it (`artmarket users create-admin` runs this use case)."""
    container = make_container(settings)
    try:
        async with container() as scope:
            await (await scope.get(CreateAdmin))(email=email, password=PASSWORD)
    finally:
        await container.close()


def _sign_in(client: httpx.Client, email: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _register(client: httpx.Client, email: str, role: str) -> dict[str, str]:
    answer = client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": email.split("@")[0], "role": role},
    )
    assert answer.status_code == 201, answer.text
    return _sign_in(client, email)


def _published_artwork(client: httpx.Client, admin: dict[str, str]) -> str:
    artist = _register(client, "ada@example.test", "artist")
    case = client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": "NG"},
        files={"id_document": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
        headers=artist,
    )
    assert client.post(f"/api/v1/admin/kyc/{case.json()['id']}/approve", headers=admin).status_code == 200
    created = client.post(
        "/api/v1/artworks",
        json={
            "title": "Harmattan Light",
            "medium": "painting",
            "price": {"amount": 2_500_000, "currency": "NGN"},
        },
        headers=artist,
    )
    artwork_id = str(created.json()["id"])
    uploaded = client.post(
        f"/api/v1/artworks/{artwork_id}/images",
        files={"file": ("work.png", png_bytes(64, 48), "image/png")},
        headers=artist,
    )
    assert uploaded.status_code == 201, uploaded.text
    assert client.post(f"/api/v1/artworks/{artwork_id}/publish", headers=artist).status_code == 200
    return artwork_id


def test_a_buyer_pays_in_the_sandbox_checkout_page_and_sees_the_order_settle(
    browser: Browser, tmp_path: Path
) -> None:
    port = free_port()
    settings = app_settings(tmp_path, public_base_url=f"http://127.0.0.1:{port}")
    _off_the_browser_loop(upgrade_database, settings)
    with live_server(create_app(settings), port) as base, httpx.Client(base_url=base, timeout=10) as client:
        _off_the_browser_loop(asyncio.run, _create_admin(settings, "admin@example.test"))
        admin = _sign_in(client, "admin@example.test")
        artwork_id = _published_artwork(client, admin)
        buyer = _register(client, "bola@example.test", "buyer")
        placed = client.post("/api/v1/orders", json={"artwork_id": artwork_id}, headers=buyer)
        assert placed.status_code == 201, placed.text
        order_id = placed.json()["order"]["id"]
        checkout_url = placed.json()["payment"]["authorization_url"]
        assert checkout_url.startswith(f"{base}/sandbox/paystack/checkout/")

        page = browser.new_page()
        try:
            page.goto(checkout_url)
            assert "Sandbox checkout" in page.title()
            page.click("#pay")
            page.wait_for_url(f"{base}/checkout/complete?reference=*")
            # The page refreshes itself every 2 s while the order settles.
            page.wait_for_function(
                "document.getElementById('status')?.textContent !== 'awaiting_payment'",
                timeout=15_000,
            )
            shown = page.text_content("#status")
        finally:
            page.close()

        order = client.get(f"/api/v1/orders/{order_id}", headers=buyer).json()
    assert shown in {"paid", "minting", "completed"}
    assert order["status"] in {"paid", "minting", "completed"}
    assert order["payment"]["paid_at"]
    assert [change["status"] for change in order["status_history"]][:2] == ["awaiting_payment", "paid"]
