"""Notifications over HTTP on the embedded profile: the emails land as `.eml` files under the
data directory (the dev mailer), their links work as the issue says, and admins see and
repair what failed."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from dishka import Provider, Scope, provide
from tests.integration.test_checkout_api import eventually
from tests.support.api import PASSWORD, Api, app_settings, running_app

from artmarket.application.messages import CertificateIssued
from artmarket.application.messaging import OutboxMessage
from artmarket.application.notifications.ports import Mailer
from artmarket.application.notifications.sending import SendDueEmails
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.fakes.mailer import InMemoryMailer

BASE = "http://127.0.0.1:8000"
ACCOUNT_LINK = re.compile(re.escape(BASE) + r"(/account/[a-z-]+\?token=[A-Za-z0-9_-]+)")


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


def mailbox(api: Api) -> list[EmailMessage]:
    directory = Path(api.settings.data_dir) / "mail"
    files = sorted(directory.glob("*.eml"), key=lambda f: f.stat().st_mtime_ns) if directory.is_dir() else []
    return [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def to(api: Api, address: str, subject_part: str = "") -> list[EmailMessage]:
    return [
        m
        for m in mailbox(api)
        if m["To"].addresses[0].addr_spec == address and subject_part in str(m["Subject"])
    ]


async def one_email(api: Api, address: str, subject_part: str = "") -> EmailMessage:
    async def arrived() -> bool:
        return len(to(api, address, subject_part)) >= 1

    await eventually(arrived)
    (message,) = to(api, address, subject_part)
    return message


def text_of(message: EmailMessage) -> str:
    return part_of(message, "plain")


def html_of(message: EmailMessage) -> str:
    return part_of(message, "html")


def part_of(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    assert body is not None, f"no text/{subtype} part"
    return str(body.get_content())


async def register(api: Api, role: str = "buyer", name: str = "Ada Obi") -> tuple[str, dict[str, str]]:
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    response = await api.client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": name, "role": role},
    )
    assert response.status_code == 201, response.text
    return email, await api.login(email)


async def test_registration_sends_a_verification_link_that_verifies_once(api: Api) -> None:
    email, headers = await register(api, name="Ada <b>Obi</b>")

    welcome = await one_email(api, email)
    assert welcome["Subject"] == "Welcome to artmarket, please confirm your email"
    assert "Hello Ada &lt;b&gt;Obi&lt;/b&gt;," in html_of(welcome)
    link = ACCOUNT_LINK.search(text_of(welcome))
    assert link is not None
    path = link.group(1)
    assert path.startswith("/account/verify-email?token=")
    assert (await api.client.get("/api/v1/me", headers=headers)).json()["email_verified"] is False

    first = await api.client.get(path)
    second = await api.client.get(path)

    assert first.status_code == 200
    assert "verified" in first.text
    assert second.status_code == 400
    assert (await api.client.get("/api/v1/me", headers=headers)).json()["email_verified"] is True
    token = path.rsplit("=", 1)[1]
    again = await api.client.post("/api/v1/auth/verify-email", json={"token": token})
    assert again.status_code == 422
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["errors"] == [{"field": "token", "message": again.json()["detail"]}]


async def test_the_verify_email_api_verifies_with_the_token_once(api: Api) -> None:
    email, headers = await register(api)
    link = ACCOUNT_LINK.search(text_of(await one_email(api, email)))
    assert link is not None
    token = link.group(1).rsplit("=", 1)[1]

    assert (await api.client.post("/api/v1/auth/verify-email", json={"token": token})).status_code == 204
    assert (await api.client.post("/api/v1/auth/verify-email", json={"token": token})).status_code == 422
    assert (await api.client.post("/api/v1/auth/verify-email", json={"token": "x" * 43})).status_code == 422
    assert (await api.client.post("/api/v1/auth/verify-email", json={})).status_code == 400
    assert (await api.client.get("/api/v1/me", headers=headers)).json()["email_verified"] is True


async def test_a_password_reset_answers_alike_for_unknown_emails_and_signs_everyone_out(api: Api) -> None:
    email, _ = await register(api)
    session = await api.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    refresh_token = session.json()["refresh_token"]

    timings, answers = {}, {}
    for who, address in (("unknown", "nobody-at-all@example.com"), ("known", email)):
        started = time.perf_counter()
        response = await api.client.post("/api/v1/auth/password-reset/request", json={"email": address})
        timings[who] = time.perf_counter() - started
        answers[who] = (response.status_code, response.headers["content-type"], response.content)
    assert answers["unknown"] == answers["known"]
    assert answers["known"][0] == 202
    assert abs(timings["known"] - timings["unknown"]) < 0.25  # no slow hashing on one side only

    reset = await one_email(api, email, "Reset")
    link = ACCOUNT_LINK.search(text_of(reset))
    assert link is not None
    assert link.group(1).startswith("/account/reset-password?token=")
    token = link.group(1).rsplit("=", 1)[1]
    form = await api.client.get(link.group(1))
    assert form.status_code == 200
    assert f'value="{token}"' in form.text
    weak = await api.client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": "short"}
    )
    assert weak.status_code == 422  # and the token is still good

    new_password = "a completely new passphrase"
    confirmed = await api.client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": new_password}
    )
    assert confirmed.status_code == 204
    reused = await api.client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "password": "yet another passphrase"}
    )
    assert reused.status_code == 422
    assert (
        await api.client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})
    ).status_code == 401
    old = await api.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert old.status_code == 401
    new = await api.client.post("/api/v1/auth/login", json={"email": email, "password": new_password})
    assert new.status_code == 200


async def test_the_reset_page_sets_the_password_from_its_form(api: Api) -> None:
    email, _ = await register(api)
    await api.client.post("/api/v1/auth/password-reset/request", json={"email": email})
    link = ACCOUNT_LINK.search(text_of(await one_email(api, email, "Reset")))
    assert link is not None
    token = link.group(1).rsplit("=", 1)[1]
    form = await api.client.get(link.group(1), headers={"Accept": "text/html"})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    fields = {
        "csrf_token": csrf.group(1),
        "token": token,
        "password": "set from the reset page",
        "password_again": "set from the reset page",
    }

    done = await api.client.post("/account/reset-password", data=fields)
    again = await api.client.post("/account/reset-password", data=fields)

    assert done.status_code == 200
    assert again.status_code == 400
    login = await api.client.post(
        "/api/v1/auth/login", json={"email": email, "password": "set from the reset page"}
    )
    assert login.status_code == 200


async def test_a_purchase_emails_the_buyer_and_the_artist(api: Api) -> None:
    admin = await api.admin()
    artist_email, artist = await register(api, "artist", "Ada Obi")
    submitted = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": "NG"},
        files={"id_document": ("passport.pdf", b"%PDF-1.4 test identity document", "application/pdf")},
        headers=artist,
    )
    assert submitted.status_code == 201
    approved = await api.client.post(f"/api/v1/admin/kyc/{submitted.json()['id']}/approve", headers=admin)
    assert approved.status_code == 200
    await one_email(api, artist_email, "identity is verified")
    artwork = await api.published_artwork(artist, title="Harmattan <Light>")
    buyer_email, buyer = await register(api, "buyer", "Bola Ade")

    placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    assert placed.status_code == 201
    order_id, reference = placed.json()["order"]["id"], placed.json()["payment"]["reference"]
    awaiting = await one_email(api, buyer_email, "complete the payment")
    assert f"{BASE}/sandbox/paystack/checkout/{reference}" in text_of(awaiting)
    assert "Harmattan &lt;Light&gt;" in html_of(awaiting)
    paid = await api.client.post(f"/sandbox/paystack/checkout/{reference}/pay", follow_redirects=False)
    assert paid.status_code == 303

    received = await one_email(api, buyer_email, "Payment received")
    sold = await one_email(api, artist_email, "has sold")
    assert f"{BASE}/orders/{order_id}" in text_of(received)
    assert "₦25,000" in text_of(received)
    assert "₦22,500" in text_of(sold)

    # Minting (not in this tree) writes this when the certificate is issued.
    certificate_id = uuid.uuid4()
    async with api.container() as scope:
        uow = await scope.get(UnitOfWork)
        async with uow:
            issued = CertificateIssued(certificate_id, uuid.UUID(order_id))
            uow.outbox.add(OutboxMessage.of(issued, uuid.uuid4(), received["Date"].datetime))
            await uow.commit()
    certificate = await one_email(api, buyer_email, "certificate of authenticity")
    assert f"{BASE}/certificates/{certificate_id}" in text_of(certificate)
    # Each email exactly once, even though the outbox relay and the periodic job both ran.
    assert len(to(api, buyer_email)) == 4  # welcome, awaiting payment, received, certificate
    assert len(to(api, artist_email)) == 3  # welcome, KYC approved, sold


async def test_the_identity_verified_email_links_to_the_artists_studio(api: Api) -> None:
    admin = await api.admin()
    artist_email, artist = await register(api, "artist", "Ada Obi")
    submitted = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": "NG"},
        files={"id_document": ("passport.pdf", b"%PDF-1.4 test identity document", "application/pdf")},
        headers=artist,
    )
    await api.client.post(f"/api/v1/admin/kyc/{submitted.json()['id']}/approve", headers=admin)
    verified = await one_email(api, artist_email, "identity is verified")

    (path,) = re.findall(re.escape(BASE) + r"(/[^\s]*)", text_of(verified))
    page = await api.client.get(path, follow_redirects=False)
    # A page that exists: signed out, it asks for a sign-in and comes back (not a 404).
    assert (page.status_code, page.headers["location"]) == (303, f"/login?next={path}")


class SharedMailer(Provider):
    def __init__(self, mailer: InMemoryMailer) -> None:
        super().__init__()
        self._mailer = mailer

    @provide(scope=Scope.APP)
    def mailer(self) -> Mailer:
        return self._mailer


async def test_admins_see_failed_emails_and_send_them_again(tmp_path: Path) -> None:
    mailer = InMemoryMailer()
    mailer.available = False
    settings = app_settings(tmp_path, mail_max_attempts="1")
    async with running_app(settings, SharedMailer(mailer)) as api:
        admin = await api.admin()
        email, buyer = await register(api)

        async def failed() -> list[dict[str, Any]]:
            response = await api.client.get(
                "/api/v1/admin/outbox", params={"status": "failed", "channel": "email"}, headers=admin
            )
            assert response.status_code == 200, response.text
            return list(response.json()["items"])

        async def has_failed() -> bool:
            return len(await failed()) == 1

        await eventually(has_failed)
        (entry,) = await failed()
        assert (entry["name"], entry["recipient"], entry["status"], entry["attempts"]) == (
            "welcome_verify",
            email,
            "failed",
            1,
        )
        assert entry["last_error"].startswith("unavailable:")
        assert (await api.client.get("/api/v1/admin/outbox", headers=buyer)).status_code == 403
        everything = (await api.client.get("/api/v1/admin/outbox", headers=admin)).json()["items"]
        assert {item["channel"] for item in everything} == {"email", "event"}

        mailer.available = True
        retried = await api.client.post(f"/api/v1/admin/outbox/{entry['id']}/retry", headers=admin)
        assert retried.status_code == 202
        assert retried.json()["status"] == "pending"
        async with api.container() as scope:
            assert await (await scope.get(SendDueEmails))() == 1
        assert [sent.to.address for sent in mailer.sent] == [email]
        again = await api.client.post(f"/api/v1/admin/outbox/{entry['id']}/retry", headers=admin)
        assert again.status_code == 409
        missing = await api.client.post(f"/api/v1/admin/outbox/{uuid.uuid4()}/retry", headers=admin)
        assert missing.status_code == 404
        assert await failed() == []
