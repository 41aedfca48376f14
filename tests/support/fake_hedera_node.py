"""A fake Hedera consensus node over real gRPC, plus a fake mirror-node REST server.

The unmodified `hiero-sdk-python` client talks to it on loopback, with the SDK's own
generated servicers (`/proto.TokenService/*`, `/proto.CryptoService/*`). It enforces the
network's rules that matter to minting: the transaction's valid window, payer, admin,
treasury and supply signatures, at most one acceptance per transaction id
(DUPLICATE_TRANSACTION), at most 10 NFTs of at most 100 bytes per TokenMint, the
collection's max supply, the NFT-mint throttle (precheck BUSY above 50 NFTs per second by
default, `fake_hedera_throttle`), consensus latency, and receipts that are kept for 180 s
only. Faults are injected from tests. It never listens on port 50212 (the SDK would switch
to TLS) and never answers INVALID_NODE_ACCOUNT (the SDK would replace its node list).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self, cast
from urllib.parse import parse_qs

import grpc  # type: ignore[import-untyped]  # types-grpcio is not a dependency
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hiero_sdk_python import PublicKey, ResponseCode  # type: ignore[import-untyped]  # no py.typed in 0.3.0
from hiero_sdk_python.hapi.services import (  # type: ignore[import-untyped]
    basic_types_pb2,
    crypto_get_account_balance_pb2,
    crypto_service_pb2_grpc,
    query_pb2,
    response_header_pb2,
    response_pb2,
    token_service_pb2_grpc,
    transaction_contents_pb2,
    transaction_get_receipt_pb2,
    transaction_pb2,
    transaction_receipt_pb2,
    transaction_response_pb2,
)

from tests.support.fake_hedera_throttle import MintThrottle

#: The network's limits (hedera-config TokensConfig / HederaConfig).
MAX_BATCH_SIZE_MINT = 10
MAX_METADATA_BYTES = 100
MIN_VALID_DURATION = 15
MAX_VALID_DURATION = 180
#: How long a node keeps a receipt after consensus.
RECEIPT_LIFETIME = 180.0
#: How far in the future a valid start may be (clock drift allowance).
MAX_FUTURE_START = 10.0
_TLS_PORT = 50212
_NON_FUNGIBLE_UNIQUE = 1
_FINITE = 1


@dataclass
class FakeToken:
    token_id: str
    name: str
    symbol: str
    max_supply: int
    treasury: str
    admin_key: bytes | None
    supply_key: bytes | None
    nfts: dict[int, bytes] = field(default_factory=dict)


@dataclass
class FakeTransaction:
    """A transaction the node accepted, and what consensus made of it."""

    transaction_id: str
    name: str
    status: str
    consensus_at: float
    token_id: str | None = None
    serials: tuple[int, ...] = ()
    receipt: transaction_receipt_pb2.TransactionReceipt = field(
        default_factory=transaction_receipt_pb2.TransactionReceipt
    )


def _entity(shard: int, realm: int, num: int) -> str:
    return f"{shard}.{realm}.{num}"


def _transaction_id(body: transaction_pb2.TransactionBody) -> str:
    tid = body.transactionID
    account = _entity(tid.accountID.shardNum, tid.accountID.realmNum, tid.accountID.accountNum)
    start = tid.transactionValidStart
    return f"{account}@{start.seconds}.{start.nanos:09d}"


def _key_bytes(key: basic_types_pb2.Key) -> bytes | None:
    kind = key.WhichOneof("key")
    if kind == "ed25519":
        return cast(bytes, key.ed25519)
    if kind == "ECDSA_secp256k1":
        return cast(bytes, key.ECDSA_secp256k1)
    return None


def _signed_by(signed: transaction_contents_pb2.SignedTransaction, raw_public_key: bytes) -> bool:
    for pair in signed.sigMap.sigPair:
        if pair.pubKeyPrefix != raw_public_key:
            continue
        try:
            if pair.ed25519:
                Ed25519PublicKey.from_public_bytes(raw_public_key).verify(pair.ed25519, signed.bodyBytes)
            else:  # secp256k1 over keccak-256 of the body, as the SDK signs it
                PublicKey.from_bytes_ecdsa(raw_public_key).verify(pair.ECDSA_secp256k1, signed.bodyBytes)
        except Exception:
            return False
        return True
    return False


#: What consensus makes of one accepted transaction: (transaction id, body, signed, consensus time).
TransactionHandler = Callable[
    [str, transaction_pb2.TransactionBody, transaction_contents_pb2.SignedTransaction, float],
    "FakeTransaction",
]


class _Precheck(Exception):
    def __init__(self, code: ResponseCode) -> None:
        super().__init__(code.name)
        self.code = code


class FakeHederaNode:
    """One consensus node (account 0.0.3) and a mirror node, both on 127.0.0.1, both in-process.

    `accounts` maps account ids to public keys; a payer or treasury listed there must have
    signed, as on the real network. Unlisted accounts are trusted.
    """

    def __init__(
        self,
        *,
        node_account_id: str = "0.0.3",
        accounts: Mapping[str, PublicKey] | None = None,
        consensus_latency: float = 0.0,
    ) -> None:
        self.node_account_id = node_account_id
        #: Seconds from acceptance to consensus: until then receipts answer UNKNOWN and the
        #: mirror node has no record, as on a real network (about 2-5 s on Hedera).
        self.consensus_latency = consensus_latency
        self._accounts = {account: key.to_bytes_raw() for account, key in (accounts or {}).items()}
        self._lock = threading.RLock()
        self._tokens: dict[str, FakeToken] = {}
        self._transactions: dict[str, FakeTransaction] = {}
        self._next_entity = 1000
        self._clock_offset = 0.0
        self._busy = 0
        self._receipt_unknown = 0
        self._unavailable = 0
        self._crash_after_accept = 0
        self._throttled_at_consensus = 0
        self._mirror_unavailable = 0
        #: The NFT-mint throttle (None: unthrottled); `throttle_mints` changes it.
        self.mint_throttle: MintThrottle | None = MintThrottle()
        #: Most TokenMint transactions accepted and not yet at consensus at one moment.
        self.max_mints_in_flight = 0
        #: Account balances in tinybars answered by `cryptoGetBalance` (known accounts: 10,000 ℏ).
        self.balances: dict[str, int] = dict.fromkeys(self._accounts, 10_000 * 100_000_000)
        #: RPC names in the order they arrived.
        self.calls: list[str] = []
        self._grpc: grpc.Server | None = None
        self._http: ThreadingHTTPServer | None = None
        self._http_thread: threading.Thread | None = None
        self.port = 0
        self.mirror_port = 0

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> Self:
        for _ in range(5):
            server = grpc.server(ThreadPoolExecutor(max_workers=8, thread_name_prefix="fake-hedera-node"))
            self._add_services(server)
            port = server.add_insecure_port("127.0.0.1:0")
            if port != _TLS_PORT:
                break
            server.stop(None)
        else:  # pragma: no cover - five draws of the one forbidden port
            raise RuntimeError("could not bind a port other than 50212")
        server.start()
        self._grpc, self.port = server, port

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _mirror_handler(self))
        self._http.daemon_threads = True
        self.mirror_port = self._http.server_address[1]
        self._http_thread = threading.Thread(
            target=self._http.serve_forever, args=(0.02,), name="fake-mirror", daemon=True
        )
        self._http_thread.start()
        return self

    def _add_services(self, server: grpc.Server) -> None:
        """Register the gRPC services this node answers (a subclass may answer more)."""
        token_service_pb2_grpc.add_TokenServiceServicer_to_server(TokenService(self), server)
        crypto_service_pb2_grpc.add_CryptoServiceServicer_to_server(CryptoService(self), server)

    def stop(self) -> None:
        if self._grpc is not None:
            self._grpc.stop(None).wait()
            self._grpc = None
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        if self._http_thread is not None:
            self._http_thread.join(timeout=5)
            self._http_thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def network_map(self) -> dict[str, str]:
        """The custom node map a client needs: "host:port" -> node account id."""
        return {self.address: self.node_account_id}

    @property
    def mirror_url(self) -> str:
        return f"http://127.0.0.1:{self.mirror_port}"

    # -- fault injection -----------------------------------------------------------------

    def busy_next(self, n: int) -> None:
        """The next `n` transactions get precheck BUSY (the SDK retries the same bytes)."""
        with self._lock:
            self._busy = n

    def receipt_delay(self, n: int) -> None:
        """The next `n` receipt queries answer UNKNOWN, as if consensus were slow."""
        with self._lock:
            self._receipt_unknown = n

    def unavailable_next(self, n: int) -> None:
        """The next `n` RPCs of any kind fail with gRPC UNAVAILABLE before doing anything."""
        with self._lock:
            self._unavailable = n

    def crash_after_accept_next(self) -> None:
        """The next transaction is accepted and reaches consensus, but its RPC fails UNAVAILABLE."""
        with self._lock:
            self._crash_after_accept = 1

    def throttle_at_consensus_next(self, n: int) -> None:
        """The next `n` TokenMints pass precheck but consensus throttles them: nothing is minted,
        the receipt says THROTTLED_AT_CONSENSUS and the transaction id is spent."""
        with self._lock:
            self._throttled_at_consensus = n

    def mirror_unavailable_next(self, n: int) -> None:
        """The next `n` mirror-node requests get 503."""
        with self._lock:
            self._mirror_unavailable = n

    def throttle_mints(self, per_second: float | None, *, burst: float | None = None) -> None:
        """Throttle TokenMint at `per_second` NFTs (None: no throttle), at most `burst` at once."""
        with self._lock:
            self.mint_throttle = None if per_second is None else MintThrottle(per_second, burst=burst)

    def advance_clock(self, seconds: float) -> None:
        """Move the node's clock forward: valid windows close, receipts are forgotten."""
        with self._lock:
            self._clock_offset += seconds

    # -- observations --------------------------------------------------------------------

    @property
    def mint_transactions(self) -> int:
        """TokenMint transactions that reached consensus and minted."""
        with self._lock:
            return sum(1 for tx in self._transactions.values() if tx.name == "TOKENMINT" and tx.serials)

    def nfts(self, token_id: str) -> dict[int, bytes]:
        """The NFTs of one collection: serial -> metadata."""
        with self._lock:
            token = self._tokens.get(token_id)
            return dict(token.nfts) if token else {}

    @property
    def minted(self) -> dict[str, dict[int, bytes]]:
        """Every NFT minted, by token id and serial."""
        with self._lock:
            return {token_id: dict(token.nfts) for token_id, token in self._tokens.items()}

    def transaction(self, transaction_id: str) -> FakeTransaction | None:
        with self._lock:
            return self._transactions.get(transaction_id)

    def now(self) -> float:
        return time.time() + self._clock_offset

    # -- transactions --------------------------------------------------------------------

    def submit(
        self, method: str, request: transaction_pb2.Transaction, context: grpc.ServicerContext
    ) -> transaction_response_pb2.TransactionResponse:
        with self._lock:
            self.calls.append(method)
            if self._unavailable > 0:
                self._unavailable -= 1
                context.abort(grpc.StatusCode.UNAVAILABLE, "fake node: unavailable")
            try:
                self._accept(method, request)
            except _Precheck as precheck:
                return transaction_response_pb2.TransactionResponse(nodeTransactionPrecheckCode=precheck.code)
            if self._crash_after_accept > 0:
                self._crash_after_accept -= 1
                context.abort(grpc.StatusCode.UNAVAILABLE, "fake node: crashed after accepting")
            return transaction_response_pb2.TransactionResponse(nodeTransactionPrecheckCode=ResponseCode.OK)

    def _accept(self, method: str, request: transaction_pb2.Transaction) -> None:
        """Precheck in the network's order, then reach consensus at once; raise _Precheck to refuse."""
        if self._busy > 0:
            self._busy -= 1
            raise _Precheck(ResponseCode.BUSY)
        try:
            signed = transaction_contents_pb2.SignedTransaction.FromString(request.signedTransactionBytes)
            body = transaction_pb2.TransactionBody.FromString(signed.bodyBytes)
        except Exception:
            raise _Precheck(ResponseCode.INVALID_TRANSACTION_BODY) from None
        expected, execute = self._transaction_handlers()[method]
        if body.WhichOneof("data") != expected:
            raise _Precheck(ResponseCode.INVALID_TRANSACTION_BODY)

        now = self.now()
        start = body.transactionID.transactionValidStart
        valid_start = start.seconds + start.nanos / 1e9
        duration = body.transactionValidDuration.seconds
        if not MIN_VALID_DURATION <= duration <= MAX_VALID_DURATION:
            raise _Precheck(ResponseCode.INVALID_TRANSACTION_DURATION)
        if now > valid_start + duration:
            raise _Precheck(ResponseCode.TRANSACTION_EXPIRED)
        if valid_start > now + MAX_FUTURE_START:
            raise _Precheck(ResponseCode.INVALID_TRANSACTION_START)

        payer = body.transactionID.accountID
        payer_key = self._accounts.get(_entity(payer.shardNum, payer.realmNum, payer.accountNum))
        if payer_key is not None and not _signed_by(signed, payer_key):
            raise _Precheck(ResponseCode.INVALID_SIGNATURE)

        transaction_id = _transaction_id(body)
        if transaction_id in self._transactions:
            raise _Precheck(ResponseCode.DUPLICATE_TRANSACTION)
        minting = method == "mintToken"
        if minting and self.mint_throttle and not self.mint_throttle.admit(len(body.tokenMint.metadata)):
            raise _Precheck(ResponseCode.BUSY)
        if minting and self._throttled_at_consensus > 0:
            self._throttled_at_consensus -= 1
            execute = _throttled_at_consensus

        self._transactions[transaction_id] = execute(
            transaction_id, body, signed, now + self.consensus_latency
        )
        if minting:
            awaiting = sum(
                1 for tx in self._transactions.values() if tx.name == "TOKENMINT" and tx.consensus_at > now
            )
            self.max_mints_in_flight = max(self.max_mints_in_flight, awaiting, 1)

    def _transaction_handlers(self) -> dict[str, tuple[str, TransactionHandler]]:
        """RPC method -> (the body it must carry, what consensus makes of it); a subclass adds more."""
        return {
            "createToken": ("tokenCreation", self._create_token),
            "mintToken": ("tokenMint", self._mint_token),
        }

    def _create_token(
        self,
        transaction_id: str,
        body: transaction_pb2.TransactionBody,
        signed: transaction_contents_pb2.SignedTransaction,
        now: float,
    ) -> FakeTransaction:
        create = body.tokenCreation
        treasury = _entity(create.treasury.shardNum, create.treasury.realmNum, create.treasury.accountNum)
        admin_key = _key_bytes(create.adminKey) if create.HasField("adminKey") else None
        supply_key = _key_bytes(create.supplyKey) if create.HasField("supplyKey") else None
        treasury_key = self._accounts.get(treasury)

        def failed(status: ResponseCode) -> FakeTransaction:
            receipt = transaction_receipt_pb2.TransactionReceipt(status=status)
            return FakeTransaction(transaction_id, "TOKENCREATION", status.name, now, receipt=receipt)

        if not create.name:
            return failed(ResponseCode.MISSING_TOKEN_NAME)
        if not create.symbol:
            return failed(ResponseCode.MISSING_TOKEN_SYMBOL)
        if create.tokenType != _NON_FUNGIBLE_UNIQUE:
            return failed(ResponseCode.NOT_SUPPORTED)
        if create.supplyType == _FINITE and create.maxSupply <= 0:
            return failed(ResponseCode.INVALID_TOKEN_MAX_SUPPLY)
        if (admin_key is not None and not _signed_by(signed, admin_key)) or (
            treasury_key is not None and not _signed_by(signed, treasury_key)
        ):
            return failed(ResponseCode.INVALID_SIGNATURE)

        token_id = _entity(0, 0, self._next_entity)
        self._next_entity += 1
        self._tokens[token_id] = FakeToken(
            token_id=token_id,
            name=create.name,
            symbol=create.symbol,
            max_supply=create.maxSupply if create.supplyType == _FINITE else 2**63 - 1,
            treasury=treasury,
            admin_key=admin_key,
            supply_key=supply_key,
        )
        receipt = transaction_receipt_pb2.TransactionReceipt(
            status=ResponseCode.SUCCESS, tokenID=basic_types_pb2.TokenID(tokenNum=int(token_id.split(".")[2]))
        )
        return FakeTransaction(
            transaction_id, "TOKENCREATION", "SUCCESS", now, token_id=token_id, receipt=receipt
        )

    def _mint_token(
        self,
        transaction_id: str,
        body: transaction_pb2.TransactionBody,
        signed: transaction_contents_pb2.SignedTransaction,
        now: float,
    ) -> FakeTransaction:
        mint = body.tokenMint
        token_id = _entity(mint.token.shardNum, mint.token.realmNum, mint.token.tokenNum)
        token = self._tokens.get(token_id)

        def failed(status: ResponseCode) -> FakeTransaction:
            receipt = transaction_receipt_pb2.TransactionReceipt(status=status)
            return FakeTransaction(
                transaction_id, "TOKENMINT", status.name, now, token_id=token_id, receipt=receipt
            )

        metadata = list(mint.metadata)
        if token is None:
            return failed(ResponseCode.INVALID_TOKEN_ID)
        if token.supply_key is None:
            return failed(ResponseCode.TOKEN_HAS_NO_SUPPLY_KEY)
        if not _signed_by(signed, token.supply_key):
            return failed(ResponseCode.INVALID_SIGNATURE)
        if not metadata:
            return failed(ResponseCode.INVALID_TOKEN_MINT_METADATA)
        if len(metadata) > MAX_BATCH_SIZE_MINT:
            return failed(ResponseCode.BATCH_SIZE_LIMIT_EXCEEDED)
        if any(len(item) > MAX_METADATA_BYTES for item in metadata):
            return failed(ResponseCode.METADATA_TOO_LONG)
        if len(token.nfts) + len(metadata) > token.max_supply:
            return failed(ResponseCode.TOKEN_MAX_SUPPLY_REACHED)

        first = len(token.nfts) + 1
        serials = tuple(range(first, first + len(metadata)))
        token.nfts.update(zip(serials, metadata, strict=True))
        receipt = transaction_receipt_pb2.TransactionReceipt(
            status=ResponseCode.SUCCESS, serialNumbers=serials, newTotalSupply=len(token.nfts)
        )
        return FakeTransaction(
            transaction_id, "TOKENMINT", "SUCCESS", now, token_id=token_id, serials=serials, receipt=receipt
        )

    # -- queries -------------------------------------------------------------------------

    def receipt(self, request: query_pb2.Query, context: grpc.ServicerContext) -> response_pb2.Response:
        with self._lock:
            self.calls.append("getTransactionReceipts")
            if self._unavailable > 0:
                self._unavailable -= 1
                context.abort(grpc.StatusCode.UNAVAILABLE, "fake node: unavailable")
            tid = request.transactionGetReceipt.transactionID
            account = _entity(tid.accountID.shardNum, tid.accountID.realmNum, tid.accountID.accountNum)
            start = tid.transactionValidStart
            tx = self._transactions.get(f"{account}@{start.seconds}.{start.nanos:09d}")
            if tx is None or self.now() - tx.consensus_at > RECEIPT_LIFETIME:
                return _receipt_response(ResponseCode.RECEIPT_NOT_FOUND, None)
            if self.now() < tx.consensus_at:
                unknown = transaction_receipt_pb2.TransactionReceipt(status=ResponseCode.UNKNOWN)
                return _receipt_response(ResponseCode.OK, unknown)
            if self._receipt_unknown > 0:
                self._receipt_unknown -= 1
                unknown = transaction_receipt_pb2.TransactionReceipt(status=ResponseCode.UNKNOWN)
                return _receipt_response(ResponseCode.OK, unknown)
            return _receipt_response(ResponseCode.OK, tx.receipt)

    def balance(self, request: query_pb2.Query, context: grpc.ServicerContext) -> response_pb2.Response:
        """A free query: the account's hbar balance, INVALID_ACCOUNT_ID for one the node does not know."""
        with self._lock:
            self.calls.append("cryptoGetBalance")
            if self._unavailable > 0:
                self._unavailable -= 1
                context.abort(grpc.StatusCode.UNAVAILABLE, "fake node: unavailable")
            account_id = request.cryptogetAccountBalance.accountID
            account = _entity(account_id.shardNum, account_id.realmNum, account_id.accountNum)
            known = account in self.balances
            answer = crypto_get_account_balance_pb2.CryptoGetAccountBalanceResponse(
                header=response_header_pb2.ResponseHeader(
                    nodeTransactionPrecheckCode=ResponseCode.OK if known else ResponseCode.INVALID_ACCOUNT_ID
                ),
                accountID=account_id,
                balance=self.balances.get(account, 0),
            )
            return response_pb2.Response(cryptogetAccountBalance=answer)

    # -- mirror node ---------------------------------------------------------------------

    def mirror_get(self, path: str) -> tuple[HTTPStatus, dict[str, Any]]:
        """Answer a mirror-node request (`path` with its query string, if any)."""
        with self._lock:
            if self._mirror_unavailable > 0:
                self._mirror_unavailable -= 1
                return HTTPStatus.SERVICE_UNAVAILABLE, mirror_error("Service unavailable")
            route, _, query = path.partition("?")
            return self._mirror_route(route, parse_qs(query))

    def _mirror_route(self, path: str, query: dict[str, list[str]]) -> tuple[HTTPStatus, dict[str, Any]]:
        """The mirror node's answer to one route (a subclass answers more)."""
        if match := re.fullmatch(r"/api/v1/tokens/(\d+\.\d+\.\d+)/nfts/(\d+)", path):
            return self._mirror_nft(match.group(1), int(match.group(2)))
        if match := re.fullmatch(r"/api/v1/transactions/(\d+\.\d+\.\d+)-(\d{1,19})-(\d{1,9})", path):
            transaction_id = f"{match.group(1)}@{int(match.group(2))}.{int(match.group(3)):09d}"
            return self._mirror_transaction(transaction_id)
        return HTTPStatus.NOT_FOUND, mirror_error("Not found")

    def _mirror_nft(self, token_id: str, serial: int) -> tuple[HTTPStatus, dict[str, Any]]:
        token = self._tokens.get(token_id)
        if token is None or serial not in token.nfts:
            return HTTPStatus.NOT_FOUND, mirror_error("Not found")
        created = next(
            (
                tx.consensus_at
                for tx in self._transactions.values()
                if tx.token_id == token_id and serial in tx.serials
            ),
            self.now(),
        )
        timestamp = f"{created:.9f}"
        return HTTPStatus.OK, {
            "account_id": token.treasury,
            "created_timestamp": timestamp,
            "delegating_spender": None,
            "deleted": False,
            "metadata": base64.b64encode(token.nfts[serial]).decode("ascii"),
            "modified_timestamp": timestamp,
            "serial_number": serial,
            "spender": None,
            "token_id": token_id,
        }

    def _mirror_transaction(self, transaction_id: str) -> tuple[HTTPStatus, dict[str, Any]]:
        tx = self._transactions.get(transaction_id)
        if tx is None or self.now() < tx.consensus_at:
            return HTTPStatus.NOT_FOUND, mirror_error("Not found")
        treasury = self._tokens[tx.token_id].treasury if tx.token_id in self._tokens else None
        account, _, start = transaction_id.partition("@")
        seconds, _, nanos = start.partition(".")
        return HTTPStatus.OK, {
            "transactions": [
                {
                    "consensus_timestamp": f"{tx.consensus_at:.9f}",
                    "entity_id": tx.token_id,
                    "name": tx.name,
                    "nft_transfers": [
                        {
                            "is_approval": False,
                            "receiver_account_id": treasury,
                            "sender_account_id": None,
                            "serial_number": serial,
                            "token_id": tx.token_id,
                        }
                        for serial in tx.serials
                    ],
                    "result": tx.status,
                    "scheduled": False,
                    "transaction_id": f"{account}-{seconds}-{nanos}",
                }
            ]
        }


