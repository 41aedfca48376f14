"""Gallery benchmark: artmarket's GET /api/v1/artworks against a bare baseline, at 1k and 100k works.

    .venv/bin/python bench/gallery.py [--sizes 1000,100000] [--duration 10] [--connections 32]
                                      [--rounds 3] [--queue redis|memory]

Starts a throwaway PostgreSQL 15 (as in the tests), seeds published artworks with SQL,
runs `artmarket` (uvicorn, one process) and `bench/baseline_app.py` side by side, and
drives both with `wrk` (Debian package) at a fixed concurrency, or with an httpx loop when
wrk is missing. Prints requests/s, p50 and p99 for four listings, the artmarket/baseline
ratios, the 100k/1k latency ratios, and the indexes that EXPLAIN of artmarket's own
statement for each listing reads (the generic plan of a prepared listing, the custom plan
of a search). Ratios are the result: absolute numbers vary by about 10% between runs.

By default the API process runs as in production (`ARTMARKET_QUEUE=redis` on a throwaway
`redis-server`): it serves requests only, while the relay, the worker tasks and periodic
jobs belong to `artmarket worker`/`scheduler` processes that a listing never touches.
`--queue memory` measures the embedded `make run` shape instead, where those jobs share the
API's event loop. Each listing is measured `--rounds` times; a round measures artmarket and
the baseline at every size one after another, so a noisy moment hits all of them, and the
median round of each is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.plans import explain_statements, indexes_used, plan_uses_an_index  # noqa: E402
from tests.support.ports import free_port  # noqa: E402
from tests.support.postgres import create_database, throwaway_postgres  # noqa: E402
from tests.support.redis_server import RedisServer  # noqa: E402

from artmarket.adapters.persistence import migrate  # noqa: E402
from artmarket.adapters.persistence.database import create_engine  # noqa: E402
from artmarket.adapters.persistence.gallery import PostgresGalleryQueries  # noqa: E402
from artmarket.application.catalog.ports import GalleryFilter, GalleryPosition, GallerySort  # noqa: E402

ARTISTS = 200
# 1 title in 40 mentions "Harmattan": 25 matches at 1k, so the search answers a full page
# and a next cursor at every size (1 in 50 gave a 20-item page without a cursor at 1k).
SEARCH_ONE_IN = 40
CURRENCY_MIX = ("NGN", "NGN", "NGN", "USD", "GHS")
QUERIES = {
    "default listing": ("sort=newest", "sort=newest"),
    "price_asc NGN 50k-5M": (
        "sort=price_asc&currency=NGN&min_price=50000&max_price=5000000",
        "sort=price_asc&currency=NGN&min_price=50000&max_price=5000000",
    ),
    "q search": ("q=harmattan", "q=harmattan"),
}
PAGE_50 = "50th page (keyset; 41st at 1k)"


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


SEED_STATEMENTS = """
INSERT INTO users (id, email, display_name, password_hash, roles, status, created_at)
SELECT gen_random_uuid(), 'artist' || g || '@bench.test', 'Artist ' || g, 'x', 'artist', 'active', now()
FROM generate_series(1, %(artists)s) AS g;

WITH artists AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(display_name ORDER BY id) AS names FROM users)
INSERT INTO artworks (id, artist_id, artist_name, title, description, medium, price_amount, price_currency,
                      status, created_at, updated_at, published_at, favorites_count, version,
                      cover_thumbnail_key, cover_width, cover_height)
SELECT work.id, artists.ids[1 + g %% %(artists)s], artists.names[1 + g %% %(artists)s],
       CASE WHEN g %% %(one_in)s = 0 THEN 'Harmattan study ' || g ELSE 'Untitled ' || g END,
       'Work number ' || g || ', oil and acrylic on canvas',
       (ARRAY['painting','drawing','photography','sculpture','digital','print','mixed_media','textile','other'])[1 + g %% 9],
       10000 + (g * 7919) %% 10000000,
       (ARRAY['NGN','NGN','NGN','USD','GHS'])[1 + g %% 5],
       'published', now() - make_interval(secs => g), now(), now() - make_interval(secs => g), (g * 31) %% 500, 1,
       'artworks/' || work.id || '/t.webp', 1600, 1200
FROM (SELECT gen_random_uuid() AS id, g FROM generate_series(1, %(size)s) AS g) AS work, artists;

INSERT INTO artwork_images (id, artwork_id, position, display_key, thumbnail_key, original_key, width, height,
                            created_at)
SELECT gen_random_uuid(), id, 0, 'artworks/' || id || '/d.jpg', cover_thumbnail_key,
       'originals/' || id || '.jpg', cover_width, cover_height, created_at
FROM artworks;

