"""A deployed-profile artmarket on loopback, as real processes, for the operations tests and
the load benchmark.

`production_stack` starts what production talks to: PostgreSQL (a fresh database on the
given server, migrated), Redis, the Paystack stand-in, the fake Hedera consensus and mirror
node (with a collection created), a Kubo stand-in, moto's S3 and an SMTP server. The
artmarket processes (`artmarket serve`, `worker`, `scheduler`, any CLI command) are then
started with `ARTMARKET_PROFILE=staging` (production's rules and real adapters only, with
Paystack's test-mode key and a non-public ledger, which `production` refuses), exactly as
an operator would run them; their output goes to a log file per process.

`Marketplace` plays the people: an admin, an artist with approved KYC, buyers, over HTTP
against any of the API processes, and Paystack's side of a payment (the stand-in marks the
transaction paid and sends the signed `charge.success` webhook).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import boto3
import httpx
import redis
from hiero_sdk_python import PrivateKey  # type: ignore[import-untyped]  # no py.typed in 0.3.0

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.adapters.persistence import migrate
from artmarket.application.identity.registration import CreateAdmin
from artmarket.bootstrap import make_container
from artmarket.settings import load_settings
from tests.support.fake_hedera_mirror import FakeHederaNetwork
from tests.support.images import png_bytes
from tests.support.kubo_standin import KuboStandIn
from tests.support.moto_server import CREDENTIALS
from tests.support.paystack_standin import PaystackStandIn
from tests.support.ports import free_port
from tests.support.postgres import PostgresServer, create_database
from tests.support.smtp_server import SmtpServer

ARTMARKET = str(Path(sys.executable).parent / "artmarket")
OPERATOR_ID = "0.0.1001"
PASSWORD = "correct horse battery staple"
WEBHOOK = "/api/v1/payments/paystack/webhook"
_numbers = itertools.count(1)


class Process:
    """One artmarket process; its stdout and stderr go to `log_path`."""

    def __init__(self, name: str, args: list[str], env: Mapping[str, str], log_path: Path) -> None:
        self.name = name
        self.args = args
        self.log_path = log_path
        self._log: IO[bytes] = log_path.open("ab")
        self.popen = subprocess.Popen(
            [ARTMARKET, *args], env=dict(env), stdout=self._log, stderr=subprocess.STDOUT
        )

    def __repr__(self) -> str:
        return f"<{self.name} pid={self.popen.pid} rc={self.popen.returncode}>"

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def send(self, sig: int) -> None:
        self.popen.send_signal(sig)

    def wait(self, timeout: float) -> int:
        try:
            return self.popen.wait(timeout)
        finally:
            if self.popen.returncode is not None:
                self._log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def tail(self, characters: int = 3000) -> str:
        return self.output()[-characters:]

    def wait_for_output(self, text: str, *, within: float) -> None:
        deadline = time.monotonic() + within
        while text not in self.output():
            if not self.alive:
                raise AssertionError(
                    f"{self.name} exited ({self.popen.returncode}):\n{self.output()[-3000:]}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.name} did not log {text!r} within {within} s:\n{self.output()[-3000:]}"
                )
            time.sleep(0.05)

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait (SIGKILL if it does not exit in time)."""
        if self.alive:
            self.send(signal.SIGTERM)
            try:
                return self.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
        return self.wait(timeout)


class ApiProcess(Process):
    """`artmarket serve` on its own port."""

    def __init__(self, name: str, port: int, env: Mapping[str, str], log_path: Path) -> None:
        self.port = port
        super().__init__(name, ["serve"], {**env, "ARTMARKET_PORT": str(port)}, log_path)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, *, within: float = 60.0) -> None:
        """Until `/ready` answers 200 (every dependency reachable)."""
        deadline = time.monotonic() + within
        while True:
            if not self.alive:
                raise AssertionError(
                    f"{self.name} exited ({self.popen.returncode}):\n{self.output()[-3000:]}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/ready", timeout=2).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} not ready within {within} s:\n{self.tail()}")
            time.sleep(0.1)


