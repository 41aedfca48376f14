"""A deploy or a restart loses nothing: real `artmarket serve`, `worker` and `scheduler` processes
(production profile, PostgreSQL, Redis, the Paystack stand-in, the fake Hedera node) are sent
SIGTERM, or killed, while they work.

The API under load. What "zero failed requests" means, and how the test keeps it honest: a
client in front of a stopping server is a load balancer's client. The balancer polls `/ready`
and stops routing to a backend whose readiness fails, a little late (its probe interval);
the browsers here do exactly that, and keep sending for half a second after the balancer
noticed. Every request any of them sent must get its full, successful answer: the quick
ones sent during the drain window, and slow ones (checkouts whose Paystack call takes 2.5 s)
that are still in flight when the server stops listening. A connection attempt after the
listener closed is refused, which a balancer routes elsewhere, so it is recorded and not a
failure; nothing here is retried.

The worker mid-task. The task is the payment confirmation (held in flight by a slow
Paystack verify). Stopped with time to spare, the worker finishes it and acknowledges it.
Stopped with too little grace, it cuts the task off and puts it back on the stream; the
next worker runs it. Killed outright, its task is taken over by the next worker after the
redelivery timeout. Each time the end state in the database is checked: one payment, one
`paid` transition, one certificate per order, and the ledger minted no more NFTs than there
are certificates.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest
from tests.support.stack import ApiProcess, Marketplace, Process, ProductionStack, Purchase

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

DRAIN_DELAY = 1.5
GRACE = 10.0
REDELIVER_AFTER = 2.0


@pytest.fixture(scope="module")
def stack_settings() -> dict[str, str]:
    """A drain, a grace and a redelivery short enough for a test to wait them out."""
    return {
        "shutdown_delay_seconds": str(DRAIN_DELAY),
        "shutdown_grace_seconds": str(GRACE),
        "queue_redeliver_after_seconds": str(REDELIVER_AFTER),
    }


@pytest.fixture(scope="module")
def api(stack: ProductionStack) -> ApiProcess:
    """The API the worker tests pay through (it stays up)."""
    api = stack.api("api")
    api.wait_ready()
    return api


@pytest.fixture(scope="module")
def scheduler(stack: ProductionStack) -> Process:
    return stack.scheduler()


@pytest.fixture(scope="module")
def people(stack: ProductionStack, api: ApiProcess) -> dict[str, dict[str, str]]:
    """An admin and an artist with approved KYC (plain headers, usable from any test's loop)."""

    async def setup() -> dict[str, dict[str, str]]:
        market = Marketplace(stack, [api.url])
        try:
            admin = await market.create_admin()
            return {"admin": admin, "artist": await market.approved_artist(admin)}
        finally:
            await market.aclose()

    return asyncio.run(setup())


async def until(condition: Callable[[], bool], *, within: float, what: str) -> None:
    for _ in range(int(within / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {within} s: {what}")


# -- the API -----------------------------------------------------------------------------------


@dataclass
class Traffic:
    """What the clients saw, with the time of each answer (monotonic seconds)."""

    answered: list[tuple[float, str, int, str | None]] = field(default_factory=list)
    failed: list[tuple[float, str, str]] = field(default_factory=list)
    readiness: list[tuple[float, int, str]] = field(default_factory=list)
    refused_at: float | None = None


async def test_sigterm_under_load_fails_readiness_then_drains_without_a_failed_request(
    stack: ProductionStack, people: dict[str, dict[str, str]]
) -> None:
    server = stack.api("api-stopping")
    await asyncio.to_thread(server.wait_ready)
    market = Marketplace(stack, [server.url])
    artworks = [await market.published_artwork(people["artist"], f"Night {n}") for n in range(4)]
    buyer = await market.register("buyer")
    await market.aclose()

    traffic = Traffic()
    backend_down = asyncio.Event()  # the balancer's view
    stop_sending = asyncio.Event()  # ... acted upon half a second later
    sigterm_at: float | None = None

    async def balancer() -> None:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            while True:
                try:
                    answer = await client.get("/ready")
                except httpx.ConnectError:
                    traffic.refused_at = time.monotonic()
                    backend_down.set()
                    return
                except httpx.HTTPError as error:
                    traffic.failed.append((time.monotonic(), "/ready", repr(error)))
                    return
                traffic.readiness.append((time.monotonic(), answer.status_code, answer.json()["status"]))
                if answer.status_code == 503:
                    backend_down.set()
                await asyncio.sleep(0.1)

    async def lagging_balancer() -> None:
        await backend_down.wait()
        await asyncio.sleep(0.5)
        stop_sending.set()

    async def browser(n: int) -> None:
        paths = ["/api/v1/artworks", f"/api/v1/artworks/{artworks[n % len(artworks)]['id']}"]
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            for request in range(10_000):
                if stop_sending.is_set():
                    return
                path = paths[request % 2]
                try:
                    answer = await client.get(path)
                except httpx.HTTPError as error:
                    traffic.failed.append((time.monotonic(), path, repr(error)))
                    return
                if answer.status_code != 200:
                    traffic.failed.append(
                        (time.monotonic(), path, f"{answer.status_code} {answer.text[:200]}")
                    )
                traffic.answered.append(
                    (time.monotonic(), path, answer.status_code, answer.headers.get("connection"))
                )

    async def slow_checkout(artwork_id: str) -> tuple[int, float]:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            answer = await client.post("/api/v1/orders", json={"artwork_id": artwork_id}, headers=buyer)
            return answer.status_code, time.monotonic()

    # Paystack answers them well after the listener closes (DRAIN_DELAY after SIGTERM), with a
    # margin for a busy machine noticing the three calls late, and well within the grace period.
    stack.paystack.delay_next("/transaction/initialize", DRAIN_DELAY + 3.0, times=3)
    initialized_before = stack.paystack.count("/transaction/initialize")
    clients = [asyncio.create_task(balancer()), asyncio.create_task(lagging_balancer())]
    clients += [asyncio.create_task(browser(n)) for n in range(6)]
    await asyncio.sleep(1.0)  # load established
    checkouts = [asyncio.create_task(slow_checkout(artwork["id"])) for artwork in artworks[:3]]
    await until(
        lambda: stack.paystack.count("/transaction/initialize") >= initialized_before + 3,
        within=10,
        what="three checkouts waiting on Paystack",
    )
    server.send(signal.SIGTERM)
    sigterm_at = time.monotonic()

    finished = await asyncio.gather(*checkouts)
    await asyncio.gather(*clients)
    exit_code = await asyncio.to_thread(server.wait, DRAIN_DELAY + GRACE + 15)

    assert traffic.failed == [], traffic.failed
    # Readiness failed first, while the process still served ...
    statuses = "".join("+" if status == 200 else "-" for _, status, _ in traffic.readiness)
    assert statuses.rstrip("-").count("-") == 0, f"ready again after draining: {traffic.readiness}"
    draining = [at for at, status, body in traffic.readiness if status == 503]
    assert draining, traffic.readiness
    assert draining[0] - sigterm_at < 0.5
    assert {body for _, status, body in traffic.readiness if status == 503} == {"draining"}
    served_while_draining = [entry for entry in traffic.answered if entry[0] > draining[0]]
    assert served_while_draining, "the browsers sent nothing while the server drained"
    # Clients are told to reconnect (through the balancer) rather than reuse the connection.
    late = [connection for at, *_, connection in served_while_draining if at > draining[0] + 0.2]
    assert late
    assert set(late) == {"close"}
    # ... then the listener closed, after the delay: new connections are refused.
    assert traffic.refused_at is not None
    assert traffic.refused_at - sigterm_at >= DRAIN_DELAY - 0.1
    # The checkouts in flight when it stopped listening were answered in full, and stored.
    assert [status for status, _ in finished] == [201, 201, 201]
    assert all(done > sigterm_at + DRAIN_DELAY for _, done in finished), "not in flight at the close"
    stored = stack.sql(
        "SELECT count(*) FROM orders WHERE artwork_id::text = ANY(%s)", [a["id"] for a in artworks[:3]]
    )
    assert stored == [(3,)]
    # Then the pools were closed and the process exited by itself, status 0.
    assert exit_code == 0, server.tail()
    assert "shutdown complete" in server.output()


# -- the worker --------------------------------------------------------------------------------


async def a_pending_purchase(market: Marketplace, people: dict[str, dict[str, str]]) -> Purchase:
    artwork = await market.published_artwork(people["artist"])
    return await market.place_order(await market.register("buyer"), artwork["id"])


def sole_worker(stack: ProductionStack, **env: str) -> Process:
    """A fresh worker, the only one running (a task can only go to it)."""
    stack.stop("worker")
    worker = stack.worker("worker", **env)
    worker.wait_for_output("Listening started", within=60)
    return worker


def assert_paid_once(stack: ProductionStack, purchase: Purchase) -> None:
    paid = stack.sql(
        "SELECT count(*) FROM order_status_changes WHERE order_id::text = %s AND status = 'paid'",
        purchase.order_id,
    )
    assert paid == [(1,)]
    messages = stack.sql(
        "SELECT count(*) FROM outbox_messages WHERE topic = 'order.paid' AND key LIKE %s",
        f"%{purchase.order_id}%",
    )
    assert messages == [(1,)]


def assert_no_mint_doubled(stack: ProductionStack) -> None:
    certificates = stack.sql("SELECT count(*), count(DISTINCT order_id) FROM certificates")
    (total, orders) = certificates[0]
    assert total == orders
    assert len(stack.hedera.nfts(stack.token_id)) == total


def worker_stopped(worker: Process) -> dict[str, int]:
    """The counts the worker logged as it stopped."""
    for line in reversed(worker.output().splitlines()):
        if '"event": "worker stopped"' in line:
            logged = json.loads(line)
            return {"cut_off": logged["cut_off"], "returned": logged["returned"]}
    raise AssertionError(worker.tail())


async def pay_and_hold_the_verify(
    stack: ProductionStack, market: Marketplace, purchase: Purchase, hold: float
) -> int:
    """Pay; the worker's confirmation is then stuck in Paystack's verify for `hold` seconds."""
    stack.paystack.delay_next("/transaction/verify", hold)
    before = stack.paystack.count("/transaction/verify")
    await market.pay(purchase)
    await until(
        lambda: stack.paystack.count("/transaction/verify") > before,
        within=30,
        what="the worker calling Paystack's verify",
    )
    return before


async def test_a_worker_stopped_mid_task_finishes_it_first(
    stack: ProductionStack, api: ApiProcess, scheduler: Process, people: dict[str, dict[str, str]]
) -> None:
    worker = sole_worker(stack, shutdown_grace_seconds="15")
    market = Marketplace(stack, [api.url])
    try:
        purchase = await a_pending_purchase(market, people)
        verifies = await pay_and_hold_the_verify(stack, market, purchase, hold=3.0)

        worker.send(signal.SIGTERM)  # mid-task
        assert await asyncio.to_thread(worker.wait, 30) == 0, worker.tail()

        assert worker_stopped(worker) == {"cut_off": 0, "returned": 0}
        assert (await market.order(purchase))["status"] in {"paid", "minting", "completed"}
    finally:
        await market.aclose()
    assert stack.paystack.count("/transaction/verify") == verifies + 1  # it ran once
    assert_paid_once(stack, purchase)
    assert stack.stream_pending() == 0  # and was acknowledged


async def test_a_task_cut_off_by_the_grace_period_goes_back_and_the_next_worker_runs_it(
    stack: ProductionStack, api: ApiProcess, scheduler: Process, people: dict[str, dict[str, str]]
) -> None:
    worker = sole_worker(stack, shutdown_grace_seconds="1")
    market = Marketplace(stack, [api.url])
    try:
        purchase = await a_pending_purchase(market, people)
        verifies = await pay_and_hold_the_verify(stack, market, purchase, hold=8.0)

        worker.send(signal.SIGTERM)
        stack.worker("worker")  # the next one (a deploy starts it now) takes it: no redelivery wait
        assert await asyncio.to_thread(worker.wait, 15) == 0, worker.tail()
        # The held confirmation is cut off; a task of the test before (an email, a ledger
        # record) may be cut off with it. Every task cut off is handed back.
        stopped = worker_stopped(worker)
        assert stopped["cut_off"] >= 1
        assert stopped["returned"] == stopped["cut_off"]
        await market.wait_for_status(purchase, "completed", within=60)
    finally:
        await market.aclose()
    # The cut-off run and the next worker's run both asked Paystack. Delivery is at least once:
    # on a loaded machine the next worker may also claim the task before it is handed back (a
    # third verify), so the exactly-once guarantees are asserted on the effects below.
    assert stack.paystack.count("/transaction/verify") >= verifies + 2
    assert_paid_once(stack, purchase)
    assert_no_mint_doubled(stack)


async def test_the_task_of_a_killed_worker_is_taken_over_and_completed_once(
    stack: ProductionStack, api: ApiProcess, scheduler: Process, people: dict[str, dict[str, str]]
) -> None:
    running = stack.running("worker")
    victim = running[0] if len(running) == 1 else sole_worker(stack)
    market = Marketplace(stack, [api.url])
    try:
        purchase = await a_pending_purchase(market, people)
        await pay_and_hold_the_verify(stack, market, purchase, hold=8.0)

        victim.send(signal.SIGKILL)  # no goodbye: OOM killer, power cut
        await asyncio.to_thread(victim.wait, 10)
        assert stack.stream_pending() >= 1  # the confirmation (and whatever else it had taken)

        stack.worker("worker")  # claims what has been idle longer than the redelivery timeout
        await market.wait_for_status(purchase, "completed", within=60)
    finally:
        await market.aclose()
    assert_paid_once(stack, purchase)
    assert_no_mint_doubled(stack)
    await until(lambda: stack.stream_pending() == 0, within=20, what="every task acknowledged")


def test_the_scheduler_stops_cleanly(scheduler: Process) -> None:
    scheduler.send(signal.SIGTERM)
    assert scheduler.wait(30) == 0, scheduler.tail()
    assert "scheduler stopped" in scheduler.output()
