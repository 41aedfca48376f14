"""Claiming certificates to owners' own accounts: the policy (from settings) and its use cases."""

from __future__ import annotations

from datetime import timedelta

from dishka import Provider, Scope, provide

from artmarket.application.minting.claim_outcomes import SettleClaim, SettlePendingClaims
from artmarket.application.minting.claims import ClaimCertificate, ClaimPolicy, DescribeClaim
from artmarket.settings import Settings


class ClaimsProvider(Provider):
    """Claims of certificates to the owners' Hedera accounts, and what follows on the ledger."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> ClaimPolicy:
        return ClaimPolicy(
            wait=timedelta(days=settings.claim_after_days),
            pending_for=timedelta(days=settings.claim_pending_days),
        )

    claim = provide(ClaimCertificate)
    describe = provide(DescribeClaim)
    settle = provide(SettleClaim)
    settle_pending = provide(SettlePendingClaims)
