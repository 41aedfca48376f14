"""Every link in every email opens a page for the person who receives it (issue #20 §5).

One marketplace story on the in-process app (SQLite) causes every kind of email — the set is
`EmailKind`, so a new kind that no step here causes fails the test — then each recorded
delivery is rendered as it is sent, every link to the site is pulled out of both parts, and
each is requested signed in as the recipient: a page (200), never a 404 or another's page.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.integration.test_admin_api import pay
from tests.integration.test_checkout_api import eventually
from tests.integration.test_delivery_api import PHYSICAL, paid_physical_order
from tests.integration.test_web_pages import HTML, page_token
from tests.support.api import PASSWORD, Api, app_settings, running_app

from artmarket.application.messages import ReservationExpired, ShipmentReminderDue
from artmarket.application.notifications.deliveries import EmailDelivery, EmailKind
from artmarket.application.notifications.event_emails import NotifyByEmail
from artmarket.application.notifications.rendering import EmailRenderer, RenderedEmail
from artmarket.application.unit_of_work import UnitOfWork

HREF = re.compile(r'href="([^"]+)"')
URL = re.compile(r"https?://[^\s<>\"']+")
#: The artist's emails about a sale: they open the studio, never the buyer's order page.
ARTIST_EMAILS = frozenset({EmailKind.ARTWORK_SOLD, EmailKind.SHIP_ARTWORK, EmailKind.SHIPPING_REMINDER})


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        yield api


async def deliveries(api: Api) -> list[EmailDelivery]:
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            return list(await uow.email_deliveries.list(status=None, limit=1000))


async def emit(api: Api, *messages: ReservationExpired | ShipmentReminderDue) -> None:
    """Events no quick story reaches (a reservation running out, a reminder days later), told
    to the real email handler."""
    async with api.container() as scope:
        notify = await scope.get(NotifyByEmail)
        for message in messages:
            await notify.handle(message)


async def every_kind_of_email(api: Api) -> list[EmailDelivery]:
    admin = await api.admin()
    artist = await api.approved_artist(admin, "Ada Obi")  # kyc_approved
    hopeful = await api.register("artist", "Kemi Ade")
    submitted = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Kemi Ade", "country": "NG"},
        files={"id_document": ("passport.pdf", b"%PDF-1.4 identity", "application/pdf")},
        headers=hopeful,
    )
    rejected = await api.client.post(
        f"/api/v1/admin/kyc/{submitted.json()['id']}/reject",
        json={"reason": "The photo is blurred"},
        headers=admin,
    )
    assert rejected.status_code == 200, rejected.text  # kyc_rejected

    buyer = await api.register("buyer", "Bola Ade")  # welcome_verify
    me = (await api.client.get("/api/v1/me", headers=buyer)).json()
    await api.client.post(
        "/api/v1/auth/password-reset/request", json={"email": me["email"]}
    )  # password_reset
    await sign_in_as(api, me["email"])
    again = await api.client.post(
        "/me/verify-email", data={"csrf_token": await page_token(api.client)}, headers=HTML
    )
    assert again.status_code in (200, 303), again.text  # verify_email

    digital = await api.published_artwork(artist, title="Night Market")
    bought = await pay(api, buyer, digital["id"])  # awaiting payment, paid, sold, certificate issued
    refunded = await api.client.post(
        f"/api/v1/admin/orders/{bought['id']}/refund", json={"reason": "Damaged in transit"}, headers=admin
    )
    assert refunded.status_code == 200, refunded.text  # order_refunded

    physical = await api.published_artwork(artist, title="Harmattan Light", delivery=PHYSICAL)
    shipped_id = await paid_physical_order(api, buyer, physical["id"])  # ship_artwork
    await emit(api, ShipmentReminderDue(uuid.UUID(shipped_id), reminder=1))  # shipping_reminder
    body = {"carrier": "DHL", "tracking_number": "JD0146000012345"}
    shipped = await api.client.post(f"/api/v1/orders/{shipped_id}/shipment", json=body, headers=artist)
    assert shipped.status_code == 200, shipped.text  # artwork_shipped
    problem = await api.client.post(
        f"/api/v1/orders/{shipped_id}/delivery-problem",
        json={"message": "The frame arrived broken"},
        headers=buyer,
    )
    assert problem.status_code == 200, problem.text  # delivery_problem_alert

    lapsing = await api.published_artwork(artist, title="Lagos Rain")
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": lapsing["id"]}, headers=buyer)
    assert placed.status_code == 201, placed.text
    await emit(api, ReservationExpired(uuid.UUID(placed.json()["order"]["id"])))  # reservation_expired

    async def all_recorded() -> bool:
        return {d.kind for d in await deliveries(api)} >= set(EmailKind)

    await eventually(all_recorded, within=20)
    return await deliveries(api)


def site_links(email: RenderedEmail, base: str) -> set[str]:
    """Every link to the site in both parts (links elsewhere, a carrier's tracking page, are not ours)."""
    found = {link.replace("&amp;", "&") for link in HREF.findall(email.html)} | set(URL.findall(email.text))
    return {link for link in found if link == base or link.startswith(base + "/")}


async def sign_in_as(api: Api, email: str) -> None:
    answer = await api.client.post(
        "/login",
        data={"csrf_token": await page_token(api.client), "email": email, "password": PASSWORD},
        headers=HTML,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


async def test_every_link_in_every_email_opens_a_page_for_its_recipient(api: Api) -> None:
    base = api.settings.resolved_public_base_url.rstrip("/")
    async with api.container() as scope:
        renderer = await scope.get(EmailRenderer)
    sent = await every_kind_of_email(api)
    assert {d.kind for d in sent} == set(EmailKind)

    checked: dict[EmailKind, int] = {}
    for delivery in sorted(sent, key=lambda d: d.recipient):
        email = renderer.render(delivery.kind, delivery.context)
        await sign_in_as(api, delivery.recipient)
        for link in sorted(site_links(email, base)):
            parts = urlsplit(link)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            page = await api.client.get(path or "/", headers=HTML, follow_redirects=True)
            assert page.status_code == 200, (
                f"{delivery.kind}: {link} answers {page.status_code} to {delivery.recipient}"
            )
            assert urlsplit(str(page.url)).path != "/login", (
                f"{delivery.kind}: {link} asks its recipient to sign in"
            )
            checked[delivery.kind] = checked.get(delivery.kind, 0) + 1
            if delivery.kind in ARTIST_EMAILS and path not in ("", "/"):
                assert path.startswith("/artist/"), f"{delivery.kind} opens {path}, not the artist's page"
    # Every kind links to the site beyond its logo: the page the email is about.
    assert {kind for kind, count in checked.items() if count >= 2} == set(EmailKind)
