"""Delivery over HTTP on the embedded profile (and PostgreSQL): a physical work bought with
an address is charged price + shipping, shipped with tracking and confirmed by its buyer;
the address stays between the buyer and the artist; emails, reminders, problems, admins."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_checkout_api import eventually, order_status
from tests.integration.test_notifications_api import mailbox, one_email, text_of, to
from tests.support.api import PASSWORD, Api, FixedClockProvider, app_settings, running_app

from artmarket.application.notifications.sending import SendDueEmails
from artmarket.application.shipping.use_cases import ConfirmOverdueDeliveries, RemindArtistsToShip
from artmarket.fakes.clock import FixedClock

PHYSICAL = {
    "kind": "physical",
    "weight_grams": 4_000,
    "shipping_rates": [
        {"countries": ["NG"], "price": {"amount": 250_000, "currency": "NGN"}},
        {"countries": ["GH", "KE"], "price": {"amount": 900_000, "currency": "NGN"}},
    ],
}
BUYER = {"full_name": "Bolanle Adeyemi-Okafor", "phone": "+234 803 555 0199"}
ADDRESS = {
    "name": "Bolanle Adeyemi-Okafor",
    "lines": ["14 Kingfisher Crescent", "Flat 2B"],
    "city": "Ikeja",
    "region": "Lagos",
    "postal_code": "100271",
    "country": "NG",
}
#: What must never leak: the street, the phone (as typed and stored), the full name.
PRIVATE = ("Kingfisher", "803 555 0199", "+2348035550199", "Adeyemi-Okafor")


def private_parts(text: str) -> list[str]:
    return [part for part in PRIVATE if part in text]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    overrides = {"mint_linger_seconds": "0"}
    if request.param == "postgresql":
        overrides["database_url"] = request.getfixturevalue("migrated_postgres_url")
    async with running_app(app_settings(tmp_path, **overrides)) as api:
        yield api


@pytest.fixture
async def sqlite_api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        yield api


async def register(api: Api, role: str, name: str) -> tuple[str, dict[str, str]]:
    email = f"{name.split()[0].lower()}-{role}-{datetime.now(UTC).timestamp()}@example.com"
    answer = await api.client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": name, "role": role},
    )
    assert answer.status_code == 201, answer.text
    return email, await api.login(email)


async def physical_work(api: Api, artist: dict[str, str], **fields: Any) -> dict[str, Any]:
    return await api.published_artwork(artist, delivery=PHYSICAL, **fields)


async def order(api: Api, who: dict[str, str], artwork_id: str, **body: Any) -> Any:
    return await api.client.post("/api/v1/orders", json={"artwork_id": artwork_id, **body}, headers=who)


def field_of(answer: Any) -> str:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    return str(answer.json()["errors"][0]["field"])


async def pay(api: Api, reference: str) -> None:
    paid = await api.client.post(f"/sandbox/paystack/checkout/{reference}/pay", follow_redirects=False)
    assert paid.status_code == 303


async def paid_physical_order(api: Api, buyer: dict[str, str], artwork_id: str) -> str:
    placed = await order(api, buyer, artwork_id, buyer=BUYER, delivery_address=ADDRESS)
    assert placed.status_code == 201, placed.text
    await pay(api, placed.json()["payment"]["reference"])
    order_id = str(placed.json()["order"]["id"])

    async def completed() -> bool:
        return await order_status(api, order_id, buyer) == "completed"

    await eventually(completed, within=15)
    return order_id


async def test_a_physical_work_is_charged_shipping_shipped_tracked_and_confirmed(
    api: Api, capfd: pytest.CaptureFixture[str]
) -> None:
    admin = await api.admin()
    artist_email, artist = await register(api, "artist", "Ada Obi")
    submitted = await api.client.post(
        "/api/v1/me/kyc",
        data={"legal_name": "Ada Obi", "country": "NG"},
        files={"id_document": ("id.pdf", b"%PDF-1.4 id", "application/pdf")},
        headers=artist,
    )
    assert (
        await api.client.post(f"/api/v1/admin/kyc/{submitted.json()['id']}/approve", headers=admin)
    ).is_success
    artwork = await physical_work(api, artist)
    assert artwork["delivery"] == PHYSICAL
    public_work = (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()
    assert public_work["delivery"]["shipping_rates"][1]["countries"] == ["GH", "KE"]
    buyer_email, buyer = await register(api, "buyer", "Bola")

    # A country the artist does not ship to, and other bad input: 422 naming the field, nothing reserved.
    assert (
        field_of(
            await order(
                api,
                buyer,
                artwork["id"],
                buyer=BUYER,
                delivery_address={**ADDRESS, "country": "US", "postal_code": "94103"},
            )
        )
        == "delivery_address.country"
    )
    assert (
        field_of(
            await order(api, buyer, artwork["id"], buyer=BUYER, delivery_address={**ADDRESS, "country": "XX"})
        )
        == "delivery_address.country"
    )
    assert (
        field_of(
            await order(
                api, buyer, artwork["id"], buyer={**BUYER, "phone": "0803 555 0199"}, delivery_address=ADDRESS
            )
        )
        == "buyer.phone"
    )
    assert (
        field_of(
            await order(
                api, buyer, artwork["id"], buyer=BUYER, delivery_address={**ADDRESS, "postal_code": "ABC"}
            )
        )
        == "delivery_address.postal_code"
    )
    assert field_of(await order(api, buyer, artwork["id"], delivery_address=ADDRESS)) == "buyer"
    assert field_of(await order(api, buyer, artwork["id"], buyer=BUYER)) == "delivery_address"
    assert (await api.client.get(f"/api/v1/artworks/{artwork['id']}")).json()["status"] == "published"

    placed = await order(api, buyer, artwork["id"], buyer=BUYER, delivery_address=ADDRESS)
    assert placed.status_code == 201, placed.text
    mine = placed.json()["order"]
    assert mine["amount"] == {"amount": 2_750_000, "currency": "NGN"}
    assert (mine["price"], mine["shipping"]) == (
        {"amount": 2_500_000, "currency": "NGN"},
        {"amount": 250_000, "currency": "NGN"},
    )
    # The platform's commission is on the price; the artist's share carries all the shipping.
    assert mine["split"]["platform_fee"] == {"amount": 250_000, "currency": "NGN"}
    assert mine["split"]["artist_share"] == {"amount": 2_500_000, "currency": "NGN"}
    assert mine["buyer_details"] == {
        "full_name": "Bolanle Adeyemi-Okafor",
        "phone": "+2348035550199",
        "email": buyer_email,
    }
    assert mine["delivery_address"]["lines"] == ["14 Kingfisher Crescent", "Flat 2B"]
    charged = api.gateway.checkout_request(placed.json()["payment"]["reference"])
    assert charged is not None
    assert charged.amount.amount == 2_750_000
    assert private_parts(json.dumps(charged.metadata)) == []  # nothing personal sent to Paystack

    await pay(api, placed.json()["payment"]["reference"])
    order_id = mine["id"]

    async def completed() -> bool:
        return await order_status(api, order_id, buyer) == "completed"

    await eventually(completed, within=15)

    # The artist sees the address of their paid order and is emailed it.
    shipments = (await api.client.get("/api/v1/me/shipments?status=awaiting_shipment", headers=artist)).json()
    (item,) = shipments["items"]
    assert item["order_id"] == order_id
    assert item["delivery_address"]["lines"][0] == "14 Kingfisher Crescent"
    assert item["buyer"] == {"full_name": "Bolanle Adeyemi-Okafor", "phone": "+2348035550199", "email": None}
    assert item["shipping"] == {"amount": 250_000, "currency": "NGN"}
    ship_this = await one_email(api, artist_email, "Ship")
    assert "14 Kingfisher Crescent" in text_of(ship_this)
    assert "+2348035550199" in text_of(ship_this)
    assert private_parts(str(ship_this["Subject"])) == []

    # Another buyer, the public and admins never see it; the certificate shows none of it.
    _, other = await register(api, "buyer", "Chi")
    assert (await api.client.get(f"/api/v1/orders/{order_id}", headers=other)).status_code == 404
    assert (
        await api.client.post(f"/api/v1/orders/{order_id}/delivery-confirmation", headers=other)
    ).status_code == 404
    admin_view = await api.client.get(f"/api/v1/admin/orders/{order_id}", headers=admin)
    assert admin_view.status_code == 200
    assert admin_view.json()["order"]["shipment"]["status"] == "awaiting_shipment"
    assert private_parts(admin_view.text) == []
    assert private_parts((await api.client.get("/api/v1/admin/orders", headers=admin)).text) == []
    assert private_parts((await api.client.get(f"/api/v1/artworks/{artwork['id']}")).text) == []
    assert private_parts((await api.client.get("/api/v1/artworks?status=sold")).text) == []
    detail = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
    certificate_id = detail["certificate_id"]
    for path in (
        f"/api/v1/certificates/{certificate_id}",
        f"/api/v1/certificates/{certificate_id}/metadata",
        f"/certificates/{certificate_id}",
    ):
        page = await api.client.get(path)
        assert page.status_code == 200, path
        assert private_parts(page.text) == [], path

    # Shipped with tracking: the buyer is emailed and sees the link.
    wrong_artist = await api.register("artist")
    body = {"carrier": "DHL", "tracking_number": "JD0146000012345"}
    assert (
        await api.client.post(f"/api/v1/orders/{order_id}/shipment", json=body, headers=wrong_artist)
    ).status_code == 404
    assert (
        await api.client.post(f"/api/v1/orders/{order_id}/shipment", json=body, headers=buyer)
    ).status_code == 403
    bad = await api.client.post(
        f"/api/v1/orders/{order_id}/shipment",
        json={**body, "tracking_url": "javascript:alert(1)"},
        headers=artist,
    )
    assert field_of(bad) == "tracking_url"
    shipped = await api.client.post(f"/api/v1/orders/{order_id}/shipment", json=body, headers=artist)
    assert shipped.status_code == 200, shipped.text
    assert shipped.json()["shipment"]["status"] == "shipped"
    again = await api.client.post(f"/api/v1/orders/{order_id}/shipment", json=body, headers=artist)
    assert again.status_code == 409
    followed = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
    tracking_url = followed["shipment"]["tracking_url"]
    assert tracking_url.startswith("https://www.dhl.com/")
    assert tracking_url.endswith("JD0146000012345")
    on_its_way = await one_email(api, buyer_email, "on its way")
    assert "JD0146000012345" in text_of(on_its_way)
    assert tracking_url in text_of(on_its_way)

    # The buyer confirms; a second confirmation changes nothing; every step is listed once.
    confirmed = await api.client.post(f"/api/v1/orders/{order_id}/delivery-confirmation", headers=buyer)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["shipment"]["status"] == "delivered"
    assert confirmed.json()["shipment"]["confirmed_by"] == "buyer"
    repeat = await api.client.post(f"/api/v1/orders/{order_id}/delivery-confirmation", headers=buyer)
    assert repeat.status_code == 200
    final = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
    steps = [step["status"] for step in final["status_history"]]
    assert Counter(steps) == Counter(
        ["awaiting_payment", "paid", "awaiting_shipment", "minting", "completed", "shipped", "delivered"]
    )
    assert steps[:3] == ["awaiting_payment", "paid", "awaiting_shipment"]
    assert steps[-2:] == ["shipped", "delivered"]
    moments = [step["at"] for step in final["status_history"]]
    assert moments == sorted(moments)
    assert {step["kind"] for step in final["status_history"] if step["status"] == "shipped"} == {"shipment"}

    # The artist still sees the address (within 30 days of delivery); the dashboard splits revenue.
    seller_view = (await api.client.get(f"/api/v1/orders/{order_id}", headers=artist)).json()
    assert seller_view["delivery_address"]["city"] == "Ikeja"
    assert seller_view["buyer_details"]["email"] is None
    dashboard = (await api.client.get("/api/v1/me/dashboard/artist", headers=artist)).json()
    assert dashboard["revenue"]["artwork"] == [{"amount": 2_500_000, "currency": "NGN"}]
    assert dashboard["revenue"]["shipping"] == [{"amount": 250_000, "currency": "NGN"}]
    assert dashboard["revenue"]["total"] == [{"amount": 2_750_000, "currency": "NGN"}]
    assert dashboard["sales"][0]["shipping"] == {"amount": 250_000, "currency": "NGN"}

    # Nothing personal was logged by the app along the way.
    logged = capfd.readouterr()
    assert '"event": "request"' in logged.out  # the app's log lines were captured
    assert '"event": "email"' in logged.out
    assert private_parts(logged.out + logged.err) == []


async def test_existing_clients_buy_digital_works_and_an_address_for_one_is_refused(sqlite_api: Api) -> None:
    api = sqlite_api
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await api.published_artwork(artist)  # no `delivery`: digital, as before
    assert work["delivery"] == {"kind": "digital"}
    buyer = await api.register("buyer")
    assert (
        field_of(await order(api, buyer, work["id"], buyer=BUYER, delivery_address=ADDRESS))
        == "delivery_address"
    )
    placed = await order(api, buyer, work["id"])
    assert placed.status_code == 201, placed.text
    body = placed.json()["order"]
    assert (body["amount"], body["shipping"], body["delivery"], body["shipment"]) == (
        {"amount": 2_500_000, "currency": "NGN"},
        {"amount": 0, "currency": "NGN"},
        "digital",
        None,
    )
    assert (
        await api.client.post(f"/api/v1/orders/{body['id']}/delivery-confirmation", headers=buyer)
    ).status_code == 409  # nothing to deliver
    # Shipping priced in another currency than the work, or a bad zone: 422 naming the field.
    bad_currency = {
        **PHYSICAL,
        "shipping_rates": [{"countries": ["NG"], "price": {"amount": 1, "currency": "USD"}}],
    }
    answer = await api.client.post(
        "/api/v1/artworks",
        json={
            "title": "T",
            "medium": "painting",
            "price": {"amount": 10, "currency": "NGN"},
            "delivery": bad_currency,
        },
        headers=artist,
    )
    assert field_of(answer) == "delivery.shipping_rates"
    bad_country = {
        **PHYSICAL,
        "shipping_rates": [{"countries": ["NG", "ZZ"], "price": {"amount": 1, "currency": "NGN"}}],
    }
    answer = await api.client.post(
        "/api/v1/artworks",
        json={
            "title": "T",
            "medium": "painting",
            "price": {"amount": 10, "currency": "NGN"},
            "delivery": bad_country,
        },
        headers=artist,
    )
    assert field_of(answer) == "delivery.shipping_rates[0].country"
    no_weight = {"kind": "physical", "shipping_rates": PHYSICAL["shipping_rates"]}
    answer = await api.client.patch(
        f"/api/v1/artworks/{work['id']}", json={"delivery": no_weight}, headers=artist
    )
    assert field_of(answer) == "delivery.weight_grams"


async def test_saved_addresses_are_the_buyers_own_and_check_out_by_id(sqlite_api: Api) -> None:
    api = sqlite_api
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work = await physical_work(api, artist)
    buyer, other = await api.register("buyer"), await api.register("buyer")

    assert (
        field_of(
            await api.client.post(
                "/api/v1/me/addresses", json={**ADDRESS, "country": "Nigeria"}, headers=buyer
            )
        )
        == "country"
    )
    assert (
        field_of(await api.client.post("/api/v1/me/addresses", json={**ADDRESS, "lines": []}, headers=buyer))
        == "lines"
    )
    saved = await api.client.post("/api/v1/me/addresses", json=ADDRESS, headers=buyer)
    assert saved.status_code == 201, saved.text
    address_id = saved.json()["id"]
    listed = (await api.client.get("/api/v1/me/addresses", headers=buyer)).json()
    assert [a["id"] for a in listed["items"]] == [address_id]
    assert (await api.client.get("/api/v1/me/addresses", headers=other)).json()["items"] == []
    assert (await api.client.delete(f"/api/v1/me/addresses/{address_id}", headers=other)).status_code == 404
    assert (
        field_of(await order(api, other, work["id"], buyer=BUYER, delivery_address_id=address_id))
        == "delivery_address_id"
    )

    placed = await order(api, buyer, work["id"], buyer=BUYER, delivery_address_id=address_id)
    assert placed.status_code == 201, placed.text
    assert placed.json()["order"]["delivery_address"]["postal_code"] == "100271"
    assert (await api.client.delete(f"/api/v1/me/addresses/{address_id}", headers=buyer)).status_code == 204
    assert (await api.client.get("/api/v1/me/addresses", headers=buyer)).json()["items"] == []
    # The order keeps its own copy.
    kept = (await api.client.get(f"/api/v1/orders/{placed.json()['order']['id']}", headers=buyer)).json()
    assert kept["delivery_address"]["city"] == "Ikeja"


async def test_a_delivery_problem_alerts_admins_who_resolve_it_on_the_record(sqlite_api: Api) -> None:
    api = sqlite_api
    admin = await api.admin()
    artist = await api.approved_artist(admin)
    work, other_work = await physical_work(api, artist), await physical_work(api, artist, title="Second")
    buyer = await api.register("buyer")
    order_id = await paid_physical_order(api, buyer, work["id"])
    waiting_id = await paid_physical_order(api, buyer, other_work["id"])

    stuck = (await api.client.get("/api/v1/admin/orders?awaiting_shipment_days=0", headers=admin)).json()
    assert {row["id"] for row in stuck["items"]} == {order_id, waiting_id}
    assert stuck["items"][0]["destination_country"] == "NG"
    assert (await api.client.get("/api/v1/admin/orders?awaiting_shipment_days=3", headers=admin)).json()[
        "items"
    ] == []
    too_soon = await api.client.post(
        f"/api/v1/orders/{order_id}/delivery-problem", json={"message": "Nothing came"}, headers=buyer
    )
    assert too_soon.status_code == 409  # not shipped yet
    shipped = await api.client.post(
        f"/api/v1/orders/{order_id}/shipment",
        json={
            "carrier": "GIG Logistics",
            "tracking_number": "GIG-77",
            "tracking_url": "https://giglogistics.com/t/GIG-77",
        },
        headers=artist,
    )
    assert shipped.status_code == 200
    assert (
        field_of(
            await api.client.post(
                f"/api/v1/orders/{order_id}/delivery-problem", json={"message": " "}, headers=buyer
            )
        )
        == "message"
    )
    reported = await api.client.post(
        f"/api/v1/orders/{order_id}/delivery-problem",
        json={"message": "The frame arrived broken"},
        headers=buyer,
    )
    assert reported.status_code == 200, reported.text
    assert reported.json()["shipment"]["status"] == "delivery_problem"

    admin_email = (await api.client.get("/api/v1/me", headers=admin)).json()["email"]
    alert = await one_email(api, admin_email, "Delivery problem")
    assert "The frame arrived broken" in text_of(alert)
    assert private_parts(text_of(alert)) == []
    problems = (
        await api.client.get("/api/v1/admin/orders?shipment_status=delivery_problem", headers=admin)
    ).json()
    assert [row["id"] for row in problems["items"]] == [order_id]
    assert problems["items"][0]["shipment_status"] == "delivery_problem"
    csv = await api.client.get("/api/v1/admin/orders.csv?shipment_status=delivery_problem", headers=admin)
    assert order_id in csv.text
    assert waiting_id not in csv.text

    unexplained = await api.client.post(
        f"/api/v1/admin/orders/{order_id}/shipment/resolve", json={"reason": ""}, headers=admin
    )
    assert unexplained.status_code == 400
    resolved = await api.client.post(
        f"/api/v1/admin/orders/{order_id}/shipment/resolve",
        json={"reason": "Refunded in part; the buyer keeps the work"},
        headers=admin,
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["shipment"]["status"] == "resolved"
    assert resolved.json()["delivery_address"] is None  # admins never see it
    assert (
        await api.client.post(
            f"/api/v1/admin/orders/{order_id}/shipment/resolve", json={"reason": "x"}, headers=admin
        )
    ).status_code == 409
    audit = (await api.client.get("/api/v1/admin/audit-log?action=shipment.resolve", headers=admin)).json()
    (entry,) = audit["items"]
    assert (entry["target"], entry["reason"]) == (
        {"type": "order", "id": order_id},
        "Refunded in part; the buyer keeps the work",
    )
    detail = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
    shipment_steps = [s["status"] for s in detail["status_history"] if s["kind"] == "shipment"]
    assert shipment_steps == ["awaiting_shipment", "shipped", "delivery_problem", "resolved"]

    # An admin records a delivery the buyer never confirmed, with a reason, on the record too.
    await api.client.post(
        f"/api/v1/orders/{waiting_id}/shipment",
        json={"carrier": "DHL", "tracking_number": "1"},
        headers=artist,
    )
    confirmed = await api.client.post(
        f"/api/v1/admin/orders/{waiting_id}/shipment/confirm-delivery",
        json={"reason": "Carrier's proof of delivery, signed by the buyer"},
        headers=admin,
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["shipment"]["confirmed_by"] == "admin"
    audit = (
        await api.client.get("/api/v1/admin/audit-log?action=shipment.confirm_delivery", headers=admin)
    ).json()
    assert [e["target"]["id"] for e in audit["items"]] == [waiting_id]


async def test_artists_are_reminded_to_ship_and_quiet_deliveries_confirm_themselves(tmp_path: Path) -> None:
    clock = FixedClock(datetime.now(UTC))
    settings = app_settings(tmp_path, mint_linger_seconds="0", auto_confirm_days="21")
    async with running_app(settings, FixedClockProvider(clock)) as api:
        admin = await api.admin()
        artist_email, artist = await register(api, "artist", "Kemi")
        submitted = await api.client.post(
            "/api/v1/me/kyc",
            data={"legal_name": "Kemi", "country": "NG"},
            files={"id_document": ("id.pdf", b"%PDF-1.4 id", "application/pdf")},
            headers=artist,
        )
        await api.client.post(f"/api/v1/admin/kyc/{submitted.json()['id']}/approve", headers=admin)
        forgotten, shipped = await physical_work(api, artist), await physical_work(api, artist, title="Sent")
        buyer_email, buyer = await register(api, "buyer", "Bola")
        forgotten_id = await paid_physical_order(api, buyer, forgotten["id"])
        shipped_id = await paid_physical_order(api, buyer, shipped["id"])
        assert (
            await api.client.post(
                f"/api/v1/orders/{shipped_id}/shipment",
                json={"carrier": "DHL", "tracking_number": "7"},
                headers=artist,
            )
        ).status_code == 200

        async def run(job: type) -> int:
            async with api.container() as scope:
                done = int(await (await scope.get(job))())
                await (await scope.get(SendDueEmails))()
                return done

        assert await run(RemindArtistsToShip) == 0
        clock.advance(timedelta(days=3, minutes=1))
        assert await run(RemindArtistsToShip) == 1
        assert await run(RemindArtistsToShip) == 0  # once
        first = await one_email(api, artist_email, "Reminder")
        assert "3 days" in text_of(first)
        clock.advance(timedelta(days=4))
        assert await run(RemindArtistsToShip) == 1
        await eventually(lambda: _count(api, artist_email, "Reminder", 2))

        assert await run(ConfirmOverdueDeliveries) == 0  # shipped 7 days ago
        clock.advance(timedelta(days=14))
        assert await run(ConfirmOverdueDeliveries) == 1
        assert await run(ConfirmOverdueDeliveries) == 0
        buyer = await api.login(buyer_email)  # the old token expired while time passed
        artist = await api.login(artist_email)
        detail = (await api.client.get(f"/api/v1/orders/{shipped_id}", headers=buyer)).json()
        assert (detail["shipment"]["status"], detail["shipment"]["confirmed_by"]) == (
            "delivered",
            "automatic",
        )
        forgotten_detail = (await api.client.get(f"/api/v1/orders/{forgotten_id}", headers=buyer)).json()
        assert forgotten_detail["shipment"]["status"] == "awaiting_shipment"

        # 30 days after delivery the artist no longer sees the address; the buyer always does.
        clock.advance(timedelta(days=29))
        artist = await api.login(artist_email)
        seen = (await api.client.get(f"/api/v1/orders/{shipped_id}", headers=artist)).json()
        assert seen["delivery_address"]["city"] == "Ikeja"
        clock.advance(timedelta(days=2))
        artist = await api.login(artist_email)
        buyer = await api.login(buyer_email)
        late = (await api.client.get(f"/api/v1/orders/{shipped_id}", headers=artist)).json()
        assert (late["delivery_address"], late["buyer_details"]) == (None, None)
        listed = (await api.client.get("/api/v1/me/shipments?status=delivered", headers=artist)).json()
        assert [(i["order_id"], i["delivery_address"]) for i in listed["items"]] == [(shipped_id, None)]
        assert (await api.client.get(f"/api/v1/orders/{shipped_id}", headers=buyer)).json()[
            "delivery_address"
        ]
        assert len(mailbox(api)) > 0


async def _count(api: Api, address: str, subject: str, wanted: int) -> bool:
    return len(to(api, address, subject)) >= wanted
