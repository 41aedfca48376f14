"""`artmarket doctor` on Hedera: the operator account answers, with enough ℏ to mint."""

from __future__ import annotations

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.application.ports import NeedsAttention


class HederaCheck:
    """`artmarket doctor`: a consensus node answers for the operator account, and its balance.

    Below `minimum_tinybars` (default 10 ℏ: a few hundred mints) it warns: mints and
    collections fail with INSUFFICIENT_PAYER_BALANCE once the account runs dry.
    """

    name = "ledger"

    def __init__(
        self, ledger: HederaLedger, token_id: str | None, *, minimum_tinybars: int = 10 * 100_000_000
    ) -> None:
        self._ledger = ledger
        self._token_id = token_id
        self._minimum = minimum_tinybars

    async def check(self) -> str:
        tinybars = await self._ledger.operator_balance()
        collection = self._token_id or "none yet (artmarket ledger create-collection)"
        found = (
            f"Hedera {self._ledger.network}: operator {self._ledger.operator_id} holds "
            f"{tinybars / 100_000_000:,.8f} ℏ; collection {collection}"
        )
        if tinybars < self._minimum:
            raise NeedsAttention(f"{found}: below {self._minimum / 100_000_000:g} ℏ, top the account up")
        return found
