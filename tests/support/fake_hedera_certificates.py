"""The fake Hedera consensus node, grown for certificates' later life: burns, topics, transfers, airdrops.

`FakeCertificateNode` is a `FakeHederaNode` (same gRPC transport, faults and receipts) that
also answers `TokenService.burnToken` / `airdropTokens` / `cancelAirdrop` / `claimAirdrop`,
`CryptoService.cryptoTransfer` (NFTs) and `ConsensusService.createTopic` / `submitMessage`.
Its mirror node's new routes are in `fake_hedera_mirror` (`FakeHederaNetwork`).

Accounts: the node's keyed accounts exist; any other must be opened (`open_account`). An
account accepts a token when associated with it or when it has a free automatic-association
slot (-1: unlimited), which a transfer then uses. An airdrop to an account that accepts the
token is a transfer; to any other it is pending until the receiver claims it (HIP-904).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import grpc  # type: ignore[import-untyped]  # types-grpcio is not a dependency
from hiero_sdk_python import PublicKey, ResponseCode  # type: ignore[import-untyped]  # no py.typed in 0.3.0
from hiero_sdk_python.hapi.services import (  # type: ignore[import-untyped]
    basic_types_pb2,
    consensus_service_pb2_grpc,
    crypto_service_pb2_grpc,
    token_service_pb2_grpc,
    transaction_contents_pb2,
    transaction_pb2,
    transaction_receipt_pb2,
)

from tests.support.fake_hedera_node import (
    CryptoService,
    FakeHederaNode,
    FakeTransaction,
    TokenService,
    TransactionHandler,
    _entity,
    _key_bytes,
    _signed_by,
)

MAX_MESSAGE_BYTES = 1024

Nft = tuple[str, int]
#: One NFT changing hands: (token, serial, sender, receiver); None for no one (a burn's receiver).
Move = tuple[str, int, str | None, str | None]
Signed: TypeAlias = transaction_contents_pb2.SignedTransaction
Body: TypeAlias = transaction_pb2.TransactionBody
Receipt: TypeAlias = transaction_receipt_pb2.TransactionReceipt
#: What consensus does with one transaction: (id, body, signed, receipt to fill, consensus timestamp).
Apply = Callable[[str, Body, Signed, Receipt, str], None]


@dataclass
class FakeTopic:
    topic_id: str
    memo: str
    admin_key: bytes | None
    submit_key: bytes | None
    #: (sequence number, consensus timestamp "s.nnnnnnnnn", message)
    messages: list[tuple[int, str, bytes]] = field(default_factory=list)


@dataclass
class FakeAccount:
    #: -1: unlimited automatic associations.
    max_automatic_associations: int = 0
    #: token id -> whether it was associated automatically (by a transfer into a free slot).
    tokens: dict[str, bool] = field(default_factory=dict)

    def accepts(self, token_id: str) -> bool:
        if token_id in self.tokens or self.max_automatic_associations == -1:
            return True
        return sum(self.tokens.values()) < self.max_automatic_associations


class _Refused(Exception):
    def __init__(self, code: ResponseCode) -> None:
        super().__init__(code.name)
        self.code = code


class FakeCertificateNode(FakeHederaNode):
    """A FakeHederaNode that also burns, transfers, airdrops and keeps consensus topics."""

    def __init__(
        self,
        *,
        node_account_id: str = "0.0.3",
        accounts: Mapping[str, PublicKey] | None = None,
        consensus_latency: float = 0.0,
    ) -> None:
        super().__init__(
            node_account_id=node_account_id, accounts=accounts, consensus_latency=consensus_latency
        )
        self.owners: dict[Nft, str] = {}  # only NFTs out of their treasury
        self.burned: set[Nft] = set()
        self.pending: dict[Nft, tuple[str, str]] = {}  # NFT -> (sender, receiver)
        self.topics: dict[str, FakeTopic] = {}
        self.wallets: dict[str, FakeAccount] = {account: FakeAccount() for account in self._accounts}
        #: Transaction id -> its entity (token or topic) and NFT moves (token, serial, sender, receiver).
        self.effects: dict[str, tuple[str | None, list[Move]]] = {}
        self._last_consensus = 0.0

    def _add_services(self, server: grpc.Server) -> None:
        token_service_pb2_grpc.add_TokenServiceServicer_to_server(_CertificateTokenService(self), server)
        crypto_service_pb2_grpc.add_CryptoServiceServicer_to_server(_TransferCryptoService(self), server)
        consensus_service_pb2_grpc.add_ConsensusServiceServicer_to_server(_ConsensusService(self), server)

    # -- test helpers: what a receiver does in their wallet ------------------------------

    def open_account(
        self, account_id: str, *, max_automatic_associations: int = 0, key: PublicKey | None = None
    ) -> None:
        """An account exists from now on (with `key`, it must sign what it claims)."""
        with self._lock:
            self.wallets[account_id] = FakeAccount(max_automatic_associations)
            if key is not None:
                self._accounts[account_id] = key.to_bytes_raw()

    def associate(self, account_id: str, token_id: str) -> None:
        """The account associates itself with the token, as its TokenAssociate would."""
        with self._lock:
            self.wallets.setdefault(account_id, FakeAccount()).tokens.setdefault(token_id, False)

    def claim_airdrop(self, token_id: str, serial: int, account_id: str) -> None:
        """The receiver claims a pending airdrop, as its TokenClaimAirdrop would."""
        with self._lock:
            sender, receiver = self.pending.pop((token_id, serial))
            assert receiver == account_id, f"the airdrop waits for {receiver}, not {account_id}"
            self._move((token_id, serial), sender, receiver)

    def owner(self, token_id: str, serial: int) -> str | None:
        """Who holds the NFT now (None once burned)."""
        with self._lock:
            if (token_id, serial) in self.burned:
                return None
            return self.owners.get((token_id, serial), self._tokens[token_id].treasury)

    def succeeded(self, name: str) -> int:
        """How many transactions of this kind (e.g. "TOKENBURN") reached consensus and succeeded."""
        with self._lock:
            return sum(1 for tx in self._transactions.values() if tx.name == name and tx.status == "SUCCESS")

    # -- consensus -----------------------------------------------------------------------

    def _transaction_handlers(self) -> dict[str, tuple[str, TransactionHandler]]:
        return {
            **super()._transaction_handlers(),
            "burnToken": ("tokenBurn", self._handler("TOKENBURN", self._burn)),
            "createTopic": (
                "consensusCreateTopic",
                self._handler("CONSENSUSCREATETOPIC", self._create_topic),
            ),
            "submitMessage": (
                "consensusSubmitMessage",
                self._handler("CONSENSUSSUBMITMESSAGE", self._submit_message),
            ),
            "cryptoTransfer": ("cryptoTransfer", self._handler("CRYPTOTRANSFER", self._transfer)),
            "airdropTokens": ("tokenAirdrop", self._handler("TOKENAIRDROP", self._airdrop)),
            "cancelAirdrop": ("tokenCancelAirdrop", self._handler("TOKENCANCELAIRDROP", self._cancel)),
            "claimAirdrop": ("tokenClaimAirdrop", self._handler("TOKENCLAIMAIRDROP", self._claim)),
        }

    def _handler(self, name: str, apply: Apply) -> TransactionHandler:
        """A transaction handler: `apply(tx_id, body, signed, receipt, timestamp)` or _Refused."""

        def execute(transaction_id: str, body: Body, signed: Signed, consensus_at: float) -> FakeTransaction:
            # Strictly increasing consensus times, as topic messages need.
            consensus_at = max(consensus_at, self._last_consensus + 1e-6)
            self._last_consensus = consensus_at
            receipt = transaction_receipt_pb2.TransactionReceipt(status=ResponseCode.SUCCESS)
            try:
                apply(transaction_id, body, signed, receipt, f"{consensus_at:.9f}")
            except _Refused as refused:
                receipt = transaction_receipt_pb2.TransactionReceipt(status=refused.code)
            status = ResponseCode(receipt.status).name
            return FakeTransaction(transaction_id, name, status, consensus_at, receipt=receipt)

        return execute

    def _burn(self, tx_id: str, body: Body, signed: Signed, receipt: Receipt, timestamp: str) -> None:
        token_id = _entity(
            body.tokenBurn.token.shardNum, body.tokenBurn.token.realmNum, body.tokenBurn.token.tokenNum
        )
        token = self._tokens.get(token_id)
        if token is None:
            raise _Refused(ResponseCode.INVALID_TOKEN_ID)
        if token.supply_key is None or not _signed_by(signed, token.supply_key):
            raise _Refused(ResponseCode.INVALID_SIGNATURE)
        serials = list(body.tokenBurn.serialNumbers)
        for serial in serials:
            self._check_exists(token_id, serial)
            if (token_id, serial) in self.owners:
                raise _Refused(ResponseCode.TREASURY_MUST_OWN_BURNED_NFT)
        for serial in serials:
            self.burned.add((token_id, serial))
            self.pending.pop((token_id, serial), None)
        self.effects[tx_id] = (token_id, [(token_id, serial, token.treasury, None) for serial in serials])
        receipt.newTotalSupply = len(token.nfts) - sum(1 for t, _ in self.burned if t == token_id)

    def _create_topic(self, tx_id: str, body: Body, signed: Signed, receipt: Receipt, timestamp: str) -> None:
        create = body.consensusCreateTopic
        admin_key = _key_bytes(create.adminKey) if create.HasField("adminKey") else None
        if admin_key is not None and not _signed_by(signed, admin_key):
            raise _Refused(ResponseCode.INVALID_SIGNATURE)
        topic_id = _entity(0, 0, self._next_entity)
        self._next_entity += 1
        submit_key = _key_bytes(create.submitKey) if create.HasField("submitKey") else None
        self.topics[topic_id] = FakeTopic(topic_id, create.memo, admin_key, submit_key)
        self.effects[tx_id] = (topic_id, [])
        receipt.topicID.CopyFrom(basic_types_pb2.TopicID(topicNum=int(topic_id.split(".")[2])))

    def _submit_message(
        self, tx_id: str, body: Body, signed: Signed, receipt: Receipt, timestamp: str
    ) -> None:
        submit = body.consensusSubmitMessage
        topic = self.topics.get(
            _entity(submit.topicID.shardNum, submit.topicID.realmNum, submit.topicID.topicNum)
        )
        if topic is None:
            raise _Refused(ResponseCode.INVALID_TOPIC_ID)
        if topic.submit_key is not None and not _signed_by(signed, topic.submit_key):
            raise _Refused(ResponseCode.INVALID_SIGNATURE)
        if not submit.message:
            raise _Refused(ResponseCode.INVALID_TOPIC_MESSAGE)
        if len(submit.message) > MAX_MESSAGE_BYTES:
            raise _Refused(ResponseCode.MESSAGE_SIZE_TOO_LARGE)
        sequence = len(topic.messages) + 1
        topic.messages.append((sequence, timestamp, bytes(submit.message)))
        self.effects[tx_id] = (topic.topic_id, [])
        receipt.topicSequenceNumber = sequence
        receipt.topicRunningHash = hashlib.sha384(b"".join(m for _, _, m in topic.messages)).digest()
        receipt.topicRunningHashVersion = 3

    def _transfer(self, tx_id: str, body: Body, signed: Signed, receipt: Receipt, timestamp: str) -> None:
        moves = self._nft_moves(body.cryptoTransfer.tokenTransfers, signed)
        for nft, _sender, receiver in moves:
            if not self._accepts(receiver, nft[0]):
                raise _Refused(ResponseCode.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT)
        for nft, sender, receiver in moves:
            self._move(nft, sender, receiver)
        self.effects[tx_id] = (None, [(t, s, sender, receiver) for (t, s), sender, receiver in moves])

    def _airdrop(self, tx_id: str, body: Body, signed: Signed, receipt: Receipt, timestamp: str) -> None:
        moves = self._nft_moves(body.tokenAirdrop.token_transfers, signed)
        if any(nft in self.pending for nft, _, _ in moves):
            raise _Refused(ResponseCode.PENDING_NFT_AIRDROP_ALREADY_EXISTS)
        transferred: list[Move] = []
        for nft, sender, receiver in moves:
            if self._accepts(receiver, nft[0]):
                self._move(nft, sender, receiver)
                transferred.append((*nft, sender, receiver))
            else:
                self.pending[nft] = (sender, receiver)
        self.effects[tx_id] = (None, transferred)

    def _cancel(self, tx_id: str, body: Body, signed: Signed, receipt: Receipt, timestamp: str) -> None:
        ids = self._pending_ids(body.tokenCancelAirdrop.pending_airdrops)
        for _nft, sender, _receiver in ids:
            self._check_signed(signed, sender)
        for nft, _sender, _receiver in ids:
            del self.pending[nft]
        self.effects[tx_id] = (None, [])

    def _claim(self, tx_id: str, body: Body, signed: Signed, receipt: Receipt, timestamp: str) -> None:
        ids = self._pending_ids(body.tokenClaimAirdrop.pending_airdrops)
        for _nft, _sender, receiver in ids:
            self._check_signed(signed, receiver)
        for nft, sender, receiver in ids:
            del self.pending[nft]
            self._move(nft, sender, receiver)
        self.effects[tx_id] = (None, [(t, s, sender, receiver) for (t, s), sender, receiver in ids])

    # -- rules ---------------------------------------------------------------------------

    def _nft_moves(self, transfers: Any, signed: Signed) -> list[tuple[Nft, str, str]]:
        """The NFT transfers of a transfer list, checked; _Refused when the network would refuse one."""
        moves = []
        for transfer in transfers:
            token_id = _entity(transfer.token.shardNum, transfer.token.realmNum, transfer.token.tokenNum)
            for nft_transfer in transfer.nftTransfers:
                sender = _account(nft_transfer.senderAccountID)
                receiver = _account(nft_transfer.receiverAccountID)
                self._check_exists(token_id, nft_transfer.serialNumber)
                if (
                    self.owners.get((token_id, nft_transfer.serialNumber), self._tokens[token_id].treasury)
                    != sender
                ):
                    raise _Refused(ResponseCode.SENDER_DOES_NOT_OWN_NFT_SERIAL_NO)
                self._check_signed(signed, sender)
                if receiver not in self.wallets:
                    raise _Refused(ResponseCode.INVALID_ACCOUNT_ID)
                if receiver == sender:
                    raise _Refused(ResponseCode.ACCOUNT_REPEATED_IN_ACCOUNT_AMOUNTS)
                moves.append(((token_id, nft_transfer.serialNumber), sender, receiver))
        return moves

    def _pending_ids(self, pending_ids: Any) -> list[tuple[Nft, str, str]]:
        found = []
        for pending_id in pending_ids:
            nft_id = pending_id.non_fungible_token
            token = nft_id.token_ID
            nft = (_entity(token.shardNum, token.realmNum, token.tokenNum), nft_id.serial_number)
            sender, receiver = _account(pending_id.sender_id), _account(pending_id.receiver_id)
            if self.pending.get(nft) != (sender, receiver):
                raise _Refused(ResponseCode.INVALID_PENDING_AIRDROP_ID)
            found.append((nft, sender, receiver))
        if not found:
            raise _Refused(ResponseCode.EMPTY_PENDING_AIRDROP_ID_LIST)
        return found

    def _check_exists(self, token_id: str, serial: int) -> None:
        token = self._tokens.get(token_id)
        if token is None:
            raise _Refused(ResponseCode.INVALID_TOKEN_ID)
        if serial not in token.nfts or (token_id, serial) in self.burned:
            raise _Refused(ResponseCode.INVALID_NFT_ID)

    def _check_signed(self, signed: Signed, account_id: str) -> None:
        key = self._accounts.get(account_id)
        if key is not None and not _signed_by(signed, key):
            raise _Refused(ResponseCode.INVALID_SIGNATURE)

    def _accepts(self, account_id: str, token_id: str) -> bool:
        wallet = self.wallets.get(account_id)
        return wallet is not None and wallet.accepts(token_id)

    def _move(self, nft: Nft, sender: str, receiver: str) -> None:
        wallet = self.wallets.setdefault(receiver, FakeAccount())
        if nft[0] not in wallet.tokens:
            wallet.tokens[nft[0]] = True  # a free automatic-association slot, or a claim
        if receiver == self._tokens[nft[0]].treasury:
            self.owners.pop(nft, None)
        else:
            self.owners[nft] = receiver


def _account(account: basic_types_pb2.AccountID) -> str:
    return _entity(account.shardNum, account.realmNum, account.accountNum)


class _CertificateTokenService(TokenService):
    def burnToken(self, request: Any, context: Any) -> Any:
        return self._node.submit("burnToken", request, context)

    def airdropTokens(self, request: Any, context: Any) -> Any:
        return self._node.submit("airdropTokens", request, context)

    def cancelAirdrop(self, request: Any, context: Any) -> Any:
        return self._node.submit("cancelAirdrop", request, context)

    def claimAirdrop(self, request: Any, context: Any) -> Any:
        return self._node.submit("claimAirdrop", request, context)


class _TransferCryptoService(CryptoService):
    def cryptoTransfer(self, request: Any, context: Any) -> Any:
        return self._node.submit("cryptoTransfer", request, context)


class _ConsensusService(consensus_service_pb2_grpc.ConsensusServiceServicer):  # type: ignore[misc]  # untyped stubs
    def __init__(self, node: FakeHederaNode) -> None:
        self._node = node

    def createTopic(self, request: Any, context: Any) -> Any:
        return self._node.submit("createTopic", request, context)

    def submitMessage(self, request: Any, context: Any) -> Any:
        return self._node.submit("submitMessage", request, context)