@dataclass
class ProductionStack:
    root: Path
    env: dict[str, str]
    database_name: str
    database_url: str
    redis_url: str
    paystack: PaystackStandIn
    hedera: FakeHederaNetwork
    kubo: KuboStandIn
    smtp: SmtpServer
    s3_endpoint: str
    bucket: str
    token_id: str
    postgres: PostgresServer
    processes: list[Process] = field(default_factory=list)

    def _log(self, name: str) -> Path:
        return self.root / f"{name}-{len(self.processes)}.log"

    def api(self, name: str = "api", **env: str) -> ApiProcess:
        process = ApiProcess(name, free_port(), {**self.env, **_env(env)}, self._log(name))
        self.processes.append(process)
        return process

    def worker(self, name: str = "worker", **env: str) -> Process:
        return self.spawn(name, "worker", **env)

    def scheduler(self, name: str = "scheduler", **env: str) -> Process:
        return self.spawn(name, "scheduler", **env)

    def spawn(self, name: str, *args: str, **env: str) -> Process:
        process = Process(name, list(args), {**self.env, **_env(env)}, self._log(name))
        self.processes.append(process)
        return process

    def run(self, *args: str, timeout: float = 120.0, **env: str) -> subprocess.CompletedProcess[str]:
        """A CLI command, to completion."""
        return subprocess.run(
            [ARTMARKET, *args],
            env={**self.env, **_env(env)},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def running(self, name: str) -> list[Process]:
        return [p for p in self.processes if p.name == name and p.alive]

    def stop(self, name: str) -> None:
        for process in self.running(name):
            process.stop()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.alive:
                process.send(signal.SIGTERM)
        # Clean-up only (the shutdown tests time their own stops): a process that has not
        # stopped in 15 s is killed rather than waited for.
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(15)
            if process.alive:
                process.popen.kill()
                process.wait(10)

    def sql(self, query: str, *params: object) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.postgres.conninfo(self.database_name)) as connection:
            cursor = connection.execute(query, params)
            return list(cursor.fetchall()) if cursor.description else []

    def stream_pending(self) -> int:
        """Tasks taken by a worker and not acknowledged, in the `artmarket` stream."""
        client = redis.Redis.from_url(self.redis_url)
        try:
            return int(client.xpending("artmarket", "artmarket-workers")["pending"])
        finally:
            client.close()


