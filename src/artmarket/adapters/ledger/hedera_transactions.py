"""Hedera entity ids and the signed TokenMint a `PreparedMint` carries."""

from __future__ import annotations

import re

from hiero_sdk_python import (  # type: ignore[import-untyped]  # no py.typed in 0.3.0
    TokenId,
    TokenMintTransaction,
)
from hiero_sdk_python.hapi.sdk.transaction_list_pb2 import TransactionList  # type: ignore[import-untyped]
from hiero_sdk_python.hapi.services import (  # type: ignore[import-untyped]
    transaction_contents_pb2,
    transaction_pb2,
)
from hiero_sdk_python.transaction.transaction import Transaction  # type: ignore[import-untyped]

from artmarket.application.minting.ledger import (
    LedgerRejected,
    PreparedMint,
    format_transaction_id,
)

ENTITY_ID = re.compile(r"^\d+\.\d+\.\d+$")


def token_id_of(token_id: str) -> TokenId:
    """The SDK's TokenId for `0.0.1234`; LedgerRejected (INVALID_TOKEN_ID) for anything else."""
    if not ENTITY_ID.match(token_id):
        raise LedgerRejected("INVALID_TOKEN_ID", f"Not a token id: {token_id!r}.")
    return TokenId.from_string(token_id)


def signed_mint(prepared: PreparedMint) -> TokenMintTransaction:
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