def _throttled_at_consensus(
    transaction_id: str,
    body: transaction_pb2.TransactionBody,
    signed: transaction_contents_pb2.SignedTransaction,
    now: float,
) -> FakeTransaction:
    status = ResponseCode.THROTTLED_AT_CONSENSUS
    receipt = transaction_receipt_pb2.TransactionReceipt(status=status)
    return FakeTransaction(transaction_id, "TOKENMINT", status.name, now, receipt=receipt)


def _receipt_response(
    header: ResponseCode, receipt: transaction_receipt_pb2.TransactionReceipt | None
) -> response_pb2.Response:
    answer = transaction_get_receipt_pb2.TransactionGetReceiptResponse(
        header=response_header_pb2.ResponseHeader(nodeTransactionPrecheckCode=header)
    )
    if receipt is not None:
        answer.receipt.CopyFrom(receipt)
    return response_pb2.Response(transactionGetReceipt=answer)


def mirror_error(message: str) -> dict[str, Any]:
    return {"_status": {"messages": [{"message": message}]}}


class TokenService(token_service_pb2_grpc.TokenServiceServicer):  # type: ignore[misc]  # untyped generated stubs
    def __init__(self, node: FakeHederaNode) -> None:
        self._node = node

    def createToken(self, request: Any, context: Any) -> Any:
        return self._node.submit("createToken", request, context)

    def mintToken(self, request: Any, context: Any) -> Any:
        return self._node.submit("mintToken", request, context)


class CryptoService(crypto_service_pb2_grpc.CryptoServiceServicer):  # type: ignore[misc]  # untyped generated stubs
    def __init__(self, node: FakeHederaNode) -> None:
        self._node = node

    def getTransactionReceipts(self, request: Any, context: Any) -> Any:
        return self._node.receipt(request, context)

    def cryptoGetBalance(self, request: Any, context: Any) -> Any:
        return self._node.balance(request, context)


def _mirror_handler(node: FakeHederaNode) -> type[BaseHTTPRequestHandler]:
    class MirrorHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, payload = node.mirror_get(self.path)
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return MirrorHandler
