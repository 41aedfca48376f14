"""Mint benchmark: paid orders through the worker to certificates, batched against one-per-order.

    .venv/bin/python bench/mint.py [--orders 200] [--latency 2.0] [--modes batched,single]

For each mode: a fresh SQLite database, a fake Hedera consensus node whose receipts take
`--latency` seconds to reach consensus, and the real composition root (`make_container`)
on `ARTMARKET_LEDGER=hedera` (custom network = the fake node), so the real `HederaLedger`
talks gRPC to it. `--orders` paid orders are written with their OrderPaid outbox messages;
then the embedded worker runs as `make run` runs it (the outbox relay, the in-process
queue delivering OrderPaid to its handlers, the periodic mint and reconcile jobs) until
every order is `completed`. "batched" mints up to 10 certificates per TokenMint
(ARTMARKET_MINT_BATCH_SIZE=10), "single" one per TokenMint (=1). Prints certificates per
second and the TokenMint transactions the node counted. Target: batched >= 8x single and
<= 21 transactions for 200 orders.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from dishka import Provider, Scope, provide
from hiero_sdk_python import PrivateKey
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.fake_hedera_node import FakeHederaNode  # noqa: E402
from tests.support.minting import Minting, policy  # noqa: E402

from artmarket.adapters.ledger.hedera import HederaLedger  # noqa: E402
from artmarket.adapters.persistence.database import create_engine, create_session_factory  # noqa: E402
from artmarket.adapters.persistence.mappings import start_mappers  # noqa: E402
from artmarket.adapters.persistence.tables.minting import certificates  # noqa: E402
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork  # noqa: E402
from artmarket.adapters.security.clock import SystemClock  # noqa: E402
from artmarket.application.media import ContentStore  # noqa: E402
from artmarket.application.minting.ledger import Ledger  # noqa: E402
from artmarket.bootstrap import (  # noqa: E402
    configure_logging,
    make_container,
    start_messaging,
    upgrade_database,
)
from artmarket.entrypoints.worker.periodic_jobs import default_jobs, run_periodic  # noqa: E402
from artmarket.settings import load_settings  # noqa: E402

OPERATOR = "0.0.1001"


class FastPollingLedger(Provider):
    """The Hedera adapter with short SDK back-offs, so receipt polling adds little to the latency."""

    def __init__(self, node: FakeHederaNode, key: PrivateKey) -> None:
        super().__init__()
        self._node, self._key = node, key

    @provide(scope=Scope.APP)
    async def ledger(self) -> AsyncIterator[Ledger]:
        ledger = self.build()
        yield ledger
        await ledger.aclose()

    def build(self) -> HederaLedger:
        return HederaLedger(
            operator_id=OPERATOR,
            operator_key=self._key.to_string_der(),
            network="custom",
            nodes=self._node.network_map,
            mirror_url=self._node.mirror_url,
            min_backoff=0.02,
            max_backoff=0.1,
            max_attempts=1000,
            call_timeout=60.0,
        )


@dataclass
class Result:
    mode: str
    orders: int
    seconds: float
    transactions: int

    @property
    def per_second(self) -> float:
        return self.orders / self.seconds


async def run(mode: str, orders: int, latency: float) -> Result:
    key = PrivateKey.generate_ed25519()
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeHederaNode(accounts={OPERATOR: key.public_key()}, consensus_latency=latency) as node,
    ):
        ledger = FastPollingLedger(node, key)
        creator = ledger.build()
        token_id = await creator.create_collection(name="Bench", symbol="BNCH", max_supply=100_000)
        await creator.aclose()
        settings = load_settings(
            {
                "ARTMARKET_DATA_DIR": tmp,
                "ARTMARKET_LEDGER": "hedera",
                "ARTMARKET_HEDERA_NETWORK": "custom",
                "ARTMARKET_HEDERA_NODES": f"{node.address}={node.node_account_id}",
                "ARTMARKET_HEDERA_MIRROR_URL": node.mirror_url,
                "ARTMARKET_HEDERA_OPERATOR_ID": OPERATOR,
                "ARTMARKET_HEDERA_OPERATOR_KEY": key.to_string_der(),
                "ARTMARKET_HEDERA_TOKEN_ID": token_id,
                "ARTMARKET_MINT_BATCH_SIZE": "10" if mode == "batched" else "1",
                "ARTMARKET_LOG_LEVEL": "WARNING",
            },
            env_file=None,
        )
        configure_logging(settings)
        await asyncio.to_thread(upgrade_database, settings)
        start_mappers()
        engine = create_engine(settings.resolved_database_url)
        container = make_container(settings, ledger)
        try:
            async with container() as scope:
                media = await scope.get(ContentStore)
            seeding = Minting(
                lambda: SqlAlchemyUnitOfWork(create_session_factory(engine)),
                await container.get(Ledger),
                SystemClock(),
                policy(token_id),
                media=media,
            )
            await seeding.paid_orders(orders)

            broker = await start_messaging(container)
            stop = asyncio.Event()
            started = time.perf_counter()
            worker = asyncio.create_task(
                run_periodic(container, default_jobs(relay_every=0.2, mint_every=0.5), stop)
            )
            try:
                while await _issued(engine) < orders:
                    await asyncio.sleep(0.1)
                    if worker.done():
                        worker.result()
                elapsed = time.perf_counter() - started
            finally:
                stop.set()
                await worker
                await broker.shutdown()
        finally:
            await container.close()
            await engine.dispose()
        return Result(mode, orders, elapsed, node.mint_transactions)


async def _issued(engine: object) -> int:
    async with engine.connect() as connection:  # type: ignore[attr-defined]
        return int((await connection.execute(select(func.count()).select_from(certificates))).scalar_one())


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--latency", type=float, default=2.0, help="seconds from acceptance to consensus")
    parser.add_argument("--modes", default="batched,single")
    args = parser.parse_args()
    results = []
    for mode in args.modes.split(","):
        print(
            f"running {mode}: {args.orders} paid orders, consensus latency {args.latency} s ...", flush=True
        )
        results.append(await run(mode, args.orders, args.latency))
    print()
    print(f"{'mode':<10} {'orders':>6} {'seconds':>9} {'certificates/s':>15} {'TokenMint txs':>14}")
    for r in results:
        print(f"{r.mode:<10} {r.orders:>6} {r.seconds:>9.1f} {r.per_second:>15.2f} {r.transactions:>14}")
    by_mode = {r.mode: r for r in results}
    if "batched" in by_mode and "single" in by_mode:
        ratio = by_mode["batched"].per_second / by_mode["single"].per_second
        batched = by_mode["batched"]
        print()
        print(f"batched / single throughput: {ratio:.1f}x (target >= 8x)")
        print(
            f"batched TokenMint transactions: {batched.transactions} for {batched.orders} orders (target <= 21)"
        )


if __name__ == "__main__":
    asyncio.run(main())
