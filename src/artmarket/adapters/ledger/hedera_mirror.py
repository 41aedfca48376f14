"""The Hedera mirror node (REST): receipts older than the consensus nodes keep, and NFT records."""

from __future__ import annotations

import re
from typing import Any

import httpx
import structlog

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
        body = await self.get(f"/api/v1/transactions/{mirror_transaction_id(transaction_id)}")
        if body is None:
            return None
        entries = [entry for entry in body.get("transactions") or [] if not entry.get("scheduled")]
        for entry in entries:
            if entry.get("result") == "SUCCESS":
                minted = [t for t in entry.get("nft_transfers") or [] if t.get("sender_account_id") is None]
                token_ids = {t.get("token_id") for t in minted}
                if len(token_ids) != 1 or None in token_ids:
                    raise LedgerError(f"Transaction {transaction_id} is not a mint of one collection.")
                serials = tuple(sorted(int(t["serial_number"]) for t in minted))
                return MintReceipt(transaction_id, str(token_ids.pop()), serials)
        for entry in entries:
            result = entry.get("result")
            if result and result != "DUPLICATE_TRANSACTION":
                raise LedgerRejected(str(result))
        return None

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
