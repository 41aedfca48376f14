"""The composition root: the only place that chooses adapters, by settings.

Providers are grouped by layer; `create_app` and `make_container` accept override
providers so tests can swap an adapter without touching anything else.
"""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import structlog
from dishka import AsyncContainer, Provider, Scope, from_context, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from artmarket.adapters.persistence import migrate
from artmarket.adapters.persistence.database import DatabaseCheck, create_engine, create_session_factory
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.adapters.ratelimit.store import StoreRateLimiter
from artmarket.adapters.security.clock import SystemClock, Uuid7Ids
from artmarket.adapters.security.passwords import Argon2PasswordHasher
from artmarket.adapters.security.tokens import JwtAccessTokens
from artmarket.application.identity.ports import AccessTokens, PasswordHasher
from artmarket.application.identity.use_cases import (
    Authenticate,
    ChangePassword,
    CreateAdmin,
    ListUsers,
    Login,
    LoginPolicy,
    Logout,
    RefreshSession,
    RegisterUser,
    UpdateProfile,
)
from artmarket.application.ports import Clock, IdGenerator, Limit, RateLimiter
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.entrypoints.cli.main import CliWiring, build_cli
from artmarket.entrypoints.http.app import build_app
from artmarket.entrypoints.http.auth import PrincipalProvider
from artmarket.entrypoints.http.controllers.health import ReadinessChecks
from artmarket.settings import Settings, load_settings


class InfrastructureProvider(Provider):
    """App-scoped adapters: database engine, clock, ids, hashing, tokens, rate limits."""

    settings = from_context(provides=Settings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        start_mappers()
        engine = create_engine(
            settings.resolved_database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout_seconds,
        )
        yield engine
        await engine.dispose()

    @provide(scope=Scope.APP)
    def session_factory(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return create_session_factory(engine)

    clock = provide(SystemClock, provides=Clock, scope=Scope.APP)
    ids = provide(Uuid7Ids, provides=IdGenerator, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def password_hasher(self, settings: Settings) -> PasswordHasher:
        return Argon2PasswordHasher(
            time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib
        )

    @provide(scope=Scope.APP)
    def access_tokens(self, settings: Settings, clock: Clock) -> AccessTokens:
        return JwtAccessTokens(
            secret=settings.jwt_secret,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            lifetime=timedelta(minutes=settings.access_token_minutes),
            clock=clock,
        )

    @provide(scope=Scope.APP)
    async def rate_limit_store(self, settings: Settings) -> AsyncIterator[Store]:
        # Counters must be shared between API processes in production, hence Redis there.
        if settings.redis_url:
            store: Store = RedisStore.with_client(url=settings.redis_url, namespace="artmarket-ratelimit")
        else:
            store = MemoryStore()
        async with store:
            yield store

    @provide(scope=Scope.APP)
    def rate_limiter(self, store: Store) -> RateLimiter:
        return StoreRateLimiter(store)

    @provide(scope=Scope.APP)
    def readiness_checks(self, engine: AsyncEngine) -> ReadinessChecks:
        return ReadinessChecks((DatabaseCheck(engine),))


class PersistenceProvider(Provider):
    """One unit of work per request or task."""

    @provide(scope=Scope.REQUEST)
    def unit_of_work(self, session_factory: async_sessionmaker[AsyncSession]) -> UnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)


class IdentityProvider(Provider):
    """Identity use cases."""

    scope = Scope.REQUEST

    register = provide(RegisterUser)
    create_admin = provide(CreateAdmin)
    refresh = provide(RefreshSession)
    logout = provide(Logout)
    authenticate = provide(Authenticate)
    update_profile = provide(UpdateProfile)
    change_password = provide(ChangePassword)
    list_users = provide(ListUsers)

    @provide(scope=Scope.APP)
    def login_policy(self, settings: Settings, hasher: PasswordHasher) -> LoginPolicy:
        window = timedelta(seconds=settings.login_failure_window_seconds)
        return LoginPolicy(
            per_account=Limit(settings.login_max_failures_per_account, window),
            per_address=Limit(settings.login_max_failures_per_address, window),
            decoy_hash=hasher.hash(secrets.token_urlsafe(16)),
        )

    login = provide(Login)


def core_providers() -> list[Provider]:
    return [InfrastructureProvider(), PersistenceProvider(), IdentityProvider()]


def make_container(settings: Settings, *overrides: Provider, http: bool = False) -> AsyncContainer:
    """The container for one process; later providers override earlier ones."""
    extra: list[Provider] = [LitestarProvider(), PrincipalProvider()] if http else []
    return make_async_container(*core_providers(), *extra, *overrides, context={Settings: settings})


def configure_logging(settings: Settings) -> None:
    """JSON lines on stdout; secrets never reach a log call, so nothing needs scrubbing later."""
    level = logging.getLevelName(settings.log_level)
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=level, force=True)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )


def create_app(settings: Settings | None = None, *overrides: Provider) -> Litestar:
    """The HTTP application; `uvicorn --factory artmarket.bootstrap:create_app` works too."""
    settings = settings or load_settings()
    configure_logging(settings)
    return build_app(settings, make_container(settings, *overrides, http=True))


def upgrade_database(settings: Settings) -> None:
    if settings.resolved_database_url.startswith("sqlite"):
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.resolved_database_url)


def serve(settings: Settings) -> None:
    """Run uvicorn in the foreground; SIGTERM stops accepting, drains requests, then closes pools."""
    import uvicorn

    configure_logging(settings)
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)


def main() -> None:
    """The `artmarket` console script."""
    build_cli(CliWiring(make_container=make_container, upgrade_database=upgrade_database, serve=serve))()