@contextlib.contextmanager
def moto_server(log_path: Path) -> Iterator[str]:
    """`moto_server` (S3) on a free port outside pytest (the benchmark); yields its endpoint."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    binary = str(Path(sys.executable).parent / "moto_server")
    with log_path.open("wb") as log:
        server = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(endpoint, timeout=1)
                    break
                except httpx.HTTPError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        reason = log_path.read_text()[-2000:]
                        raise RuntimeError(f"moto_server did not start: {reason}") from None
                    time.sleep(0.1)
            yield endpoint
        finally:
            server.terminate()
            server.wait(10)


def _env(overrides: Mapping[str, str]) -> dict[str, str]:
    return {f"ARTMARKET_{key.upper()}": value for key, value in overrides.items()}


@contextlib.contextmanager
def production_stack(
    postgres: PostgresServer, redis_url: str, s3_endpoint: str, root: Path, **overrides: str
) -> Iterator[ProductionStack]:
    """Every production dependency on loopback, a migrated database and the environment of a
    production deployment; artmarket processes started from it are stopped on exit."""
    root.mkdir(parents=True, exist_ok=True)
    operator_key = PrivateKey.generate_ed25519()
    paystack = PaystackStandIn("sk_test_" + secrets.token_hex(20)).start()
    hedera = FakeHederaNetwork(accounts={OPERATOR_ID: operator_key.public_key()}).start()
    kubo = KuboStandIn().start()
    smtp = SmtpServer(free_port())
    smtp.start()
    stack: ProductionStack | None = None
    try:
        database_name = f"stack_{uuid.uuid4().hex[:12]}"
        database_url = create_database(postgres, database_name)
        migrate.upgrade(database_url)
        bucket = f"media-{uuid.uuid4().hex[:12]}"
        boto3.client("s3", endpoint_url=s3_endpoint, **CREDENTIALS).create_bucket(Bucket=bucket)
        token_id = asyncio.run(_create_collection(hedera, operator_key))
        # Secrets come from files, as mounted secrets do: none sits in the environment.
        secrets_dir = root / "secrets"
        secrets_dir.mkdir(exist_ok=True)
        secret_files = {
            "JWT_SECRET": secrets.token_urlsafe(48),
            "PAYSTACK_SECRET_KEY": paystack.secret_key,
            "HEDERA_OPERATOR_KEY": operator_key.to_string_der(),
            "S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
            "METRICS_TOKEN": secrets.token_urlsafe(32),
        }
        for name, value in secret_files.items():
            (secrets_dir / name.lower()).write_text(value + "\n")
        address, node_account = next(iter(hedera.network_map.items()))
        clean = {k: v for k, v in os.environ.items() if not k.startswith("ARTMARKET_")}
        env = {
            **clean,
            "PYTHONUNBUFFERED": "1",
            **{f"ARTMARKET_{name}_FILE": str(secrets_dir / name.lower()) for name in secret_files},
            **_env(
                {
                    "profile": "staging",
                    "data_dir": str(root / "var"),
                    "database_url": database_url,
                    "redis_url": redis_url,
                    "queue": "redis",
                    "public_base_url": "https://artmarket.test",
                    "payments": "paystack",
                    "paystack_base_url": paystack.base_url,
                    "paystack_webhook_ips": "127.0.0.1",
                    "ledger": "hedera",
                    "hedera_network": "custom",
                    "hedera_nodes": f"{address}={node_account}",
                    "hedera_mirror_url": hedera.mirror_url,
                    "hedera_operator_id": OPERATOR_ID,
                    "hedera_token_id": token_id,
                    "content_store": "s3",
                    "s3_bucket": bucket,
                    "s3_endpoint_url": s3_endpoint,
                    "s3_access_key_id": CREDENTIALS["aws_access_key_id"],
                    "s3_region": CREDENTIALS["region_name"],
                    "media_base_url": f"{s3_endpoint}/{bucket}/public",
                    "ipfs": "kubo",
                    "ipfs_api_url": kubo.api_url,
                    "mailer": "smtp",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": str(smtp.port),
                    "smtp_tls": "none",
                    # Cheap hashing and generous limits: the tests are not about either.
                    "argon2_time_cost": "1",
                    "argon2_memory_kib": "1024",
                    "login_max_failures_per_address": "100000",
                    "orders_per_window": "100000",
                    "max_open_orders": "100",
                    "max_open_orders_per_address": "100000",
                    "registrations_per_address_per_hour": "100000",
                    "image_uploads_per_artist_per_hour": "100000",
                    "mint_linger_seconds": "0.2",
                    "db_pool_size": "5",
                    "db_max_overflow": "5",
                    **overrides,
                }
            ),
        }
        stack = ProductionStack(
            root=root,
            env=env,
            database_name=database_name,
            database_url=database_url,
            redis_url=redis_url,
            paystack=paystack,
            hedera=hedera,
            kubo=kubo,
            smtp=smtp,
            s3_endpoint=s3_endpoint,
            bucket=bucket,
            token_id=token_id,
            postgres=postgres,
        )
        yield stack
    finally:
        if stack is not None:
            stack.stop_all()
        smtp.stop()
        kubo.stop()
        hedera.stop()
        paystack.stop()


async def _create_collection(node: FakeHederaNetwork, key: PrivateKey) -> str:
    ledger = HederaLedger(
        operator_id=OPERATOR_ID,
        operator_key=key.to_string_der(),
        network="custom",
        nodes=node.network_map,
        mirror_url=node.mirror_url,
    )
    try:
        return await ledger.create_collection(
            name="artmarket certificates", symbol="ACOA", max_supply=100_000
        )
    finally:
        await ledger.aclose()


@dataclass
class Purchase:
    order_id: str
    reference: str
    buyer: dict[str, str]


class Marketplace:
    """The people of a marketplace, over HTTP: `urls` are API processes, used in turn."""

    def __init__(self, stack: ProductionStack, urls: list[str], *, timeout: float = 30.0) -> None:
        self.stack = stack
        self.urls = urls
        self._turn = itertools.cycle(range(len(urls)))
        self.clients = [httpx.AsyncClient(base_url=url, timeout=timeout) for url in urls]

    async def aclose(self) -> None:
        for client in self.clients:
            await client.aclose()

    @property
    def client(self) -> httpx.AsyncClient:
        """The next API process's client (round robin, as a load balancer would)."""
        return self.clients[next(self._turn)]

    async def create_admin(self) -> dict[str, str]:
        """An administrator, made the way operators do (the CLI's use case), then signed in."""
        email = f"admin{next(_numbers)}-{uuid.uuid4().hex[:6]}@example.com"
        container = make_container(load_settings(self.stack.env, env_file=None))
        try:
            async with container() as scope:
                await (await scope.get(CreateAdmin))(email=email, password=PASSWORD)
        finally:
            await container.close()
        return await self.login(email)

    async def login(self, email: str) -> dict[str, str]:
        answer = await self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    async def register(self, role: str) -> dict[str, str]:
        email = f"{role}{next(_numbers)}-{uuid.uuid4().hex[:6]}@example.com"
        answer = await self.client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": role.title(), "role": role},
        )
        assert answer.status_code == 201, answer.text
        return await self.login(email)

    async def approved_artist(self, admin: Mapping[str, str]) -> dict[str, str]:
        artist = await self.register("artist")
        case = await self.client.post(
            "/api/v1/me/kyc",
            data={"legal_name": "Ada Obi", "country": "NG"},
            files={"id_document": ("passport.pdf", b"%PDF-1.4 identity document", "application/pdf")},
            headers=artist,
        )
        assert case.status_code == 201, case.text
        approved = await self.client.post(f"/api/v1/admin/kyc/{case.json()['id']}/approve", headers=admin)
        assert approved.status_code == 200, approved.text
        return artist

    async def published_artwork(
        self, artist: Mapping[str, str], title: str = "Harmattan Light"
    ) -> dict[str, Any]:
        created = await self.client.post(
            "/api/v1/artworks",
            json={"title": title, "medium": "painting", "price": {"amount": 2_500_000, "currency": "NGN"}},
            headers=artist,
        )
        assert created.status_code == 201, created.text
        artwork_id = created.json()["id"]
        uploaded = await self.client.post(
            f"/api/v1/artworks/{artwork_id}/images",
            files={"file": ("work.png", png_bytes(64, 48), "image/png")},
            headers=artist,
        )
        assert uploaded.status_code == 201, uploaded.text
        published = await self.client.post(f"/api/v1/artworks/{artwork_id}/publish", headers=artist)
        assert published.status_code == 200, published.text
        return dict(published.json())

    async def place_order(self, buyer: Mapping[str, str], artwork_id: str) -> Purchase:
        answer = await self.client.post(
            "/api/v1/orders",
            json={"artwork_id": artwork_id},
            headers={**buyer, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert answer.status_code == 201, answer.text
        body = answer.json()
        return Purchase(body["order"]["id"], body["payment"]["reference"], dict(buyer))

    async def pay(self, purchase: Purchase) -> None:
        """Paystack's side: the customer pays, Paystack sends the signed webhook."""
        self.stack.paystack.pay(purchase.reference)
        raw, signature = self.stack.paystack.webhook_for(purchase.reference)
        answer = await self.client.post(WEBHOOK, content=raw, headers={"x-paystack-signature": signature})
        assert answer.status_code == 200, answer.text

    async def order(self, purchase: Purchase) -> dict[str, Any]:
        answer = await self.client.get(f"/api/v1/orders/{purchase.order_id}", headers=purchase.buyer)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    async def wait_for_status(
        self, purchase: Purchase, status: str, *, within: float = 60.0
    ) -> dict[str, Any]:
        deadline = time.monotonic() + within
        while True:
            order = await self.order(purchase)
            if order["status"] == status:
                return order
            if time.monotonic() > deadline:
                raise AssertionError(f"order {purchase.order_id} is {order['status']}, not {status}")
            await asyncio.sleep(0.2)
