"""Ledgers that can be made to refuse mints or lose answers, to show what operators see when things fail."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.application.minting.certificate_transactions import PreparedTransaction, TransactionOutcome
from artmarket.application.minting.ledger import (
    Ledger,
    LedgerRejected,
    LedgerUnavailable,
    MintReceipt,
    PreparedMint,
)


class FillableLedger(SimulatedLedger):
    """The simulated ledger whose collection is full while `full` is set: every mint is refused
    for good with Hedera's TOKEN_MAX_SUPPLY_REACHED (as in test_minting_hedera against the fake
    consensus node), so mint jobs fail visibly until an operator retries them after a fix."""

    full: bool = False

    async def submit_mint(self, prepared: PreparedMint) -> MintReceipt:
        if self.full:
            raise LedgerRejected("TOKEN_MAX_SUPPLY_REACHED")
        return await super().submit_mint(prepared)


class LedgerProvider(Provider):
    """Overrides the ledger settings choose with the given one (app and test side share it)."""

    def __init__(self, ledger: Ledger) -> None:
        super().__init__()
        self._ledger = ledger

    @provide(scope=Scope.APP)
    def ledger(self) -> Ledger:
        return self._ledger


class ProcessCrashed(RuntimeError):
    """The worker process died mid-way (nothing after the raise happens)."""


class DroppingLedger(SimulatedLedger):
    """The simulated ledger whose certificate-transaction answers can be lost: while
    `drop_answers` is above zero, a submission is accepted (it happens) and the caller hears
    LedgerUnavailable instead, as when the connection drops after the node accepted."""

    drop_answers: int = 0
    #: While above zero, the process "crashes" (ProcessCrashed) after storing, before submitting.
    crash_before_submit: int = 0

    async def submit(self, prepared: PreparedTransaction) -> TransactionOutcome:
        if self.crash_before_submit > 0:
            self.crash_before_submit -= 1
            raise ProcessCrashed("the worker died before the transaction was sent")
        outcome = await super().submit(prepared)
        if self.drop_answers > 0:
            self.drop_answers -= 1
            raise LedgerUnavailable("connection lost after the node accepted the transaction")
        return outcome
