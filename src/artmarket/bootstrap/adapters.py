"""Adapter providers: each port's adapter, chosen by settings.

The database, clock, ids, hashing, tokens and rate limits; the read models; media and the
content-addressed store; the payment gateway, the ledger and the mailer; metrics and the
instrumentation around outside calls. Adapters built on heavy SDKs (Hedera's hiero, boto3 for
S3) are imported where they are chosen, so a process that does not use them does not pay for
them (ADR 0022).
"""

from __future__ import annotations

import shlex
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import cast

from dishka import Provider, Scope, decorate, from_context, provide
from litestar.stores.memory import MemoryStore
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from artmarket.adapters.ipfs.kubo import KuboContentStore
from artmarket.adapters.ipfs.local import LocalBlockStore
from artmarket.adapters.ipfs.mirrored import MirroredContentStore
from artmarket.adapters.ledger.signer import CommandSigner
from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.adapters.mail.files import FileMailer
from artmarket.adapters.mail.smtp import SmtpMailer
from artmarket.adapters.media.pillow import PillowImageProcessor
from artmarket.adapters.media.threaded import ThreadedImageProcessor
from artmarket.adapters.observability.instrumented import InstrumentedLedger, InstrumentedPaymentGateway
from artmarket.adapters.observability.metrics import MetricsExposition, PoolCollector
from artmarket.adapters.payments.paystack import PaystackGateway
from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.adapters.persistence.admin_queries import SqlAdminOrderQueries, SqlDashboardQueries
from artmarket.adapters.persistence.database import (
    create_engine,
    create_session_factory,
    open_read_pool,
)
from artmarket.adapters.persistence.gallery import PostgresGalleryQueries, SqlGalleryQueries
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.operations import SqlOperationsQueries
from artmarket.adapters.persistence.reservation_queries import SqlReservationQueries
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.adapters.ratelimit.redis import RedisRateLimiter
from artmarket.adapters.ratelimit.store import StoreRateLimiter
from artmarket.adapters.security.clock import SystemClock, Uuid7Ids
from artmarket.adapters.security.password_strength import ZxcvbnPasswordStrength
from artmarket.adapters.security.passwords import Argon2PasswordHasher
from artmarket.adapters.security.tokens import JwtAccessTokens, rotation_keys
from artmarket.adapters.storage.local import LocalMediaStore
from artmarket.application.admin.ports import AdminOrderQueries
from artmarket.application.admin.reservations import ReservationQueries
from artmarket.application.catalog.ports import GalleryQueries
from artmarket.application.dashboards.ports import DashboardQueries
from artmarket.application.identity.ports import AccessTokens, PasswordHasher, PasswordStrength
from artmarket.application.media import ContentStore, ImageProcessor
from artmarket.application.minting.certificate_transactions import CertificateLedger
from artmarket.application.minting.content import ContentAddressedStore
from artmarket.application.minting.ledger import Ledger
from artmarket.application.notifications.ports import Mailer
from artmarket.application.observability import OperationsQueries
from artmarket.application.payments.ports import PaymentGateway
from artmarket.application.ports import Clock, IdGenerator, RateLimiter
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.settings import Settings

