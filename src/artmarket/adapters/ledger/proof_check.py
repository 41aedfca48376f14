"""Checking a certificate's proof bundle against a mirror node, with no access to artmarket.

What `artmarket verify-proof` runs (and what the page's script does in the browser): the
metadata bytes hash to the CID, the NFT on the ledger carries `ipfs://CID`, it still exists
(or was burned because the certificate was revoked), and every provenance entry's sequence
number is a message on the topic naming this certificate and event.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

import httpx

from artmarket.adapters.ipfs.cid import compute_cid
from artmarket.adapters.ledger.hedera_mirror import MirrorNode
from artmarket.application.minting.ledger import LedgerError
from artmarket.application.minting.proofs import PROOF_FORMAT, CertificateProof, ProofEntry
from artmarket.domain.custody import CertificateStatus
from artmarket.domain.provenance import ProvenanceEvent

#: Most topic pages read while looking for the trail's messages (100 messages a page).
_MAX_TOPIC_PAGES: Final = 50
_PAGE: Final = 100


@dataclass(frozen=True, slots=True)
class ProofCheck:
    """One check: `matched` is None when there was nothing to check yet (an entry not on the topic)."""

    name: str
    matched: bool | None
    detail: str


@dataclass(frozen=True, slots=True)
class ProofReport:
    mirror_url: str
    checks: tuple[ProofCheck, ...]

    @property
    def passed(self) -> bool:
        return all(check.matched is not False for check in self.checks)


#: How long one mirror-node request may take.
REQUEST_SECONDS: Final = 15.0


async def check_proof(
    proof: CertificateProof, mirror_url: str, *, http: httpx.AsyncClient | None = None
) -> ProofReport:
    """Every check of the bundle against the mirror node at `mirror_url`; never raises for a mismatch."""
    mirror = MirrorNode(mirror_url, http, timeout=REQUEST_SECONDS)
    try:
        checks = [_format(proof), _content(proof)]
        checks.extend(await _nft(proof, mirror))
        checks.extend(await _trail(proof, mirror))
    finally:
        await mirror.aclose()
    return ProofReport(mirror_url, tuple(checks))


def _format(proof: CertificateProof) -> ProofCheck:
    known = proof.format == PROOF_FORMAT
    return ProofCheck(
        "format", known, f"bundle format {proof.format}" + ("" if known else f", not {PROOF_FORMAT}")
    )


def _content(proof: CertificateProof) -> ProofCheck:
    cid = compute_cid(proof.metadata)
    if proof.metadata_uri != f"ipfs://{cid}" or proof.cid != cid:
        return ProofCheck(
            "metadata", False, f"the metadata bytes hash to {cid}, but the bundle names {proof.metadata_uri}"
        )
    return ProofCheck("metadata", True, f"the metadata bytes hash to {cid} (sha2-256, raw CIDv1)")


async def _nft(proof: CertificateProof, mirror: MirrorNode) -> list[ProofCheck]:
    where = f"NFT {proof.token_id} serial {proof.serial}"
    try:
        body = await mirror.get(f"/api/v1/tokens/{quote(proof.token_id)}/nfts/{proof.serial}")
    except LedgerError as error:
        return [ProofCheck("nft", False, f"the mirror node could not be asked about {where}: {error}")]
    if body is None:
        return [ProofCheck("nft", False, f"the mirror node has no {where}")]
    expected = f"ipfs://{proof.cid}".encode()
    onchain = _base64(body.get("metadata"))
    nft = (
        ProofCheck("nft", True, f"{where} carries {expected.decode()}")
        if onchain == expected
        else ProofCheck("nft", False, f"{where} carries {onchain!r}, not {expected.decode()}")
    )
    return [nft, _standing(proof, body, where)]


def _standing(proof: CertificateProof, body: dict[str, Any], where: str) -> ProofCheck:
    revoked = proof.status is CertificateStatus.REVOKED
    if body.get("deleted"):
        if revoked:
            return ProofCheck("standing", True, f"{where} was burned: the certificate is revoked")
        return ProofCheck(
            "standing", False, f"{where} was burned, but the bundle says the certificate is valid"
        )
    holder = body.get("account_id")
    if not revoked:
        return ProofCheck("standing", True, f"{where} exists, held by account {holder}")
    # A certificate revoked after its claim to a wallet cannot be burned: the trail says it.
    trail_says = any(entry.event is ProvenanceEvent.REVOKED for entry in proof.provenance)
    detail = f"{where} is not burned (held by account {holder})"
    return ProofCheck(
        "standing",
        trail_says,
        detail
        + (
            "; the trail's revoked entry is the revocation"
            if trail_says
            else " and no trail entry revokes it"
        ),
    )


async def _trail(proof: CertificateProof, mirror: MirrorNode) -> list[ProofCheck]:
    recorded = [entry for entry in proof.provenance if entry.sequence_number is not None]
    pending = [
        ProofCheck(f"trail #{entry.position}", None, f"{entry.event.value}: not on the topic yet")
        for entry in proof.provenance
        if entry.sequence_number is None
    ]
    if not recorded:
        return pending
    if proof.topic_id is None:
        return [ProofCheck("trail", False, "the bundle numbers trail messages but names no topic"), *pending]
    try:
        messages = await _topic_messages(mirror, proof.topic_id, [e.sequence_number or 0 for e in recorded])
    except LedgerError as error:
        return [ProofCheck("trail", False, f"the mirror node could not list topic {proof.topic_id}: {error}")]
    checks = [_entry(proof, entry, messages.get(entry.sequence_number or 0)) for entry in recorded]
    return [*checks, *pending]


def _entry(proof: CertificateProof, entry: ProofEntry, message: dict[str, Any] | None) -> ProofCheck:
    name = f"trail #{entry.position}"
    where = f"topic {proof.topic_id} message {entry.sequence_number}"
    if message is None:
        return ProofCheck(name, False, f"{entry.event.value}: {where} does not exist")
    try:
        document = json.loads(_base64(message.get("message")) or b"")
    except ValueError:
        return ProofCheck(name, False, f"{entry.event.value}: {where} is not a trail message")
    if not isinstance(document, dict):
        return ProofCheck(name, False, f"{entry.event.value}: {where} is not a trail message")
    said = (document.get("certificate"), document.get("event"), document.get("token"), document.get("serial"))
    expected = (str(proof.certificate_id), entry.event.value, proof.token_id, proof.serial)
    if said != expected:
        return ProofCheck(
            name,
            False,
            f"{entry.event.value}: {where} says {said[1]} of certificate {said[0]} ({said[2]}/{said[3]})",
        )
    return ProofCheck(
        name, True, f"{entry.event.value}: {where}, consensus {message.get('consensus_timestamp')}"
    )


async def _topic_messages(
    mirror: MirrorNode, topic_id: str, wanted: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """The topic's messages with the wanted sequence numbers, read in pages from the first of them."""
    first, last = min(wanted), max(wanted)
    path: str | None = (
        f"/api/v1/topics/{quote(topic_id)}/messages?sequencenumber=gt:{first - 1}&limit={_PAGE}"
    )
    found: dict[int, dict[str, Any]] = {}
    for _ in range(_MAX_TOPIC_PAGES):
        if path is None:
            break
        body = await mirror.get(path)
        if body is None:
            break
        page = [m for m in _messages(body.get("messages")) if isinstance(m.get("sequence_number"), int)]
        found.update((m["sequence_number"], m) for m in page if m["sequence_number"] in wanted)
        if not page or page[-1]["sequence_number"] >= last:
            break
        following = (body.get("links") or {}).get("next")
        path = following if isinstance(following, str) and following.startswith("/api/v1/") else None
    return found


def _messages(value: object) -> Iterable[dict[str, Any]]:
    return [m for m in value if isinstance(m, dict)] if isinstance(value, list) else []


def _base64(value: object) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
