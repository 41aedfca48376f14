"""Certificates over HTTP on the embedded profile: a sandbox purchase ends `completed` with a
certificate whose metadata URI is the CID of the bytes the API serves."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_checkout_api import eventually, order_status, setup_sale
from tests.support.api import Api, app_settings, running_app

from artmarket.adapters.ipfs.cid import compute_cid as cid_of


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        yield api


async def buy(api: Api) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    artist, artwork, buyer = await setup_sale(api)
    placed = await api.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer)
    assert placed.status_code == 201, placed.text
    reference = placed.json()["payment"]["reference"]
    paid = await api.client.post(f"/sandbox/paystack/checkout/{reference}/pay", follow_redirects=False)
    assert paid.status_code == 303
    order_id = placed.json()["order"]["id"]

    async def completed() -> bool:
        return await order_status(api, order_id, buyer) == "completed"

    await eventually(completed, within=15)
    order = (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()
    return artist, buyer, order


async def test_a_sandbox_purchase_ends_completed_with_a_verifiable_certificate(api: Api) -> None:
    _, buyer, order = await buy(api)
    assert [c["status"] for c in order["status_history"]] == [
        "awaiting_payment",
        "paid",
        "minting",
        "completed",
    ]
    certificate_id = order["certificate_id"]
    assert certificate_id

    certificate = (await api.client.get(f"/api/v1/certificates/{certificate_id}")).json()
    assert certificate["order_id"] == order["id"]
    assert certificate["network"] == "simulated"
    assert certificate["token_id"].startswith("0.0.")
    assert certificate["serial"] == 1
    assert "@" in certificate["transaction_id"]
    assert certificate["owner_display"] == "a private collection"  # until the owner chooses
    assert "@example.com" not in json.dumps(certificate)  # the owner by display name only
    assert certificate["explorer_url"] is None  # no public explorer for a simulated ledger
    assert certificate["artwork"]["title"] == "Harmattan Light"
    assert certificate["artwork"]["artist"]["display_name"] == "Ada Obi"

    served = await api.client.get(f"/api/v1/certificates/{certificate_id}/metadata")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/json")
    assert certificate["metadata_uri"] == f"ipfs://{cid_of(served.content)}"
    document = json.loads(served.content)
    assert document["format"] == "HIP412@2.0.0"
    assert document["image"].startswith("ipfs://")
    assert document["properties"]["order_id"] == order["id"]

    verified = (await api.client.get(f"/api/v1/certificates/{certificate_id}/verify")).json()
    assert verified["valid"] is True
    assert verified["network"] == "simulated"
    assert verified["details"].startswith("Simulated ledger")

    # The page the certificate email links to shows the same facts, and no email address.
    page = await api.client.get(f"/certificates/{certificate_id}")
    assert page.status_code == 200
    assert "Harmattan Light" in page.text
    assert f"{certificate['token_id']} serial 1" in page.text
    assert certificate["metadata_uri"] in page.text
    assert "@example.com" not in page.text
    assert (await api.client.get(f"/certificates/{uuid.uuid4()}")).status_code == 404

    mine = (await api.client.get("/api/v1/me/certificates", headers=buyer)).json()
    assert [c["id"] for c in mine["items"]] == [certificate_id]
    other = await api.register("buyer")
    assert (await api.client.get("/api/v1/me/certificates", headers=other)).json()["items"] == []


async def test_admins_see_mint_jobs_and_unknown_certificates_are_404(api: Api) -> None:
    _, buyer, order = await buy(api)
    admin = await api.admin()
    jobs = await api.client.get("/api/v1/admin/mint-jobs?status=succeeded", headers=admin)
    assert jobs.status_code == 200
    (job,) = jobs.json()["items"]
    assert (job["order_id"], job["status"], job["attempts"]) == (order["id"], "succeeded", 1)
    assert job["certificate_id"] == order["certificate_id"]
    assert (await api.client.get("/api/v1/admin/mint-jobs", headers=buyer)).status_code == 403
    retry = await api.client.post(f"/api/v1/admin/mint-jobs/{job['id']}/retry", headers=admin)
    assert retry.status_code == 409  # only a failed job can be retried
    assert retry.headers["content-type"].startswith("application/problem+json")
    missing = await api.client.get("/api/v1/certificates/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    bad = await api.client.get("/api/v1/admin/mint-jobs?status=nonsense", headers=admin)
    assert bad.status_code == 400
