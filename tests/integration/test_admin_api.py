"""The admin console, the dashboards and authorization, over HTTP on the embedded profile.

Two purchases are made in the sandbox; the artist's dashboard, the buyers' orders and the
admin's orders table (JSON and CSV) must agree on them. Refunds go through the gateway
once; suspension hides an artist's works but honours live reservations; every admin
action lands on the audit log with its reason and request id. Every route of the OpenAPI
document has an expected guard in `GUARDS`, so a new route without one fails here.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.routes import HTTPRoute
from tests.support.api import PASSWORD, Api, app_settings, running_app

WEBHOOK = "/api/v1/payments/paystack/webhook"

#: Every route and who may call it. `webhook` and `sandbox` are public at the HTTP layer and
#: authenticated otherwise (the Paystack signature; the sandbox exists only in development).
GUARDS: dict[str, str] = {
    "GET /health": "public",
    "GET /ready": "public",
    # Public on the development profile; elsewhere behind ARTMARKET_METRICS_TOKEN
    # (tests/security/test_metrics_exposure.py), and the proxy answers 404 for it outside.
    "GET /metrics": "public",
    "POST /api/v1/auth/register": "public",
    "POST /api/v1/auth/login": "public",
    "POST /api/v1/auth/refresh": "public",
    "POST /api/v1/auth/logout": "login",
    "GET /api/v1/me": "login",
    "PATCH /api/v1/me": "login",
    "POST /api/v1/me/password": "login",
    "PUT /api/v1/me/artist-profile": "artist",
    "GET /api/v1/me/kyc": "artist",
    "POST /api/v1/me/kyc": "artist",
    "GET /api/v1/artworks": "public",
    "POST /api/v1/artworks": "artist",
    "GET /api/v1/artworks/{artwork_id}": "public",
    "PATCH /api/v1/artworks/{artwork_id}": "artist",
    "POST /api/v1/artworks/{artwork_id}/images": "artist",
    "POST /api/v1/artworks/{artwork_id}/publish": "artist",
    "POST /api/v1/artworks/{artwork_id}/withdraw": "artist",
    "PUT /api/v1/artworks/{artwork_id}/favorite": "login",
    "DELETE /api/v1/artworks/{artwork_id}/favorite": "login",
    "GET /api/v1/me/artworks": "artist",
    "GET /api/v1/me/favorites": "login",
    "GET /api/v1/artists": "public",
    "GET /api/v1/artists/{artist_ref}": "public",
    "POST /api/v1/orders": "buyer",
    "GET /api/v1/orders/{order_id}": "login",
    "POST /api/v1/orders/{order_id}/cancel": "buyer",
    "GET /api/v1/me/orders": "login",
    "GET /api/v1/me/payout-account": "artist",
    "PUT /api/v1/me/payout-account": "artist",
    "GET /api/v1/me/dashboard/artist": "artist",
    "GET /api/v1/payments/paystack/callback": "public",
    "POST /api/v1/payments/paystack/webhook": "webhook",
    "GET /api/v1/admin/kyc": "admin",
    "GET /api/v1/admin/kyc/{case_id}/document": "admin",
    "POST /api/v1/admin/kyc/{case_id}/approve": "admin",
    "POST /api/v1/admin/kyc/{case_id}/reject": "admin",
    "GET /api/v1/admin/orders": "admin",
    "GET /api/v1/admin/orders.csv": "admin",
    "GET /api/v1/admin/orders/{order_id}": "admin",
    "POST /api/v1/admin/orders/{order_id}/refund": "admin",
    "GET /api/v1/admin/users": "admin",
    "POST /api/v1/admin/users/{user_id}/suspend": "admin",
    "POST /api/v1/admin/users/{user_id}/reinstate": "admin",
    "POST /api/v1/admin/artworks/{artwork_id}/unpublish": "admin",
    "GET /api/v1/admin/audit-log": "admin",
    "GET /api/v1/admin/reservations": "admin",
    "POST /api/v1/auth/verify-email": "public",
    "POST /api/v1/auth/password-reset/request": "public",
    "POST /api/v1/auth/password-reset/confirm": "public",
    "GET /api/v1/admin/outbox": "admin",
    "POST /api/v1/admin/outbox/{entry_id}/retry": "admin",
    "GET /api/v1/certificates/{certificate_id}": "public",
    "GET /api/v1/certificates/{certificate_id}/verify": "public",
    "GET /api/v1/certificates/{certificate_id}/metadata": "public",
    "GET /api/v1/certificates/{certificate_id}/proof": "public",
    "GET /api/v1/me/certificates": "login",
    "GET /api/v1/certificates/{certificate_id}/provenance": "public",
    "PATCH /api/v1/me/certificates/{certificate_id}": "login",
    "POST /api/v1/me/certificates/{certificate_id}/claim": "login",
    "POST /api/v1/admin/certificates/{certificate_id}/revoke": "admin",
    "GET /api/v1/admin/ledger-tasks": "admin",
    "POST /api/v1/admin/ledger-tasks/{task_id}/retry": "admin",
    "GET /api/v1/admin/mint-jobs": "admin",
    "POST /api/v1/admin/mint-jobs/{job_id}/retry": "admin",
    "POST /api/v1/orders/{order_id}/shipment": "artist",
    "POST /api/v1/orders/{order_id}/delivery-confirmation": "buyer",
    "POST /api/v1/orders/{order_id}/delivery-problem": "buyer",
    "GET /api/v1/me/shipments": "artist",
    "GET /api/v1/me/addresses": "buyer",
    "POST /api/v1/me/addresses": "buyer",
    "DELETE /api/v1/me/addresses/{address_id}": "buyer",
    "POST /api/v1/admin/orders/{order_id}/shipment/resolve": "admin",
    "POST /api/v1/admin/orders/{order_id}/shipment/confirm-delivery": "admin",
    # Outside the OpenAPI document: the docs and the development sandbox.
    "GET /api": "public",
    "GET /api/docs": "public",
    "GET /api/openapi.json": "public",
    "GET /api/oauth2-redirect.html": "public",
    "GET /api/{path}": "public",
    # The simulated ledger's mirror-node subset (the certificate check works offline).
    "GET /api/v1/tokens/{token_id}/nfts/{serial}": "public",
    "GET /api/v1/topics/{topic_id}/messages": "public",
    "GET /sandbox/paystack/checkout/{reference}": "sandbox",
    "POST /sandbox/paystack/checkout/{reference}/pay": "sandbox",
    "POST /sandbox/paystack/checkout/{reference}/decline": "sandbox",
    "GET /sandbox/wallet/{account}": "sandbox",
    "POST /sandbox/wallet/{account}/accept/{token_id}/{serial}": "sandbox",
    "POST /sandbox/wallet/{account}/associate": "sandbox",
    # The web pages (entrypoints/web): `page_*` guards redirect anonymous browsers to /login;
    # every POST also needs the CSRF token (sessions.verify_csrf, on the whole page router).
    "GET /": "page",
    "GET /login": "page",
    "POST /login": "page",
    "POST /logout": "page",
    "POST /language": "page",
    "GET /register": "page",
    "POST /register": "page",
    "GET /me": "page_login",
    "POST /me": "page_login",
    "POST /me/password": "page_login",
    "POST /me/verify-email": "page_login",
    "GET /account/verify-email": "page",
    "GET /account/forgot-password": "page",
    "POST /account/forgot-password": "page",
    "GET /account/reset-password": "page",
    "POST /account/reset-password": "page",
    "GET /artworks/{artwork_id}": "page",
    # An artist's page by slug (by id it moves to the slug); crawlers' files, without a session.
    "GET /artists/{artist_ref}": "page",
    "GET /robots.txt": "public",
    "GET /sitemap.xml": "public",
    # A listed work's images for anyone; a draft's for its artist and admins (the use case decides).
    "GET /artwork-images/{artwork_id}/{image_id}/{rendition}": "page",
    "POST /artworks/{artwork_id}/buy": "page_buyer",
    "POST /artworks/{artwork_id}/favorite": "page_login",
    "GET /me/favorites": "page_login",
    "GET /checkout/{order_id}": "page_login",
    "GET /checkout/{order_id}/pay": "page_login",
    "POST /checkout/{order_id}/cancel": "page_buyer",
    "GET /checkout/complete": "page",
    "GET /orders/{order_id}": "page_login",
    "GET /orders/{order_id}/status": "page_login",
    "GET /me/orders": "page_login",
    # The certificate page, or its PDF for `{id}.pdf`; its image; the QR code's and NFC tags' short links.
    "GET /certificates/{document}": "page",
    "GET /certificates/{certificate_id}/image": "page",
    "GET /c/{code}": "page",
    "GET /verify/{token_id}/{serial}": "page",
    "POST /certificates/{certificate_id}/owner-name": "page_login",
    "GET /certificates/{certificate_id}/verify": "page",
    "GET /certificates/{certificate_id}/claim": "page_login",
    "POST /certificates/{certificate_id}/claim": "page_login",
    # The artist studio (routes/artist/) and the admin console (routes/admin/).
    "GET /artist": "page_artist",
    "GET /artist/artworks/new": "page_artist",
    "POST /artist/artworks": "page_artist",
    "GET /artist/artworks/{artwork_id}": "page_artist",
    "GET /artist/artworks/{artwork_id}/editions": "page_artist",
    "POST /artist/artworks/{artwork_id}": "page_artist",
    "POST /artist/artworks/{artwork_id}/images": "page_artist",
    "POST /artist/artworks/{artwork_id}/publish": "page_artist",
    "POST /artist/artworks/{artwork_id}/withdraw": "page_artist",
    "GET /artist/kyc": "page_artist",
    "POST /artist/kyc": "page_artist",
    "GET /artist/profile": "page_artist",
    "POST /artist/profile": "page_artist",
    "POST /artist/profile/photo": "page_artist",
    "GET /artist/payout": "page_artist",
    "POST /artist/payout": "page_artist",
    "GET /admin": "page_admin",
    "GET /admin/orders": "page_admin",
    "GET /admin/orders.csv": "page_admin",
    "GET /admin/orders/{order_id}": "page_admin",
    "POST /admin/orders/{order_id}/refund": "page_admin",
    "POST /admin/orders/{order_id}/shipment/resolve": "page_admin",
    "POST /admin/orders/{order_id}/shipment/confirm-delivery": "page_admin",
    "GET /admin/mint-jobs": "page_admin",
    "POST /admin/mint-jobs/{job_id}/retry": "page_admin",
    "GET /admin/outbox": "page_admin",
    "POST /admin/outbox/{entry_id}/retry": "page_admin",
    "GET /admin/users": "page_admin",
    "POST /admin/users/{user_id}/suspend": "page_admin",
    "POST /admin/users/{user_id}/reinstate": "page_admin",
    "GET /admin/artworks": "page_admin",
    "GET /admin/artworks/{artwork_id}": "page_admin",
    "POST /admin/artworks/{artwork_id}/unpublish": "page_admin",
    "GET /admin/kyc": "page_admin",
    "GET /admin/kyc/{case_id}": "page_admin",
    "GET /admin/kyc/{case_id}/document": "page_admin",
    "POST /admin/kyc/{case_id}/approve": "page_admin",
    "POST /admin/kyc/{case_id}/reject": "page_admin",
    "GET /admin/audit-log": "page_admin",
    "GET /admin/reservations": "page_admin",
    "GET /artworks/{artwork_id}/checkout": "page_buyer",
    "POST /artworks/{artwork_id}/checkout": "page_buyer",
    "POST /orders/{order_id}/delivery-confirmation": "page_buyer",
    "GET /orders/{order_id}/delivery-problem": "page_buyer",
    "POST /orders/{order_id}/delivery-problem": "page_buyer",
    "GET /me/addresses": "page_buyer",
    "POST /me/addresses": "page_buyer",
    "POST /me/addresses/{address_id}/delete": "page_buyer",
    "GET /artist/shipments": "page_artist",
    "GET /artist/shipments/{order_id}": "page_artist",
    "POST /artist/shipments/{order_id}/ship": "page_artist",
}
GUARD_NAMES = {
    "public": set(),
    "webhook": set(),
    "sandbox": set(),
    "login": {"requires_login"},
    "buyer": {"requires_buyer"},
    "artist": {"requires_artist"},
    "admin": {"requires_admin"},
    "page": set(),
    "page_login": {"page_requires_login"},
    "page_buyer": {"page_requires_buyer"},
    "page_artist": {"page_requires_artist"},
    "page_admin": {"page_requires_admin"},
}
STATIC_FILES = ("/api/docs-assets", "/media", "/static")


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path)) as api:
        yield api


def _template(path: str) -> str:
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path)


async def test_every_route_is_in_the_guard_table_with_the_guard_it_really_has(api: Api) -> None:
    app = api.client.app
    found: dict[str, set[str]] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(STATIC_FILES):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods - {"OPTIONS", "HEAD"}:
                names = {getattr(g, "__name__", repr(g)) for g in handler.resolve_guards()}
                found[f"{method} {_template(route.path)}"] = names
    assert set(found) == set(GUARDS), "a route was added or removed: give it an entry in GUARDS"
    for key, names in found.items():
        assert names == GUARD_NAMES[GUARDS[key]], key

    document = (await api.client.get("/api/openapi.json")).json()
    operations = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert operations <= set(GUARDS)
    for key in operations:
        secured = bool(document["paths"][key.split(" ", 1)[1]][key.split(" ")[0].lower()].get("security"))
        assert secured == (GUARDS[key] not in {"public", "webhook", "sandbox"}), key


def _concrete(path: str) -> str:
    return re.sub(r"\{\w+\}", str(uuid.uuid4()), path)


async def test_every_admin_route_answers_401_without_a_token_and_403_to_a_buyer(api: Api) -> None:
    buyer = await api.register("buyer")
    artist = await api.register("artist")
    document = (await api.client.get("/api/openapi.json")).json()
    admin_operations = [
        (method.upper(), path)
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/admin/")
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(admin_operations) >= 13
    for method, path in admin_operations:
        url = _concrete(path)
        anonymous = await api.client.request(method, url, json={"reason": "x"})
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        for caller in (buyer, artist):
            forbidden = await api.client.request(method, url, json={"reason": "x"}, headers=caller)
            assert forbidden.status_code == 403, (method, path, forbidden.text)
            assert forbidden.headers["content-type"].startswith("application/problem+json")
    for key, guard in GUARDS.items():
        method, path = key.split(" ", 1)
        if guard in {"login", "buyer", "artist"}:
            answer = await api.client.request(method, _concrete(path))
            assert answer.status_code == 401, key
        if guard.startswith("page_") and method == "GET":
            answer = await api.client.get(_concrete(path), follow_redirects=False)
            assert answer.status_code == 303, key
            assert answer.headers["location"].startswith("/login?next="), key


async def pay(api: Api, buyer: dict[str, str], artwork_id: str) -> dict[str, Any]:
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork_id}, headers=buyer)
    assert placed.status_code == 201, placed.text
    reference = placed.json()["payment"]["reference"]
    api.gateway.complete(reference, outcome="success")
    raw, signature = api.gateway.webhook_for(reference)
    assert (
        await api.client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature})
    ).is_success
    confirmed = await api.client.get(
        f"/api/v1/payments/paystack/callback?reference={reference}", headers={"Accept": "application/json"}
    )
    assert confirmed.json()["status"] in ("paid", "minting", "completed"), confirmed.text
    order_id = placed.json()["order"]["id"]
    # The embedded worker mints the certificate; wait until the order has settled.
    for _ in range(100):
        order = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
        if order["status"] == "completed":
            return dict(order)
        await asyncio.sleep(0.1)
    raise AssertionError(f"order {order_id} did not complete: {order['status']}")


async def test_two_purchases_seen_by_the_artist_the_buyers_and_the_admin(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin, "Kemi Adeyemi")
    first = await api.published_artwork(artist, price=2_500_000, title="Harmattan Light")
    second = await api.published_artwork(artist, price=40_000, currency="USD", title="=HYPERLINK(evil)")
    unsold = await api.published_artwork(artist, title="Still for sale")
    ada, bob = await api.register("buyer", "Ada Buyer"), await api.register("buyer", "Bob Buyer")
    await api.client.put(f"/api/v1/artworks/{unsold['id']}/favorite", headers=ada)
    order_a = await pay(api, ada, first["id"])
    order_b = await pay(api, bob, second["id"])

    dashboard = await api.client.get("/api/v1/me/dashboard/artist", headers=artist)
    assert dashboard.status_code == 200, dashboard.text
    board = dashboard.json()
    assert board["artworks_by_status"]["sold"] == 2
    assert board["artworks_by_status"]["published"] == 1
    assert {(s["buyer_display_name"], s["amount"]["currency"]) for s in board["sales"]} == {
        ("Ada Buyer", "NGN"),
        ("Bob Buyer", "USD"),
    }
    assert sorted((m["currency"], m["amount"]) for m in board["revenue"]["total"]) == [
        ("NGN", 2_500_000),
        ("USD", 40_000),
    ]
    assert sorted(m["amount"]["currency"] for m in board["revenue"]["by_month"]) == ["NGN", "USD"]
    assert board["top_works"][0] == {
        "id": unsold["id"],
        "title": "Still for sale",
        "status": "published",
        "favorites_count": 1,
    }
    assert board["payouts"]["state"] == "missing"
    assert (await api.client.get("/api/v1/me/dashboard/artist", headers=ada)).status_code == 403

    mine = (await api.client.get("/api/v1/me/orders", headers=ada)).json()["items"]
    assert [o["id"] for o in mine] == [order_a["id"]]
    assert mine[0]["artwork"]["title"] == "Harmattan Light"
    detail = (await api.client.get(f"/api/v1/orders/{order_a['id']}", headers=ada)).json()
    assert [c["status"] for c in detail["status_history"]] == [
        "awaiting_payment",
        "paid",
        "minting",
        "completed",
    ]
    assert detail["payment"]["reference"]
    assert detail["expires_at"]
    assert "certificate_id" in detail
    assert (await api.client.get(f"/api/v1/orders/{order_a['id']}", headers=bob)).status_code == 404

    table = await api.client.get("/api/v1/admin/orders", headers=admin)
    assert [row["id"] for row in table.json()["items"]] == [order_b["id"], order_a["id"]]
    paid = await api.client.get("/api/v1/admin/orders?status=completed&currency=NGN", headers=admin)
    assert [row["id"] for row in paid.json()["items"]] == [order_a["id"]]
    assert (await api.client.get("/api/v1/admin/orders?status=refunded", headers=admin)).json()["items"] == []
    page = (await api.client.get("/api/v1/admin/orders?limit=1", headers=admin)).json()
    nxt = (
        await api.client.get(f"/api/v1/admin/orders?limit=1&cursor={page['next_cursor']}", headers=admin)
    ).json()
    assert [page["items"][0]["id"], nxt["items"][0]["id"]] == [order_b["id"], order_a["id"]]
    assert nxt["next_cursor"] is None
    forged = await api.client.get("/api/v1/admin/orders?cursor=bm90LWEtY3Vyc29y", headers=admin)
    assert forged.status_code == 400
    backwards = await api.client.get(
        "/api/v1/admin/orders?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", headers=admin
    )
    assert backwards.status_code == 422
    searched = await api.client.get("/api/v1/admin/orders?q=harmattan", headers=admin)
    assert [row["id"] for row in searched.json()["items"]] == [order_a["id"]]

    exported = await api.client.get("/api/v1/admin/orders.csv", headers=admin)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["order_id"] for r in rows] == [order_b["id"], order_a["id"]]
    assert rows[0]["artwork_title"] == "'=HYPERLINK(evil)"
    assert rows[1]["amount"] == "2500000"

    admin_detail = (await api.client.get(f"/api/v1/admin/orders/{order_a['id']}", headers=admin)).json()
    assert admin_detail["buyer"]["display_name"] == "Ada Buyer"
    assert [e["event"] for e in admin_detail["payment_events"]] == ["charge.success"]
    job = admin_detail["mint_job"]
    assert (job["status"], job["attempts"], job["last_error"]) == ("succeeded", 1, None)
    assert job["certificate_id"] == order_a["certificate_id"]
    assert job["transaction_id"]

    mint_jobs = (await api.client.get("/api/v1/admin/mint-jobs", headers=admin)).json()["items"]
    assert {j["order_id"] for j in mint_jobs} == {order_a["id"], order_b["id"]}


async def test_a_refund_reaches_the_gateway_once_and_is_audited(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist)
    buyer = await api.register("buyer")
    order = await pay(api, buyer, artwork["id"])
    url = f"/api/v1/admin/orders/{order['id']}/refund"

    assert (await api.client.post(url, json={"reason": "  "}, headers=admin)).status_code == 422
    assert (await api.client.post(url, json={}, headers=admin)).status_code == 400
    refunded = await api.client.post(
        url, json={"reason": "Damaged in transit"}, headers={**admin, "X-Request-ID": "req-refund-1"}
    )
    assert refunded.status_code == 200, refunded.text
    assert (refunded.json()["status"], refunded.json()["refund_status"]) == ("refunded", "pending")
    again = await api.client.post(url, json={"reason": "Damaged in transit"}, headers=admin)
    assert again.status_code == 409
    assert len([r for r in api.gateway.refunds if r.reference == order["payment"]["reference"]]) == 1

    refund = api.gateway.refunds[-1]
    body, signature = api.gateway.refund_webhook_for(refund.refund_id, "processed")
    assert (
        await api.client.post(WEBHOOK, content=body, headers={"x-paystack-signature": signature})
    ).is_success
    # The worker asks the gateway what the event claims, then moves the refund.
    for _ in range(100):
        detail = (await api.client.get(f"/api/v1/orders/{order['id']}", headers=buyer)).json()
        if detail["refund_status"] == "processed":
            break
        await asyncio.sleep(0.1)
    assert (detail["status"], detail["refund_status"]) == ("refunded", "processed")
    assert detail["needs_attention"] is None
    assert (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()["status"] == "sold"

    log = (await api.client.get("/api/v1/admin/audit-log?action=order.refund", headers=admin)).json()["items"]
    assert len(log) == 1
    assert log[0]["target"] == {"type": "order", "id": order["id"]}
    assert (log[0]["reason"], log[0]["request_id"], log[0]["channel"]) == (
        "Damaged in transit",
        "req-refund-1",
        "http",
    )

    unpaid_artwork = await api.published_artwork(artist, title="Unpaid")
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": unpaid_artwork["id"]}, headers=buyer)
    refused = await api.client.post(
        f"/api/v1/admin/orders/{placed.json()['order']['id']}/refund", json={"reason": "x"}, headers=admin
    )
    assert refused.status_code == 409
    missing = await api.client.post(
        f"/api/v1/admin/orders/{uuid.uuid4()}/refund", json={"reason": "x"}, headers=admin
    )
    assert missing.status_code == 404


async def test_a_refund_the_provider_refuses_is_released_and_flagged(api: Api) -> None:
    from artmarket.application.payments.ports import PaymentRequestRejected

    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist)
    buyer = await api.register("buyer")
    order = await pay(api, buyer, artwork["id"])
    api.gateway.fail_next("refund", PaymentRequestRejected("Transaction has been fully reversed"))
    url = f"/api/v1/admin/orders/{order['id']}/refund"
    refused = await api.client.post(url, json={"reason": "asked"}, headers=admin)
    assert refused.status_code == 502
    detail = (await api.client.get(f"/api/v1/admin/orders/{order['id']}", headers=admin)).json()["order"]
    assert (detail["status"], detail["refund_status"]) == ("completed", None)
    assert "refused" in detail["needs_attention"]
    retried = await api.client.post(url, json={"reason": "asked again"}, headers=admin)
    assert retried.status_code == 200
    actions = [
        e["action"] for e in (await api.client.get("/api/v1/admin/audit-log", headers=admin)).json()["items"]
    ]
    assert actions[:3] == ["order.refund", "order.refund_failed", "order.refund"]


async def test_suspending_an_artist_hides_their_works_but_honours_a_live_reservation(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin, "Tunde Suspended")
    artist_id = (await api.client.get("/api/v1/me", headers=artist)).json()["id"]
    reserved = await api.published_artwork(artist, title="Reserved before")
    on_sale = await api.published_artwork(artist, title="On sale")
    buyer = await api.register("buyer")
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": reserved["id"]}, headers=buyer)
    assert placed.status_code == 201

    users = (await api.client.get("/api/v1/admin/users?role=artist&q=tunde", headers=admin)).json()["items"]
    assert [u["id"] for u in users] == [artist_id]
    suspended = await api.client.post(
        f"/api/v1/admin/users/{artist_id}/suspend",
        json={"reason": "Selling forgeries"},
        headers={**admin, "X-Request-ID": "req-suspend-1"},
    )
    assert suspended.status_code == 200, suspended.text
    assert (suspended.json()["status"], suspended.json()["status_reason"]) == (
        "suspended",
        "Selling forgeries",
    )
    twice = await api.client.post(
        f"/api/v1/admin/users/{artist_id}/suspend", json={"reason": "x"}, headers=admin
    )
    assert twice.status_code == 409

    gallery = (await api.client.get("/api/v1/artworks")).json()["items"]
    assert {w["id"] for w in gallery}.isdisjoint({reserved["id"], on_sale["id"]})
    assert (await api.client.get(f"/api/v1/artworks/{on_sale['id']}")).status_code == 404
    assert (await api.client.get(f"/api/v1/artists/{artist_id}")).status_code == 404
    other = await api.register("buyer")
    blocked = await api.client.post("/api/v1/orders", json={"artwork_id": on_sale["id"]}, headers=other)
    assert blocked.status_code in (404, 409)
    assert (await api.client.get("/api/v1/me", headers=artist)).status_code == 401
    email = (await api.client.get("/api/v1/admin/users?q=tunde", headers=admin)).json()["items"][0]["email"]
    login = await api.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 403

    # The reservation made before the suspension is honoured: the buyer pays and the sale stands.
    reference = placed.json()["payment"]["reference"]
    api.gateway.complete(reference, outcome="success")
    confirmed = await api.client.get(
        f"/api/v1/payments/paystack/callback?reference={reference}", headers={"Accept": "application/json"}
    )
    assert confirmed.json()["status"] == "paid"

    log = (await api.client.get("/api/v1/admin/audit-log?action=user.suspend", headers=admin)).json()["items"]
    assert [(e["target"]["id"], e["reason"], e["request_id"]) for e in log] == [
        (artist_id, "Selling forgeries", "req-suspend-1")
    ]

    back = await api.client.post(
        f"/api/v1/admin/users/{artist_id}/reinstate", json={"reason": "Appeal"}, headers=admin
    )
    assert back.json()["status"] == "active"
    gallery = (await api.client.get("/api/v1/artworks")).json()["items"]
    assert on_sale["id"] in {w["id"] for w in gallery}


async def test_an_unpublished_work_cannot_be_republished_and_kyc_decisions_are_audited(api: Api) -> None:
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    artwork = await api.published_artwork(artist)
    url = f"/api/v1/admin/artworks/{artwork['id']}/unpublish"
    taken = await api.client.post(url, json={"reason": "Copyright complaint"}, headers=admin)
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "withdrawn"
    assert (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).status_code == 404
    republished = await api.client.post(f"/api/v1/artworks/{artwork['id']}/publish", headers=artist)
    assert republished.status_code == 409
    log = (await api.client.get("/api/v1/admin/audit-log", headers=admin)).json()["items"]
    assert [e["action"] for e in log] == ["artwork.unpublish", "kyc.approve"]
    assert log[0]["reason"] == "Copyright complaint"
