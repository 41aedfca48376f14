"""Driving the real app over HTTP in tests: settings, accounts, images."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dishka import AsyncContainer, Provider, Scope, provide
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.application.identity.registration import CreateAdmin
from artmarket.application.ports import Clock
from artmarket.bootstrap import create_app, make_container, sandbox_gateway
from artmarket.fakes.clock import FixedClock
from artmarket.settings import Settings, load_settings
from tests.support.images import png_bytes
from tests.support.schema_templates import at_schema_head

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def app_settings(data_dir: Path, **overrides: str) -> Settings:
    """The embedded profile with cheap password hashing, for fast tests."""
    env = {
        "ARTMARKET_DATA_DIR": str(data_dir),
        "ARTMARKET_ARGON2_TIME_COST": "1",
        "ARTMARKET_ARGON2_MEMORY_KIB": "1024",
        "ARTMARKET_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
        "ARTMARKET_ORDERS_PER_WINDOW": "1000",
        # Every request of the test client comes from one address: these are not what most tests test.
        "ARTMARKET_REGISTRATIONS_PER_ADDRESS_PER_HOUR": "100000",
        "ARTMARKET_MAX_OPEN_ORDERS_PER_ADDRESS": "100000",
    }
    env.update({f"ARTMARKET_{k.upper()}": v for k, v in overrides.items()})
    return load_settings(env, env_file=None)


@dataclass
class Api:
    """A client on the real app plus helpers that act like its users.

    The app runs its own event loop (in the test client's thread), so the test side gets a
    container of its own over the same database (`container`), and the sandbox gateway
    both share (`gateway`).
    """

    client: AsyncTestClient[ASGIApp]
    settings: Settings
    container: AsyncContainer
    gateway: SandboxPaymentGateway

    async def register(self, role: str, name: str | None = None) -> dict[str, str]:
        """A new account of `role`, signed in: returns headers carrying its bearer token."""
        email = f"{role}{next(_numbers)}@example.com"
        response = await self.client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": name or role.title(), "role": role},
        )
        assert response.status_code == 201, response.text
        return await self.login(email)

    async def login(self, email: str) -> dict[str, str]:
        response = await self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def admin(self) -> dict[str, str]:
        """An administrator, created the way operators do (the CLI's use case)."""
        email = f"admin{next(_numbers)}@example.com"
        async with self.container() as scope:
            await (await scope.get(CreateAdmin))(email=email, password=PASSWORD)
        return await self.login(email)

    async def approved_artist(self, admin: Mapping[str, str], name: str = "Ada Obi") -> dict[str, str]:
        artist = await self.register("artist", name)
        submitted = await self.client.post(
            "/api/v1/me/kyc",
            data={"legal_name": name, "country": "NG"},
            files={"id_document": ("passport.pdf", b"%PDF-1.4 test identity document", "application/pdf")},
            headers=artist,
        )
        assert submitted.status_code == 201, submitted.text
        approved = await self.client.post(
            f"/api/v1/admin/kyc/{submitted.json()['id']}/approve", headers=admin
        )
        assert approved.status_code == 200, approved.text
        return artist

    async def published_artwork(
        self, artist: Mapping[str, str], *, price: int = 2_500_000, currency: str = "NGN", **fields: Any
    ) -> dict[str, Any]:
        body = {
            "title": "Harmattan Light",
            "medium": "painting",
            "price": {"amount": price, "currency": currency},
        }
        body.update(fields)
        created = await self.client.post("/api/v1/artworks", json=body, headers=artist)
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


class FixedClockProvider(Provider):
    """Overrides the system clock with one the test moves."""

    def __init__(self, clock: FixedClock) -> None:
        super().__init__()
        self._clock = clock

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return self._clock


class SandboxGatewayProvider(Provider):
    """One sandbox gateway for the app and the test, so the test can play the customer."""

    def __init__(self, gateway: SandboxPaymentGateway) -> None:
        super().__init__()
        self._gateway = gateway

    @provide(scope=Scope.APP)
    def gateway(self) -> SandboxPaymentGateway:
        return self._gateway


@asynccontextmanager
async def running_app(
    settings: Settings, *overrides: Provider, network: Callable[[ASGIApp], ASGIApp] | None = None
) -> AsyncIterator[Api]:
    """The app and a client on it, on `settings`' database brought to the schema's head first (a
    template copy for a new SQLite file; pass PostgreSQL databases from `migrated_postgres_url`);
    `network` wraps the app as the network would (e.g. `Peers`)."""
    await asyncio.to_thread(at_schema_head, settings.resolved_database_url)
    gateway = sandbox_gateway(settings)
    providers = (SandboxGatewayProvider(gateway), *overrides)
    app = create_app(settings, *providers)
    test_side = make_container(settings, *providers)
    try:
        async with AsyncTestClient(network(app) if network else app) as client:
            yield Api(client, settings, test_side, gateway)
    finally:
        await test_side.close()
