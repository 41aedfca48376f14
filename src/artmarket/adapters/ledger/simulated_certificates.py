"""The simulated ledger's certificate transactions: burns, topics and messages, transfers, airdrops.

`SimulatedCertificates` is a part of `SimulatedLedger` (a mixin), kept apart for size. It
follows Hedera's rules where they matter to certificates:

- Every well-formed account id exists, unassociated with any token and with no free
  automatic-association slot, until `associate` (or a claimed airdrop) associates it.
- A burn needs the treasury to hold the NFT (TREASURY_MUST_OWN_BURNED_NFT); a burned NFT
  stays on record with no owner, and an airdrop of it that was pending is dropped.
- A transfer reaches only an account that accepts the token (TOKEN_NOT_ASSOCIATED_TO_ACCOUNT).
- An airdrop (HIP-904) to an account that accepts the token is a transfer; to any other it
  is pending, the NFT staying with the treasury until the receiver claims it or we cancel.
- Topic ids are numbered with token ids; messages get sequence numbers 1, 2, … per topic.
- Consensus timestamps come from the clock ("seconds.nanos"), strictly increasing.
- A transaction id is decided once; submitting it again returns that decision.
- The signed bytes are the simulated ledger's own JSON description of the transaction.
"""

from __future__ import annotations

import base64
import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from artmarket.application.minting.certificate_transactions import (
    PreparedTransaction,
    TopicMessage,
    TransactionKind,
    TransactionOutcome,
    check_account_id,
    check_topic_message,
)
from artmarket.application.minting.ledger import LedgerRejected, parse_transaction_id
from artmarket.application.ports import Clock

_SUCCESS = "SUCCESS"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

Nft = tuple[str, int]


