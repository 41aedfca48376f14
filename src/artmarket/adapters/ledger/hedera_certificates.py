"""HederaLedger's certificate transactions: TokenBurn, consensus topics, NFT transfers, airdrops (HIP-904).

`HederaCertificates` is a part of `HederaLedger` (a mixin), kept apart for size. Every
transaction is prepared (frozen for a few nodes, signed, `to_bytes()`), persisted by the
caller, then submitted from its bytes; an id the network already has (DUPLICATE_TRANSACTION,
or TRANSACTION_EXPIRED once its window closed) is answered from its receipt, or from the
mirror node once the consensus nodes forgot it (after 3 minutes).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import structlog
from hiero_sdk_python import (  # type: ignore[import-untyped]  # no py.typed in 0.3.0
    AccountId,
    Client,
    NftId,
    PrecheckError,
    ResponseCode,
    TokenAirdropTransaction,
    TokenBurnTransaction,
    TopicCreateTransaction,
    TopicId,
    TopicMessageSubmitTransaction,
    TransactionGetReceiptQuery,
    TransactionId,
    TransactionReceipt,
    TransferTransaction,
)
from hiero_sdk_python.exceptions import MaxAttemptsError  # type: ignore[import-untyped]
from hiero_sdk_python.hapi.services import timestamp_pb2  # type: ignore[import-untyped]
from hiero_sdk_python.tokens.token_airdrop_pending_id import PendingAirdropId  # type: ignore[import-untyped]
from hiero_sdk_python.tokens.token_airdrop_transaction_cancel import (  # type: ignore[import-untyped]
    TokenCancelAirdropTransaction,
)
from hiero_sdk_python.transaction.transaction import Transaction  # type: ignore[import-untyped]

from artmarket.adapters.ledger.hedera_keys import LedgerKeys, SigningKey
from artmarket.adapters.ledger.hedera_mirror import MirrorNode
from artmarket.adapters.ledger.hedera_sdk import SdkCalls
from artmarket.adapters.ledger.hedera_transactions import (
    ENTITY_ID,
    freeze_signed,
    signed_transaction,
    token_id_of,
)
from artmarket.application.minting.certificate_transactions import (
    PreparedTransaction,
    TopicMessage,
    TransactionKind,
    TransactionOutcome,
    check_account_id,
    check_topic_message,
)
from artmarket.application.minting.ledger import (
    LedgerRejected,
    LedgerUnavailable,
    parse_transaction_id,
)

#: Most UTF-8 bytes of a memo (`HederaConfig.transaction.maxMemoUtf8Bytes`).
MAX_MEMO_BYTES = 100

log = structlog.get_logger("artmarket.adapters.ledger.hedera")


#: The longest pause between two questions about a receipt (see `ReceiptPolling`).
RECEIPT_POLL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class ReceiptPolling:
    """How a receipt is waited for. Consensus takes 2-5 s; the SDK's doubling back-off (0.5, 1,
    2, 4, 8 s) would learn of a 4 s consensus only at 7.5 s and hold a mint's slot that long.
    Receipt queries are free, so the pauses are capped at RECEIPT_POLL_SECONDS, with attempts
    enough to keep asking until the call's timeout; smaller back-offs (tests) stay as they are."""

    max_backoff: float
    max_attempts: int

    @classmethod
    def of(cls, *, max_backoff: float, max_attempts: int, timeout: float) -> ReceiptPolling:
        if max_backoff <= RECEIPT_POLL_SECONDS:
            return cls(max_backoff, max_attempts)
        return cls(RECEIPT_POLL_SECONDS, max(max_attempts, math.ceil(timeout / RECEIPT_POLL_SECONDS) + 2))


class Submitted(enum.Enum):
    """What the node said when a submission did not come back with a receipt."""

    DUPLICATE = "DUPLICATE_TRANSACTION"
    EXPIRED = "TRANSACTION_EXPIRED"


