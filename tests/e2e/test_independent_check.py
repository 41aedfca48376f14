"""The certificate page's independent check in Chromium, on a `make run`-like app (simulated ledger,
its mirror-node subset served by the app): the real script passes against the ledger, and fails
when the mirror node answers other metadata for the NFT. `artmarket verify-proof` checks the
page's proof bundle against the same subset over HTTP."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, cast

from playwright.sync_api import Page, Route, expect
from tests.e2e.conftest import Live, Speech, off_the_browser_loop
from typer.testing import CliRunner, Result

from artmarket.domain.languages import Language
from artmarket.entrypoints.cli.main import build_cli

#: A well-formed CID of other bytes: what a tampered ledger record would carry.
OTHER_METADATA = b"ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"


def bought_certificate(live: Live, run: str) -> str:
    """A certificate bought and paid through the API and the sandbox, as a buyer would, once its
    `issued` entry is on the provenance topic."""
    seed = live.seed
    artist = seed.approved_artist(seed.admin(), name=f"Ada Obi {run}")
    artwork = seed.published_artwork(artist, title=f"Checked Light ({run})")
    buyer = seed.register("buyer", "Bola Ade")
    placed = seed.client.post("/api/v1/orders", json={"artwork_id": artwork["id"]}, headers=buyer.headers)
    assert placed.status_code == 201, placed.text
    reference = placed.json()["payment"]["reference"]
    paid = seed.client.post(f"/sandbox/paystack/checkout/{reference}/pay", follow_redirects=False)
    assert paid.status_code == 303, paid.text
    order_id = placed.json()["order"]["id"]
    deadline = time.monotonic() + 30
    while True:
        order = seed.client.get(f"/api/v1/orders/{order_id}", headers=buyer.headers).json()
        if order["status"] == "completed":
            break
        assert time.monotonic() < deadline, order["status"]
        time.sleep(0.2)
    certificate_id = str(order["certificate_id"])
    while True:  # the worker records the `issued` entry on the provenance topic just after
        proof = seed.client.get(f"/api/v1/certificates/{certificate_id}/proof").json()
        if proof["provenance"] and proof["provenance"][0]["sequence_number"] is not None:
            return certificate_id
        assert time.monotonic() < deadline, proof["provenance"]
        time.sleep(0.2)


def test_the_browser_checks_the_certificate_on_the_ledger_and_notices_tampering(
    page: Page, live: Live, viewport: str, language: Language, t: Speech, shot: Callable[[Page, str], Path]
) -> None:
    certificate_id = bought_certificate(live, f"{viewport} {language}")
    certificate = live.seed.client.get(f"/api/v1/certificates/{certificate_id}").json()

    page.goto(f"/certificates/{certificate_id}")
    panel = page.locator("#independent-check")
    expect(panel).to_have_attribute("data-mirror-url", live.base_url)
    page.get_by_role("button", name=t("Check against the public ledger")).click()

    expect(panel).to_have_attribute("data-result", "matched")
    expect(panel.locator("[data-check='metadata']")).to_contain_text(
        t("the metadata bytes hash to %(uri)s", uri=certificate["metadata_uri"])
    )
    expect(panel.locator("[data-check='nft']")).to_contain_text(t("Matched"))
    nft = t("NFT %(token)s serial %(serial)s", token=certificate["token_id"], serial=certificate["serial"])
    expect(panel.locator("[data-check='standing']")).to_contain_text(
        t("%(nft)s exists, held by account %(account)s", nft=nft, account="0.0.2")
    )
    trail = panel.locator("[data-check^='trail message']")
    expect(trail).to_have_count(1)
    expect(trail).to_contain_text(t("Matched"))
    expect(trail).to_contain_text(
        t.pattern("%(message)s: %(event)s at consensus %(timestamp)s", event="issued")
    )
    expect(page.locator("#independent-check-summary")).to_have_text(
        t("Everything matched: checked against the public ledger, not artmarket.")
    )
    shot(page, "independent-check-matched")
    expect(panel.locator("#proof-bundle")).to_have_attribute(
        "href", f"/api/v1/certificates/{certificate_id}/proof"
    )

    # The same check when the mirror node says the NFT carries other metadata.
    def tampered(route: Route) -> None:
        record = json.loads(route.fetch().body())
        record["metadata"] = base64.b64encode(OTHER_METADATA).decode()
        route.fulfill(json=record, headers={"Access-Control-Allow-Origin": "*"})

    page.route(f"**/api/v1/tokens/{certificate['token_id']}/nfts/{certificate['serial']}", tampered)
    page.get_by_role("button", name=t("Check against the public ledger")).click()

    expect(panel).to_have_attribute("data-result", "unmatched")
    expect(panel.locator("[data-check='nft']")).to_contain_text(t("Not matched"))
    expect(panel.locator("[data-check='nft']")).to_contain_text(OTHER_METADATA.decode())
    expect(panel.locator("[data-check='metadata']")).to_contain_text(t("Matched"))
    expect(page.locator("#independent-check-summary")).to_have_text(
        t("%(count)s check(s) did not match: checked against the public ledger, not artmarket.", count=1)
    )
    shot(page, "independent-check-tampered")


def test_verify_proof_checks_the_downloaded_bundle_against_the_apps_mirror_node_subset(
    live: Live, tmp_path: Path
) -> None:
    certificate_id = bought_certificate(live, "cli")
    bundle = tmp_path / "proof.json"
    bundle.write_bytes(live.seed.client.get(f"/api/v1/certificates/{certificate_id}/proof").content)

    verified = verify_proof(bundle)
    assert verified.exit_code == 0, verified.output
    assert f"mirror node: {live.base_url}" in verified.output
    assert "trail #1" in verified.output

    proof = json.loads(bundle.read_bytes())
    proof["metadata"] = base64.b64encode(base64.b64decode(proof["metadata"]) + b" ").decode()
    bundle.write_text(json.dumps(proof))
    tampered = verify_proof(bundle)
    assert tampered.exit_code == 1
    assert "NOT VERIFIED: metadata" in tampered.output


def verify_proof(bundle: Path) -> Result:
    """The command as a third party runs it (in a thread of its own: it runs its own event loop)."""
    return cast(
        Result,
        off_the_browser_loop(CliRunner().invoke, build_cli(_no_wiring), ["verify-proof", str(bundle)]),
    )


def _no_wiring() -> NoReturn:
    raise AssertionError("verify-proof must not need artmarket's composition root")
