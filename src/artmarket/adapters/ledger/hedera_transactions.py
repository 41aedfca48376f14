"""Hedera entity ids, and signed transactions: frozen for a few nodes, and read back from their bytes."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hiero_sdk_python import (  # type: ignore[import-untyped]  # no py.typed in 0.3.0
    Client,
    TokenId,
    TokenMintTransaction,
)
from hiero_sdk_python.hapi.sdk.transaction_list_pb2 import TransactionList  # type: ignore[import-untyped]
from hiero_sdk_python.hapi.services import (  # type: ignore[import-untyped]
    transaction_contents_pb2,
    transaction_pb2,
)
from hiero_sdk_python.transaction.transaction import Transaction  # type: ignore[import-untyped]

from artmarket.adapters.ledger.hedera_keys import SigningKey
from artmarket.application.minting.certificate_transactions import PreparedTransaction, TransactionKind
from artmarket.application.minting.ledger import (
    LedgerRejected,
    PreparedMint,
    format_transaction_id,
)

ENTITY_ID = re.compile(r"^\d+\.\d+\.\d+$")
#: A frozen transaction carries one signed body per node it may be sent to; a few nodes keep
#: the persisted bytes small (mainnet has ~30 nodes) and still allow failover.
SIGNED_NODES = 5

#: The body each certificate transaction carries (TransactionBody's `data` oneof).
_BODIES: dict[TransactionKind, str] = {
    TransactionKind.BURN: "tokenBurn",
    TransactionKind.TOPIC_MESSAGE: "consensusSubmitMessage",
    TransactionKind.TRANSFER: "cryptoTransfer",
    TransactionKind.AIRDROP: "tokenAirdrop",
    TransactionKind.CANCEL_AIRDROP: "tokenCancelAirdrop",
}


@dataclass(frozen=True, slots=True)
class Frozen:
    """A transaction frozen and signed: its canonical id, the end of its valid window, its bytes."""

    transaction_id: str
    valid_until: datetime
    signed_bytes: bytes


def token_id_of(token_id: str) -> TokenId:
    """The SDK's TokenId for `0.0.1234`; LedgerRejected (INVALID_TOKEN_ID) for anything else."""
    if not ENTITY_ID.match(token_id):
        raise LedgerRejected("INVALID_TOKEN_ID", f"Not a token id: {token_id!r}.")
    return TokenId.from_string(token_id)


def freeze_signed(
    tx: Transaction, client: Client, signers: Sequence[SigningKey], *, valid_duration: int
) -> Frozen:
    """Freeze `tx` for a few of the client's nodes (choosing its id: valid start = now - 5..8 s) and sign it.

    Each signer signs in order; the payer (the operator) should be among them, so the bytes
    are complete (signing twice with one key is a no-op).
    """
    node_ids = client.get_node_account_ids()
    if len(node_ids) > SIGNED_NODES:
        node_ids = random.sample(node_ids, SIGNED_NODES)
    tx = tx.set_transaction_valid_duration(valid_duration).set_node_account_ids(node_ids).freeze_with(client)
    for signer in signers:
        tx = tx.sign_with(signer.public, signer.sign)
    txid = tx.transaction_id
    seconds, nanos = txid.valid_start.seconds, txid.valid_start.nanos
    valid_start = datetime.fromtimestamp(seconds, UTC) + timedelta(microseconds=math.ceil(nanos / 1000))
    return Frozen(
        transaction_id=format_transaction_id(str(txid.account_id), seconds, nanos),
        valid_until=valid_start + timedelta(seconds=valid_duration),
        signed_bytes=tx.to_bytes(),
    )


def signed_mint(prepared: PreparedMint) -> TokenMintTransaction:
    """The frozen, signed TokenMint carried by a PreparedMint (checked to be that very transaction).

    The check reads the signed bodies themselves: in SDK 0.3.0 a TokenMintTransaction
    restored by `from_bytes` submits its original bodies but leaves `token_id` and
    `metadata` unset.
    """
    if not prepared.signed_bytes:
        raise ValueError("This PreparedMint carries no signed transaction: prepare it with HederaLedger")
    for body in _bodies(prepared.signed_bytes, prepared.transaction_id, "tokenMint"):
        mint = body.tokenMint
        if (
            f"{mint.token.shardNum}.{mint.token.realmNum}.{mint.token.tokenNum}" != prepared.token_id
            or tuple(mint.metadata) != prepared.metadata
        ):
            raise ValueError("The signed bytes are not this PreparedMint's TokenMint")
    tx = Transaction.from_bytes(prepared.signed_bytes)
    if not isinstance(tx, TokenMintTransaction):
        raise ValueError("The signed bytes are not this PreparedMint's TokenMint")
    return tx


def signed_transaction(prepared: PreparedTransaction) -> Transaction:
    """The frozen, signed transaction a PreparedTransaction carries, checked to be of its id and kind."""
    if not prepared.signed_bytes:
        raise ValueError(
            "This PreparedTransaction carries no signed transaction: prepare it with HederaLedger"
        )
    _bodies(prepared.signed_bytes, prepared.transaction_id, _BODIES[prepared.kind])
    return Transaction.from_bytes(prepared.signed_bytes)


def _bodies(signed_bytes: bytes, transaction_id: str, data: str) -> list[transaction_pb2.TransactionBody]:
    """The signed bodies (one per node), each checked to be a `data` transaction with this id."""
    try:
        bodies = [
            transaction_pb2.TransactionBody.FromString(
                transaction_contents_pb2.SignedTransaction.FromString(item.signedTransactionBytes).bodyBytes
            )
            for item in TransactionList.FromString(signed_bytes).transaction_list
        ]
    except Exception as error:
        raise ValueError("The signed bytes are not a transaction") from error
    if not bodies:
        raise ValueError("The signed bytes hold no transaction")
    for body in bodies:
        txid = body.transactionID
        account = f"{txid.accountID.shardNum}.{txid.accountID.realmNum}.{txid.accountID.accountNum}"
        start = txid.transactionValidStart
        if (
            body.WhichOneof("data") != data
            or format_transaction_id(account, start.seconds, start.nanos) != transaction_id
        ):
            raise ValueError(f"The signed bytes are not the {data} transaction {transaction_id}")
    return bodies
