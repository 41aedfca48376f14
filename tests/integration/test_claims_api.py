"""Claiming a certificate over HTTP on the embedded profile (simulated ledger, in-process worker):
the API, the claim page and the sandbox wallet, from a purchase to the NFT in the buyer's account."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.integration.test_certificates_api import buy
from tests.integration.test_checkout_api import eventually
from tests.integration.test_web_pages import HTML, csrf_of, sign_in_browser
from tests.support.api import Api, app_settings, running_app

COLLECTOR = "0.0.5005"


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    # Claims open at once: the refund window is what the other test checks.
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0", claim_after_days="0")) as api:
        yield api


async def certificate_of(api: Api, certificate_id: str) -> dict[str, Any]:
    return dict((await api.client.get(f"/api/v1/certificates/{certificate_id}")).json())


async def test_a_claim_to_an_unassociated_account_is_accepted_in_the_sandbox_wallet(api: Api) -> None:
    _, buyer, order = await buy(api)
    certificate_id = order["certificate_id"]
    treasury = (await certificate_of(api, certificate_id))["custody"]["account_id"]

    claimed = await api.client.post(
        f"/api/v1/me/certificates/{certificate_id}/claim", json={"account_id": COLLECTOR}, headers=buyer
    )

    assert claimed.status_code == 202, claimed.text
    assert claimed.json() == {
        "certificate_id": certificate_id,
        "custody": {"kind": "platform", "account_id": treasury},
        "claim": {"method": "airdrop", "account_id": COLLECTOR, "status": "queued"},
    }

    async def pending() -> bool:
        custody = (await certificate_of(api, certificate_id))["custody"]
        return bool(custody == {"kind": "pending_claim", "account_id": COLLECTOR})

    await eventually(pending, within=10)
    again = await api.client.post(
        f"/api/v1/me/certificates/{certificate_id}/claim", json={"account_id": "0.0.6006"}, headers=buyer
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")

    wallet = await api.client.get(f"/sandbox/wallet/{COLLECTOR}")
    assert wallet.status_code == 200
    certificate = await certificate_of(api, certificate_id)
    accept = f"/sandbox/wallet/{COLLECTOR}/accept/{certificate['token_id']}/{certificate['serial']}"
    assert f'action="{accept}"' in wallet.text
    accepted = await api.client.post(accept, follow_redirects=False)
    assert accepted.status_code == 303

    certificate = await certificate_of(api, certificate_id)
    assert certificate["custody"] == {"kind": "wallet", "account_id": COLLECTOR}
    trail = (await api.client.get(f"/api/v1/certificates/{certificate_id}/provenance")).json()["items"]
    assert [entry["event"] for entry in trail] == ["issued", "claimed"]
    after = await api.client.get(f"/sandbox/wallet/{COLLECTOR}")
    assert f'action="{accept}"' not in after.text
    assert f"serial <strong>{certificate['serial']}</strong>" in after.text


async def test_an_associated_account_gets_the_nft_by_transfer_through_the_claim_page(api: Api) -> None:
    _, buyer, order = await buy(api)
    certificate_id = order["certificate_id"]
    associated = await api.client.post(f"/sandbox/wallet/{COLLECTOR}/associate", follow_redirects=False)
    assert associated.status_code == 303
    await sign_in_browser(api, buyer)

    page = await api.client.get(f"/certificates/{certificate_id}/claim", headers=HTML)
    assert page.status_code == 200
    assert 'id="claim-steps"' in page.text
    bad = await api.client.post(
        f"/certificates/{certificate_id}/claim",
        data={"csrf_token": csrf_of(page.text), "account_id": "5005"},
        headers=HTML,
    )
    assert bad.status_code == 422
    assert "Hedera account id like 0.0.1234" in bad.text
    sent = await api.client.post(
        f"/certificates/{certificate_id}/claim",
        data={"csrf_token": csrf_of(page.text), "account_id": COLLECTOR},
        headers=HTML,
        follow_redirects=False,
    )
    assert sent.status_code == 303

    async def in_wallet() -> bool:
        custody = (await certificate_of(api, certificate_id))["custody"]
        return bool(custody == {"kind": "wallet", "account_id": COLLECTOR})

    await eventually(in_wallet, within=10)
    shown = await api.client.get(f"/certificates/{certificate_id}/claim", headers=HTML)
    assert f"In Hedera account <strong>{COLLECTOR}</strong>" in shown.text
    assert 'id="claim-steps"' not in shown.text


async def test_a_claim_is_refused_before_the_refund_window_closes_and_for_anyone_but_the_owner(
    tmp_path: Path,
) -> None:
    async with running_app(app_settings(tmp_path, mint_linger_seconds="0")) as api:
        _, buyer, order = await buy(api)
        certificate_id = order["certificate_id"]
        path = f"/api/v1/me/certificates/{certificate_id}/claim"

        early = await api.client.post(path, json={"account_id": COLLECTOR}, headers=buyer)
        stranger = await api.client.post(
            path, json={"account_id": COLLECTOR}, headers=await api.register("buyer")
        )
        malformed = await api.client.post(path, json={"account_id": "5005"}, headers=buyer)
        anonymous = await api.client.post(path, json={"account_id": COLLECTOR})

        assert early.status_code == 409
        assert "when the return window closes" in early.json()["detail"]
        assert stranger.status_code == 404
        assert malformed.status_code == 422
        assert [e["field"] for e in malformed.json()["errors"]] == ["account_id"]
        assert anonymous.status_code == 401
        custody = (await certificate_of(api, certificate_id))["custody"]
        assert custody["kind"] == "platform"
