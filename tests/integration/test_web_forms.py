"""#20 §6, forms: one country rule everywhere a country is typed, pickers naming every country,
failed forms re-rendered at their own URL, oversized files back on their form, and the email
verification an account page offers. In-process app on SQLite."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_checkout_api import eventually
from tests.integration.test_delivery_api import PHYSICAL
from tests.integration.test_notifications_api import ACCOUNT_LINK, text_of, to
from tests.integration.test_web_console import HTML, csrf, email_of, sign_in
from tests.support.api import Api, app_settings, running_app

from artmarket.entrypoints.web.failed_forms import FORM_COOKIE

BAD_COUNTRIES = ("XX", "QQ")


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


def fields_of(answer: Any) -> list[str]:
    assert answer.status_code == 422, answer.text
    return [error["field"] for error in answer.json()["errors"]]


def with_zone_to(country: str) -> dict[str, Any]:
    return {
        **PHYSICAL,
        "shipping_rates": [{"countries": [country], "price": {"amount": 250_000, "currency": "NGN"}}],
    }


@pytest.mark.parametrize("country", BAD_COUNTRIES)
async def test_the_api_refuses_a_code_that_is_no_country_naming_the_field(api: Api, country: str) -> None:
    artist = await api.register("artist")
    buyer = await api.register("buyer")

    kyc = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": country},
        files={"id_document": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
        headers=artist,
    )
    assert fields_of(kyc) == ["country"]
    profile = await api.client.put(
        "/api/v1/me/artist-profile",
        json={"display_name": "Ada", "bio": "", "country": country},
        headers=artist,
    )
    assert fields_of(profile) == ["country"]
    address = await api.client.post(
        "/api/v1/me/addresses",
        json={"name": "Bola", "lines": ["14 Kingfisher Crescent"], "city": "Ikeja", "country": country},
        headers=buyer,
    )
    assert fields_of(address) == ["country"]
    artwork = await api.client.post(
        "/api/v1/artworks",
        json={
            "title": "Harmattan Light",
            "medium": "painting",
            "price": {"amount": 2_500_000, "currency": "NGN"},
            "delivery": with_zone_to(country),
        },
        headers=artist,
    )
    assert fields_of(artwork) == ["delivery.shipping_rates[0].country"]

    assert (await api.client.get("/api/v1/me/kyc", headers=artist)).json()["items"] == []
    assert (await api.client.get("/api/v1/me/addresses", headers=buyer)).json()["items"] == []
    assert (await api.client.get("/api/v1/me/artworks", headers=artist)).json()["items"] == []


async def test_the_kyc_and_profile_pages_pick_the_country_from_every_country_by_name(api: Api) -> None:
    artist = await api.register("artist", "Ada Obi")
    await sign_in(api.client, await email_of(api, artist))

    for path in ("/artist/kyc", "/artist/profile"):
        page = (await api.client.get(path, headers=HTML)).text
        picker = re.search(r'<select id="field-country" name="country".*?</select>', page, re.S)
        assert picker, page
        options = re.findall(r'<option value="([A-Z]{2})"', picker.group(0))
        assert len(options) == 249
        assert '<option value="CI">Côte d’Ivoire (CI)</option>' in picker.group(0)  # noqa: RUF001 - Babel writes the apostrophe
        assert '<option value="NG" selected>Nigeria (NG)</option>' in picker.group(0)

    token = await csrf(api.client, "/artist/profile")
    refused = await api.client.post(
        "/artist/profile",
        data={"csrf_token": token, "display_name": "Ada Obi", "country": "QQ"},
        headers=HTML,
    )
    assert 'id="error-country"' in refused.text
    assert "You have no public profile yet" in (await api.client.get("/artist/profile", headers=HTML)).text


async def test_checkout_asks_for_the_country_first_and_refuses_a_code_that_is_no_country(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, delivery=PHYSICAL)
    buyer = await api.register("buyer", "Bola Ade")
    await sign_in(api.client, await email_of(api, buyer))
    path = f"/artworks/{artwork['id']}/checkout"

    page = (await api.client.get(path, headers=HTML)).text
    fields = re.findall(r'<(?:input|select) id="field-([a-z_0-9]+)"', page)
    assert fields[0] == "country"
    assert fields.index("country") < fields.index("name") < fields.index("full_name")
    assert '<option value="NG">Nigeria (NG): shipping' in page

    token = await csrf(api.client, path)
    refused = await api.client.post(
        path,
        data={
            "csrf_token": token,
            "full_name": "Bola Ade",
            "phone": "+2348035550199",
            "saved_address": "new",
            "name": "Bola Ade",
            "line1": "14 Kingfisher Crescent",
            "city": "Ikeja",
            "country": "XX",
        },
        headers=HTML,
    )
    assert 'id="error-country"' in refused.text
    assert (await api.client.get("/api/v1/me/orders", headers=buyer)).json()["items"] == []


def error_beside(html: str, field: str) -> str:
    found = re.search(rf'id="error-{re.escape(field)}"[^>]*>(.*?)</p>', html, re.S)
    assert found, f"no error beside {field}"
    return re.sub(r"<[^>]+>|Error:", "", found.group(1)).strip()


async def test_a_failed_sign_in_comes_back_to_its_own_url_so_a_reload_does_not_post_again(api: Api) -> None:
    await api.register("buyer")
    token = await csrf(api.client, "/login?next=/me/orders")
    failed = await api.client.post(
        "/login",
        data={"csrf_token": token, "email": "nobody@example.com", "password": "wrong", "next": "/me/orders"},
        headers=HTML,
        follow_redirects=False,
    )
    assert failed.status_code == 303
    assert failed.headers["location"] == "/login?next=/me/orders"

    shown = await api.client.get(failed.headers["location"], headers=HTML)
    assert shown.status_code == 401
    assert "email or password" in shown.text.lower()
    assert 'value="nobody@example.com"' in shown.text
    assert "wrong" not in re.findall(r'value="([^"]*)"', shown.text)  # the password is not kept
    assert 'name="next" value="/me/orders"' in shown.text

    reloaded = await api.client.get("/login?next=/me/orders", headers=HTML)
    assert reloaded.status_code == 200
    assert 'value="nobody@example.com"' not in reloaded.text


async def test_failed_sign_up_profile_and_studio_forms_come_back_to_their_pages(api: Api) -> None:
    token = await csrf(api.client, "/register")
    failed = await api.client.post(
        "/register",
        data={
            "csrf_token": token,
            "email": "ada@example.com",
            "display_name": "Ada",
            "role": "artist",
            "password": "correct horse battery staple",
            "password_again": "something else",
        },
        headers=HTML,
        follow_redirects=False,
    )
    assert (failed.status_code, failed.headers["location"]) == (303, "/register")
    shown = await api.client.get("/register", headers=HTML)
    assert shown.status_code == 422
    assert error_beside(shown.text, "password_again") == "The two passwords differ."
    assert 'value="ada@example.com"' in shown.text

    artist = await api.register("artist", "Ada Obi")
    await sign_in(api.client, await email_of(api, artist))
    for page, action, data, field in (
        ("/artist/profile", "/artist/profile", {"display_name": "Ada Obi", "country": "QQ"}, "country"),
        ("/artist/artworks/new", "/artist/artworks", {"title": "", "medium": "painting"}, "title"),
        (
            "/artist/payout",
            "/artist/payout",
            {"bank_code": "058", "account_number": "12ab"},
            "account_number",
        ),
    ):
        token = await csrf(api.client, page)
        answer = await api.client.post(
            action, data={"csrf_token": token, **data}, headers=HTML, follow_redirects=False
        )
        assert (answer.status_code, answer.headers["location"]) == (303, page)
        shown = await api.client.get(page, headers=HTML)
        assert shown.status_code == 422
        assert error_beside(shown.text, field)
        assert "error-" + field not in (await api.client.get(page, headers=HTML)).text


async def test_a_file_over_the_upload_limit_returns_to_its_form_with_the_error_beside_it(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await api.published_artwork(artist)
    applicant = await api.register("artist", "Kemi Ade")
    twenty_mb = 20 * 1024 * 1024

    await sign_in(api.client, await email_of(api, applicant))
    for size in (twenty_mb + 1, twenty_mb + 200_000):  # refused by the handler / by the body limit
        token = await csrf(api.client, "/artist/kyc")
        answer = await api.client.post(
            "/artist/kyc",
            data={"csrf_token": token, "legal_name": "Kemi Ade", "country": "GH"},
            files={"id_document": ("id.pdf", b"%PDF" + b"0" * size, "application/pdf")},
            headers=HTML,
        )
        assert str(answer.url).endswith("/artist/kyc")
        assert answer.status_code == 422
        assert error_beside(answer.text, "id_document") == "The file is larger than 20 MB."
        assert 'id="kyc-form"' in answer.text
    assert (await api.client.get("/api/v1/me/kyc", headers=applicant)).json()["items"] == []

    await sign_in(api.client, await email_of(api, artist))
    page = f"/artist/artworks/{work['id']}"
    for size in (twenty_mb + 1, twenty_mb + 200_000):
        token = await csrf(api.client, page)
        answer = await api.client.post(
            f"{page}/images",
            data={"csrf_token": token},
            files={"file": ("huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * size, "image/png")},
            headers=HTML,
        )
        assert str(answer.url).endswith(page)
        assert answer.status_code == 422
        assert error_beside(answer.text, "file") == "The file is larger than 20 MB."
    assert len((await api.client.get(f"/api/v1/artworks/{work['id']}", headers=artist)).json()["images"]) == 1


async def test_a_signed_in_user_sees_whether_their_address_is_verified_and_can_ask_for_the_email_again(
    api: Api,
) -> None:
    buyer = await api.register("buyer", "Bola Ade")
    address = await email_of(api, buyer)
    await sign_in(api.client, address)
    account = await api.client.get("/me", headers=HTML)
    assert re.search(r'id="email-status">not verified yet<', account.text)

    for _ in range(3):
        token = await csrf(api.client, "/me")
        sent = await api.client.post("/me/verify-email", data={"csrf_token": token}, headers=HTML)
        assert str(sent.url).endswith("/me")
        assert f"We sent a new verification link to {address}." in sent.text
    token = await csrf(api.client, "/me")
    throttled = await api.client.post("/me/verify-email", data={"csrf_token": token}, headers=HTML)
    assert throttled.status_code == 429
    assert "please wait before asking again" in throttled.text

    async def three_sent() -> bool:
        return len(to(api, address, "Confirm your email address")) == 3

    await eventually(three_sent)
    link = ACCOUNT_LINK.search(text_of(to(api, address, "Confirm your email address")[-1]))
    assert link is not None
    verified = await api.client.get(link.group(1), headers=HTML)
    assert verified.status_code == 200
    assert "Your email address is verified." in verified.text

    account = await api.client.get("/me", headers=HTML)
    assert re.search(r'id="email-status">verified<', account.text)
    assert 'id="resend-verification"' not in account.text
    assert (await api.client.get("/api/v1/me", headers=buyer)).json()["email_verified"] is True


async def test_a_verification_link_that_does_not_work_speaks_of_verification_not_passwords(api: Api) -> None:
    page = await api.client.get("/account/verify-email?token=" + "x" * 43, headers=HTML)
    assert page.status_code == 400
    main = page.text.split("<main", 1)[1]
    assert "This verification link does not work" in main
    assert "ask for a new verification email" in main
    assert "password" not in main.lower()


async def test_failed_checkout_address_book_and_account_forms_come_back_to_their_pages(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, delivery=PHYSICAL)
    buyer = await api.register("buyer", "Bola Ade")
    await sign_in(api.client, await email_of(api, buyer))
    checkout = f"/artworks/{artwork['id']}/checkout"
    page = (await api.client.get(checkout, headers=HTML)).text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page)
    assert key is not None

    for form_page, action, data, field in (
        (
            checkout,
            checkout,
            {
                "idempotency_key": key.group(1),
                "full_name": "Bola Ade",
                "phone": "12",
                "saved_address": "new",
                "country": "GH",
            },
            "phone",
        ),
        (
            "/me/addresses",
            "/me/addresses",
            {"name": "Bola", "line1": "", "city": "Accra", "country": "GH"},
            "line1",
        ),
        ("/me", "/me", {"display_name": ""}, "display_name"),
        ("/me", "/me/password", {"current_password": "", "new_password": ""}, "current_password"),
    ):
        token = await csrf(api.client, form_page)
        answer = await api.client.post(
            action, data={"csrf_token": token, **data}, headers=HTML, follow_redirects=False
        )
        assert (answer.status_code, answer.headers["location"]) == (303, form_page), action
        shown = await api.client.get(form_page, headers=HTML)
        assert shown.status_code == 422
        assert error_beside(shown.text, field)
        if form_page == checkout:  # the same attempt: a later success reserves once
            assert f'name="idempotency_key" value="{key.group(1)}"' in shown.text
        assert f"error-{field}" not in (await api.client.get(form_page, headers=HTML)).text
    assert (await api.client.get("/api/v1/me/orders", headers=buyer)).json()["items"] == []


async def test_a_kept_form_is_shown_only_on_its_own_page_and_only_as_signed(api: Api) -> None:
    token = await csrf(api.client, "/register")
    await api.client.post(
        "/register",
        data={"csrf_token": token, "email": "ada@example.com", "display_name": "", "role": "buyer"},
        headers=HTML,
        follow_redirects=False,
    )
    kept = api.client.cookies.get(FORM_COOKIE)
    assert kept is not None

    elsewhere = await api.client.get("/login", headers=HTML)
    assert 'value="ada@example.com"' not in elsewhere.text
    api.client.cookies.set(FORM_COOKIE, kept.replace(".", ".x", 1))
    forged = await api.client.get("/register", headers=HTML)
    assert forged.status_code == 200
    assert 'value="ada@example.com"' not in forged.text