#: Signs the sandbox's webhooks when no Paystack key is configured (development only).
SANDBOX_SECRET_KEY = "sk_test_artmarket_sandbox_development_only"  # noqa: S105


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
            pool_recycle=settings.db_pool_recycle_seconds,
        )
        yield engine
        await engine.dispose()

    @provide(scope=Scope.APP)
    def session_factory(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return create_session_factory(engine)

    clock = provide(SystemClock, provides=Clock, scope=Scope.APP)
    ids = provide(Uuid7Ids, provides=IdGenerator, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def password_hasher(self, settings: Settings) -> Iterator[PasswordHasher]:
        hasher = Argon2PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            concurrency=settings.password_hashing_concurrency,
        )
        yield hasher
        hasher.close()

    @provide(scope=Scope.APP)
    def password_strength(self) -> PasswordStrength:
        return ZxcvbnPasswordStrength()

    @provide(scope=Scope.APP)
    def access_tokens(self, settings: Settings, clock: Clock) -> AccessTokens:
        lifetime = timedelta(minutes=settings.access_token_minutes)
        grace = settings.jwt_rotation_grace_seconds
        return JwtAccessTokens(
            keys=rotation_keys(
                settings.signing_keys,
                rotated_at=settings.jwt_rotated_at,
                grace=lifetime if grace is None else timedelta(seconds=grace),
            ),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            lifetime=lifetime,
            clock=clock,
        )

    @provide(scope=Scope.APP)
    async def rate_limiter(self, settings: Settings) -> AsyncIterator[RateLimiter]:
        # Counters must be shared between API processes in production, hence Redis there.
        if settings.redis_url:
            limiter = RedisRateLimiter(settings.redis_url)
            yield limiter
            await limiter.aclose()
            return
        store = MemoryStore()
        async with store:
            yield StoreRateLimiter(store)


class ContentAddressingProvider(Provider):
    """The certificate content store chosen by settings: a local directory or a Kubo node."""

    @provide(scope=Scope.APP)
    async def content_addressed_store(self, settings: Settings) -> AsyncIterator[ContentAddressedStore]:
        if settings.ipfs == "local":
            yield LocalBlockStore(settings.resolved_ipfs_root)
            return
        assert settings.ipfs_api_url is not None  # settings refuse kubo without a URL
        kubo = KuboContentStore(
            settings.ipfs_api_url, auth=settings.ipfs_api_token, timeout=settings.ipfs_timeout_seconds
        )
        if not settings.ipfs_mirror_urls:
            yield kubo
            await kubo.aclose()
            return
        mirrors = [
            KuboContentStore(url, auth=settings.ipfs_mirror_api_token, timeout=settings.ipfs_timeout_seconds)
            for url in settings.ipfs_mirror_urls
        ]
        mirrored = MirroredContentStore(kubo, mirrors)
        yield mirrored
        await mirrored.aclose()


class PersistenceProvider(Provider):
    """One unit of work per request or task, and the read models beside it."""

    @provide(scope=Scope.REQUEST)
    def unit_of_work(self, session_factory: async_sessionmaker[AsyncSession]) -> UnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    @provide(scope=Scope.APP)
    async def gallery(self, engine: AsyncEngine, settings: Settings) -> AsyncIterator[GalleryQueries]:
        if engine.dialect.name != "postgresql":
            yield SqlGalleryQueries(engine)
            return
        async with open_read_pool(
            engine.url,
            size=settings.db_pool_size,
            wait_seconds=settings.db_pool_timeout_seconds,
            max_lifetime=settings.db_pool_recycle_seconds,
        ) as pool:
            yield PostgresGalleryQueries(engine, pool)

    @provide(scope=Scope.APP)
    def order_queries(self, engine: AsyncEngine) -> AdminOrderQueries:
        return SqlAdminOrderQueries(engine)

    @provide(scope=Scope.APP)
    def dashboard_queries(self, engine: AsyncEngine) -> DashboardQueries:
        return SqlDashboardQueries(engine)

    @provide(scope=Scope.APP)
    def reservation_queries(self, engine: AsyncEngine) -> ReservationQueries:
        return SqlReservationQueries(engine)

    @provide(scope=Scope.APP)
    def operations_queries(self, engine: AsyncEngine) -> OperationsQueries:
        return SqlOperationsQueries(engine)


class MediaProvider(Provider):
    """Image processing and the media store (local files or S3) chosen by settings."""

    @provide(scope=Scope.APP)
    def image_processor(self, settings: Settings) -> ImageProcessor:
        pillow = PillowImageProcessor(
            max_pixels=settings.max_image_pixels, max_decoded_bytes=settings.max_image_decoded_bytes
        )
        return ThreadedImageProcessor(pillow.process, concurrency=settings.resolved_image_decode_concurrency)

    @provide(scope=Scope.APP)
    def content_store(self, settings: Settings) -> ContentStore:
        if settings.content_store == "s3":
            from artmarket.adapters.storage.s3 import S3ContentStore

            assert settings.s3_bucket is not None  # settings refuse s3 without a bucket
            return S3ContentStore(
                settings.s3_bucket,
                public_base_url=settings.resolved_media_base_url,
                endpoint_url=settings.s3_endpoint_url,
                region=settings.s3_region,
                access_key_id=settings.s3_access_key_id,
                secret_access_key=settings.s3_secret_access_key,
            )
        return LocalMediaStore(Path(settings.data_dir) / "media", settings.resolved_media_base_url)


def sandbox_gateway(settings: Settings) -> SandboxPaymentGateway:
    """The sandbox checkout on the current base URL; it signs webhooks with the configured key,
    or a fixed development one. Its transactions are kept in the data directory (when it is the
    gateway in use), so an order placed before a restart can be paid after it."""
    return SandboxPaymentGateway(
        settings.paystack_secret_key or SANDBOX_SECRET_KEY,
        checkout_base_url=settings.resolved_public_base_url,
        state_file=Path(settings.data_dir) / "sandbox" / "paystack.json"
        if settings.payments == "sandbox"
        else None,
    )


class PaymentsProvider(Provider):
    """The payment gateway chosen by settings: the sandbox checkout or Paystack."""

    @provide(scope=Scope.APP)
    def sandbox_gateway(self, settings: Settings) -> SandboxPaymentGateway:
        return sandbox_gateway(settings)

    @provide(scope=Scope.APP)
    async def gateway(
        self, settings: Settings, sandbox: SandboxPaymentGateway
    ) -> AsyncIterator[PaymentGateway]:
        if settings.payments == "sandbox":
            yield sandbox
            return
        assert settings.paystack_secret_key is not None  # settings refuse paystack without a key
        paystack = PaystackGateway(settings.paystack_secret_key, base_url=settings.paystack_base_url)
        yield paystack
        await paystack.aclose()


class LedgerProvider(Provider):
    """The ledger chosen by settings: simulated (in the data directory) or Hedera."""

    @provide(scope=Scope.APP)
    async def ledger(self, settings: Settings, clock: Clock) -> AsyncIterator[Ledger]:
        if settings.ledger == "simulated":
            # Kept in the data directory, so the embedded profile's certificates survive restarts.
            yield SimulatedLedger(
                state_file=Path(settings.data_dir) / "ledger" / "simulated.json", clock=clock
            )
            return
        from artmarket.adapters.ledger.hedera import HederaLedger

        # Settings refuse hedera without an operator (a key, or a signer and its public key).
        assert settings.hedera_operator_id is not None
        nodes = dict(node.rsplit("=", 1) for node in settings.hedera_nodes) or None
        signer = settings.hedera_operator_signer
        hedera = HederaLedger(
            operator_id=settings.hedera_operator_id,
            operator_key=settings.hedera_operator_key,
            key_type=settings.hedera_key_type,
            operator_signer=CommandSigner(shlex.split(signer)) if signer else None,
            operator_public_key=settings.hedera_operator_public_key,
            supply_key=settings.hedera_supply_key,
            supply_key_type=settings.hedera_supply_key_type,
            network=settings.hedera_network,
            nodes=nodes,
            mirror_url=settings.hedera_mirror_url,
            # A submitted mint holds an SDK thread until its receipt: one per batch in flight,
            # and two more so preparing the next batch and the other ledger calls never wait.
            max_workers=settings.mint_max_in_flight + 2,
        )
        yield hedera
        await hedera.aclose()

    @provide(scope=Scope.APP)
    def certificate_ledger(self, ledger: Ledger) -> CertificateLedger:
        # The same object serves both ports (one state file, one Hedera client); every ledger
        # adapter, and the instrumented wrapper around it, implements both.
        return cast(CertificateLedger, ledger)


class MailProvider(Provider):
    """The mailer chosen by settings: `.eml` files or SMTP."""

    @provide(scope=Scope.APP)
    def mailer(self, settings: Settings) -> Mailer:
        if settings.mailer == "smtp":
            assert settings.smtp_host is not None  # settings refuse smtp without a host
            return SmtpMailer(
                settings.smtp_host,
                settings.smtp_port,
                tls=settings.smtp_tls,
                username=settings.smtp_username,
                password=settings.smtp_password,
                timeout=settings.smtp_timeout_seconds,
            )
        return FileMailer(Path(settings.data_dir) / "mail")


class ObservabilityProvider(Provider):
    """Metrics (the pool's) and instrumented outside calls."""

    @provide(scope=Scope.APP)
    def pool_collector(self, engine: AsyncEngine, settings: Settings) -> PoolCollector:
        pooled = engine.dialect.name == "postgresql"  # SQLite's pool is not sized by settings
        most = settings.db_pool_size + settings.db_max_overflow if pooled else None
        return PoolCollector(engine, max_connections=most)

    @provide(scope=Scope.APP)
    def exposition(self, pool: PoolCollector) -> MetricsExposition:
        return MetricsExposition(pool)

    # Every call to Paystack and the ledger is a span; verifications, webhooks and mints are counted.
    @decorate
    def gateway(self, gateway: PaymentGateway) -> PaymentGateway:
        return InstrumentedPaymentGateway(gateway)

    @decorate
    def ledger(self, ledger: Ledger) -> Ledger:
        return InstrumentedLedger(ledger)
