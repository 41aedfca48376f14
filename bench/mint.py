"""Mint benchmark: paid orders through the worker to certificates, against the network's throttle.

    .venv/bin/python bench/mint.py --drop 500 --latency 2.0 [--queued] [--postgres]
    .venv/bin/python bench/mint.py [--orders 200] [--latency 2.0] [--modes pipelined,batched,single]

For each mode: a fresh SQLite database, a fake Hedera consensus node whose receipts take
`--latency` seconds to reach consensus and which throttles NFT mints at `--throttle` per
second (precheck BUSY above it, as the network does), and the real composition root
(`make_container`) on `ARTMARKET_LEDGER=hedera` (custom network = the fake node), so the
real `HederaLedger` talks gRPC to it. The paid orders are written with their OrderPaid
outbox messages (`--drop N`: N orders of one limited edition of N, a sold-out drop); then
the embedded worker runs as `make run` runs it (the outbox relay, the in-process queue
delivering OrderPaid to its handlers, the periodic mint and reconcile jobs) until every
order has its certificate. Modes: "pipelined" mints 10 certificates per TokenMint with up
to `--in-flight` TokenMints awaiting receipts (ARTMARKET_MINT_MAX_IN_FLIGHT), "batched" 10
per TokenMint one at a time (before pipelining), "single" one per TokenMint. Prints
certificates per second against the throttle, the TokenMint transactions the node counted,
the most in flight at once and the BUSY answers, and checks exactly one certificate per
order. Target for the drop of 500 at 2 s: >= 40 certificates/s (80% of 50/s), <= 51 TokenMints.
A drop is timed twice: the mint stage alone (the jobs are queued before the clock starts,
so no OrderPaid is handled meanwhile; the target is for this stage), then end to end, where
each paid order's other work (its mint job, two emails, the trail message) shares the one
embedded process (`--queued`: the mint stage only). `--postgres` runs on a throwaway
PostgreSQL, not SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import msgspec
from dishka import Provider, Scope, provide
from hiero_sdk_python import PrivateKey
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.fake_hedera_node import FakeHederaNode  # noqa: E402
from tests.support.minting import Minting, policy  # noqa: E402
from tests.support.postgres import PostgresServer, create_database, throwaway_postgres  # noqa: E402

from artmarket.adapters.ledger.hedera import HederaLedger  # noqa: E402
from artmarket.adapters.persistence.database import create_engine, create_session_factory  # noqa: E402
from artmarket.adapters.persistence.mappings import start_mappers  # noqa: E402
from artmarket.adapters.persistence.tables.minting import certificates  # noqa: E402
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork  # noqa: E402
from artmarket.adapters.security.clock import SystemClock  # noqa: E402
from artmarket.application.media import ContentStore  # noqa: E402
from artmarket.application.minting.ledger import Ledger  # noqa: E402
from artmarket.bootstrap import make_container, start_messaging, upgrade_database  # noqa: E402
from artmarket.bootstrap.telemetry import configure_logging  # noqa: E402
from artmarket.entrypoints.worker.periodic_jobs import default_jobs, run_periodic  # noqa: E402
from artmarket.settings import Settings, load_settings  # noqa: E402

OPERATOR = "0.0.1001"
#: ARTMARKET_MINT_MAX_IN_FLIGHT's default.
DEFAULT_IN_FLIGHT = next(
    f.default for f in msgspec.structs.fields(Settings) if f.name == "mint_max_in_flight"
)
#: Each mode: (certificates per TokenMint, TokenMints awaiting receipts at once; None: --in-flight).
MODES: dict[str, tuple[int, int | None]] = {"pipelined": (10, None), "batched": (10, 1), "single": (1, 1)}


class FastPollingLedger(Provider):
    """The Hedera adapter with short SDK back-offs, so receipt polling adds little to the latency."""

    def __init__(self, node: FakeHederaNode, key: PrivateKey, in_flight: int) -> None:
        super().__init__()
        self._node, self._key, self._in_flight = node, key, in_flight

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
            max_workers=self._in_flight + 2,  # as the composition root sizes it
        )


@dataclass
class Result:
    mode: str
    orders: int
    in_flight: int
    seconds: float
    transactions: int
    most_in_flight: int
    busy: int
    #: "mint stage" (jobs queued before the clock starts) or "end to end" (from paid orders).
    stage: str = "end to end"

    @property
    def per_second(self) -> float:
        return self.orders / self.seconds


async def run(
    mode: str,
    orders: int,
    *,
    drop: bool,
    latency: float,
    throttle: float,
    in_flight: int,
    postgres: PostgresServer | None,
    queued: bool,
) -> Result:
    batch_size, mode_in_flight = MODES[mode]
    in_flight = mode_in_flight or in_flight
    key = PrivateKey.generate_ed25519()
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeHederaNode(accounts={OPERATOR: key.public_key()}, consensus_latency=latency) as node,
    ):
        node.throttle_mints(throttle)
        ledger = FastPollingLedger(node, key, in_flight)
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
                "ARTMARKET_MINT_BATCH_SIZE": str(batch_size),
                "ARTMARKET_MINT_MAX_IN_FLIGHT": str(in_flight),
                "ARTMARKET_LOG_LEVEL": "WARNING",
                **({"ARTMARKET_DATABASE_URL": create_database(postgres, f"mint_{mode}")} if postgres else {}),
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
            if queued:  # the mint stage alone: jobs queued, no OrderPaid left to handle
                for order in await seeding.paid_edition_orders(orders, announce=False):
                    await seeding.start()(order.id)
            else:
                await (seeding.paid_edition_orders(orders) if drop else seeding.paid_orders(orders))

            broker = await start_messaging(container)
            stop = asyncio.Event()
            started = time.perf_counter()
            worker = asyncio.create_task(
                run_periodic(container, default_jobs(relay_every=0.2, mint_every=0.5), stop)
            )
            try:
                while (await _issued(engine))[0] < orders:
                    await asyncio.sleep(0.1)
                    if worker.done():
                        worker.result()
                elapsed = time.perf_counter() - started
            finally:
                stop.set()
                await worker
                await broker.shutdown()
            issued, for_orders = await _issued(engine)
        finally:
            await container.close()
            await engine.dispose()
        minted = len(node.nfts(token_id))
        assert issued == for_orders == minted == orders, (
            f"{mode}: {issued} certificates for {for_orders} orders, {minted} NFTs, {orders} orders"
        )
        busy = node.mint_throttle.refused if node.mint_throttle else 0
        return Result(
            mode, orders, in_flight, elapsed, node.mint_transactions, node.max_mints_in_flight, busy
        )


async def _issued(engine: object) -> tuple[int, int]:
    """Certificates, and the orders they are for."""
    query = select(func.count(), func.count(certificates.c.order_id.distinct()))
    async with engine.connect() as connection:  # type: ignore[attr-defined]
        total, orders = (await connection.execute(query.select_from(certificates))).one()
    return int(total), int(orders)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200, help="paid orders of distinct artworks")
    parser.add_argument("--drop", type=int, help="instead: this many paid orders of one limited edition")
    parser.add_argument("--latency", type=float, default=2.0, help="seconds from acceptance to consensus")
    parser.add_argument("--throttle", type=float, default=50.0, help="NFT mints per second the node accepts")
    parser.add_argument(
        "--in-flight", type=int, default=DEFAULT_IN_FLIGHT, help="pipelined: TokenMints at once"
    )
    parser.add_argument("--modes", help="comma-separated: pipelined, batched, single")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL server, not SQLite")
    parser.add_argument(
        "--queued",
        action="store_true",
        help="with --drop: only the mint stage, from mint jobs already queued (no OrderPaid to handle)",
    )
    args = parser.parse_args()
    drop = args.drop is not None
    orders = args.drop if drop else args.orders
    modes = (args.modes or ("pipelined" if drop else "pipelined,batched,single")).split(",")
    what = f"a drop of {orders} (one limited edition)" if drop else f"{orders} paid orders"
    if args.queued and not drop:
        parser.error("--queued goes with --drop")
    # A drop is timed twice: the mint stage alone (the target), then end to end, where every
    # paid order's other work (its mint job, emails, trail message) shares the one process.
    stages = ([True] if args.queued else [True, False]) if drop else [False]
    results = []
    with contextlib.ExitStack() as stack:
        postgres = stack.enter_context(throwaway_postgres()) if args.postgres else None
        for mode in modes:
            for queued in stages:
                print(
                    f"running {mode}: {what}{', mint jobs already queued' if queued else ''} on "
                    f"{'PostgreSQL' if postgres else 'SQLite'}, consensus latency {args.latency} s, "
                    f"throttle {args.throttle:g}/s ...",
                    flush=True,
                )
                result = await run(
                    mode,
                    orders,
                    drop=drop,
                    latency=args.latency,
                    throttle=args.throttle,
                    in_flight=args.in_flight,
                    postgres=postgres,
                    queued=queued,
                )
                results.append(replace(result, stage="mint stage" if queued else "end to end"))
    report(results, args.throttle)


def report(results: list[Result], throttle: float) -> None:
    print()
    print(
        f"{'mode':<10} {'stage':<11} {'orders':>6} {'in flight':>9} {'seconds':>8} {'certificates/s':>15} "
        f"{'of throttle':>11} {'TokenMints':>10} {'most at once':>12} {'BUSY':>5}"
    )
    for r in results:
        print(
            f"{r.mode:<10} {r.stage:<11} {r.orders:>6} {r.in_flight:>9} {r.seconds:>8.1f} {r.per_second:>15.2f} "
            f"{r.per_second / throttle:>11.0%} {r.transactions:>10} {r.most_in_flight:>12} {r.busy:>5}"
        )
    print()
    print("exactly one certificate per order, one NFT each: checked for every mode")
    by_mode = {r.mode: r for r in results if r.stage == results[0].stage}
    for pipelined in (r for r in results if r.mode == "pipelined"):
        print(
            f"pipelined, {pipelined.stage}: {pipelined.per_second:.1f} certificates/s "
            f"(target for the mint stage >= {0.8 * throttle:g}), {pipelined.transactions} TokenMints "
            f"for {pipelined.orders} orders (target <= {-(-pipelined.orders // 10) + 1})"
        )
    if "batched" in by_mode and "single" in by_mode:
        ratio = by_mode["batched"].per_second / by_mode["single"].per_second
        print(f"batched / single throughput: {ratio:.1f}x")


if __name__ == "__main__":
    asyncio.run(main())
