"""The Ledger on Hedera, through `hiero-sdk-python` (consensus gRPC) and the mirror node (REST).

SDK calls run in `hedera_sdk` (a thread pool, one client retired on transport failure).
Receipts are kept by consensus nodes for 3 minutes only, so `mint_receipt` also asks the
mirror node (`hedera_mirror`) before it answers "no record". Burns, topics, transfers and
airdrops are in `hedera_certificates`.
"""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict
from collections.abc import Mapping, Sequence

import httpx
import structlog
from hiero_sdk_python import (  # type: ignore[import-untyped]  # no py.typed in 0.3.0
    AccountId,
    Client,
    CryptoGetAccountBalanceQuery,
    SupplyType,
    TokenCreateTransaction,
    TokenMintTransaction,
    TokenType,
)

from artmarket.adapters.ledger.hedera_certificates import (
    HederaCertificates,
    ReceiptPolling,
    Submitted,
    submit_signed,
)
from artmarket.adapters.ledger.hedera_keys import (
    KeyType,
    LedgerKeys,
    Signer,
    SigningKey,
    operator_signing_key,
    private_key,
)
from artmarket.adapters.ledger.hedera_mirror import MIRROR_URLS, MirrorNode
from artmarket.adapters.ledger.hedera_sdk import PUBLIC_NETWORKS, SdkCalls
from artmarket.adapters.ledger.hedera_transactions import ENTITY_ID, freeze_signed, signed_mint, token_id_of
from artmarket.application.minting.ledger import (
    LedgerError,
    LedgerRejected,
    LedgerUnavailable,
    MintReceipt,
    NftRecord,
    PreparedMint,
    check_collection,
    check_mint_batch,
    hashscan_nft_url,
    hashscan_transaction_url,
)

_REMEMBERED_MINTS = 4096

log = structlog.get_logger(__name__)


