"""The certificate's later life in the container: the certificate ledger, the ledger-task policy
(the provenance topic) and the use cases of revocation, the trail and the ledger-task worker."""

from __future__ import annotations

from typing import cast

from dishka import Provider, Scope, provide

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.adapters.observability.instrumented import unwrapped
from artmarket.application.minting.certificate_transactions import CertificateLedger
from artmarket.application.minting.certificates import ShowOwnerName
from artmarket.application.minting.ledger import Ledger
from artmarket.application.minting.ledger_task_admin import (
    CreateProvenanceTopic,
    ListLedgerTasks,
    RetryLedgerTasks,
)
from artmarket.application.minting.ledger_tasks import (
    LedgerTaskPolicy,
    ReconcileLedgerTasks,
    SubmitLedgerTasks,
)
from artmarket.application.minting.revocation import (
    BurnAfterCancelledAirdrop,
    RevokeCertificate,
    RevokeCertificateByAdmin,
)
from artmarket.settings import Settings


class CertificateLifeProvider(Provider):
    """Revocation, the provenance trail and the certificate ledger tasks."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def certificate_ledger(self, ledger: Ledger) -> CertificateLedger:
        # Both ledger adapters (and their instrumentation) are CertificateLedgers too.
        return cast(CertificateLedger, ledger)

    @provide(scope=Scope.APP)
    async def task_policy(self, settings: Settings, ledger: Ledger) -> LedgerTaskPolicy:
        topic_id = settings.hedera_topic_id
        simulated = unwrapped(ledger)  # the adapter inside the metrics decorator
        if topic_id is None and isinstance(simulated, SimulatedLedger):
            topic_id = await simulated.default_topic()
        return LedgerTaskPolicy(topic_id=topic_id, max_attempts=settings.mint_max_attempts)

    revoke = provide(RevokeCertificate)
    revoke_by_admin = provide(RevokeCertificateByAdmin)
    burn_after_cancel = provide(BurnAfterCancelledAirdrop)
    submit_tasks = provide(SubmitLedgerTasks)
    reconcile_tasks = provide(ReconcileLedgerTasks)
    list_tasks = provide(ListLedgerTasks)
    retry_tasks = provide(RetryLedgerTasks)
    create_topic = provide(CreateProvenanceTopic)
    show_owner_name = provide(ShowOwnerName)
