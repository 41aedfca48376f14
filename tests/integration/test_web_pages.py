"""The pages over HTTP (no browser): every page renders, forms keep input and show errors beside
fields, Buy Now to certificate, the status fragment, account links. The browser journeys are in
tests/e2e."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp
from tests.integration.test_checkout_api import eventually
from tests.integration.test_notifications_api import ACCOUNT_LINK, one_email, text_of
from tests.support.api import PASSWORD, Api, app_settings, running_app

HTML = {"Accept": "text/html"}
HTMX = {"Accept": "text/html", "HX-Request": "true"}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


async def page_token(client: AsyncTestClient[ASGIApp], path: str = "/login") -> str:
    return csrf_of((await client.get(path, headers=HTML)).text)


async def sign_in_browser(api: Api, headers: dict[str, str]) -> dict[str, Any]:
    """Sign the test client's cookie jar in as the account behind `headers`."""
    me = (await api.client.get("/api/v1/me", headers=headers)).json()
    token = await page_token(api.client)
    answer = await api.client.post(
        "/login",
        data={"csrf_token": token, "email": me["email"], "password": PASSWORD},
        headers=HTML,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return dict(me)


async def test_the_gallery_filters_and_shows_errors_beside_the_fields(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    await api.published_artwork(artist, title="Harmattan Light", medium="painting", price=2_500_000)
    await api.published_artwork(artist, title="Night Market", medium="photography", price=9_000_000)

    everything = await api.client.get("/", headers=HTML)
    assert everything.status_code == 200
    assert "Harmattan Light" in everything.text
    assert "Night Market" in everything.text
    assert 'loading="lazy"' in everything.text
    assert 'alt="Harmattan Light by Ada Obi"' in everything.text

    cheap = await api.client.get("/?currency=NGN&max_price=30,000&sort=price_asc", headers=HTML)
    assert "Harmattan Light" in cheap.text
    assert "Night Market" not in cheap.text
    assert 'value="30,000"' in cheap.text  # what the user typed is kept

    missing_currency = await api.client.get("/?min_price=100&q=night", headers=HTML)
    assert missing_currency.status_code == 200
    assert 'id="error-currency"' in missing_currency.text
    assert "Choose a currency to filter by price." in missing_currency.text
    assert 'value="night"' in missing_currency.text

    bad_amount = await api.client.get("/?currency=NGN&min_price=lots", headers=HTML)
    assert 'id="error-min_price"' in bad_amount.text


async def test_load_more_returns_the_next_cards_as_a_fragment(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    for n in range(26):
        await api.published_artwork(artist, title=f"Study {n:02d}")
    first = await api.client.get("/", headers=HTML)
    assert first.text.count('class="card"') == 24
    more = re.search(r'hx-get="(/\?cursor=[^"]+)"', first.text)
    assert more is not None
    fragment = await api.client.get(more.group(1).replace("&amp;", "&"), headers=HTMX)
    assert fragment.text.count('class="card"') == 2
    assert "<html" not in fragment.text
    assert "Load more" not in fragment.text


async def test_buy_now_to_the_certificate_over_http(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, title="Harmattan Light")
    await sign_in_browser(api, await api.register("buyer", "Bola Ade"))

    shown = await api.client.get(f"/artworks/{artwork['id']}", headers=HTML)
    assert 'id="buy-now"' in shown.text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', shown.text)
    assert key is not None
    form = {"csrf_token": csrf_of(shown.text), "idempotency_key": key.group(1)}
    placed = await api.client.post(
        f"/artworks/{artwork['id']}/buy", data=form, headers=HTML, follow_redirects=False
    )
    again = await api.client.post(
        f"/artworks/{artwork['id']}/buy", data=form, headers=HTML, follow_redirects=False
    )
    assert placed.status_code == again.status_code == 303
    assert placed.headers["location"] == again.headers["location"]  # a double click is one order
    checkout_url = placed.headers["location"]
    order_id = checkout_url.rsplit("/", 1)[1]

    checkout = await api.client.get(checkout_url, headers=HTML)
    assert 'id="countdown"' in checkout.text
    assert "data-countdown=" in checkout.text
    to_payment = await api.client.get(f"{checkout_url}/pay", headers=HTML, follow_redirects=False)
    assert to_payment.headers["location"].startswith(
        f"{api.settings.resolved_public_base_url}/sandbox/paystack/checkout/"
    )

    reference = to_payment.headers["location"].rsplit("/", 1)[1]
    api.gateway.complete(reference, outcome="success")
    raw, signature = api.gateway.webhook_for(reference)
    await api.client.post(
        "/api/v1/payments/paystack/webhook", content=raw, headers={"x-paystack-signature": signature}
    )
    callback = await api.client.get(
        f"/api/v1/payments/paystack/callback?reference={reference}", follow_redirects=False
    )
    assert callback.headers["location"] == f"/orders/{order_id}"

    async def completed() -> bool:
        fragment = await api.client.get(f"/orders/{order_id}/status", headers=HTMX)
        return 'data-status="completed"' in fragment.text

    await eventually(completed, within=15)
    fragment = await api.client.get(f"/orders/{order_id}/status", headers=HTMX)
    assert "hx-trigger" not in fragment.text  # settled: the page stops polling
    certificate_id = re.search(r'href="/certificates/([0-9a-f-]+)"', fragment.text)
    assert certificate_id is not None
    certificate = await api.client.get(f"/certificates/{certificate_id.group(1)}", headers=HTML)
    # The owner sees their name, and that everyone else sees "a private collection" until they choose.
    assert '<dd id="owner">Bola Ade <span class="muted small" id="owner-private-note">' in certificate.text
    assert 'id="show-owner-name"' in certificate.text
    # A shared certificate link previews the work; the artist's name leads to their page.
    base = api.settings.resolved_public_base_url
    page_url = f"{base}/certificates/{certificate_id.group(1)}"
    assert f'<link rel="canonical" href="{page_url}">' in certificate.text
    assert f'<meta property="og:url" content="{page_url}">' in certificate.text
    assert f'<meta property="og:image" content="{page_url}/image">' in certificate.text
    assert '<meta name="twitter:card" content="summary_large_image">' in certificate.text
    title = "Certificate of authenticity: Harmattan Light"
    assert f'<meta property="og:title" content="{title}">' in certificate.text
    assert re.search(r'<a href="/artists/[0-9a-f-]+" id="artist-link">', certificate.text)
    verified = await api.client.get(f"/certificates/{certificate_id.group(1)}/verify", headers=HTMX)
    assert 'id="verification-result">Verified<' in verified.text

    history = await api.client.get("/me/orders?status=completed", headers=HTML)
    assert "Harmattan Light" in history.text
    assert f"/certificates/{certificate_id.group(1)}" in history.text
    assert "Harmattan Light" not in (await api.client.get("/me/orders?status=cancelled", headers=HTML)).text
    # The old return address still answers: the buyer is sent to the order page.
    complete = await api.client.get(
        f"/checkout/complete?reference={reference}", headers=HTML, follow_redirects=False
    )
    assert complete.headers["location"] == f"/orders/{order_id}"


async def test_the_payment_return_page_shows_progress_without_personal_data(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, title="Harmattan Light")
    buyer = await api.register("buyer", "Bola Ade")
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    reference = placed.json()["payment"]["reference"]

    page = await api.client.get(f"/checkout/complete?reference={reference}", headers=HTML)
    assert page.status_code == 200
    assert 'data-status="awaiting_payment"' in page.text
    assert "hx-trigger" in page.text
    assert "Bola" not in page.text
    assert "@example.com" not in page.text


async def test_cancelling_releases_the_work_and_another_buyer_sees_it_reserved(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, title="Harmattan Light")
    await sign_in_browser(api, await api.register("buyer"))
    shown = await api.client.get(f"/artworks/{artwork['id']}", headers=HTML)
    placed = await api.client.post(
        f"/artworks/{artwork['id']}/buy", data={"csrf_token": csrf_of(shown.text)}, headers=HTML
    )
    assert "Reserved for you" in placed.text
    reserved = (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()
    assert reserved["status"] == "reserved"

    cancel_url = re.search(r'action="(/checkout/[0-9a-f-]+/cancel)"', placed.text)
    assert cancel_url is not None
    cancelled = await api.client.post(
        cancel_url.group(1), data={"csrf_token": csrf_of(placed.text)}, headers=HTML
    )
    assert "back on sale" in cancelled.text
    assert (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()["status"] == "published"


async def test_favourites_toggle_in_place_with_htmx(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist, title="Harmattan Light")
    await sign_in_browser(api, await api.register("buyer"))
    token = await page_token(api.client, f"/artworks/{artwork['id']}")

    on = await api.client.post(
        f"/artworks/{artwork['id']}/favorite", data={"favorite": "1"}, headers={**HTMX, "X-CSRF-Token": token}
    )
    assert on.status_code == 200
    assert 'aria-pressed="true"' in on.text
    assert "<html" not in on.text
    assert "Harmattan Light" in (await api.client.get("/me/favorites", headers=HTML)).text
    off = await api.client.post(
        f"/artworks/{artwork['id']}/favorite", data={"favorite": "0"}, headers={**HTMX, "X-CSRF-Token": token}
    )
    assert 'aria-pressed="false"' in off.text
    assert "Harmattan Light" not in (await api.client.get("/me/favorites", headers=HTML)).text


async def test_anonymous_htmx_and_form_posts_are_sent_to_sign_in(api: Api) -> None:
    token = await page_token(api.client)
    fragment = await api.client.post(
        "/artworks/01890000-0000-7000-8000-000000000000/favorite",
        headers={**HTMX, "X-CSRF-Token": token, "HX-Current-URL": "http://testserver.local/?medium=print"},
    )
    assert fragment.headers["HX-Redirect"] == "/login?next=/%3Fmedium%3Dprint"
    posted = await api.client.post(
        "/artworks/01890000-0000-7000-8000-000000000000/buy",
        data={"csrf_token": token},
        headers={**HTML, "Referer": "http://testserver.local/artworks/x"},
        follow_redirects=False,
    )
    assert posted.headers["location"] == "/login?next=/artworks/x"


async def test_a_draft_is_a_404_page_and_an_artist_cannot_buy(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    draft = await api.client.post(
        "/api/v1/artworks",
        json={"title": "Unfinished", "medium": "painting", "price": {"amount": 100, "currency": "NGN"}},
        headers=artist,
    )
    missing = await api.client.get(f"/artworks/{draft.json()['id']}", headers=HTML)
    assert missing.status_code == 404
    assert "We could not find that page" in missing.text

    artwork = await api.published_artwork(artist, title="Harmattan Light")
    await sign_in_browser(api, await api.register("artist"))
    shown = await api.client.get(f"/artworks/{artwork['id']}", headers=HTML)
    assert 'id="buy-now"' not in shown.text
    refused = await api.client.post(
        f"/artworks/{artwork['id']}/buy", data={"csrf_token": csrf_of(shown.text)}, headers=HTML
    )
    assert refused.status_code == 403
    assert "This page is for buyers." in refused.text


async def test_profile_and_password_change_keep_input_and_sign_out_other_sessions(api: Api) -> None:
    buyer = await api.register("buyer", "Bola")
    me = await sign_in_browser(api, buyer)
    token = await page_token(api.client, "/me")

    renamed = await api.client.post(
        "/me", data={"csrf_token": token, "display_name": "Bola Ade"}, headers=HTML
    )
    assert "Your profile is saved." in renamed.text
    assert 'value="Bola Ade"' in renamed.text
    wrong = await api.client.post(
        "/me/password",
        data={
            "csrf_token": token,
            "current_password": "nope",
            "new_password": "violet kettle under snow",
            "password_again": "violet kettle under snow",
        },
        headers=HTML,
    )
    assert wrong.status_code == 422
    assert 'id="error-current_password"' in wrong.text
    weak = await api.client.post(
        "/me/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "short",
            "password_again": "short",
        },
        headers=HTML,
    )
    assert weak.status_code == 422
    assert 'id="error-new_password"' in weak.text
    new_password = "a brand new passphrase"
    changed = await api.client.post(
        "/me/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": new_password,
            "password_again": new_password,
        },
        headers=HTML,
    )
    assert "Your password is changed" in changed.text  # and this browser stays signed in
    assert (await api.client.get("/api/v1/me", headers=buyer)).status_code == 401  # the API session ended
    login = await api.client.post("/api/v1/auth/login", json={"email": me["email"], "password": new_password})
    assert login.status_code == 200


async def test_forgot_password_then_reset_from_the_emailed_link(api: Api) -> None:
    buyer = await api.register("buyer")
    email = (await api.client.get("/api/v1/me", headers=buyer)).json()["email"]
    token = await page_token(api.client, "/account/forgot-password")
    for address in (email, "nobody@example.com"):
        sent = await api.client.post(
            "/account/forgot-password", data={"csrf_token": token, "email": address}, headers=HTML
        )
        assert sent.status_code == 200
        assert 'id="reset-sent"' in sent.text

    link = ACCOUNT_LINK.search(text_of(await one_email(api, email, "Reset")))
    assert link is not None
    form = await api.client.get(link.group(1), headers=HTML)
    fields = {"csrf_token": csrf_of(form.text), "token": link.group(1).rsplit("=", 1)[1]}
    differ = await api.client.post(
        "/account/reset-password",
        data={**fields, "password": "x" * 12, "password_again": "y" * 12},
        headers=HTML,
    )
    assert differ.status_code == 422
    assert "The two passwords differ." in differ.text
    done = await api.client.post(
        "/account/reset-password",
        data={**fields, "password": "reset from the page", "password_again": "reset from the page"},
        headers=HTML,
    )
    assert done.status_code == 200
    assert 'id="reset-done"' in done.text
    login = await api.client.post(
        "/api/v1/auth/login", json={"email": email, "password": "reset from the page"}
    )
    assert login.status_code == 200
