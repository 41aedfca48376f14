"""`artmarket verify-proof FILE` against a mirror node it shares nothing with: the fake Hedera
network's, after the real `HederaLedger` minted the certificate and recorded its trail there.

The command gets no settings and no database, only the bundle and the mirror node's URL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn
from uuid import UUID, uuid4

import msgspec
import pytest
from tests.support.fake_hedera_mirror import FakeHederaNetwork
from typer.testing import CliRunner

from artmarket.adapters.ipfs.cid import compute_cid
from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.application.minting.proofs import PROOF_FORMAT, CertificateProof, ProofEntry
from artmarket.domain.custody import CertificateStatus
from artmarket.domain.provenance import ProvenanceEvent, ProvenanceFacts
from artmarket.entrypoints.cli.main import build_cli

DOCUMENT = json.dumps(
    {"name": "Certificate of authenticity: Harmattan Light", "format": "HIP412@2.0.0"}
).encode()


def _no_wiring() -> NoReturn:
    raise AssertionError("verify-proof must not need artmarket's composition root (no settings, no database)")


async def issued_on_the_ledger(ledger: HederaLedger, certificate_id: UUID) -> CertificateProof:
    """A certificate minted and its `issued` entry recorded on the fake network, as a bundle."""
    cid = compute_cid(DOCUMENT)
    token_id = await ledger.create_collection(name="artmarket certificates", symbol="ACOA", max_supply=10)
    receipt = await ledger.submit_mint(await ledger.prepare_mint(token_id, [f"ipfs://{cid}".encode()]))
    serial = receipt.serials[0]
    topic_id = await ledger.create_topic(memo="artmarket provenance")
    await ledger.submit(await ledger.prepare_topic_message(topic_id, b"another certificate's news"))
    facts = ProvenanceFacts(
        certificate_id,
        token_id,
        serial,
        ProvenanceEvent.ISSUED,
        datetime.now(UTC),
        "ORD-1",
        holder_after="u1",
    )
    recorded = await ledger.submit(await ledger.prepare_topic_message(topic_id, facts.message()))
    assert recorded.topic_sequence_number == 2
    return CertificateProof(
        format=PROOF_FORMAT,
        certificate_id=certificate_id,
        network="custom",
        token_id=token_id,
        serial=serial,
        mint_transaction_id=receipt.transaction_id,
        metadata_uri=f"ipfs://{cid}",
        cid=cid,
        metadata=DOCUMENT,
        status=CertificateStatus.VALID,
        topic_id=topic_id,
        provenance=(ProofEntry(1, ProvenanceEvent.ISSUED, 2, recorded.consensus_timestamp),),
        mirror_url=None,
    )


async def verify_proof(tmp_path: Path, proof: CertificateProof, *args: str) -> tuple[int, str]:
    """The command as a third party runs it (in a thread: it runs its own event loop)."""
    bundle = tmp_path / f"proof-{uuid4().hex[:6]}.json"
    bundle.write_bytes(msgspec.json.encode(proof))
    result = await asyncio.to_thread(
        CliRunner().invoke, build_cli(_no_wiring), ["verify-proof", str(bundle), *args]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
async def proof(hedera_ledger: HederaLedger) -> CertificateProof:
    return await issued_on_the_ledger(hedera_ledger, uuid4())


async def test_a_genuine_bundle_is_verified_against_the_mirror_node(
    proof: CertificateProof, fake_hedera_node: FakeHederaNetwork, tmp_path: Path
) -> None:
    code, output = await verify_proof(tmp_path, proof, "--mirror", fake_hedera_node.mirror_url)

    assert code == 0, output
    assert "NOT MATCHED" not in output
    assert f"carries ipfs://{proof.cid}" in output
    assert f"topic {proof.topic_id} message 2" in output
    assert "verified: checked against the public ledger, not artmarket" in output


@pytest.mark.parametrize(
    ("tampering", "failed"),
    [
        ({"metadata": DOCUMENT.replace(b"Harmattan", b"Harmless")}, "metadata"),
        ({"metadata_uri": "ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"}, "metadata"),
        ({"serial": 2}, "nft"),
        ({"status": CertificateStatus.REVOKED}, "standing"),
        ({"provenance": (ProofEntry(1, ProvenanceEvent.ISSUED, 1),)}, "trail #1"),
        ({"provenance": (ProofEntry(1, ProvenanceEvent.ISSUED, 7),)}, "trail #1"),
        ({"certificate_id": UUID(int=1)}, "trail #1"),
    ],
    ids=[
        "other-bytes",
        "other-cid",
        "no-such-nft",
        "said-revoked",
        "other-message",
        "no-message",
        "other-cert",
    ],
)
async def test_a_tampered_bundle_fails_and_names_what_did_not_match(
    proof: CertificateProof,
    fake_hedera_node: FakeHederaNetwork,
    tmp_path: Path,
    tampering: dict[str, Any],
    failed: str,
) -> None:
    code, output = await verify_proof(
        tmp_path, dataclasses.replace(proof, **tampering), "--mirror", fake_hedera_node.mirror_url
    )

    assert code == 1, output
    assert f"NOT VERIFIED: {failed}" in output


async def test_a_burned_nft_proves_a_revoked_certificate_and_contradicts_a_valid_one(
    proof: CertificateProof, hedera_ledger: HederaLedger, fake_hedera_node: FakeHederaNetwork, tmp_path: Path
) -> None:
    await hedera_ledger.submit(await hedera_ledger.prepare_burn(proof.token_id, proof.serial))

    revoked = dataclasses.replace(proof, status=CertificateStatus.REVOKED)
    code, output = await verify_proof(tmp_path, revoked, "--mirror", fake_hedera_node.mirror_url)
    assert code == 0, output
    assert "was burned: the certificate is revoked" in output

    code, output = await verify_proof(tmp_path, proof, "--mirror", fake_hedera_node.mirror_url)
    assert code == 1
    assert "NOT VERIFIED: standing" in output


async def test_entries_not_yet_on_the_topic_are_pending_not_failures(
    proof: CertificateProof, fake_hedera_node: FakeHederaNetwork, tmp_path: Path
) -> None:
    later = (*proof.provenance, ProofEntry(2, ProvenanceEvent.REVOKED))
    code, output = await verify_proof(
        tmp_path, dataclasses.replace(proof, provenance=later), "--mirror", fake_hedera_node.mirror_url
    )

    assert code == 0, output
    assert "revoked: not on the topic yet" in output


def test_an_unreadable_bundle_or_no_mirror_node_is_a_usage_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    result = CliRunner().invoke(build_cli(_no_wiring), ["verify-proof", str(garbage)])
    assert result.exit_code == 2
    assert "cannot read the proof bundle" in result.stderr

    missing = tmp_path / "missing.json"
    result = CliRunner().invoke(build_cli(_no_wiring), ["verify-proof", str(missing)])
    assert result.exit_code == 2


async def test_an_unreachable_mirror_node_fails_the_check(proof: CertificateProof, tmp_path: Path) -> None:
    code, output = await verify_proof(tmp_path, proof, "--mirror", "http://127.0.0.1:9")

    assert code == 1
    assert "could not be asked" in output
