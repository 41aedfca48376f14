"""The Hedera mirror node (REST): outcomes older than the consensus nodes keep, NFTs, accounts, topics."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import AsyncIterator
from typing import Any, cast

import httpx
import structlog

from artmarket.application.minting.certificate_transactions import TopicMessage, TransactionOutcome
from artmarket.application.minting.ledger import (
    LedgerError,
    LedgerRejected,
    LedgerUnavailable,
    MintReceipt,
    mirror_transaction_id,
)

#: Public mirror nodes (the SDK's own defaults).
MIRROR_URLS: dict[str, str] = {
    "mainnet": "https://mainnet-public.mirrornode.hedera.com",
    "testnet": "https://testnet.mirrornode.hedera.com",
    "previewnet": "https://previewnet.mirrornode.hedera.com",
}

#: Most items the mirror node returns per page.
_PAGE_LIMIT = 100
#: The mirror node's name of a consensus-service message transaction.
_TOPIC_MESSAGE = "CONSENSUSSUBMITMESSAGE"

log = structlog.get_logger("artmarket.adapters.ledger.hedera")


class MirrorNode:
    """A mirror node's REST API at `base_url` (with or without its `/api/v1` suffix)."""

    def __init__(self, base_url: str, http: httpx.AsyncClient | None, *, timeout: float) -> None:
        self._base_url = re.sub(r"(/api/v1)?/*$", "", base_url)
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=httpx.Timeout(timeout))

    async def aclose(self) -> None:
        """Close the HTTP client if this mirror node made it."""
        if self._owns_http:
            self._owns_http = False
            await self._http.aclose()

    async def mint_receipt(self, transaction_id: str) -> MintReceipt | None:
        """The mint's receipt as the mirror node recorded it; None while it has no record."""
        entry = await self._settled(transaction_id)
        if entry is None:
            return None
        minted = [t for t in entry.get("nft_transfers") or [] if t.get("sender_account_id") is None]
        token_ids = {t.get("token_id") for t in minted}
        if len(token_ids) != 1 or None in token_ids:
            raise LedgerError(f"Transaction {transaction_id} is not a mint of one collection.")
        serials = tuple(sorted(int(t["serial_number"]) for t in minted))
        return MintReceipt(transaction_id, str(token_ids.pop()), serials)

    async def transaction_outcome(self, transaction_id: str) -> TransactionOutcome | None:
        """A transaction's outcome as the mirror node recorded it; None while it has no record."""
        entry = await self._settled(transaction_id)
        if entry is None:
            return None
        timestamp = str(entry["consensus_timestamp"])
        sequence_number = None
        if entry.get("name") == _TOPIC_MESSAGE:
            message = await self.get(f"/api/v1/topics/messages/{timestamp}")
            if message is None:
                raise LedgerUnavailable(
                    "The mirror node has the topic message's transaction but not the message."
                )
            sequence_number = int(message["sequence_number"])
        return TransactionOutcome(transaction_id, timestamp, sequence_number)

    async def accepts_token(self, account_id: str, token_id: str) -> bool:
        """Whether the account is associated with the token or has a free automatic-association slot."""
        account = await self.get(f"/api/v1/accounts/{account_id}")
        if account is None:
            raise LedgerRejected("INVALID_ACCOUNT_ID", f"The account {account_id} does not exist.")
        held = await self.get(f"/api/v1/accounts/{account_id}/tokens?token.id={token_id}")
        if held is not None and any(t.get("token_id") == token_id for t in held.get("tokens") or []):
            return True
        slots = int(account.get("max_automatic_token_associations") or 0)
        if slots < 0:  # -1: unlimited
            return True
        automatic = 0
        async for relationship in self._pages(
            f"/api/v1/accounts/{account_id}/tokens?limit={_PAGE_LIMIT}", "tokens"
        ):
            automatic += bool(relationship.get("automatic_association"))
            if automatic >= slots:
                return False
        return automatic < slots

    async def pending_airdrop(self, token_id: str, serial: int, account_id: str) -> bool:
        """Whether an airdrop of this NFT to the account waits to be claimed."""
        body = await self.get(
            f"/api/v1/accounts/{account_id}/airdrops/pending?token.id={token_id}&serialnumber={int(serial)}"
        )
        return body is not None and any(
            airdrop.get("token_id") == token_id and airdrop.get("serial_number") == serial
            for airdrop in body.get("airdrops") or []
        )

    async def topic_messages(self, topic_id: str, *, after: int, limit: int) -> list[TopicMessage]:
        """Up to `limit` messages above sequence number `after`, in order (none for a topic unseen)."""
        messages: list[TopicMessage] = []
        page = min(limit, _PAGE_LIMIT)
        path = f"/api/v1/topics/{topic_id}/messages?sequencenumber=gt:{int(after)}&limit={page}&order=asc"
        async for item in self._pages(path, "messages"):
            if len(messages) >= limit:
                break
            try:
                content = base64.b64decode(item.get("message") or "", validate=True)
            except (binascii.Error, ValueError):
                raise LedgerError("The mirror node returned a topic message that is not base64.") from None
            messages.append(
                TopicMessage(int(item["sequence_number"]), str(item["consensus_timestamp"]), content)
            )
        return messages

    async def _settled(self, transaction_id: str) -> dict[str, Any] | None:
        """The successful record of a transaction; None while there is none; LedgerRejected if it failed."""
        body = await self.get(f"/api/v1/transactions/{mirror_transaction_id(transaction_id)}")
        if body is None:
            return None
        entries = [entry for entry in body.get("transactions") or [] if not entry.get("scheduled")]
        for entry in entries:
            if entry.get("result") == "SUCCESS":
                return cast(dict[str, Any], entry)
        for entry in entries:
            result = entry.get("result")
            if result and result != "DUPLICATE_TRANSACTION":
                raise LedgerRejected(str(result))
        return None

    async def _pages(self, path: str, key: str) -> AsyncIterator[dict[str, Any]]:
        """The items under `key` of a listing, following its `links.next` (a 404 lists nothing)."""
        next_path: str | None = path
        while next_path is not None:
            body = await self.get(next_path)
            if body is None:
                return
            for item in body.get(key) or []:
                yield item
            link = (body.get("links") or {}).get("next")
            # The mirror node links to its own next page: a path, never another host.
            next_path = link if isinstance(link, str) and link.startswith("/api/v1/") else None

    async def get(self, path: str) -> dict[str, Any] | None:
        """The JSON body, None on 404, LedgerUnavailable when the mirror node cannot answer."""
        try:
            response = await self._http.get(f"{self._base_url}{path}")
        except httpx.HTTPError as error:
            log.warning("hedera.mirror_unavailable", path=path, error=type(error).__name__)
            raise LedgerUnavailable("The Hedera mirror node cannot be reached.") from None
        if response.status_code == httpx.codes.NOT_FOUND:
            return None
        if response.status_code == httpx.codes.TOO_MANY_REQUESTS or response.status_code >= 500:
            log.warning("hedera.mirror_unavailable", path=path, status=response.status_code)
            raise LedgerUnavailable("The Hedera mirror node is unavailable.")
        if response.status_code != httpx.codes.OK:
            raise LedgerError(f"The Hedera mirror node refused {path} ({response.status_code}).")
        try:
            body = response.json()
        except ValueError:
            raise LedgerUnavailable(
                "The Hedera mirror node answered with something other than JSON."
            ) from None
        if not isinstance(body, dict):
            raise LedgerUnavailable("The Hedera mirror node answered with unexpected JSON.")
        return body
