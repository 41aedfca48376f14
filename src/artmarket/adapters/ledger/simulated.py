"""A simulated NFT ledger with Hedera's rules: deterministic, in memory, optionally saved to a file."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from artmarket.adapters.atomic_files import write_atomically
from artmarket.adapters.ledger.simulated_certificates import SimulatedCertificates
from artmarket.adapters.security.clock import SystemClock
from artmarket.application.minting.ledger import (
    LedgerRejected,
    MintReceipt,
    NftRecord,
    PreparedMint,
    check_collection,
    check_mint_batch,
    format_transaction_id,
    parse_transaction_id,
)
from artmarket.application.ports import Clock

#: Version 2 added certificate transactions, topics, owners and airdrops; version 1 still loads.
_STATE_VERSION = 2
_READABLE_VERSIONS = (1, _STATE_VERSION)
_FIRST_TOKEN_NUMBER = 1000
_SUCCESS = "SUCCESS"


@dataclass(slots=True)
class _Token:
    name: str
    symbol: str
    max_supply: int
    nfts: list[bytes] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What the simulated consensus decided for one transaction id."""

    token_id: str
    status: str
    serials: tuple[int, ...] = ()


class SimulatedLedger(SimulatedCertificates):
    """An in-memory ledger that enforces Hedera's mint rules; nothing here is on a chain.

    It is a CertificateLedger too (burns, topics, transfers, airdrops: `SimulatedCertificates`).

    - Token (and topic) ids are 0.0.1000, 0.0.1001, … in creation order; serials run 1, 2, … per token.
    - Transaction ids are `{operator}@{valid-start second}.{counter:09d}`: the valid start
      second comes from the clock and the counter numbers prepared mints, so ids are
      unique and, with a fixed clock, deterministic (certificate transactions share the counter).
    - A transaction id is decided once: submitting it again returns the first outcome, even
      after it expired. A mint submitted after `valid_until` is refused (TRANSACTION_EXPIRED).
    - With `state_file`, every change is written atomically before the call returns, so the
      embedded profile survives restarts. One process only: two processes sharing the file
      would overwrite each other.
    - There is no explorer: `explorer_url` and `transaction_explorer_url` return None.
    """

    network = "simulated"

    def __init__(
        self,
        *,
        state_file: Path | None = None,
        clock: Clock | None = None,
        operator_id: str = "0.0.2",
        valid_duration: timedelta = timedelta(seconds=120),
    ) -> None:
        self._state_file = state_file
        self._clock: Clock = clock or SystemClock()
        self._operator_id = operator_id
        self._valid_duration = valid_duration
        self._tokens: dict[str, _Token] = {}
        self._outcomes: dict[str, _Outcome] = {}
        self._next_token_number = _FIRST_TOKEN_NUMBER
        self._prepared_count = 0
        self._init_certificates()
        if state_file is not None and state_file.exists():
            self._load(state_file)

    @property
    def mint_count(self) -> int:
        """How many mint transactions succeeded (each minted its whole batch)."""
        return sum(1 for outcome in self._outcomes.values() if outcome.status == _SUCCESS)

    async def default_collection(self) -> str:
        """The first collection of this ledger, created (for certificates) when there is none."""
        if self._tokens:
            return next(iter(self._tokens))
        return await self.create_collection(
            name="artmarket certificates (simulated)", symbol="ACOA", max_supply=1_000_000
        )

    async def default_topic(self) -> str:
        """The first provenance topic of this ledger, created (for certificates) when there is none."""
        if self._topics:
            return next(iter(self._topics))
        return await self.create_topic(memo="artmarket certificate provenance (simulated)")

    async def create_collection(self, *, name: str, symbol: str, max_supply: int) -> str:
        check_collection(name, symbol, max_supply)
        token_id = self._new_entity_id()
        self._tokens[token_id] = _Token(name=name, symbol=symbol, max_supply=max_supply)
        self._save()
        return token_id

    async def prepare_mint(self, token_id: str, metadata: Sequence[bytes]) -> PreparedMint:
        items = check_mint_batch(metadata)
        transaction_id, valid_until = self._next_transaction()
        self._save()
        return PreparedMint(
            transaction_id=transaction_id, token_id=token_id, metadata=items, valid_until=valid_until
        )

    async def submit_mint(self, prepared: PreparedMint) -> MintReceipt:
        outcome = self._outcomes.get(prepared.transaction_id)
        if outcome is None:
            if self._clock.now() > prepared.valid_until:
                raise LedgerRejected("TRANSACTION_EXPIRED")
            outcome = self._reach_mint_consensus(prepared)
            self._outcomes[prepared.transaction_id] = outcome
            self._save()
        return self._receipt(prepared.transaction_id, outcome)

    async def mint_receipt(self, transaction_id: str, *, token_id: str | None = None) -> MintReceipt | None:
        parse_transaction_id(transaction_id)
        outcome = self._outcomes.get(transaction_id)
        return None if outcome is None else self._receipt(transaction_id, outcome)

    async def nft(self, token_id: str, serial: int) -> NftRecord | None:
        token = self._tokens.get(token_id)
        if token is None or not 1 <= serial <= len(token.nfts):
            return None
        return NftRecord(
            token_id=token_id,
            serial=serial,
            metadata=token.nfts[serial - 1],
            owner_account=self.nft_owner(token_id, serial),  # None once burned
        )

    def explorer_url(self, token_id: str, serial: int) -> str | None:
        return None

    def transaction_explorer_url(self, transaction_id: str) -> str | None:
        return None

    def _next_transaction(self) -> tuple[str, datetime]:
        self._prepared_count += 1
        now = self._clock.now().astimezone(UTC)
        seconds = int(now.timestamp())
        nanos = self._prepared_count % 1_000_000_000
        valid_start = datetime.fromtimestamp(seconds, UTC) + timedelta(microseconds=math.ceil(nanos / 1000))
        return format_transaction_id(self._operator_id, seconds, nanos), valid_start + self._valid_duration

    def _new_entity_id(self) -> str:
        entity_id = f"0.0.{self._next_token_number}"
        self._next_token_number += 1
        return entity_id

    def _minted(self, token_id: str) -> int | None:
        token = self._tokens.get(token_id)
        return None if token is None else len(token.nfts)

    def _reach_mint_consensus(self, prepared: PreparedMint) -> _Outcome:
        token = self._tokens.get(prepared.token_id)
        if token is None:
            return _Outcome(prepared.token_id, "INVALID_TOKEN_ID")
        try:
            items = check_mint_batch(prepared.metadata)
        except LedgerRejected as rejected:
            return _Outcome(prepared.token_id, rejected.status)
        if len(token.nfts) + len(items) > token.max_supply:
            return _Outcome(prepared.token_id, "TOKEN_MAX_SUPPLY_REACHED")
        first = len(token.nfts) + 1
        token.nfts.extend(items)
        return _Outcome(prepared.token_id, _SUCCESS, tuple(range(first, first + len(items))))

    @staticmethod
    def _receipt(transaction_id: str, outcome: _Outcome) -> MintReceipt:
        if outcome.status != _SUCCESS:
            raise LedgerRejected(outcome.status)
        return MintReceipt(transaction_id=transaction_id, token_id=outcome.token_id, serials=outcome.serials)

    def _save(self) -> None:
        if self._state_file is None:
            return
        state = {
            "version": _STATE_VERSION,
            "next_token_number": self._next_token_number,
            "prepared_count": self._prepared_count,
            "tokens": {
                token_id: {
                    "name": token.name,
                    "symbol": token.symbol,
                    "max_supply": token.max_supply,
                    "nfts": [base64.b64encode(item).decode("ascii") for item in token.nfts],
                }
                for token_id, token in self._tokens.items()
            },
            "transactions": {
                transaction_id: {
                    "token_id": outcome.token_id,
                    "status": outcome.status,
                    "serials": list(outcome.serials),
                }
                for transaction_id, outcome in self._outcomes.items()
            },
            **self._certificate_state(),
        }
        write_atomically(self._state_file, json.dumps(state, indent=1, sort_keys=True).encode())

    def _load(self, path: Path) -> None:
        state: dict[str, Any] = json.loads(path.read_bytes())
        if state.get("version") not in _READABLE_VERSIONS:
            raise ValueError(f"{path}: unknown simulated-ledger state version {state.get('version')!r}")
        self._next_token_number = int(state["next_token_number"])
        self._prepared_count = int(state["prepared_count"])
        self._tokens = {
            token_id: _Token(
                name=token["name"],
                symbol=token["symbol"],
                max_supply=int(token["max_supply"]),
                nfts=[base64.b64decode(item) for item in token["nfts"]],
            )
            for token_id, token in state["tokens"].items()
        }
        self._outcomes = {
            transaction_id: _Outcome(
                token_id=outcome["token_id"],
                status=outcome["status"],
                serials=tuple(int(serial) for serial in outcome["serials"]),
            )
            for transaction_id, outcome in state["transactions"].items()
        }
        self._load_certificate_state(state)
