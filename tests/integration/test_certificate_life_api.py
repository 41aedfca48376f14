"""A certificate's standing, custody, owner's name and trail over HTTP on the embedded profile
(simulated ledger, its own provenance topic), and its revocation by a refund or an admin."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_admin_api import WEBHOOK
from tests.integration.test_certificates_api import buy
from tests.support.api import Api, app_settings, running_app


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        yield api


async def until(
    api: Api, url: str, done: Callable[[Any], bool], headers: dict[str, str] | None = None
) -> Any:
    """GET `url` until its JSON satisfies `done` (the worker runs in the background)."""
    body: Any = None
    for _ in range(150):
        body = (await api.client.get(url, headers=headers)).json()
        if done(body):
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never got there: {body}")


def events(body: Any) -> list[tuple[int, str, bool]]:
    return [(item["position"], item["event"], item["recorded"]) for item in body["items"]]


async def test_a_certificate_shows_standing_custody_edition_links_and_its_recorded_trail(api: Api) -> None:
    _, buyer, order = await buy(api)
    certificate_id = order["certificate_id"]
    url = f"/api/v1/certificates/{certificate_id}"

    public = (await api.client.get(url)).json()
    assert (public["status"], public["revoked_at"], public["revocation_reason"]) == ("valid", None, None)
    assert public["custody"] == {"kind": "platform", "account_id": "0.0.2"}
    assert public["edition"] == "1/1"
    assert public["links"] == {
        "provenance": f"{url}/provenance",
        "proof": f"{url}/proof",
        "pdf": f"/certificates/{certificate_id}.pdf",
    }
    assert (public["owner_display"], public["show_owner_name"]) == ("a private collection", None)

    trail = await until(api, f"{url}/provenance", lambda body: events(body) == [(1, "issued", True)])
    (issued,) = trail["items"]
    assert issued["sequence_number"] == 1
    assert issued["topic_id"].startswith("0.0.")
    assert "@" in issued["transaction_id"]
    assert issued["consensus_timestamp"]

    own = (await api.client.get(url, headers=buyer)).json()
    assert (own["owner_display"], own["show_owner_name"]) == ("Buyer", False)
    other = await api.register("buyer")
    mine = f"/api/v1/me/certificates/{certificate_id}"
    assert (await api.client.patch(mine, json={"show_owner_name": True}, headers=other)).status_code == 404
    assert (await api.client.patch(mine, json={"show_owner_name": "yes"}, headers=buyer)).status_code == 400
    assert (await api.client.patch(mine, json={"show_owner_name": True})).status_code == 401
    shown = await api.client.patch(mine, json={"show_owner_name": True}, headers=buyer)
    assert shown.status_code == 200, shown.text
    assert (shown.json()["owner_display"], shown.json()["show_owner_name"]) == ("Buyer", True)
    assert (await api.client.get(url)).json()["owner_display"] == "Buyer"


async def test_an_admin_refund_revokes_burns_and_the_refund_webhook_twice_changes_nothing(api: Api) -> None:
    _, buyer, order = await buy(api)
    admin = await api.admin()
    url = f"/api/v1/certificates/{order['certificate_id']}"
    await until(api, f"{url}/provenance", lambda body: events(body) == [(1, "issued", True)])

    refunded = await api.client.post(
        f"/api/v1/admin/orders/{order['id']}/refund", json={"reason": "Returned damaged"}, headers=admin
    )
    assert refunded.status_code == 200, refunded.text
    revoked = await until(api, url, lambda body: body["status"] == "revoked")
    assert revoked["revocation_reason"] == "refunded"
    assert revoked["revoked_at"]
    done: Callable[[Any], bool] = lambda body: events(body) == [(1, "issued", True), (2, "revoked", True)]  # noqa: E731
    await until(api, f"{url}/provenance", done)
    verified = await until(api, f"{url}/verify", lambda body: "burned" in body["details"])
    assert verified["valid"] is False
    assert "the certificate is revoked" in verified["details"]

    refund = api.gateway.refunds[-1]
    for _ in range(2):
        body, signature = api.gateway.refund_webhook_for(refund.refund_id, "processed")
        posted = await api.client.post(WEBHOOK, content=body, headers={"x-paystack-signature": signature})
        assert posted.is_success
    await until(
        api,
        f"/api/v1/orders/{order['id']}",
        lambda body: body["refund_status"] == "processed",
        headers=buyer,
    )
    await asyncio.sleep(0.5)  # whatever the webhooks would queue has had time to run
    assert events((await api.client.get(f"{url}/provenance")).json()) == [
        (1, "issued", True),
        (2, "revoked", True),
    ]
    tasks = (await api.client.get("/api/v1/admin/ledger-tasks?status=succeeded", headers=admin)).json()
    mine = [t for t in tasks["items"] if t["certificate_id"] == order["certificate_id"]]
    assert sorted(t["kind"] for t in mine) == ["burn", "record", "record"]
    failed = (await api.client.get("/api/v1/admin/ledger-tasks", headers=admin)).json()
    assert failed["items"] == []


async def test_an_admin_revokes_for_a_chargeback_once_with_problem_answers(api: Api) -> None:
    _, buyer, order = await buy(api)
    admin = await api.admin()
    revoke = f"/api/v1/admin/certificates/{order['certificate_id']}/revoke"
    call: Callable[[dict[str, Any], dict[str, str]], Awaitable[Any]] = lambda body, headers: api.client.post(  # noqa: E731
        revoke, json=body, headers=headers
    )

    assert (await call({"reason": "chargeback", "note": "lost"}, buyer)).status_code == 403
    assert (await call({"reason": "refunded", "note": "no"}, admin)).status_code == 400
    assert (await call({"reason": "chargeback"}, admin)).status_code == 400
    revoked = await call({"reason": "chargeback", "note": "Chargeback lost on 3 Jan"}, admin)
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["status"], revoked.json()["revocation_reason"]) == ("revoked", "chargeback")
    again = await call({"reason": "admin", "note": "again"}, admin)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")

    log = (await api.client.get("/api/v1/admin/audit-log?action=certificate.revoke", headers=admin)).json()
    assert [(e["target"]["id"], e["reason"]) for e in log["items"]] == [
        (order["certificate_id"], "chargeback: Chargeback lost on 3 Jan")
    ]
