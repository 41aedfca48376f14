"""A claim's transfer with the real HederaLedger (hiero-sdk-python over gRPC) against the fake
node: the node accepts it, the connection drops, and reconciling settles it once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.support.claims import NOW, claimable_on
from tests.support.fake_hedera_mirror import FakeHederaNetwork

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.domain.custody import CustodyKind
from artmarket.domain.ledger_tasks import LedgerTaskKind, TaskStatus
from artmarket.domain.provenance import ProvenanceEvent
from artmarket.fakes.clock import FixedClock

COLLECTOR = "0.0.5005"


async def test_a_transfer_the_node_accepted_before_the_connection_dropped_settles_once_on_reconcile(
    fake_hedera_node: FakeHederaNetwork, make_hedera_ledger: Callable[..., HederaLedger]
) -> None:
    claims = await claimable_on(make_hedera_ledger(), FixedClock(NOW), age=timedelta(days=15))
    c = claims.certificate
    await claims.run_ledger_tasks()  # the issued entry goes to the topic first
    fake_hedera_node.open_account(COLLECTOR)
    fake_hedera_node.associate(COLLECTOR, c.token_id)
    started = await claims.claim()(c.owner_id, c.id, COLLECTOR)
    assert started.task.kind is LedgerTaskKind.TRANSFER

    fake_hedera_node.crash_after_accept_next()
    (submitted,) = await claims.run_ledger_tasks()
    assert submitted.status is TaskStatus.SUBMITTED, "outcome unknown: the connection dropped"
    assert (await claims.current()).custody is CustodyKind.PLATFORM

    (settled,) = await claims.run_ledger_tasks(reconcile=True)
    await claims.run_ledger_tasks(reconcile=True)

    assert (settled.id, settled.status) == (submitted.id, TaskStatus.SUCCEEDED)
    assert fake_hedera_node.owner(c.token_id, c.serial) == COLLECTOR
    assert fake_hedera_node.succeeded("CRYPTOTRANSFER") == 1, "one transfer on the network"
    current = await claims.current()
    assert (current.custody, current.custody_account) == (CustodyKind.WALLET, COLLECTOR)
    events = [entry.event for entry in await claims.trail()]
    assert events.count(ProvenanceEvent.CLAIMED) == 1