def submit_signed(
    tx: Transaction, client: Client, *, timeout: float, polling: ReceiptPolling
) -> TransactionReceipt | Submitted:
    """Submit a signed transaction and wait for its receipt (in an SDK thread).

    The receipt's failure status raises (ReceiptStatusError); an id the node already has
    answers DUPLICATE; an expired window answers EXPIRED, which the network checks before
    duplicates, so the transaction may still have been accepted earlier.
    """
    try:
        response = tx.execute(client, timeout=timeout, wait_for_receipt=False)
    except PrecheckError as error:
        if error.status == ResponseCode.DUPLICATE_TRANSACTION:
            return Submitted.DUPLICATE
        if error.status == ResponseCode.TRANSACTION_EXPIRED:
            return Submitted.EXPIRED
        raise
    query = response.get_receipt_query(validate_status=True, client=client)
    query.set_max_backoff(polling.max_backoff)
    query.set_max_attempts(polling.max_attempts)
    return query.execute(client, timeout)


class HederaCertificates:
    """CertificateLedger over hiero-sdk-python and the mirror node, for HederaLedger."""

    _sdk: SdkCalls
    _mirror: MirrorNode
    _keys: LedgerKeys
    _operator_id: AccountId
    _valid_duration: int
    _call_timeout: float
    _receipts: ReceiptPolling
    _lookup_attempts: int

    @property
    def treasury_account(self) -> str:
        return str(self._operator_id)

    async def create_topic(self, *, memo: str) -> str:
        if len(memo.encode()) > MAX_MEMO_BYTES:
            raise LedgerRejected("MEMO_TOO_LONG")
        operator = self._keys.operator

        def create(client: Client) -> str:
            tx = (
                TopicCreateTransaction()
                .set_memo(memo)
                .set_admin_key(operator.public)
                .set_submit_key(operator.public)
                .freeze_with(client)
                .sign_with(operator.public, operator.sign)
            )
            receipt = tx.execute(client, timeout=self._call_timeout, validate_status=True)
            return str(receipt.topic_id)

        return await self._sdk.run("create_topic", create)

    async def prepare_burn(self, token_id: str, serial: int) -> PreparedTransaction:
        token = token_id_of(token_id)
        return await self._prepare(
            TransactionKind.BURN,
            lambda: TokenBurnTransaction().set_token_id(token).set_serials([int(serial)]),
            self._keys.supply,
        )

    async def prepare_topic_message(self, topic_id: str, message: bytes) -> PreparedTransaction:
        check_topic_message(message)
        if not ENTITY_ID.match(topic_id):
            raise LedgerRejected("INVALID_TOPIC_ID", f"Not a topic id: {topic_id!r}.")
        topic = TopicId.from_string(topic_id)
        return await self._prepare(
            TransactionKind.TOPIC_MESSAGE,
            lambda: TopicMessageSubmitTransaction(topic_id=topic, message=message),
        )

    async def prepare_transfer(self, token_id: str, serial: int, account_id: str) -> PreparedTransaction:
        nft, receiver = self._nft_and_account(token_id, serial, account_id)
        return await self._prepare(
            TransactionKind.TRANSFER,
            lambda: TransferTransaction().add_nft_transfer(nft, self._operator_id, receiver),
        )

    async def prepare_airdrop(self, token_id: str, serial: int, account_id: str) -> PreparedTransaction:
        nft, receiver = self._nft_and_account(token_id, serial, account_id)
        return await self._prepare(
            TransactionKind.AIRDROP,
            lambda: TokenAirdropTransaction().add_nft_transfer(nft, self._operator_id, receiver),
        )

    async def prepare_cancel_airdrop(
        self, token_id: str, serial: int, account_id: str
    ) -> PreparedTransaction:
        nft, receiver = self._nft_and_account(token_id, serial, account_id)
        pending = PendingAirdropId(sender_id=self._operator_id, receiver_id=receiver, nft_id=nft)
        return await self._prepare(
            TransactionKind.CANCEL_AIRDROP,
            lambda: TokenCancelAirdropTransaction().add_pending_airdrop(pending),
        )

    async def submit(self, prepared: PreparedTransaction) -> TransactionOutcome:
        tx = signed_transaction(prepared)
        answer = await self._sdk.run(
            f"submit_{prepared.kind.value}",
            lambda client: submit_signed(tx, client, timeout=self._call_timeout, polling=self._receipts),
            transaction_id=prepared.transaction_id,
        )
        if not isinstance(answer, Submitted):
            return _outcome(prepared.transaction_id, answer)
        log.info("hedera.already_submitted", transaction_id=prepared.transaction_id, answer=answer.value)
        outcome = await self.transaction_outcome(prepared.transaction_id)
        if outcome is not None:
            return outcome
        if answer is Submitted.EXPIRED:
            raise LedgerRejected(answer.value)
        raise LedgerUnavailable("The ledger has the transaction but no receipt for it yet.")

    async def transaction_outcome(self, transaction_id: str) -> TransactionOutcome | None:
        receipt = await self._node_receipt("transaction_outcome", transaction_id)
        if receipt is not None:
            return _outcome(transaction_id, receipt)
        # Consensus nodes keep receipts for 3 minutes; the mirror node keeps them for good.
        return await self._mirror.transaction_outcome(transaction_id)

    async def accepts_token(self, account_id: str, token_id: str) -> bool:
        token_id_of(token_id)
        return await self._mirror.accepts_token(check_account_id(account_id), token_id)

    async def pending_airdrop(self, token_id: str, serial: int, account_id: str) -> bool:
        token_id_of(token_id)
        return await self._mirror.pending_airdrop(token_id, serial, check_account_id(account_id))

    async def topic_messages(
        self, topic_id: str, *, after: int = 0, limit: int = 100
    ) -> Sequence[TopicMessage]:
        if not ENTITY_ID.match(topic_id):
            raise LedgerRejected("INVALID_TOPIC_ID", f"Not a topic id: {topic_id!r}.")
        return await self._mirror.topic_messages(topic_id, after=after, limit=limit)

    # -- shared with mints ---------------------------------------------------------------

    async def _node_receipt(self, operation: str, transaction_id: str) -> TransactionReceipt | None:
        """A consensus node's receipt of the transaction; None when it has none (or forgot it).

        A receipt with a failure status raises LedgerRejected (through SdkCalls).
        """
        account, seconds, nanos = parse_transaction_id(transaction_id)

        def lookup(client: Client) -> TransactionReceipt | None:
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
                return query.execute(client, timeout=self._call_timeout)
            except MaxAttemptsError as error:
                last = error.last_error
                if isinstance(last, PrecheckError) and last.status == ResponseCode.RECEIPT_NOT_FOUND:
                    return None
                raise

        return await self._sdk.run(operation, lookup, transaction_id=transaction_id)

    async def _prepare(
        self, kind: TransactionKind, build: Callable[[], Transaction], *signers: SigningKey
    ) -> PreparedTransaction:
        def prepare(client: Client) -> PreparedTransaction:
            frozen = freeze_signed(
                build(), client, [*signers, self._keys.operator], valid_duration=self._valid_duration
            )
            return PreparedTransaction(frozen.transaction_id, kind, frozen.valid_until, frozen.signed_bytes)

        return await self._sdk.run(f"prepare_{kind.value}", prepare)

    def _nft_and_account(self, token_id: str, serial: int, account_id: str) -> tuple[NftId, AccountId]:
        nft = NftId(token_id_of(token_id), int(serial))
        return nft, AccountId.from_string(check_account_id(account_id))


def _outcome(transaction_id: str, receipt: TransactionReceipt) -> TransactionOutcome:
    return TransactionOutcome(transaction_id, None, int(receipt.topic_sequence_number) or None)
