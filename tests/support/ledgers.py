"""A ledger that can be made to refuse mints, to show what operators see when minting fails."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.application.minting.ledger import Ledger, LedgerRejected, MintReceipt, PreparedMint


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
