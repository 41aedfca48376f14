"""Finding 1: the README run on any port.

Without ARTMARKET_PUBLIC_BASE_URL, development builds every absolute URL (images, the
sandbox checkout, the Paystack callback, email links) from the address it serves, and an
order placed before a restart on another port is paid on the new one.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from tests.integration.test_web_pages import HTML, sign_in_browser
from tests.support.api import Api, app_settings, running_app
from tests.support.images import png_bytes
from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
CHECKOUT = "/sandbox/paystack/checkout/"


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


# --- `make run` on a port of its own ----------------------------------------------------


@pytest.fixture(scope="module")
def make_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`PORT=<free> make run` as a newcomer types it: no ARTMARKET_PUBLIC_BASE_URL, own data dir."""
    data_dir = tmp_path_factory.mktemp("make-run")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("ARTMARKET_PUBLIC_BASE_URL", "ARTMARKET_PORT")}
    env.update(
        PORT=str(port),
        ARTMARKET_DATA_DIR=str(data_dir),
        ARTMARKET_LOG_LEVEL="WARNING",
        # Cheap password hashing: the test signs up three people, not a production load.
        ARTMARKET_ARGON2_TIME_COST="1",
        ARTMARKET_ARGON2_MEMORY_KIB="1024",
        ARTMARKET_SHUTDOWN_DELAY_SECONDS="0",  # no load balancer to warn: stop at once
    )
    log = (data_dir / "run.log").open("w")
    server = subprocess.Popen(
        ["make", "-s", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (data_dir / "run.log").read_text()
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (data_dir / "run.log").read_text()
            time.sleep(0.2)
        yield base, data_dir
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # make and the server it started, nothing else
            server.wait(60)
        log.close()


def demo_admin_password(run_log: str) -> str:
    """`seed-demo` prints each account's password once, when it creates it."""
    found = re.search(r"created admin\s+admin@artmarket\.local\s+password: (\S+)", run_log)
    assert found, run_log
    return found.group(1)


def test_make_run_on_another_port_links_images_payment_and_email_to_that_port(
    make_run: tuple[str, Path],
) -> None:
    base, data_dir = make_run
    client = httpx.Client(base_url=base, timeout=15)

    def sign_in(address: str, password: str = PASSWORD) -> dict[str, str]:
        answer = client.post("/api/v1/auth/login", json={"email": address, "password": password})
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def sign_up(address: str, role: str) -> dict[str, str]:
        answer = client.post(
            "/api/v1/auth/register",
            json={"email": address, "password": PASSWORD, "display_name": role.title(), "role": role},
        )
        assert answer.status_code == 201, answer.text
        return sign_in(address)

    admin = sign_in("admin@artmarket.local", demo_admin_password((data_dir / "run.log").read_text()))
    artist = sign_up("ada@example.com", "artist")
    case = client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": "NG"},
        files={"id_document": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
        headers=artist,
    )
    assert client.post(f"/api/v1/admin/kyc/{case.json()['id']}/approve", headers=admin).status_code == 200
    artwork: dict[str, Any] = client.post(
        "/api/v1/artworks",
        json={
            "title": "Harmattan Light",
            "medium": "painting",
            "price": {"amount": 2_500_000, "currency": "NGN"},
        },
        headers=artist,
    ).json()
    uploaded = client.post(
        f"/api/v1/artworks/{artwork['id']}/images",
        files={"file": ("work.png", png_bytes(64, 48), "image/png")},
        headers=artist,
    )
    assert uploaded.status_code == 201, uploaded.text
    assert client.post(f"/api/v1/artworks/{artwork['id']}/publish", headers=artist).status_code == 200

    # 1. The image URL the API answers is on this port, and the image is there.
    image_url = client.get(f"/api/v1/artworks/{artwork['id']}").json()["images"][0]["url"]
    assert image_url.startswith(f"{base}/media/"), image_url
    image = httpx.get(image_url, timeout=15)
    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/")

    # 2. The sandbox payment page the order points at is on this port.
    buyer = sign_up("bola@example.com", "buyer")
    placed = client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    assert placed.status_code == 201, placed.text
    pay_url = placed.json()["payment"]["authorization_url"]
    assert pay_url.startswith(f"{base}{CHECKOUT}"), pay_url
    checkout = httpx.get(pay_url, timeout=15)
    assert checkout.status_code == 200
    assert "Sandbox checkout" in checkout.text

    # 3. The emails the run wrote link to this port (the "awaiting payment" one to the sandbox
    # page above); a sign-up's verification link is followed.
    deadline = time.monotonic() + 30
    while pay_url not in (links := email_links(data_dir / "mail")):
        assert time.monotonic() < deadline, f"no email links to {pay_url}: {links}"
        time.sleep(0.2)
    assert all(f"{link}/".startswith(f"{base}/") for link in links), links
    verify = next(link for link in links if "/account/verify-email?" in link)
    assert httpx.get(verify, timeout=15).status_code == 200


def email_links(mail_dir: Path) -> list[str]:
    """Every http(s) link in the plain-text parts of the `.eml` files written so far."""
    links = []
    for path in sorted(mail_dir.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",))
        assert body is not None
        links += re.findall(r"https?://[^\s<>\"]+", body.get_content())
    return links


# --- a restart on another port ------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_overrides(request: pytest.FixtureRequest) -> dict[str, str]:
    if request.param == "postgresql":
        return {"database_url": request.getfixturevalue("postgres_url")}
    return {}


async def test_an_order_placed_before_a_restart_on_another_port_is_paid_on_the_new_port(
    tmp_path: Path, database_overrides: dict[str, str]
) -> None:
    first_port, second_port = 8101, 8102  # the test client binds no port: any two will do
    async with running_app(app_settings(tmp_path, port=str(first_port), **database_overrides)) as api:
        admin = await api.admin()
        artwork = await api.published_artwork(await api.approved_artist(admin))
        buyer = await api.register("buyer")
        placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
        assert placed.status_code == 201, placed.text
        order_id = placed.json()["order"]["id"]
        assert placed.json()["payment"]["authorization_url"].startswith(
            f"http://127.0.0.1:{first_port}{CHECKOUT}"
        )

    second = f"http://127.0.0.1:{second_port}"
    async with running_app(app_settings(tmp_path, port=str(second_port), **database_overrides)) as api:
        order = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
        pay_url = order["payment"]["authorization_url"]
        assert pay_url.startswith(f"{second}{CHECKOUT}"), pay_url
        mine = (await api.client.get("/api/v1/me/orders", headers=buyer)).json()["items"]
        assert [item["payment"]["authorization_url"] for item in mine] == [pay_url]
        await sign_in_browser(api, buyer)
        to_payment = await api.client.get(f"/checkout/{order_id}/pay", headers=HTML, follow_redirects=False)
        assert to_payment.headers["location"] == pay_url

        assert (await api.client.get(path_of(pay_url))).status_code == 200
        paid = await api.client.post(f"{path_of(pay_url)}/pay", follow_redirects=False)
        assert paid.status_code == 303
        assert paid.headers["location"].startswith(f"{second}/api/v1/payments/paystack/callback?")
        assert await status_after_payment(api, order_id, buyer) in ("paid", "minting", "completed")


async def status_after_payment(api: Api, order_id: str, buyer: dict[str, str]) -> str:
    """The order's status once the webhook the sandbox delivered has been processed."""
    deadline = time.monotonic() + 10
    while True:
        status = str((await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()["status"])
        if status != "awaiting_payment" or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.1)


# --- a server bound to every interface ---------------------------------------------


async def test_a_wildcard_bind_links_to_loopback_and_pages_allow_its_images(tmp_path: Path) -> None:
    port = free_port()
    async with running_app(app_settings(tmp_path, host="0.0.0.0", port=str(port))) as api:
        artwork = await api.published_artwork(await api.approved_artist(await api.admin()))
        assert artwork["images"][0]["url"].startswith(f"http://127.0.0.1:{port}/media/")
        page = await api.client.get("/", headers={"Accept": "text/html"})
        # The page may be open as http://localhost:<port> or a LAN address: its images still show.
        policy = page.headers["content-security-policy"]
        assert f"img-src 'self' data: https: http://127.0.0.1:{port};" in policy