@dataclass(frozen=True, slots=True)
class _Request:
    """What a prepared transaction asks for: the content of its signed bytes."""

    transaction_id: str
    kind: TransactionKind
    token_id: str = ""
    serial: int = 0
    account_id: str = ""
    topic_id: str = ""
    message: bytes = b""

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "transaction_id": self.transaction_id,
                "kind": self.kind.value,
                "token_id": self.token_id,
                "serial": self.serial,
                "account_id": self.account_id,
                "topic_id": self.topic_id,
                "message": base64.b64encode(self.message).decode("ascii"),
            },
            sort_keys=True,
        ).encode()

    @classmethod
    def of(cls, prepared: PreparedTransaction) -> _Request:
        """The request a PreparedTransaction carries, checked to be that very transaction."""
        try:
            body = json.loads(prepared.signed_bytes)
            request = cls(
                transaction_id=str(body["transaction_id"]),
                kind=TransactionKind(body["kind"]),
                token_id=str(body["token_id"]),
                serial=int(body["serial"]),
                account_id=str(body["account_id"]),
                topic_id=str(body["topic_id"]),
                message=base64.b64decode(body["message"], validate=True),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError("The signed bytes are not a simulated-ledger transaction") from error
        if (request.transaction_id, request.kind) != (prepared.transaction_id, prepared.kind):
            raise ValueError("The signed bytes are not this PreparedTransaction's")
        return request


@dataclass(frozen=True, slots=True)
class _Decided:
    """What the simulated consensus decided for one certificate transaction."""

    status: str
    consensus_timestamp: str | None = None
    topic_sequence_number: int | None = None


class SimulatedCertificates(ABC):
    """CertificateLedger for SimulatedLedger, plus what a receiver's wallet does (the sandbox's)."""

    _clock: Clock
    _operator_id: str

    def _init_certificates(self) -> None:
        self._topics: dict[str, list[TopicMessage]] = {}
        self._owners: dict[Nft, str] = {}  # only NFTs out of the treasury
        self._burned: set[Nft] = set()
        self._associations: dict[str, set[str]] = {}
        self._pending: dict[Nft, str] = {}  # NFT -> the receiver it waits for
        self._decided: dict[str, _Decided] = {}
        self._last_consensus_ns = 0

    # -- what the ledger provides --------------------------------------------------------

    @abstractmethod
    def _next_transaction(self) -> tuple[str, datetime]:
        """A new transaction id and the end of its valid window."""

    @abstractmethod
    def _new_entity_id(self) -> str:
        """A new entity id ("0.0.N"), numbered with the tokens."""

    @abstractmethod
    def _minted(self, token_id: str) -> int | None:
        """How many NFTs the token has minted; None when there is no such token."""

    @abstractmethod
    def _save(self) -> None:
        """Persist the whole state (when the ledger has a state file)."""

    # -- the port ------------------------------------------------------------------------

    @property
    def treasury_account(self) -> str:
        return self._operator_id

    async def create_topic(self, *, memo: str) -> str:
        topic_id = self._new_entity_id()
        self._topics[topic_id] = []
        self._save()
        return topic_id

    async def prepare_burn(self, token_id: str, serial: int) -> PreparedTransaction:
        return self._prepare(TransactionKind.BURN, token_id=token_id, serial=serial)

    async def prepare_topic_message(self, topic_id: str, message: bytes) -> PreparedTransaction:
        return self._prepare(
            TransactionKind.TOPIC_MESSAGE, topic_id=topic_id, message=check_topic_message(message)
        )

    async def prepare_transfer(self, token_id: str, serial: int, account_id: str) -> PreparedTransaction:
        return self._prepare(
            TransactionKind.TRANSFER,
            token_id=token_id,
            serial=serial,
            account_id=check_account_id(account_id),
        )

    async def prepare_airdrop(self, token_id: str, serial: int, account_id: str) -> PreparedTransaction:
        return self._prepare(
            TransactionKind.AIRDROP, token_id=token_id, serial=serial, account_id=check_account_id(account_id)
        )

    async def prepare_cancel_airdrop(
        self, token_id: str, serial: int, account_id: str
    ) -> PreparedTransaction:
        return self._prepare(
            TransactionKind.CANCEL_AIRDROP,
            token_id=token_id,
            serial=serial,
            account_id=check_account_id(account_id),
        )

    async def submit(self, prepared: PreparedTransaction) -> TransactionOutcome:
        request = _Request.of(prepared)
        decided = self._decided.get(prepared.transaction_id)
        if decided is None:
            if self._clock.now() > prepared.valid_until:
                raise LedgerRejected("TRANSACTION_EXPIRED")
            decided = self._reach_consensus(request)
            self._decided[prepared.transaction_id] = decided
            self._save()
        return _outcome(prepared.transaction_id, decided)

    async def transaction_outcome(self, transaction_id: str) -> TransactionOutcome | None:
        parse_transaction_id(transaction_id)
        decided = self._decided.get(transaction_id)
        return None if decided is None else _outcome(transaction_id, decided)

    async def accepts_token(self, account_id: str, token_id: str) -> bool:
        return token_id in self._associations.get(check_account_id(account_id), set())

    async def pending_airdrop(self, token_id: str, serial: int, account_id: str) -> bool:
        return self._pending.get((token_id, serial)) == account_id

    async def topic_messages(
        self, topic_id: str, *, after: int = 0, limit: int = 100
    ) -> Sequence[TopicMessage]:
        return [message for message in self._topics.get(topic_id, []) if message.sequence_number > after][
            :limit
        ]

    # -- what a receiver does in their wallet (the sandbox wallet page) ------------------

    def associate(self, account_id: str, token_id: str) -> None:
        """The account associates itself with the token (TokenAssociate); again is harmless."""
        check_account_id(account_id)
        if self._minted(token_id) is None:
            raise LedgerRejected("INVALID_TOKEN_ID")
        self._associations.setdefault(account_id, set()).add(token_id)
        self._save()

    def claim_airdrop(self, token_id: str, serial: int, account_id: str) -> None:
        """The receiver claims a pending airdrop (TokenClaimAirdrop): the NFT becomes theirs."""
        nft = (token_id, serial)
        if self._pending.get(nft) != check_account_id(account_id):
            raise LedgerRejected("INVALID_PENDING_AIRDROP_ID")
        del self._pending[nft]
        self._associations.setdefault(account_id, set()).add(token_id)
        self._owners[nft] = account_id
        self._save()

    def pending_airdrops_for(self, account_id: str) -> list[Nft]:
        """The NFTs airdropped to the account and not yet claimed or cancelled, in order."""
        return sorted(nft for nft, receiver in self._pending.items() if receiver == account_id)

    def nft_owner(self, token_id: str, serial: int) -> str | None:
        """Who holds the NFT; None when it was never minted or has been burned."""
        minted = self._minted(token_id)
        nft = (token_id, serial)
        if minted is None or not 1 <= serial <= minted or nft in self._burned:
            return None
        return self._owners.get(nft, self._operator_id)

    def nfts_of(self, account_id: str) -> list[Nft]:
        """The NFTs an account other than the treasury holds, in order."""
        return sorted(nft for nft, owner in self._owners.items() if owner == account_id)

    # -- consensus -----------------------------------------------------------------------

    def _prepare(self, kind: TransactionKind, **fields: Any) -> PreparedTransaction:
        transaction_id, valid_until = self._next_transaction()
        request = _Request(transaction_id=transaction_id, kind=kind, **fields)
        self._save()
        return PreparedTransaction(
            transaction_id=transaction_id, kind=kind, valid_until=valid_until, signed_bytes=request.to_bytes()
        )

    def _reach_consensus(self, request: _Request) -> _Decided:
        if request.kind is TransactionKind.TOPIC_MESSAGE:
            return self._append_message(request.topic_id, request.message)
        nft = (request.token_id, request.serial)
        status = self._nft_status(nft) or self._custody_status(request, nft)
        if status is not None:
            return _Decided(status)
        if request.kind is TransactionKind.BURN:
            self._burned.add(nft)
            self._pending.pop(nft, None)
        elif request.kind is TransactionKind.CANCEL_AIRDROP:
            del self._pending[nft]
        elif request.kind is TransactionKind.AIRDROP and not self._accepts(
            request.account_id, request.token_id
        ):
            self._pending[nft] = request.account_id
        else:  # a transfer, or an airdrop to an account that accepts the token
            self._owners[nft] = request.account_id
        return _Decided(_SUCCESS, self._consensus_timestamp())

    def _nft_status(self, nft: Nft) -> str | None:
        """Why no transaction can touch this NFT (unknown token, unminted or burned), if so."""
        minted = self._minted(nft[0])
        if minted is None:
            return "INVALID_TOKEN_ID"
        if not 1 <= nft[1] <= minted or nft in self._burned:
            return "INVALID_NFT_ID"
        return None

    def _custody_status(self, request: _Request, nft: Nft) -> str | None:
        """Why the network would refuse this burn, transfer, airdrop or cancellation, if so."""
        held_by_treasury = nft not in self._owners
        if request.kind is TransactionKind.BURN:
            return None if held_by_treasury else "TREASURY_MUST_OWN_BURNED_NFT"
        if request.kind is TransactionKind.CANCEL_AIRDROP:
            return None if self._pending.get(nft) == request.account_id else "INVALID_PENDING_AIRDROP_ID"
        if not held_by_treasury:
            return "SENDER_DOES_NOT_OWN_NFT_SERIAL_NO"
        if request.account_id == self._operator_id:
            return "ACCOUNT_REPEATED_IN_ACCOUNT_AMOUNTS"
        if request.kind is TransactionKind.AIRDROP and nft in self._pending:
            return "PENDING_NFT_AIRDROP_ALREADY_EXISTS"
        if request.kind is TransactionKind.TRANSFER and not self._accepts(
            request.account_id, request.token_id
        ):
            return "TOKEN_NOT_ASSOCIATED_TO_ACCOUNT"
        return None

    def _accepts(self, account_id: str, token_id: str) -> bool:
        return token_id in self._associations.get(account_id, set())

    def _append_message(self, topic_id: str, message: bytes) -> _Decided:
        messages = self._topics.get(topic_id)
        if messages is None:
            return _Decided("INVALID_TOPIC_ID")
        timestamp = self._consensus_timestamp()
        messages.append(TopicMessage(len(messages) + 1, timestamp, message))
        return _Decided(_SUCCESS, timestamp, len(messages))

    def _consensus_timestamp(self) -> str:
        now_ns = (self._clock.now() - _EPOCH) // _MICROSECOND * 1000  # a datetime counts microseconds
        self._last_consensus_ns = max(now_ns, self._last_consensus_ns + 1)
        seconds, nanos = divmod(self._last_consensus_ns, 1_000_000_000)
        return f"{seconds}.{nanos:09d}"

    # -- state file ----------------------------------------------------------------------

    def _certificate_state(self) -> dict[str, Any]:
        return {
            "topics": {
                topic_id: [
                    [m.sequence_number, m.consensus_timestamp, base64.b64encode(m.message).decode("ascii")]
                    for m in messages
                ]
                for topic_id, messages in self._topics.items()
            },
            "owners": [[token_id, serial, owner] for (token_id, serial), owner in self._owners.items()],
            "burned": sorted([token_id, serial] for token_id, serial in self._burned),
            "associations": {account: sorted(tokens) for account, tokens in self._associations.items()},
            "pending_airdrops": [
                [token_id, serial, receiver] for (token_id, serial), receiver in self._pending.items()
            ],
            "certificate_transactions": {
                transaction_id: [decided.status, decided.consensus_timestamp, decided.topic_sequence_number]
                for transaction_id, decided in self._decided.items()
            },
            "last_consensus_ns": self._last_consensus_ns,
        }

    def _load_certificate_state(self, state: dict[str, Any]) -> None:
        """Restore what `_certificate_state` saved (a version-1 state file has none of it)."""
        self._topics = {
            topic_id: [TopicMessage(int(seq), str(ts), base64.b64decode(text)) for seq, ts, text in messages]
            for topic_id, messages in state.get("topics", {}).items()
        }
        self._owners = {(token_id, int(serial)): owner for token_id, serial, owner in state.get("owners", [])}
        self._burned = {(token_id, int(serial)) for token_id, serial in state.get("burned", [])}
        self._associations = {
            account: set(tokens) for account, tokens in state.get("associations", {}).items()
        }
        self._pending = {
            (token_id, int(serial)): receiver
            for token_id, serial, receiver in state.get("pending_airdrops", [])
        }
        self._decided = {
            transaction_id: _Decided(status, timestamp, sequence)
            for transaction_id, (status, timestamp, sequence) in state.get(
                "certificate_transactions", {}
            ).items()
        }
        self._last_consensus_ns = int(state.get("last_consensus_ns", 0))


def _outcome(transaction_id: str, decided: _Decided) -> TransactionOutcome:
    if decided.status != _SUCCESS:
        raise LedgerRejected(decided.status)
    return TransactionOutcome(transaction_id, decided.consensus_timestamp, decided.topic_sequence_number)
