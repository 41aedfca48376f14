"""The Ledger port: NFT collections and exactly-once mints, as Hedera does them.

A mint is two steps so it survives crashes. `prepare_mint` chooses the transaction id and
signs the transaction without submitting it; the caller persists the `PreparedMint`, and
only then calls `submit_mint`. After a crash the caller asks `mint_receipt` about the
stored id. Resubmitting the stored `PreparedMint` is always safe: the ledger accepts a
transaction id at most once. Only a transaction that `mint_receipt` reports as absent
*after* its `valid_until` may be replaced by a new one.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from artmarket.application.i18n import N_
from artmarket.domain.errors import DomainError

#: Most NFTs one TokenMint may create (`tokens.nfts.maxBatchSizeMint`).
MAX_BATCH = 10
#: Most bytes of metadata one NFT may carry (`tokens.nfts.maxMetadataBytes`).
MAX_METADATA_BYTES = 100
#: Most UTF-8 bytes of a token name or symbol (`tokens.maxTokenNameUtf8Bytes`, `maxSymbolUtf8Bytes`).
MAX_NAME_BYTES = 100

#: Networks whose transactions and tokens HashScan shows.
HASHSCAN_NETWORKS = frozenset({"mainnet", "testnet", "previewnet"})

_TRANSACTION_ID = re.compile(r"^(\d+\.\d+\.\d+)@(\d+)\.(\d{9})$")
_ENTITY_ID = re.compile(r"^\d+\.\d+\.\d+$")


class LedgerError(DomainError):
    """The ledger did not do what was asked."""

    default_message = "The ledger could not complete the request."


class LedgerUnavailable(LedgerError):
    """The ledger could not be reached or did not answer in time; the outcome is unknown, retry."""

    default_message = "The ledger is temporarily unavailable; try again later."


class LedgerRejected(LedgerError):
    """The ledger refused the transaction for good (`status` is Hedera's response code name)."""

    default_message = "The ledger refused the transaction."

    def __init__(self, status: str, message: str | None = None, **params: Any) -> None:
        if message is None:
            message, params = N_("The ledger refused the transaction: {status}."), {"status": status}
        super().__init__(message, **params)
        self.status = status


@dataclass(frozen=True, slots=True)
class PreparedMint:
    """A signed TokenMint that has not necessarily been submitted; persist it before submitting.

    `transaction_id` is canonical (`0.0.1001@1700000000.000000005`, nanos zero-padded to 9
    digits). `signed_bytes` resubmits exactly the same transaction (empty when the ledger
    needs none).
    """

    transaction_id: str
    token_id: str
    metadata: tuple[bytes, ...]
    valid_until: datetime
    signed_bytes: bytes = field(default=b"", repr=False)

    def __post_init__(self) -> None:
        parse_transaction_id(self.transaction_id)
        if self.valid_until.tzinfo is None:
            raise ValueError("valid_until must be timezone-aware")


@dataclass(frozen=True, slots=True)
class MintReceipt:
    """A mint that reached consensus and succeeded: its serials, in the order of the metadata."""

    transaction_id: str
    token_id: str
    serials: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class NftRecord:
    """One NFT as the ledger shows it; `owner_account` is None when it no longer exists."""

    token_id: str
    serial: int
    metadata: bytes
    owner_account: str | None


class Ledger(Protocol):
    """An NFT ledger: mints are prepared (id chosen, signed), persisted by the caller, then submitted.

    `network` is "simulated", "testnet", "mainnet", "previewnet" or "custom".
    """

    network: str

    @abstractmethod
    async def create_collection(self, *, name: str, symbol: str, max_supply: int) -> str:
        """Create a finite NFT collection that we can mint into; returns its token id "0.0.N"."""

    @abstractmethod
    async def prepare_mint(self, token_id: str, metadata: Sequence[bytes]) -> PreparedMint:
        """Check 1..MAX_BATCH items of <= MAX_METADATA_BYTES (else LedgerRejected), choose the id, sign.

        Submits nothing: the caller persists the result, then calls `submit_mint`.
        """

    @abstractmethod
    async def submit_mint(self, prepared: PreparedMint) -> MintReceipt:
        """Submit; an id the ledger already accepted returns its receipt and mints nothing more.

        LedgerUnavailable: the outcome is unknown (ask `mint_receipt`, or resubmit the same
        PreparedMint). LedgerRejected: permanent, nothing was minted.
        """

    @abstractmethod
    async def mint_receipt(self, transaction_id: str, *, token_id: str | None = None) -> MintReceipt | None:
        """The receipt of an earlier submission, or None when the ledger has no record of it.

        None proves the mint never happened only once the prepared `valid_until` has passed.
        LedgerRejected: it happened and failed. LedgerUnavailable: the ledger cannot tell now.
        Pass the prepared `token_id` when known: a Hedera receipt does not name the token.
        """

    @abstractmethod
    async def nft(self, token_id: str, serial: int) -> NftRecord | None:
        """One NFT as the ledger shows it, for verification; None when it does not exist."""

    @abstractmethod
    def explorer_url(self, token_id: str, serial: int) -> str | None:
        """A public explorer page for one NFT, or None when the ledger has no public explorer."""

    @abstractmethod
    def transaction_explorer_url(self, transaction_id: str) -> str | None:
        """A public explorer page for one transaction, or None when there is none."""


def format_transaction_id(account_id: str, seconds: int, nanos: int) -> str:
    """The canonical id of the transaction paid by `account_id` with this valid start."""
    if not _ENTITY_ID.match(account_id) or seconds < 0 or not 0 <= nanos < 1_000_000_000:
        raise ValueError(f"Not a transaction id: {account_id}@{seconds}.{nanos}")
    return f"{account_id}@{seconds}.{nanos:09d}"


def parse_transaction_id(transaction_id: str) -> tuple[str, int, int]:
    """(payer account, valid-start seconds, valid-start nanos) of a canonical transaction id.

    Only the canonical form is accepted: the SDK's `str()` drops leading zeros of the nanos
    (`@1700000000.5` is 5 ns, not half a second), so that form is ambiguous to read.
    """
    match = _TRANSACTION_ID.match(transaction_id)
    if match is None:
        raise ValueError(f"Not a canonical transaction id: {transaction_id!r}")
    return match.group(1), int(match.group(2)), int(match.group(3))


def mirror_transaction_id(transaction_id: str) -> str:
    """The mirror-node / HashScan form of a transaction id: `0.0.1001-1700000000-000000005`."""
    account, seconds, nanos = parse_transaction_id(transaction_id)
    return f"{account}-{seconds}-{nanos:09d}"


def check_mint_batch(metadata: Sequence[bytes]) -> tuple[bytes, ...]:
    """The batch as a tuple, or LedgerRejected with the status the network would answer."""
    items = tuple(metadata)
    if not items or len(items) > MAX_BATCH:
        raise LedgerRejected(
            "BATCH_SIZE_LIMIT_EXCEEDED",
            "A mint carries 1 to {most} NFTs, not {count}.",
            most=MAX_BATCH,
            count=len(items),
        )
    for item in items:
        if not isinstance(item, bytes):
            raise TypeError("NFT metadata must be bytes")
        if len(item) > MAX_METADATA_BYTES:
            raise LedgerRejected(
                "METADATA_TOO_LONG",
                "NFT metadata is at most {most} bytes, not {size}.",
                most=MAX_METADATA_BYTES,
                size=len(item),
            )
    return items


def check_collection(name: str, symbol: str, max_supply: int) -> None:
    """LedgerRejected with the status the network would answer for a collection it refuses."""
    for value, missing, too_long in (
        (name, "MISSING_TOKEN_NAME", "TOKEN_NAME_TOO_LONG"),
        (symbol, "MISSING_TOKEN_SYMBOL", "TOKEN_SYMBOL_TOO_LONG"),
    ):
        if not value.strip():
            raise LedgerRejected(missing)
        if len(value.encode()) > MAX_NAME_BYTES:
            raise LedgerRejected(too_long)
    if max_supply < 1:
        raise LedgerRejected("INVALID_TOKEN_MAX_SUPPLY")


def hashscan_nft_url(network: str, token_id: str, serial: int) -> str | None:
    """HashScan's page for one NFT, on the networks HashScan shows."""
    if network not in HASHSCAN_NETWORKS:
        return None
    return f"https://hashscan.io/{network}/token/{token_id}/{serial}"


def hashscan_transaction_url(network: str, transaction_id: str) -> str | None:
    """HashScan's page for one transaction, on the networks HashScan shows."""
    if network not in HASHSCAN_NETWORKS:
        return None
    return f"https://hashscan.io/{network}/transaction/{mirror_transaction_id(transaction_id)}"
