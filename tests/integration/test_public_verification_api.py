"""Verification with public data alone, on the embedded profile (simulated ledger):

- `GET /api/v1/certificates/{id}/proof`: the bundle a third party checks;
- the simulated ledger's mirror-node subset (`/api/v1/tokens/{id}/nfts/{serial}`,
  `/api/v1/topics/{id}/messages`), shaped like the fake mirror node's answers, open to every
  origin, and absent from our OpenAPI and from an app on Hedera;
- the shared checks of `verify-proof` passing against that subset, and failing when tampered with;
- the pages' CSP letting the browser ask the mirror node.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import msgspec
import pytest
from hiero_sdk_python import PrivateKey  # type: ignore[import-untyped]  # no py.typed in 0.3.0
from tests.integration.test_certificates_api import buy
from tests.integration.test_checkout_api import eventually
from tests.support.api import Api, app_settings, running_app
from tests.support.fake_hedera_mirror import FakeHederaNetwork
from tests.support.ledgers import LedgerProvider

from artmarket.adapters.ipfs.cid import compute_cid
from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.adapters.ledger.proof_check import check_proof
from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.application.minting.proofs import CertificateProof
from artmarket.bootstrap import create_app

TOPIC = "0.0.1001"  # the simulated ledger's second entity, after its collection 0.0.1000


@dataclasses.dataclass
class World:
    api: Api
    ledger: SimulatedLedger


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    ledger = SimulatedLedger()
    await ledger.default_collection()
    assert await ledger.default_topic() == TOPIC
    # Another certificate's message first: the trail's sequence numbers are the topic's.
    await ledger.submit(await ledger.prepare_topic_message(TOPIC, b'{"certificate":"another"}'))
    settings = app_settings(tmp_path, mint_linger_seconds="0", public_base_url="http://testserver.local")
    async with running_app(settings, LedgerProvider(ledger)) as api:
        yield World(api, ledger)


async def issue_with_trail(world: World) -> dict[str, Any]:
    """A bought certificate once the worker has recorded its `issued` entry on the topic."""
    _, _, order = await buy(world.api)
    client = world.api.client
    certificate_id = order["certificate_id"]

    async def recorded() -> bool:
        proof = (await client.get(f"/api/v1/certificates/{certificate_id}/proof")).json()
        return [entry["sequence_number"] for entry in proof["provenance"]] == [2]

    await eventually(recorded, within=15)
    return dict((await client.get(f"/api/v1/certificates/{certificate_id}")).json())


async def test_the_proof_bundle_holds_what_a_third_party_needs(world: World) -> None:
    certificate = await issue_with_trail(world)
    client = world.api.client

    answer = await client.get(f"/api/v1/certificates/{certificate['id']}/proof")

    assert answer.status_code == 200, answer.text
    proof = answer.json()
    served = (await client.get(f"/api/v1/certificates/{certificate['id']}/metadata")).content
    assert base64.b64decode(proof["metadata"]) == served
    assert proof["cid"] == compute_cid(served)
    assert proof["metadata_uri"] == certificate["metadata_uri"] == f"ipfs://{proof['cid']}"
    assert (proof["token_id"], proof["serial"]) == (certificate["token_id"], certificate["serial"])
    assert proof["mint_transaction_id"] == certificate["transaction_id"]
    assert (proof["format"], proof["network"], proof["status"]) == ("artmarket-proof@1", "simulated", "valid")
    assert proof["topic_id"] == TOPIC
    assert [(e["position"], e["event"], e["sequence_number"]) for e in proof["provenance"]] == [
        (1, "issued", 2)
    ]
    assert proof["mirror_url"] == "http://testserver.local"

    missing = await client.get(f"/api/v1/certificates/{uuid4()}/proof")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


async def test_the_bundle_checks_out_against_the_simulated_mirror_node_and_tampering_fails(
    world: World,
) -> None:
    certificate = await issue_with_trail(world)
    client = world.api.client
    answer = await client.get(f"/api/v1/certificates/{certificate['id']}/proof")
    proof = msgspec.json.decode(answer.content, type=CertificateProof)

    report = await check_proof(proof, "http://testserver.local", http=client)
    assert report.passed, report.checks
    assert [c.name for c in report.checks] == ["format", "metadata", "nft", "standing", "trail #1"]

    other_bytes = dataclasses.replace(proof, metadata=proof.metadata + b" ")
    failed = await check_proof(other_bytes, "http://testserver.local", http=client)
    assert not failed.passed
    assert [c.name for c in failed.checks if c.matched is False] == ["metadata"]

    other_certificate = dataclasses.replace(proof, certificate_id=uuid4())
    failed = await check_proof(other_certificate, "http://testserver.local", http=client)
    assert [c.name for c in failed.checks if c.matched is False] == ["trail #1"]


async def test_the_subset_answers_like_a_mirror_node_to_any_origin(world: World) -> None:
    certificate = await issue_with_trail(world)
    client = world.api.client
    token, serial = certificate["token_id"], certificate["serial"]

    nft = await client.get(
        f"/api/v1/tokens/{token}/nfts/{serial}", headers={"Origin": "https://insurer.example"}
    )
    assert nft.status_code == 200
    assert nft.headers["access-control-allow-origin"] == "*"
    body = nft.json()
    assert base64.b64decode(body["metadata"]).decode() == certificate["metadata_uri"]
    assert (body["token_id"], body["serial_number"], body["deleted"]) == (token, serial, False)
    assert body["account_id"] == "0.0.2"  # the treasury holds it for the owner

    missing = await client.get(f"/api/v1/tokens/{token}/nfts/99")
    assert missing.status_code == 404
    assert missing.json() == {"_status": {"messages": [{"message": "Not found"}]}}

    first = (await client.get(f"/api/v1/topics/{TOPIC}/messages?limit=1")).json()
    assert [m["sequence_number"] for m in first["messages"]] == [1]
    assert first["links"]["next"] == f"/api/v1/topics/{TOPIC}/messages?limit=1&order=asc&sequencenumber=gt:1"
    second = (await client.get(first["links"]["next"])).json()
    assert [m["sequence_number"] for m in second["messages"]] == [2]
    assert second["links"]["next"] is None
    said = msgspec.json.decode(base64.b64decode(second["messages"][0]["message"]))
    assert (said["certificate"], said["event"]) == (certificate["id"], "issued")
    newest = (await client.get(f"/api/v1/topics/{TOPIC}/messages?order=desc&limit=1")).json()
    assert [m["sequence_number"] for m in newest["messages"]] == [2]
    after = (await client.get(f"/api/v1/topics/{TOPIC}/messages?sequencenumber=gt:2")).json()
    assert after == {"messages": [], "links": {"next": None}}
    refused = await client.get(f"/api/v1/topics/{TOPIC}/messages?sequencenumber=after:1")
    assert refused.status_code == 400


async def test_the_subset_is_not_part_of_our_api_document_and_pages_may_ask_the_mirror_node(
    world: World,
) -> None:
    schema = (await world.api.client.get("/api/openapi.json")).json()
    assert "/api/v1/certificates/{certificate_id}/proof" in schema["paths"]
    assert not [path for path in schema["paths"] if path.startswith(("/api/v1/tokens", "/api/v1/topics"))]

    page = await world.api.client.get("/", headers={"Accept": "text/html"})
    assert "connect-src 'self' http://testserver.local" in page.headers["content-security-policy"]


def test_an_app_on_hedera_serves_no_stand_in_and_lets_pages_ask_the_public_mirror_node(
    tmp_path: Path,
) -> None:
    settings = app_settings(
        tmp_path,
        ledger="hedera",
        hedera_network="testnet",
        hedera_operator_id="0.0.1001",
        hedera_operator_key=PrivateKey.generate_ed25519().to_string_der(),
    )
    app = create_app(settings)
    paths = {route.path for route in app.routes}
    assert "/api/v1/certificates/{certificate_id:uuid}/proof" in paths
    assert not [path for path in paths if path.startswith(("/api/v1/tokens", "/api/v1/topics"))]
    assert settings.resolved_hedera_mirror_url == "https://testnet.mirrornode.hedera.com"


async def test_the_subset_has_the_fake_mirror_nodes_fields(
    world: World, hedera_ledger: HederaLedger, fake_hedera_node: FakeHederaNetwork
) -> None:
    certificate = await issue_with_trail(world)
    token_id = await hedera_ledger.create_collection(
        name="artmarket certificates", symbol="ACOA", max_supply=5
    )
    await hedera_ledger.submit_mint(await hedera_ledger.prepare_mint(token_id, [b"ipfs://bafkrei"]))
    topic_id = await hedera_ledger.create_topic(memo="artmarket provenance")
    await hedera_ledger.submit(await hedera_ledger.prepare_topic_message(topic_id, b"{}"))
    async with httpx.AsyncClient(base_url=fake_hedera_node.mirror_url) as mirror:
        their_nft = (await mirror.get(f"/api/v1/tokens/{token_id}/nfts/1")).json()
        their_messages = (await mirror.get(f"/api/v1/topics/{topic_id}/messages")).json()
    client = world.api.client
    our_nft = (
        await client.get(f"/api/v1/tokens/{certificate['token_id']}/nfts/{certificate['serial']}")
    ).json()
    our_messages = (await client.get(f"/api/v1/topics/{TOPIC}/messages")).json()

    assert sorted(our_nft) == sorted(their_nft)
    assert sorted(our_messages) == sorted(their_messages) == ["links", "messages"]
    assert sorted(our_messages["messages"][0]) == sorted(their_messages["messages"][0])
    for ours, theirs in ((our_nft, their_nft), (our_messages["messages"][0], their_messages["messages"][0])):
        for field, value in theirs.items():
            if value is not None and ours[field] is not None:
                assert type(ours[field]) is type(value), field
