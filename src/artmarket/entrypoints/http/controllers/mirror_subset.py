"""The simulated ledger's mirror node: the two REST reads of Hedera's mirror node a verifier needs.

Only mounted on the simulated ledger (`make run`), so the certificate page's independent check
and `artmarket verify-proof` work offline exactly as they do against a public mirror node:
same paths, same JSON fields, open to every origin. It is not part of artmarket's API and
stays out of its OpenAPI document. The running hash is a SHA-384 chain over the simulated
messages, not Hedera's exact construction, and an NFT's timestamps are null (the simulated
ledger keeps none): nothing here is on a public network.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from typing import Annotated, Any, Final, Literal

from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, Router, get
from litestar.params import FromPath, FromQuery, QueryParameter

from artmarket.application.minting.certificate_transactions import CertificateLedger, TopicMessage
from artmarket.application.minting.ledger import Ledger

#: The real mirror node's default and largest page.
DEFAULT_LIMIT: Final = 25
MAX_LIMIT: Final = 100
#: Its responses may be read by any page, as the public mirror nodes' are.
OPEN_TO_ALL: Final = {"Access-Control-Allow-Origin": "*"}
_ENTITY: Final = re.compile(r"^\d+\.\d+\.\d+$")
_SEQUENCE: Final = re.compile(r"^(?:(eq|gt|gte|lt|lte):)?(\d{1,19})$")
_READ_PAGE: Final = 100


def _answer(body: dict[str, Any], status: int = 200) -> Response[dict[str, Any]]:
    return Response(body, status_code=status, headers=OPEN_TO_ALL, media_type="application/json")


def _problem(status: int, message: str) -> Response[dict[str, Any]]:
    """The mirror node's error body."""
    return _answer({"_status": {"messages": [{"message": message}]}}, status)


@get("/tokens/{token_id:str}/nfts/{serial:int}", include_in_schema=False)
@inject
async def nft(
    token_id: FromPath[str], serial: FromPath[int], ledger: FromDishka[Ledger]
) -> Response[dict[str, Any]]:
    """`GET /api/v1/tokens/{id}/nfts/{serial}`: a burned NFT is `deleted` with no account."""
    if not _ENTITY.match(token_id) or serial < 1:
        return _problem(400, "Invalid parameter: tokenId or serialNumber")
    record = await ledger.nft(token_id, serial)
    if record is None:
        return _problem(404, "Not found")
    return _answer(
        {
            "account_id": record.owner_account,
            "created_timestamp": None,
            "delegating_spender": None,
            "deleted": record.owner_account is None,
            "metadata": base64.b64encode(record.metadata).decode("ascii"),
            "modified_timestamp": None,
            "serial_number": serial,
            "spender": None,
            "token_id": token_id,
        }
    )


@get("/topics/{topic_id:str}/messages", include_in_schema=False)
@inject
async def topic_messages(
    topic_id: FromPath[str],
    ledger: FromDishka[CertificateLedger],
    sequencenumber: FromQuery[list[str] | None] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    order: FromQuery[Literal["asc", "desc"]] = "asc",
) -> Response[dict[str, Any]]:
    """`GET /api/v1/topics/{id}/messages?sequencenumber=gt:N&limit=&order=`, with `links.next`."""
    if not _ENTITY.match(topic_id):
        return _problem(400, "Invalid parameter: topicId")
    bounds = [_SEQUENCE.match(value) for value in sequencenumber or []]
    if not all(bounds):
        return _problem(400, "Invalid parameter: sequencenumber")
    everything = await _all_messages(ledger, topic_id)
    chosen = [m for m in everything if all(_within(m.sequence_number, b[1], int(b[2])) for b in bounds if b)]
    if order == "desc":
        chosen.reverse()
    page = chosen[:limit]
    hashes = _running_hashes(topic_id, everything)
    following = None
    if len(chosen) > limit:
        operator = "lt" if order == "desc" else "gt"
        following = (
            f"/api/v1/topics/{topic_id}/messages?limit={limit}&order={order}"
            f"&sequencenumber={operator}:{page[-1].sequence_number}"
        )
    return _answer(
        {
            "messages": [
                {
                    "chunk_info": None,
                    "consensus_timestamp": m.consensus_timestamp,
                    "message": base64.b64encode(m.message).decode("ascii"),
                    "payer_account_id": ledger.treasury_account,
                    "running_hash": base64.b64encode(hashes[m.sequence_number]).decode("ascii"),
                    "running_hash_version": 3,
                    "sequence_number": m.sequence_number,
                    "topic_id": topic_id,
                }
                for m in page
            ],
            "links": {"next": following},
        }
    )


def _within(sequence: int, operator: str | None, bound: int) -> bool:
    match operator:
        case "gt":
            return sequence > bound
        case "gte":
            return sequence >= bound
        case "lt":
            return sequence < bound
        case "lte":
            return sequence <= bound
        case _:
            return sequence == bound


async def _all_messages(ledger: CertificateLedger, topic_id: str) -> list[TopicMessage]:
    """Every message of the topic (a simulated topic is small), in order."""
    found: list[TopicMessage] = []
    while True:
        page = await ledger.topic_messages(
            topic_id, after=found[-1].sequence_number if found else 0, limit=_READ_PAGE
        )
        found.extend(page)
        if len(page) < _READ_PAGE:
            return found


def _running_hashes(topic_id: str, messages: Sequence[TopicMessage]) -> dict[int, bytes]:
    running = bytes(48)
    hashes: dict[int, bytes] = {}
    for m in messages:
        running = hashlib.sha384(
            running + f"{topic_id}:{m.sequence_number}:{m.consensus_timestamp}:".encode() + m.message
        ).digest()
        hashes[m.sequence_number] = running
    return hashes


def mirror_subset_router(prefix: str) -> Router:
    """The subset under the API prefix (`/api/v1`), as on a mirror node; not in our OpenAPI."""
    return Router(path=prefix, route_handlers=[nft, topic_messages], include_in_schema=False)
