"""Load test: browsing, checkouts and Paystack webhooks against a deployed-profile artmarket.

    .venv/bin/python bench/load.py [--duration 20] [--users 16] [--apis 2] [--workers 1]
    .venv/bin/python bench/load.py --soak 600 [--sample-every 15]

Everything runs on loopback, as separate processes: a throwaway PostgreSQL 15 and Redis,
the Paystack stand-in, the fake Hedera consensus and mirror node, a Kubo stand-in, moto's
S3 and an SMTP server (tests/support/stack.py), then `--apis` x `artmarket serve`,
`--workers` x `artmarket worker` and one `artmarket scheduler` with ARTMARKET_PROFILE=
staging (production's rules and adapters, with the stand-ins' test keys). An artist publishes `--artworks` works and buyers register; then `--users`
virtual users loop over a weighted mix for `--duration` seconds (or `--soak` seconds):

- browse (70%): a gallery page (newest, price or popular order, some with a cursor), or one work;
- checkout (20%): Buy Now on an unsold work with an Idempotency-Key, Paystack's customer pays
  and the signed `charge.success` webhook arrives (certificates are minted in the background);
  once every work is sold, a checkout reads a past order instead;
- webhook (10%): Paystack delivering an event again (a duplicate: acknowledged, ignored), or
  a forged one (401 expected).

Requests go to the APIs in turn. Reported per kind: requests, throughput, p50/p99 latency,
errors (transport failures and unexpected statuses). While it runs, every `--sample-every`
seconds it samples each process's resident memory (VmRSS) and the database's connections
(pg_stat_activity) and Redis's clients: `--soak` shows whether they stay flat. The load
generator shares the machine with the stack: numbers are for comparing runs, not capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.ports import free_port  # noqa: E402
from tests.support.postgres import throwaway_postgres  # noqa: E402
from tests.support.redis_server import RedisServer  # noqa: E402
from tests.support.stack import (  # noqa: E402
    WEBHOOK,
    Marketplace,
    Process,
    ProductionStack,
    Purchase,
    moto_server,
    production_stack,
)

WEIGHTS = {"browse": 70, "checkout": 20, "webhook": 10}
SORTS = ["newest", "price_asc", "price_desc", "popular"]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def record(self, kind: str, started: float, ok: bool, detail: str = "") -> None:
        self.latencies[kind].append(time.perf_counter() - started)
        if not ok:
            self.errors[kind].append(detail)


@dataclass
class Shared:
    """What the virtual users share: the catalog, the buyers, the webhooks seen so far."""

    unsold: list[str]
    artworks: list[str]
    buyers: list[dict[str, str]]
    purchases: list[Purchase] = field(default_factory=list)
    webhooks: list[tuple[bytes, str]] = field(default_factory=list)


async def timed(
    results: Results, kind: str, call: object, *, expect: tuple[int, ...] = (200,)
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        answer = await call  # type: ignore[misc]
    except httpx.HTTPError as error:
        results.record(kind, started, False, f"{type(error).__name__}: {error}")
        return None
    results.record(kind, started, answer.status_code in expect, f"{answer.status_code} {answer.text[:120]}")
    return answer  # type: ignore[no-any-return]


async def browse(market: Marketplace, shared: Shared, results: Results, rng: random.Random) -> None:
    client = market.client
    if rng.random() < 0.3:
        await timed(
            results, "browse: one work", client.get(f"/api/v1/artworks/{rng.choice(shared.artworks)}")
        )
        return
    params = {"sort": rng.choice(SORTS), "limit": "24"}
    page = await timed(results, "browse: gallery page", client.get("/api/v1/artworks", params=params))
    if page is not None and page.status_code == 200 and page.json().get("next_cursor") and rng.random() < 0.3:
        params["cursor"] = page.json()["next_cursor"]
        await timed(results, "browse: gallery page", client.get("/api/v1/artworks", params=params))


async def checkout(market: Marketplace, shared: Shared, results: Results, rng: random.Random) -> None:
    client = market.client
    buyer = rng.choice(shared.buyers)
    if not shared.unsold:
        if shared.purchases:
            purchase = rng.choice(shared.purchases)
            await timed(
                results,
                "checkout: order status",
                client.get(f"/api/v1/orders/{purchase.order_id}", headers=purchase.buyer),
            )
        return
    artwork_id = shared.unsold.pop()
    placed = await timed(
        results,
        "checkout: buy now",
        client.post(
            "/api/v1/orders",
            json={"artwork_id": artwork_id},
            headers={**buyer, "Idempotency-Key": uuid.uuid4().hex},
        ),
        expect=(201,),
    )
    if placed is None or placed.status_code != 201:
        return
    body = placed.json()
    purchase = Purchase(body["order"]["id"], body["payment"]["reference"], buyer)
    market.stack.paystack.pay(purchase.reference)
    raw, signature = market.stack.paystack.webhook_for(purchase.reference)
    shared.webhooks.append((raw, signature))
    await timed(
        results,
        "checkout: paystack webhook",
        market.client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature}),
    )
    shared.purchases.append(purchase)


async def webhook(market: Marketplace, shared: Shared, results: Results, rng: random.Random) -> None:
    if not shared.webhooks or rng.random() < 0.2:
        forged = b'{"event":"charge.success","data":{"reference":"am-forged"}}'
        await timed(
            results,
            "webhook: forged (401)",
            market.client.post(WEBHOOK, content=forged, headers={"x-paystack-signature": "0" * 128}),
            expect=(401,),
        )
        return
    raw, signature = rng.choice(shared.webhooks)
    await timed(
        results,
        "webhook: duplicate delivery",
        market.client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature}),
    )


SCENARIOS = {"browse": browse, "checkout": checkout, "webhook": webhook}


async def user(n: int, market: Marketplace, shared: Shared, results: Results, until: float) -> None:
    rng = random.Random(n)
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    while time.monotonic() < until:
        await SCENARIOS[rng.choices(kinds, weights)[0]](market, shared, results, rng)


# -- sampling ----------------------------------------------------------------------------------


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def sample(stack: ProductionStack, processes: list[Process]) -> dict[str, float]:
    found = {p.name: rss_mib(p.popen.pid) for p in processes}
    with psycopg.connect(stack.postgres.conninfo(stack.database_name), autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [stack.database_name]
        ).fetchone()
    found["db connections"] = float(row[0]) if row else float("nan")
    client = redis.Redis.from_url(stack.redis_url)
    try:
        found["redis clients"] = float(client.info("clients")["connected_clients"])  # type: ignore[index]
    finally:
        client.close()
    return found


async def sampler(
    stack: ProductionStack,
    processes: list[Process],
    every: float,
    until: float,
    rows: list[tuple[float, dict[str, float]]],
) -> None:
    started = time.monotonic()
    while True:
        rows.append((time.monotonic() - started, await asyncio.to_thread(sample, stack, processes)))
        if time.monotonic() + every > until:
            return
        await asyncio.sleep(every)


# -- the run -----------------------------------------------------------------------------------


async def seed(market: Marketplace, artworks: int, buyers: int) -> Shared:
    admin = await market.create_admin()
    artist = await market.approved_artist(admin)
    gate = asyncio.Semaphore(8)

    async def publish(n: int) -> str:
        async with gate:
            return str((await market.published_artwork(artist, f"Load {n}"))["id"])

    ids = await asyncio.gather(*(publish(n) for n in range(artworks)))
    people = [await market.register("buyer") for _ in range(buyers)]
    return Shared(unsold=list(ids), artworks=list(ids), buyers=people)


def report(
    results: Results,
    seconds: float,
    samples: list[tuple[float, dict[str, float]]],
    certificates: int,
    args: argparse.Namespace,
) -> None:
    total = sum(len(v) for v in results.latencies.values())
    errors = sum(len(v) for v in results.errors.values())
    print(
        f"\n{args.apis} API + {args.workers} worker + 1 scheduler processes (staging profile: production rules, test keys), "
        f"{args.users} virtual users, {seconds:.0f} s"
    )
    print(f"{'kind':<30} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in sorted(results.latencies):
        latencies = sorted(results.latencies[kind])
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        print(
            f"{kind:<30} {len(latencies):>8} {len(latencies) / seconds:>8.1f} {p50:>8.1f} {p99:>8.1f} "
            f"{len(results.errors.get(kind, [])):>7}"
        )
    everything = sorted(x for v in results.latencies.values() for x in v)
    print(
        f"{'all':<30} {total:>8} {total / seconds:>8.1f} {statistics.median(everything) * 1000:>8.1f} "
        f"{everything[int(len(everything) * 0.99)] * 1000:>8.1f} {errors:>7}"
    )
    for kind, details in results.errors.items():
        for detail in sorted(set(details))[:3]:
            print(f"  error ({kind}): {detail}")
    print(f"certificates issued during the run: {certificates}")
    if samples:
        names = list(samples[0][1])
        print("\nsamples: resident memory (MiB) per process, connections")
        print(f"{'t (s)':>6} " + " ".join(f"{name[:14]:>14}" for name in names))
        for at, values in samples:
            print(f"{at:>6.0f} " + " ".join(f"{values[name]:>14.1f}" for name in names))
        first, last = samples[0][1], samples[-1][1]
        growth = {
            name: last[name] - first[name]
            for name in names
            if name not in ("db connections", "redis clients")
        }
        print(
            "memory change first -> last sample (MiB): "
            + ", ".join(f"{name} {delta:+.1f}" for name, delta in growth.items())
        )
        connections = [values["db connections"] for _, values in samples]
        print(f"database connections: min {min(connections):.0f}, max {max(connections):.0f}")


async def run(args: argparse.Namespace, stack: ProductionStack) -> None:
    apis = [stack.api(f"api-{n}") for n in range(1, args.apis + 1)]
    workers = [stack.worker(f"worker-{n}") for n in range(1, args.workers + 1)]
    processes = [*apis, *workers, stack.scheduler()]
    await asyncio.gather(*(asyncio.to_thread(api.wait_ready) for api in apis))
    market = Marketplace(stack, [api.url for api in apis])
    try:
        print(f"seeding {args.artworks} works and {args.buyers} buyers ...", flush=True)
        shared = await seed(market, args.artworks, args.buyers)
        certificates_before = stack.sql("SELECT count(*) FROM certificates")[0][0]
        seconds = float(args.soak or args.duration)
        print(f"load: {args.users} users for {seconds:.0f} s ...", flush=True)
        results, samples = Results(), []  # type: ignore[var-annotated]
        started = time.monotonic()
        until = started + seconds
        every = args.sample_every if args.soak else max(seconds / 4, 1.0)
        await asyncio.gather(
            sampler(stack, processes, every, until, samples),
            *(user(n, market, shared, results, until) for n in range(args.users)),
        )
        elapsed = time.monotonic() - started
        certificates = stack.sql("SELECT count(*) FROM certificates")[0][0] - certificates_before
        report(results, elapsed, samples, certificates, args)
    finally:
        await market.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load (default 20)")
    parser.add_argument("--soak", type=float, default=None, help="soak for this many seconds instead")
    parser.add_argument("--sample-every", type=float, default=15.0, help="soak sampling interval, seconds")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--apis", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--artworks", type=int, default=120, help="works published before the load")
    parser.add_argument("--buyers", type=int, default=20)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="artmarket-load-"))
    redis_binary = "redis-server"
    with throwaway_postgres() as postgres, moto_server(root / "moto.log") as s3:
        redis_server = RedisServer(redis_binary, root, free_port())
        redis_server.start()
        try:
            with production_stack(
                postgres,
                redis_server.url,
                s3,
                root / "stack",
                log_level="WARNING",
                db_pool_size="10",
                db_max_overflow="10",
                login_max_failures_per_address="1000000",
            ) as stack:
                asyncio.run(run(args, stack))
        finally:
            redis_server.stop()
    print(f"logs: {root}")


if __name__ == "__main__":
    main()