VACUUM ANALYZE
"""


def seed(conninfo: str, size: int) -> None:
    """`size` published works by 200 artists; 1 in `SEARCH_ONE_IN` titles mention "Harmattan"."""
    with psycopg.connect(conninfo, autocommit=True) as db:
        for statement in SEED_STATEMENTS.split(";\n\n"):
            db.execute(statement, {"size": size, "artists": ARTISTS, "one_in": SEARCH_ONE_IN})


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start_artmarket(
    database_url: str, data_dir: Path, port: int, redis_url: str | None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ARTMARKET_DATABASE_URL": database_url,
        "ARTMARKET_DATA_DIR": str(data_dir),
        "ARTMARKET_LOG_LEVEL": "WARNING",
        "ARTMARKET_DB_POOL_SIZE": "10",
    }
    if redis_url is not None:
        env |= {"ARTMARKET_QUEUE": "redis", "ARTMARKET_REDIS_URL": redis_url}
    command = [str(Path(sys.executable).parent / "artmarket"), "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{port}/health")
    return process


def start_baseline(conninfo: str, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "bench" / "baseline_app.py"), conninfo, str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{port}/artworks?limit=1")
    return process


def deep_page(size: int) -> int:
    """The 50th page of 24, or the last full one when there are fewer works."""
    return min(50, size // 24)


def artmarket_page_50(base: str, size: int) -> str:
    cursor = None
    for _ in range(deep_page(size) - 1):
        url = f"{base}/api/v1/artworks?sort=newest&limit=24" + (f"&cursor={cursor}" if cursor else "")
        cursor = httpx.get(url, timeout=10).json()["next_cursor"]
    return f"sort=newest&limit=24&cursor={cursor}"


def page_50_position(db: psycopg.Connection[Any], size: int) -> tuple[datetime, UUID]:
    """(published_at, id) of the last work before the deep page."""
    row = db.execute(
        "SELECT published_at, id FROM artworks WHERE status = 'published' "
        "ORDER BY published_at DESC, id DESC OFFSET %s LIMIT 1",
        ((deep_page(size) - 1) * 24 - 1,),
    ).fetchone()
    assert row is not None
    return row[0], row[1]


def baseline_page_50(conninfo: str, size: int) -> str:
    with psycopg.connect(conninfo) as db:
        published_at, work_id = page_50_position(db, size)
    return f"sort=newest&after_key={quote(published_at.isoformat())}&after_id={work_id}"


def run_wrk(url: str, duration: int, connections: int) -> Result:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        assert match, output
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Result(rps, latency("50"), latency("99"), int(errors.group(1)) if errors else 0)


async def run_httpx(url: str, duration: int, connections: int) -> Result:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + duration
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = await client.get(url)
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status_code >= 400

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return Result(
        len(latencies) / elapsed, statistics.median(latencies), latencies[int(len(latencies) * 0.99)], errors
    )


def measure(url: str, duration: int, connections: int) -> Result:
    # Warm up caches and the connection pool first, as a running service would be.
    for _ in range(20):
        httpx.get(url, timeout=10)
    if shutil.which("wrk"):
        return run_wrk(url, duration, connections)
    return asyncio.run(run_httpx(url, duration, connections))


def median_round(rounds: list[Result]) -> Result:
    """The round with the median throughput, so its latencies come from the same run."""
    return sorted(rounds, key=lambda r: r.requests_per_second)[len(rounds) // 2]


def compare(urls: dict[tuple[int, str], str], options: argparse.Namespace) -> dict[tuple[int, str], Result]:
    """Measure every (size, side) `options.rounds` times, one after another in each round, and
    keep each one's median round: a machine that slows down for a while slows every side of
    the comparison, whether the ratio is artmarket/baseline or 100k/1k."""
    rounds: dict[tuple[int, str], list[Result]] = {key: [] for key in urls}
    for _ in range(options.rounds):
        for key, url in urls.items():
            rounds[key].append(measure(url, options.duration, options.connections))
    return {key: median_round(measured) for key, measured in rounds.items()}


@contextlib.contextmanager
def queue_server(queue: str, directory: Path) -> Iterator[str | None]:
    """A throwaway redis-server for the production shape, or nothing for the embedded queue."""
    if queue == "memory":
        yield None
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit(
            "redis-server not found: install it, or measure the embedded shape with --queue memory"
        )
    server = RedisServer(binary, directory, free_port())
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


EXPLAINED: dict[str, tuple[GalleryFilter, GallerySort]] = {
    "default listing": (GalleryFilter(), GallerySort.NEWEST),
    "price_asc NGN 50k-5M": (
        GalleryFilter(currency="NGN", min_price=50_000, max_price=5_000_000),
        GallerySort.PRICE_ASC,
    ),
    "q search": (GalleryFilter(q="harmattan"), GallerySort.NEWEST),
    PAGE_50: (GalleryFilter(), GallerySort.NEWEST),
}


def explain_plans(url: str, conninfo: str, size: int) -> dict[str, str]:
    """The indexes artmarket's own statement for each listing reads, or SEQ SCAN.

    The SQL is the text `PostgresGalleryQueries` sends, explained as it runs (see
    `tests.support.plans`): a prepared listing under its generic plan, a search under the
    custom plan of its words.
    """
    gallery = PostgresGalleryQueries(create_engine(url), pool=None)  # type: ignore[arg-type]
    verdicts = {}
    with psycopg.connect(conninfo, autocommit=True) as db:
        published_at, work_id = page_50_position(db, size)
        for name, (where, sort) in EXPLAINED.items():
            after = GalleryPosition(published_at.isoformat(), work_id) if name == PAGE_50 else None
            text, values = gallery.sql(gallery.prepare(where, sort, after, 25))
            plan = ""
            for statement, parameters in explain_statements(text, values, generic="q" not in values):
                cursor = db.execute(statement, parameters)
                if statement.as_string(db).startswith("EXPLAIN"):
                    plan = "\n".join(row[0] for row in cursor.fetchall())
            verdicts[name] = ", ".join(indexes_used(plan)) if plan_uses_an_index(plan) else "SEQ SCAN"
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queue", choices=("redis", "memory"), default="redis")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    results: dict[tuple[int, str, str], Result] = {}
    plans: dict[int, dict[str, str]] = {}
    with (
        throwaway_postgres() as server,
        tempfile.TemporaryDirectory() as data_dir,
        queue_server(options.queue, Path(data_dir)) as redis_url,
    ):
        print(
            f"artmarket queue: {options.queue}; {options.rounds} rounds of {options.duration}s, every size and side in each"
        )
        # Every size is seeded and served before anything is measured, so that each round can
        # measure 1k and 100k back to back.
        urls: dict[str, dict[tuple[int, str], str]] = {name: {} for name in [*QUERIES, PAGE_50]}
        processes: list[subprocess.Popen[bytes]] = []
        try:
            for size in sizes:
                url = create_database(server, f"bench_{size}")
                conninfo = server.conninfo(f"bench_{size}")
                migrate.upgrade(url)
                started = time.monotonic()
                seed(conninfo, size)
                print(f"seeded {size} works in {time.monotonic() - started:.1f}s", flush=True)
                plans[size] = explain_plans(url, conninfo, size)
                app_port, base_port = free_port(), free_port()
                processes.append(start_artmarket(url, Path(data_dir) / str(size), app_port, redis_url))
                processes.append(start_baseline(conninfo, base_port))
                queries = dict(QUERIES)
                queries[PAGE_50] = (
                    artmarket_page_50(f"http://127.0.0.1:{app_port}", size),
                    baseline_page_50(conninfo, size),
                )
                for name, (app_query, base_query) in queries.items():
                    urls[name][(size, "artmarket")] = (
                        f"http://127.0.0.1:{app_port}/api/v1/artworks?{app_query}"
                    )
                    urls[name][(size, "baseline")] = f"http://127.0.0.1:{base_port}/artworks?{base_query}"
            for name, listing_urls in urls.items():
                for (size, side), result in compare(listing_urls, options).items():
                    results[(size, name, side)] = result
                print(f"  measured {name}", flush=True)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=20)
    report(sizes, results, plans)


def report(
    sizes: list[int], results: dict[tuple[int, str, str], Result], plans: dict[int, dict[str, str]]
) -> None:
    names = [*QUERIES, PAGE_50]
    print()
    print(
        "| works | listing | artmarket req/s | p50 ms | p99 ms | baseline req/s | p50 ms | p99 ms | "
        "throughput ratio | plan |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        for name in names:
            app, base = results[(size, name, "artmarket")], results[(size, name, "baseline")]
            print(
                f"| {size} | {name} | {app.requests_per_second:.0f} | {app.p50_ms:.1f} | {app.p99_ms:.1f} | "
                f"{base.requests_per_second:.0f} | {base.p50_ms:.1f} | {base.p99_ms:.1f} | "
                f"{app.requests_per_second / base.requests_per_second:.2f}x | {plans[size][name]} |"
            )
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print()
        print(f"| listing | p50 at {large} / p50 at {small} | p99 at {large} / p99 at {small} |")
        print("|---|---|---|")
        for name in names:
            a, b = results[(small, name, "artmarket")], results[(large, name, "artmarket")]
            print(f"| {name} | {b.p50_ms / a.p50_ms:.2f}x | {b.p99_ms / a.p99_ms:.2f}x |")
    errors = sum(r.errors for r in results.values())
    print(f"\nnon-2xx answers during the runs: {errors}")


if __name__ == "__main__":
    main()