class HederaLedger(HederaCertificates):
    """NFT certificates on Hedera: collections, exactly-once mints, receipts, mirror-node lookups.

    It is a CertificateLedger too (burns, topics, transfers, airdrops: `HederaCertificates`).

    The operator pays and is the treasury and admin of every collection; the supply key
    (the operator's unless given) signs mints. Keys are DER hex, or raw hex with their type.
    Instead of its private key, the operator may be given as its public key (DER hex) and a
    `Signer` (the SDK's `sign_with` / `set_operator_with` callback), so the key can live in
    an HSM or KMS and never in this process.
    """

    def __init__(
        self,
        *,
        operator_id: str,
        operator_key: str | None = None,
        key_type: KeyType | None = None,
        operator_signer: Signer | None = None,
        operator_public_key: str | None = None,
        supply_key: str | None = None,
        supply_key_type: KeyType | None = None,
        network: str = "testnet",
        nodes: Mapping[str, str] | None = None,
        mirror_url: str | None = None,
        max_workers: int = 2,
        call_timeout: float = 30.0,
        grpc_deadline: float = 10.0,
        max_attempts: int = 10,
        lookup_attempts: int = 5,
        min_backoff: float = 0.25,
        max_backoff: float = 8.0,
        valid_duration: int = 120,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        if network not in (*PUBLIC_NETWORKS, "custom"):
            raise ValueError(f"Unknown Hedera network {network!r}: testnet, mainnet, previewnet or custom")
        if network == "custom" and not nodes:
            raise ValueError("A custom Hedera network needs its nodes: {'host:port': '0.0.3'}")
        if network != "custom" and nodes:
            raise ValueError(f"Nodes are discovered for {network}; give nodes only for network='custom'")
        if nodes and any(address.rsplit(":", 1)[-1] == "50212" for address in nodes):
            raise ValueError("Port 50212 means TLS to the SDK, which a custom network cannot verify")
        mirror = mirror_url or MIRROR_URLS.get(network)
        if mirror is None:
            raise ValueError("A custom Hedera network needs mirror_url (the mirror node's REST base URL)")
        if not 15 <= valid_duration <= 180:
            raise ValueError("valid_duration must be 15..180 s (the network's limits)")
        if not 0 <= min_backoff <= max_backoff:
            raise ValueError("Backoffs must satisfy 0 <= min_backoff <= max_backoff")
        if not ENTITY_ID.match(operator_id):
            raise ValueError("operator_id must look like 0.0.1234")

        self.network = network
        self._operator_id = AccountId.from_string(operator_id)
        operator = operator_signing_key(operator_key, key_type, operator_signer, operator_public_key)
        self._keys = LedgerKeys(
            operator=operator,
            supply=SigningKey.of(private_key(supply_key, supply_key_type, "supply_key"))
            if supply_key
            else operator,
        )
        self._call_timeout = call_timeout
        self._receipts = ReceiptPolling.of(
            max_backoff=max_backoff, max_attempts=max_attempts, timeout=call_timeout
        )
        self._lookup_attempts = lookup_attempts
        self._valid_duration = valid_duration
        self._remembered: OrderedDict[str, str] = OrderedDict()
        self._mirror = MirrorNode(mirror, http_client, timeout=call_timeout)
        self._sdk = SdkCalls(
            network=network,
            nodes=nodes or {},
            operator_id=self._operator_id,
            operator=operator,
            max_workers=max_workers,
            call_timeout=call_timeout,
            grpc_deadline=min(grpc_deadline, call_timeout),
            max_attempts=max_attempts,
            min_backoff=min_backoff,
            max_backoff=max_backoff,
        )

    def __repr__(self) -> str:
        return f"HederaLedger(network={self.network!r}, operator_id='{self._operator_id}')"

    # -- the port ------------------------------------------------------------------------

    async def create_collection(self, *, name: str, symbol: str, max_supply: int) -> str:
        check_collection(name, symbol, max_supply)

        def create(client: Client) -> str:
            tx = (
                TokenCreateTransaction()
                .set_token_name(name)
                .set_token_symbol(symbol)
                .set_token_type(TokenType.NON_FUNGIBLE_UNIQUE)
                .set_supply_type(SupplyType.FINITE)
                .set_max_supply(max_supply)
                .set_decimals(0)
                .set_initial_supply(0)
                .set_treasury_account_id(self._operator_id)
                .set_admin_key(self._keys.operator.public)
                .set_supply_key(self._keys.supply.public)
                .freeze_with(client)
                .sign_with(self._keys.operator.public, self._keys.operator.sign)
            )
            receipt = tx.execute(client, timeout=self._call_timeout, validate_status=True)
            return str(receipt.token_id)

        return await self._sdk.run("create_collection", create)

    async def prepare_mint(self, token_id: str, metadata: Sequence[bytes]) -> PreparedMint:
        items = check_mint_batch(metadata)
        token = token_id_of(token_id)

        def prepare(client: Client) -> PreparedMint:
            frozen = freeze_signed(
                TokenMintTransaction().set_token_id(token).set_metadata(list(items)),
                client,
                # The supply key, then the payer, so the bytes are complete.
                [self._keys.supply, self._keys.operator],
                valid_duration=self._valid_duration,
            )
            return PreparedMint(
                transaction_id=frozen.transaction_id,
                token_id=token_id,
                metadata=items,
                valid_until=frozen.valid_until,
                signed_bytes=frozen.signed_bytes,
            )

        prepared = await self._sdk.run("prepare_mint", prepare)
        self._remember(prepared.transaction_id, token_id)
        return prepared

    async def submit_mint(self, prepared: PreparedMint) -> MintReceipt:
        tx = signed_mint(prepared)
        self._remember(prepared.transaction_id, prepared.token_id)

        outcome = await self._sdk.run(
            "submit_mint",
            lambda client: submit_signed(tx, client, timeout=self._call_timeout, polling=self._receipts),
            transaction_id=prepared.transaction_id,
        )
        if not isinstance(outcome, Submitted):
            return MintReceipt(prepared.transaction_id, prepared.token_id, tuple(outcome.serial_numbers))
        log.info(
            "hedera.mint_already_submitted", transaction_id=prepared.transaction_id, answer=outcome.value
        )
        receipt = await self.mint_receipt(prepared.transaction_id, token_id=prepared.token_id)
        if receipt is not None:
            return receipt
        if outcome is Submitted.EXPIRED:
            raise LedgerRejected(outcome.value)
        raise LedgerUnavailable("The ledger has the transaction but no receipt for it yet.")

    async def mint_receipt(self, transaction_id: str, *, token_id: str | None = None) -> MintReceipt | None:
        token_id = token_id or self._remembered.get(transaction_id)
        receipt = await self._node_receipt("mint_receipt", transaction_id)
        serials = None if receipt is None else list(receipt.serial_numbers)
        if serials is not None and token_id is not None:
            return MintReceipt(transaction_id, token_id, tuple(serials))
        # Not at the node (receipts live 3 minutes), or the receipt does not name the token.
        from_mirror = await self._mirror.mint_receipt(transaction_id)
        if from_mirror is not None:
            return from_mirror
        if serials is not None:
            raise LedgerUnavailable("The mint succeeded but its token is unknown yet; pass token_id.")
        return None

    async def nft(self, token_id: str, serial: int) -> NftRecord | None:
        token_id_of(token_id)
        body = await self._mirror.get(f"/api/v1/tokens/{token_id}/nfts/{int(serial)}")
        if body is None:
            return None
        try:
            metadata = base64.b64decode(body.get("metadata") or "", validate=True)
        except (binascii.Error, ValueError):
            raise LedgerError("The mirror node returned metadata that is not base64.") from None
        owner = None if body.get("deleted") else body.get("account_id")
        return NftRecord(token_id=token_id, serial=int(serial), metadata=metadata, owner_account=owner)

    async def operator_balance(self) -> int:
        """The operator account's balance in tinybars, from a consensus node (a free query)."""

        def query(client: Client) -> int:
            answer = CryptoGetAccountBalanceQuery().set_account_id(self._operator_id).execute(client)
            return int(answer.hbars.to_tinybars())

        return await self._sdk.run("operator_balance", query)

    @property
    def operator_id(self) -> str:
        return str(self._operator_id)

    def explorer_url(self, token_id: str, serial: int) -> str | None:
        return hashscan_nft_url(self.network, token_id, serial)

    def transaction_explorer_url(self, transaction_id: str) -> str | None:
        return hashscan_transaction_url(self.network, transaction_id)

    async def aclose(self) -> None:
        """Stop taking calls, wait for the SDK threads, close gRPC channels and the HTTP client."""
        await self._sdk.aclose()
        await self._mirror.aclose()

    def _remember(self, transaction_id: str, token_id: str) -> None:
        self._remembered[transaction_id] = token_id
        self._remembered.move_to_end(transaction_id)
        while len(self._remembered) > _REMEMBERED_MINTS:
            self._remembered.popitem(last=False)
