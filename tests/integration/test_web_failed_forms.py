"""#20 §6: every page form refused for what was typed comes back to its own page (post/redirect/
get): the error beside its field, the values kept (secrets never), and gone on a reload. One
table of the account, buyer, studio and console forms; the in-process app on SQLite."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.integration.test_certificates_api import buy
from tests.integration.test_delivery_api import PHYSICAL, paid_physical_order
from tests.integration.test_web_console import HTML, csrf, email_of, sign_in
from tests.support.api import Api, app_settings, running_app
from tests.support.page_text import error_beside

#: What the console says beside an empty reason.
REASON = "Give a reason of 1 to 1000 characters."


@dataclass(frozen=True)
class FailedForm:
    """A form posted wrong by `who` ("" for nobody signed in) from `page` to `action`."""

    who: str
    page: str
    action: str
    data: dict[str, str]
    #: The id of the error beside the field (`error-<id>`) and the message shown there.
    error: str
    message: str
    kept: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    # Claims open at once, so the claim form is on its page; a small upload limit.
    settings = app_settings(
        tmp_path, mint_linger_seconds="0", claim_after_days="0", max_upload_bytes="300000"
    )
    async with running_app(settings) as api:
        yield api


async def test_every_refused_form_comes_back_to_its_own_page_once(api: Api) -> None:
    artist, buyer, digital_order = await buy(api)
    admin = await api.admin()
    physical = await api.published_artwork(artist, title="Broken Frame", delivery=PHYSICAL)
    shipping = await paid_physical_order(api, buyer, physical["id"])
    on_show = await api.published_artwork(artist, title="Take Me Down")
    saved = await api.client.put(
        "/api/v1/me/artist-profile",
        json={"display_name": "Ada Obi", "bio": "", "country": "NG"},
        headers=artist,
    )
    assert saved.status_code == 200, saved.text
    applicant = await api.register("artist", "Kemi Ade")
    case = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Kemi Ade", "country": "GH"},
        files={"id_document": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
        headers=applicant,
    )
    assert case.status_code == 201, case.text
    buyer_id = (await api.client.get("/api/v1/me", headers=buyer)).json()["id"]
    buyer_email = await email_of(api, buyer)
    users_listing = f"/admin/users?q={buyer_email}"
    certificate = digital_order["certificate_id"]
    emails = {
        "buyer": buyer_email,
        "artist": await email_of(api, artist),
        "admin": await email_of(api, admin),
    }

    table = (
        FailedForm(
            "",
            "/account/forgot-password",
            "/account/forgot-password",
            {"email": ""},
            "email",
            "Enter the email address you signed up with.",
        ),
        FailedForm(
            "",
            "/account/reset-password?token=t0ken-xyz",
            "/account/reset-password",
            {"token": "t0ken-xyz", "password": "first secret 123", "password_again": "second secret 456"},
            "password_again",
            "The two passwords differ.",
            kept=('name="token" value="t0ken-xyz"',),
            secrets=("first secret 123", "second secret 456"),
        ),
        FailedForm(
            "buyer",
            f"/certificates/{certificate}/claim",
            f"/certificates/{certificate}/claim",
            {"account_id": "my wallet"},
            "account_id",
            "Give a Hedera account id like 0.0.1234.",
            kept=('value="my wallet"',),
        ),
        FailedForm(
            "buyer",
            f"/orders/{shipping}/delivery-problem",
            f"/orders/{shipping}/delivery-problem",
            {"message": ""},
            "message",
            "Describe the problem.",
        ),
        FailedForm(
            "artist",
            f"/artist/shipments/{shipping}",
            f"/artist/shipments/{shipping}/ship",
            {"carrier": "GIG Logistics", "tracking_number": ""},
            "tracking_number",
            "This field is required.",
            kept=('value="GIG Logistics"',),
        ),
        FailedForm(
            "artist",
            "/artist/profile",
            "/artist/profile/photo",
            {},
            "photo",
            "The photo is empty.",
            files={"photo": ("me.png", b"", "image/png")},
        ),
        FailedForm(  # over the body limit: refused before the handler reads anything
            "artist",
            "/artist/profile",
            "/artist/profile/photo",
            {},
            "photo",
            "The file is larger than 0.3 MB.",
            files={"photo": ("me.png", b"\x89PNG\r\n\x1a\n" + b"0" * 600_000, "image/png")},
        ),
        FailedForm(
            "admin",
            f"/admin/orders/{digital_order['id']}",
            f"/admin/orders/{digital_order['id']}/refund",
            {"reason": ""},
            "reason-refund",
            REASON,
        ),
        FailedForm(
            "admin",
            f"/admin/kyc/{case.json()['id']}",
            f"/admin/kyc/{case.json()['id']}/reject",
            {"reason": ""},
            "reason-reject",
            REASON,
        ),
        FailedForm(
            "admin",
            f"/admin/artworks/{on_show['id']}",
            f"/admin/artworks/{on_show['id']}/unpublish",
            {"reason": ""},
            "reason-unpublish",
            REASON,
        ),
        FailedForm(
            "admin",
            users_listing,
            f"/admin/users/{buyer_id}/suspend",
            {"reason": "", "back": users_listing},
            f"reason-suspend-{buyer_id}",
            REASON,
        ),
    )
    signed_in = ""
    for form in table:
        if form.who != signed_in:
            await sign_in(api.client, emails[form.who])
            signed_in = form.who
        token = await csrf(api.client, form.page)
        answer = await api.client.post(
            form.action,
            data={"csrf_token": token, **form.data},
            files=form.files or None,
            headers=HTML,
            follow_redirects=False,
        )
        assert (answer.status_code, answer.headers.get("location")) == (303, form.page), form.action

        shown = await api.client.get(form.page, headers=HTML)
        assert shown.status_code == 422, form.action
        assert error_beside(shown.text, form.error) == form.message, form.action
        assert all(value in shown.text for value in form.kept), form.action
        assert not any(secret in shown.text for secret in form.secrets), form.action

        reloaded = await api.client.get(form.page, headers=HTML)
        assert reloaded.status_code == 200, form.action
        assert f'id="error-{form.error}"' not in reloaded.text, form.action

    # Nothing refused was done.
    assert (await api.client.get("/api/v1/me/kyc", headers=applicant)).json()["items"][0][
        "status"
    ] == "pending"
    assert (await api.client.get(f"/api/v1/artworks/{on_show['id']}")).status_code == 200
    assert (await api.client.get("/api/v1/me", headers=buyer)).status_code == 200
    assert api.gateway.refunds == []


async def test_a_refused_form_comes_back_in_the_language_it_was_posted_in(api: Api) -> None:
    french = {**HTML, "Accept-Language": "fr"}
    page = await api.client.get("/account/forgot-password", headers=french)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert token is not None
    answer = await api.client.post(
        "/account/forgot-password",
        data={"csrf_token": token.group(1), "email": ""},
        headers=french,
        follow_redirects=False,
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/account/forgot-password")

    shown = await api.client.get("/account/forgot-password", headers=french)
    assert shown.status_code == 422
    assert error_beside(shown.text, "email") == "Saisissez l'adresse e-mail utilisée à l'inscription."
