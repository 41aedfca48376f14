"""The Ledger on Hedera, through `hiero-sdk-python` (consensus gRPC) and the mirror node (REST).

The SDK is blocking and keeps per-node health state without locks, so every SDK call runs
in a small dedicated thread pool. When a call fails in transport (gRPC UNAVAILABLE, "All
nodes are unhealthy", retries exhausted), the SDK client is retired and the next call
builds a fresh one: on a single-node network one UNAVAILABLE would otherwise make every
call fail for the next 16 s.

Receipts are kept by consensus nodes for 3 minutes only, so `mint_receipt` also asks the
mirror node before it answers "no record".
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import functools
import logging
import math
import random
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any, Literal, TypeVar

import httpx
import structlog
from hiero_sdk_python import (  # type: ignore[import-untyped]  # no py.typed in 0.3.0
    AccountId,
    Client,
    CryptoGetAccountBalanceQuery,
    LogLevel,
    PrecheckError,
    PrivateKey,
    PublicKey,
    ReceiptStatusError,
    ResponseCode,
    SupplyType,
    TokenCreateTransaction,
    TokenId,
    TokenMintTransaction,
    TokenType,
    TransactionGetReceiptQuery,
    TransactionId,
)
from hiero_sdk_python.exceptions import MaxAttemptsError  # type: ignore[import-untyped]
from hiero_sdk_python.hapi.sdk.transaction_list_pb2 import TransactionList  # type: ignore[import-untyped]
from hiero_sdk_python.hapi.services import (  # type: ignore[import-untyped]
    timestamp_pb2,
    transaction_contents_pb2,
    transaction_pb2,
)
from hiero_sdk_python.transaction.transaction import Transaction  # type: ignore[import-untyped]

from artmarket.application.minting.ledger import (
    LedgerError,
    LedgerRejected,
    LedgerUnavailable,
    MintReceipt,
    NftRecord,
    PreparedMint,
    check_collection,
    check_mint_batch,
    format_transaction_id,
    hashscan_nft_url,
    hashscan_transaction_url,
    mirror_transaction_id,
    parse_transaction_id,
)
from artmarket.application.ports import NeedsAttention

KeyType = Literal["ed25519", "ecdsa"]
#: The SDK's signer callback: the exact body bytes in, the raw signature out (HSM, KMS, ...).
Signer = Callable[[bytes], bytes]

#: Public mirror nodes (the SDK's own defaults).
MIRROR_URLS: dict[str, str] = {
    "mainnet": "https://mainnet-public.mirrornode.hedera.com",
    "testnet": "https://testnet.mirrornode.hedera.com",
    "previewnet": "https://previewnet.mirrornode.hedera.com",
}
_CLIENT_FACTORIES: dict[str, Callable[[], Client]] = {
    "mainnet": Client.for_mainnet,
    "testnet": Client.for_testnet,
    "previewnet": Client.for_previewnet,
}
#: Precheck answers that mean "try again", should they ever escape the SDK's own retries.
_TRANSIENT = {
    ResponseCode.BUSY,
    ResponseCode.PLATFORM_NOT_ACTIVE,
    ResponseCode.PLATFORM_TRANSACTION_NOT_CREATED,
    ResponseCode.UNKNOWN,
    ResponseCode.OK,
    ResponseCode.RECEIPT_NOT_FOUND,
}
_ENTITY_ID = re.compile(r"^\d+\.\d+\.\d+$")
_RAW_KEY_HEX_LENGTH = 64
_REMEMBERED_MINTS = 4096
#: A frozen transaction carries one signed body per node it may be sent to; a few nodes keep
#: the persisted bytes small (mainnet has ~30 nodes) and still allow failover.
_MINT_NODES = 5

_T = TypeVar("_T")
log = structlog.get_logger(__name__)


class _Submitted(Enum):
    """What the node said when the mint itself did not come back with a receipt."""

    DUPLICATE = "DUPLICATE_TRANSACTION"
    EXPIRED = "TRANSACTION_EXPIRED"


@dataclass(frozen=True, slots=True)
class _Key:
    """A public key and what signs for it: a private key's `sign`, or an external signer.

    Kept out of every repr (the SDK's PrivateKey repr prints the key)."""

    public: PublicKey
    sign: Signer = field(repr=False)

    @classmethod
    def of(cls, key: PrivateKey) -> _Key:
        return cls(key.public_key(), key.sign)


@dataclass(frozen=True, slots=True)
class _Keys:
    operator: _Key
    supply: _Key


@dataclass(slots=True)
class _ClientSlot:
    client: Client
    users: int = 0
    retired: bool = False


class HederaLedger:
    """NFT certificates on Hedera: collections, exactly-once mints, receipts, mirror-node lookups.

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
        if network not in (*_CLIENT_FACTORIES, "custom"):
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
        if not _ENTITY_ID.match(operator_id):
            raise ValueError("operator_id must look like 0.0.1234")

        self.network = network
        self._operator_id = AccountId.from_string(operator_id)
        operator = _operator(operator_key, key_type, operator_signer, operator_public_key)
        self._keys = _Keys(
            operator=operator,
            supply=_Key.of(_private_key(supply_key, supply_key_type, "supply_key"))
            if supply_key
            else operator,
        )
        self._nodes = dict(nodes or {})
        self._mirror_url = re.sub(r"(/api/v1)?/*$", "", mirror)
        self._call_timeout = call_timeout
        self._grpc_deadline = min(grpc_deadline, call_timeout)
        self._max_attempts = max_attempts
        self._lookup_attempts = lookup_attempts
        self._min_backoff = min_backoff
        self._max_backoff = max_backoff
        self._valid_duration = valid_duration
        # Submitting and then waiting for the receipt are bounded by call_timeout each; a
        # last attempt may start just before the end and wait out its gRPC deadline.
        self._await_timeout = 2 * (call_timeout + self._grpc_deadline + max_backoff) + 5
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="hedera-ledger")
        self._lock = threading.Lock()
        self._slot: _ClientSlot | None = None
        self._closed = False
        self._remembered: OrderedDict[str, str] = OrderedDict()
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=httpx.Timeout(call_timeout))
        _silence_sdk_logging()

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

        return await self._run("create_collection", create)

    async def prepare_mint(self, token_id: str, metadata: Sequence[bytes]) -> PreparedMint:
        items = check_mint_batch(metadata)
        token = _token_id(token_id)

        def prepare(client: Client) -> PreparedMint:
            node_ids = client.get_node_account_ids()
            if len(node_ids) > _MINT_NODES:
                node_ids = random.sample(node_ids, _MINT_NODES)
            tx = (
                TokenMintTransaction()
                .set_token_id(token)
                .set_metadata(list(items))
                .set_transaction_valid_duration(self._valid_duration)
                .set_node_account_ids(node_ids)
                .freeze_with(client)  # chooses the transaction id: valid start = now - 5..8 s
                .sign_with(self._keys.supply.public, self._keys.supply.sign)
                # The payer; signed now so the bytes are complete (a no-op if it is the supply key).
                .sign_with(self._keys.operator.public, self._keys.operator.sign)
            )
            txid = tx.transaction_id
            seconds, nanos = txid.valid_start.seconds, txid.valid_start.nanos
            valid_start = datetime.fromtimestamp(seconds, UTC) + timedelta(
                microseconds=math.ceil(nanos / 1000)
            )
            return PreparedMint(
                transaction_id=format_transaction_id(str(txid.account_id), seconds, nanos),
                token_id=token_id,
                metadata=items,
                valid_until=valid_start + timedelta(seconds=self._valid_duration),
                signed_bytes=tx.to_bytes(),
            )

        prepared = await self._run("prepare_mint", prepare)
        self._remember(prepared.transaction_id, token_id)
        return prepared

    async def submit_mint(self, prepared: PreparedMint) -> MintReceipt:
        tx = _signed_mint(prepared)
        self._remember(prepared.transaction_id, prepared.token_id)

        def submit(client: Client) -> list[int] | _Submitted:
            try:
                response = tx.execute(client, timeout=self._call_timeout, wait_for_receipt=False)
            except PrecheckError as error:
                if error.status == ResponseCode.DUPLICATE_TRANSACTION:
                    return _Submitted.DUPLICATE
                if error.status == ResponseCode.TRANSACTION_EXPIRED:
                    # Expiry is checked before duplicates: this may have been accepted earlier.
                    return _Submitted.EXPIRED
                raise
            receipt = response.get_receipt(client, timeout=self._call_timeout, validate_status=True)
            return list(receipt.serial_numbers)

        outcome = await self._run("submit_mint", submit, transaction_id=prepared.transaction_id)
        if not isinstance(outcome, _Submitted):
            return MintReceipt(prepared.transaction_id, prepared.token_id, tuple(outcome))
        log.info(
            "hedera.mint_already_submitted", transaction_id=prepared.transaction_id, answer=outcome.value
        )
        receipt = await self.mint_receipt(prepared.transaction_id, token_id=prepared.token_id)
        if receipt is not None:
            return receipt
        if outcome is _Submitted.EXPIRED:
            raise LedgerRejected(outcome.value)
        raise LedgerUnavailable("The ledger has the transaction but no receipt for it yet.")

    async def mint_receipt(self, transaction_id: str, *, token_id: str | None = None) -> MintReceipt | None:
        account, seconds, nanos = parse_transaction_id(transaction_id)
        token_id = token_id or self._remembered.get(transaction_id)

        def lookup(client: Client) -> list[int] | None:
            txid = TransactionId(
                account_id=AccountId.from_string(account),
                valid_start=timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos),
            )
            query = (
                TransactionGetReceiptQuery()
                .set_transaction_id(txid)
                .set_validate_status(True)
                .set_max_attempts(self._lookup_attempts)
            )
            try:
                receipt = query.execute(client, timeout=self._call_timeout)
            except MaxAttemptsError as error:
                last = error.last_error
                if isinstance(last, PrecheckError) and last.status == ResponseCode.RECEIPT_NOT_FOUND:
                    return None
                raise
            return list(receipt.serial_numbers)

        serials = await self._run("mint_receipt", lookup, transaction_id=transaction_id)
        if serials is not None and token_id is not None:
            return MintReceipt(transaction_id, token_id, tuple(serials))
        # Not at the node (receipts live 3 minutes), or the receipt does not name the token.
        from_mirror = await self._mirror_receipt(transaction_id)
        if from_mirror is not None:
            return from_mirror
        if serials is not None:
            raise LedgerUnavailable("The mint succeeded but its token is unknown yet; pass token_id.")
        return None

    async def nft(self, token_id: str, serial: int) -> NftRecord | None:
        _token_id(token_id)
        body = await self._mirror_get(f"/api/v1/tokens/{token_id}/nfts/{int(serial)}")
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

        return await self._run("operator_balance", query)

    @property
    def operator_id(self) -> str:
        return str(self._operator_id)

    def explorer_url(self, token_id: str, serial: int) -> str | None:
        return hashscan_nft_url(self.network, token_id, serial)

    def transaction_explorer_url(self, transaction_id: str) -> str | None:
        return hashscan_transaction_url(self.network, transaction_id)

    async def aclose(self) -> None:
        """Stop taking calls, wait for the SDK threads, close gRPC channels and the HTTP client."""
        if self._closed:
            return
        with self._lock:
            self._closed = True
            slot, self._slot = self._slot, None
            if slot is not None:
                slot.retired = True
        await asyncio.to_thread(self._pool.shutdown, wait=True, cancel_futures=True)
        if slot is not None and slot.users == 0:
            slot.client.close()
        if self._owns_http:
            await self._http.aclose()

    # -- mirror node ---------------------------------------------------------------------

    async def _mirror_receipt(self, transaction_id: str) -> MintReceipt | None:
        body = await self._mirror_get(f"/api/v1/transactions/{mirror_transaction_id(transaction_id)}")
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

    async def _mirror_get(self, path: str) -> dict[str, Any] | None:
        """The JSON body, None on 404, LedgerUnavailable when the mirror node cannot answer."""
        try:
            response = await self._http.get(f"{self._mirror_url}{path}")
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

    # -- running SDK calls ---------------------------------------------------------------

    async def _run(
        self, operation: str, call: Callable[[Client], _T], *, transaction_id: str | None = None
    ) -> _T:
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self._pool, functools.partial(self._call, call))
        except RuntimeError:  # the pool was shut down
            raise LedgerUnavailable("The Hedera ledger is closed.") from None
        try:
            return await asyncio.wait_for(future, self._await_timeout)
        except TimeoutError:
            log.warning("hedera.call_timed_out", operation=operation, transaction_id=transaction_id)
            raise LedgerUnavailable("The Hedera network did not answer in time.") from None
        except LedgerError as error:
            log.warning(
                "hedera.call_failed",
                operation=operation,
                transaction_id=transaction_id,
                error=type(error).__name__,
                status=getattr(error, "status", None),
                detail=str(error.__cause__ or error),
            )
            raise

    def _call(self, call: Callable[[Client], _T]) -> _T:
        """Run one SDK call on a leased client (in a pool thread); translate its errors."""
        with self._lease() as slot:
            try:
                return call(slot.client)
            except PrecheckError as error:
                if error.status in _TRANSIENT:
                    raise LedgerUnavailable() from error
                raise LedgerRejected(ResponseCode(error.status).name) from error
            except ReceiptStatusError as error:
                if error.status in _TRANSIENT:
                    raise LedgerUnavailable() from error
                raise LedgerRejected(ResponseCode(error.status).name) from error
            except MaxAttemptsError as error:
                if not isinstance(error.last_error, PrecheckError | ReceiptStatusError):
                    self._retire(slot)
                raise LedgerUnavailable() from error
            except Exception as error:
                # Transport and client state: gRPC errors, "All nodes are unhealthy", "No
                # certificate available" (TLS without an address book), a node list the SDK
                # could not refresh. The outcome is unknown; a fresh client starts clean.
                self._retire(slot)
                raise LedgerUnavailable() from error

    @contextmanager
    def _lease(self) -> Iterator[_ClientSlot]:
        with self._lock:
            if self._closed:
                raise LedgerUnavailable("The Hedera ledger is closed.")
            if self._slot is None:
                self._slot = _ClientSlot(self._build_client())
            slot = self._slot
            slot.users += 1
        try:
            yield slot
        finally:
            with self._lock:
                slot.users -= 1
                close = slot.retired and slot.users == 0
            if close:
                slot.client.close()

    def _retire(self, slot: _ClientSlot) -> None:
        with self._lock:
            if self._slot is slot:
                self._slot = None
            slot.retired = True

    def _build_client(self) -> Client:
        try:
            if self.network == "custom":
                network_map = {address: AccountId.from_string(node) for address, node in self._nodes.items()}
                # Named "custom", not "localhost": on INVALID_NODE_ACCOUNT the SDK would replace
                # a "localhost" node map with localhost:35211.
                client = Client.for_network(network_map, network_name="custom")
            else:
                client = _CLIENT_FACTORIES[self.network]()  # blocking: fetches the address book
        except Exception as error:
            raise LedgerUnavailable("The Hedera network cannot be set up.") from error
        client.logger.set_level(LogLevel.DISABLED)
        client.set_operator_with(self._operator_id, self._keys.operator.public, self._keys.operator.sign)
        client.set_max_attempts(self._max_attempts)
        client.set_min_backoff(0).set_max_backoff(self._max_backoff).set_min_backoff(self._min_backoff)
        client.set_grpc_deadline(self._grpc_deadline)
        client.set_request_timeout(self._call_timeout)
        return client

    def _remember(self, transaction_id: str, token_id: str) -> None:
        self._remembered[transaction_id] = token_id
        self._remembered.move_to_end(transaction_id)
        while len(self._remembered) > _REMEMBERED_MINTS:
            self._remembered.popitem(last=False)


class HederaCheck:
    """`artmarket doctor`: a consensus node answers for the operator account, and its balance.

    Below `minimum_tinybars` (default 10 ℏ: a few hundred mints) it warns: mints and
    collections fail with INSUFFICIENT_PAYER_BALANCE once the account runs dry.
    """

    name = "ledger"

    def __init__(
        self, ledger: HederaLedger, token_id: str | None, *, minimum_tinybars: int = 10 * 100_000_000
    ) -> None:
        self._ledger = ledger
        self._token_id = token_id
        self._minimum = minimum_tinybars

    async def check(self) -> str:
        tinybars = await self._ledger.operator_balance()
        collection = self._token_id or "none yet (artmarket ledger create-collection)"
        found = (
            f"Hedera {self._ledger.network}: operator {self._ledger.operator_id} holds "
            f"{tinybars / 100_000_000:,.8f} ℏ; collection {collection}"
        )
        if tinybars < self._minimum:
            raise NeedsAttention(f"{found}: below {self._minimum / 100_000_000:g} ℏ, top the account up")
        return found


def _operator(
    key: str | None, key_type: KeyType | None, signer: Signer | None, public_key: str | None
) -> _Key:
    if (key is None) == (signer is None):
        raise ValueError("Give the operator's private key or an external signer, not both")
    if key is not None:
        return _Key.of(_private_key(key, key_type, "operator_key"))
    try:
        public = PublicKey.from_string_der((public_key or "").strip().removeprefix("0x"))
    except Exception:
        raise ValueError("operator_public_key is not a DER-encoded public key (hex)") from None
    assert signer is not None
    return _Key(public, signer)


def _private_key(value: str, key_type: KeyType | None, name: str) -> PrivateKey:
    """Parse a key without ever echoing it: DER hex, or raw hex with an explicit type."""
    text = value.strip().removeprefix("0x")
    try:
        if len(text) == _RAW_KEY_HEX_LENGTH:
            if key_type is None:
                raise ValueError
            parse = PrivateKey.from_string_ecdsa if key_type == "ecdsa" else PrivateKey.from_string_ed25519
            return parse(text)
        key = PrivateKey.from_string_der(text)
    except Exception:
        hint = "" if key_type or len(text) != _RAW_KEY_HEX_LENGTH else " (a raw hex key needs its key_type)"
        raise ValueError(f"{name} is not a usable private key{hint}") from None
    if key_type is not None and key.is_ecdsa() != (key_type == "ecdsa"):
        raise ValueError(f"{name} is not an {key_type} key")
    return key


def _token_id(token_id: str) -> TokenId:
    if not _ENTITY_ID.match(token_id):
        raise LedgerRejected("INVALID_TOKEN_ID", f"Not a token id: {token_id!r}.")
    return TokenId.from_string(token_id)


def _signed_mint(prepared: PreparedMint) -> TokenMintTransaction:
    """The frozen, signed TokenMint carried by a PreparedMint (checked to be that very transaction).

    The check reads the signed bodies themselves: in SDK 0.3.0 a TokenMintTransaction
    restored by `from_bytes` submits its original bodies but leaves `token_id` and
    `metadata` unset.
    """
    if not prepared.signed_bytes:
        raise ValueError("This PreparedMint carries no signed transaction: prepare it with HederaLedger")
    try:
        bodies = [
            transaction_pb2.TransactionBody.FromString(
                transaction_contents_pb2.SignedTransaction.FromString(item.signedTransactionBytes).bodyBytes
            )
            for item in TransactionList.FromString(prepared.signed_bytes).transaction_list
        ]
    except Exception as error:
        raise ValueError("The PreparedMint's signed bytes are not a transaction") from error
    for body in bodies:
        txid, mint = body.transactionID, body.tokenMint
        account = f"{txid.accountID.shardNum}.{txid.accountID.realmNum}.{txid.accountID.accountNum}"
        start = txid.transactionValidStart
        if (
            body.WhichOneof("data") != "tokenMint"
            or format_transaction_id(account, start.seconds, start.nanos) != prepared.transaction_id
            or f"{mint.token.shardNum}.{mint.token.realmNum}.{mint.token.tokenNum}" != prepared.token_id
            or tuple(mint.metadata) != prepared.metadata
        ):
            raise ValueError("The signed bytes are not this PreparedMint's TokenMint")
    tx = Transaction.from_bytes(prepared.signed_bytes)
    if not bodies or not isinstance(tx, TokenMintTransaction):
        raise ValueError("The signed bytes are not this PreparedMint's TokenMint")
    return tx


def _silence_sdk_logging() -> None:
    """The SDK logs to stdout, at a level read from the generic LOG_LEVEL; we log failures ourselves."""
    logging.getLogger("hiero_sdk_python").setLevel(LogLevel.DISABLED.to_python_level())
