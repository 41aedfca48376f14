"""What a certificate's later life asks of the ledger: burn, provenance messages, transfer, airdrop.

Every one of these is a single transaction submitted exactly once, with the discipline of
mints (ADR 0007): the ledger prepares it (chooses the id, signs), the caller persists the
`PreparedTransaction`, then submits. After a crash the caller asks `transaction_outcome`
about the stored id; resubmitting the stored bytes is always safe. Only a transaction the
ledger reports as absent *after* its `valid_until` may be replaced by a new one.
"""

from __future__ import annotations

import enum
import re
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Protocol

from artmarket.application.minting.ledger import LedgerRejected, parse_transaction_id

#: Most bytes of one consensus-service message submitted in one transaction (no chunking).
MAX_TOPIC_MESSAGE_BYTES: Final = 1024

_ACCOUNT_ID = re.compile(r"^\d+\.\d+\.\d+$")


class TransactionKind(enum.StrEnum):
    """The certificate transactions a ledger prepares."""

    BURN = "burn"
    TOPIC_MESSAGE = "topic_message"
    TRANSFER = "transfer"
    AIRDROP = "airdrop"
    CANCEL_AIRDROP = "cancel_airdrop"


@dataclass(frozen=True, slots=True)
class PreparedTransaction:
    """A signed certificate transaction, not necessarily submitted: persist it, then submit it.

    `signed_bytes` are opaque to the caller; each ledger reads back only its own.
    """

    transaction_id: str
    kind: TransactionKind
    valid_until: datetime
    signed_bytes: bytes = field(default=b"", repr=False)

    def __post_init__(self) -> None:
        parse_transaction_id(self.transaction_id)
        if self.valid_until.tzinfo is None:
            raise ValueError("valid_until must be timezone-aware")


@dataclass(frozen=True, slots=True)
class TransactionOutcome:
    """A certificate transaction that reached consensus and succeeded.

    `consensus_timestamp` is the mirror node's form ("1700000000.000000005"), None when only
    a consensus node's receipt was seen; `topic_sequence_number` is set for topic messages.
    """

    transaction_id: str
    consensus_timestamp: str | None = None
    topic_sequence_number: int | None = None


@dataclass(frozen=True, slots=True)
class TopicMessage:
    """One message of a consensus-service topic, as the mirror node lists it."""

    sequence_number: int
    consensus_timestamp: str
    message: bytes


class CertificateLedger(Protocol):
    """Burns, provenance-topic messages and custody moves of certificate NFTs, each exactly once."""

    @property
    @abstractmethod
    def treasury_account(self) -> str:
        """The account ("0.0.N") that holds certificates in the platform's custody."""

    @abstractmethod
    async def create_topic(self, *, memo: str) -> str:
        """Create a topic only we may submit to (submit key: the operator); returns "0.0.N"."""

    @abstractmethod
    async def prepare_burn(self, token_id: str, serial: int) -> PreparedTransaction:
        """Sign a TokenBurn of one NFT held by the treasury; submits nothing."""

    @abstractmethod
    async def prepare_topic_message(self, topic_id: str, message: bytes) -> PreparedTransaction:
        """Sign a message of 1..MAX_TOPIC_MESSAGE_BYTES (else LedgerRejected) to the topic."""

    @abstractmethod
    async def prepare_transfer(self, token_id: str, serial: int, account_id: str) -> PreparedTransaction:
        """Sign a transfer of one NFT from the treasury to an account that accepts the token."""

    @abstractmethod
    async def prepare_airdrop(self, token_id: str, serial: int, account_id: str) -> PreparedTransaction:
        """Sign a TokenAirdrop (HIP-904) of one NFT from the treasury; pending until the account claims it."""

    @abstractmethod
    async def prepare_cancel_airdrop(
        self, token_id: str, serial: int, account_id: str
    ) -> PreparedTransaction:
        """Sign the cancellation of a pending airdrop of one NFT; it stays with the treasury."""

    @abstractmethod
    async def submit(self, prepared: PreparedTransaction) -> TransactionOutcome:
        """Submit; an id the ledger already accepted returns its outcome and does nothing more.

        LedgerUnavailable: the outcome is unknown (ask `transaction_outcome`, or resubmit the
        same PreparedTransaction). LedgerRejected: permanent, nothing happened.
        """

    @abstractmethod
    async def transaction_outcome(self, transaction_id: str) -> TransactionOutcome | None:
        """The outcome of an earlier submission, or None when the ledger has no record of it.

        None proves it never happened only once the prepared `valid_until` has passed.
        LedgerRejected: it happened and failed. LedgerUnavailable: the ledger cannot tell now.
        """

    @abstractmethod
    async def accepts_token(self, account_id: str, token_id: str) -> bool:
        """Whether a transfer would land: associated, or a free automatic-association slot.

        LedgerRejected("INVALID_ACCOUNT_ID") when the account does not exist.
        """

    @abstractmethod
    async def pending_airdrop(self, token_id: str, serial: int, account_id: str) -> bool:
        """True while an airdrop of this NFT to the account waits to be claimed."""

    @abstractmethod
    async def topic_messages(
        self, topic_id: str, *, after: int = 0, limit: int = 100
    ) -> Sequence[TopicMessage]:
        """The topic's messages with sequence numbers above `after`, in order, at most `limit`."""


def check_topic_message(message: bytes) -> bytes:
    """The message, or LedgerRejected with the status the network would answer for it."""
    if not isinstance(message, bytes):
        raise TypeError("A topic message must be bytes")
    if not message:
        raise LedgerRejected("INVALID_TOPIC_MESSAGE", "A topic message cannot be empty.")
    if len(message) > MAX_TOPIC_MESSAGE_BYTES:
        raise LedgerRejected(
            "MESSAGE_SIZE_TOO_LARGE",
            "A topic message is at most {most} bytes, not {size}.",
            most=MAX_TOPIC_MESSAGE_BYTES,
            size=len(message),
        )
    return message


def check_account_id(account_id: str) -> str:
    """The account id ("0.0.N"), or LedgerRejected(INVALID_ACCOUNT_ID) for anything else."""
    if not _ACCOUNT_ID.match(account_id):
        raise LedgerRejected(
            "INVALID_ACCOUNT_ID", "Not an account id: {account_id!r}.", account_id=account_id
        )
    return account_id
