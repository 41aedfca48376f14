"""The composition root: the only place that chooses adapters, by settings.

Providers are grouped by layer; `create_app` and `make_container` accept override
providers so tests can swap an adapter without touching anything else.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import structlog
from dishka import AsyncContainer, Provider, Scope, from_context, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from artmarket.adapters.ipfs.kubo import KuboCheck, KuboContentStore
from artmarket.adapters.ipfs.local import LocalContentStore as LocalBlockStore
from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.adapters.mail.files import FileMailer
from artmarket.adapters.mail.smtp import SmtpMailer
from artmarket.adapters.media.pillow import PillowImageProcessor
from artmarket.adapters.payments.fake import FakePaymentGateway
from artmarket.adapters.payments.paystack import PaystackGateway
from artmarket.adapters.persistence import migrate
from artmarket.adapters.persistence.admin_queries import SqlAdminOrderQueries, SqlDashboardQueries
from artmarket.adapters.persistence.database import (
    DatabaseCheck,
    create_engine,
    create_session_factory,
    open_read_pool,
)
from artmarket.adapters.persistence.gallery import PostgresGalleryQueries, SqlGalleryQueries
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.adapters.queue.taskiq_queue import TaskiqQueue, in_process_broker, redis_stream_broker
from artmarket.adapters.ratelimit.store import StoreRateLimiter
from artmarket.adapters.security.clock import SystemClock, Uuid7Ids
from artmarket.adapters.security.passwords import Argon2PasswordHasher
from artmarket.adapters.security.tokens import JwtAccessTokens
from artmarket.adapters.storage.local import LocalContentStore
from artmarket.adapters.storage.s3 import S3ContentStore
from artmarket.application.admin.ports import AdminOrderQueries
from artmarket.application.admin.use_cases import (
    BrowseUsers,
    ExportOrders,
    GetOrderForAdmin,
    ListOrders,
    ReadAuditLog,
    RefundOrder,
    ReinstateUser,
    SuspendUser,
    UnpublishArtwork,
)
from artmarket.application.catalog.cursor import CursorCodec
from artmarket.application.catalog.ports import GalleryQueries
from artmarket.application.catalog.use_cases import (
    AddArtworkImage,
    BrowseGallery,
    CatalogPolicy,
    CreateArtwork,
    DecideKyc,
    GetArtist,
    GetArtwork,
    GetKycCase,
    GetMyArtistProfile,
    ListArtists,
    ListFavorites,
    ListKycCases,
    ListMyArtworks,
    ListMyKycCases,
    PublishArtwork,
    ReadKycDocument,
    SaveArtistProfile,
    SubmitKyc,
    ToggleFavorite,
    UpdateArtwork,
    WithdrawArtwork,
)
from artmarket.application.checkout.use_cases import (
    CancelOrder,
    CheckoutPolicy,
    ConfirmPayment,
    ExpireReservations,
    GetOrder,
    GetPayoutAccount,
    ListMyOrders,
    PlaceOrder,
    ReceivePaymentWebhook,
    RefundLatePayment,
    ReverifyStaleOrders,
    SavePayoutAccount,
    TrackCheckout,
)
from artmarket.application.dashboards.ports import DashboardQueries
from artmarket.application.dashboards.use_cases import ShowArtistDashboard
from artmarket.application.identity.account_tokens import AccountTokenCodec
from artmarket.application.identity.ports import AccessTokens, PasswordHasher
from artmarket.application.identity.use_cases import (
    Authenticate,
    AuthenticateSession,
    ChangePassword,
    ConfirmPasswordReset,
    CreateAdmin,
    IdentifyOperator,
    ListUsers,
    Login,
    LoginPolicy,
    Logout,
    PasswordResetPolicy,
    RefreshSession,
    RegisterUser,
    RequestPasswordReset,
    UpdateProfile,
    VerifyEmail,
)
from artmarket.application.media import ContentStore, ImageProcessor
from artmarket.application.messaging import TaskQueue, Topic
from artmarket.application.minting.content import ContentAddressedStore
from artmarket.application.minting.ledger import Ledger
from artmarket.application.minting.use_cases import (
    CreateCollection,
    GetCertificate,
    GetCertificateMetadata,
    GetLedgerStatus,
    ListMintJobs,
    ListMyCertificates,
    MintPolicy,
    MintQueuedJobs,
    ReconcileSubmittedJobs,
    RetryFailedMintJobs,
    RetryMintJob,
    StartMinting,
    StartMissedMinting,
    VerifyCertificate,
)
from artmarket.application.notifications.ports import Mailbox, Mailer
from artmarket.application.notifications.rendering import EmailRenderer
from artmarket.application.notifications.use_cases import (
    DeliverEmail,
    ListOutbox,
    NotificationPolicy,
    NotifyByEmail,
    RetryOutbox,
    SendDueEmails,
)
from artmarket.application.payments.ports import PaymentGateway
from artmarket.application.ports import Clock, DependencyCheck, IdGenerator, Limit, RateLimiter
from artmarket.application.relay import Handler, MessageHandlers, RelayOutbox, RetryOutboxMessage
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.entrypoints.cli.main import CliWiring, build_cli
from artmarket.entrypoints.http.app import build_app
from artmarket.entrypoints.http.auth import PrincipalProvider
from artmarket.entrypoints.http.controllers.health import ReadinessChecks
from artmarket.entrypoints.http.network import PAYSTACK_WEBHOOK_IPS, ClientAddresses, WebhookSources
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.entrypoints.worker.scheduler import default_jobs, run_periodic, run_scheduler, run_worker
from artmarket.entrypoints.worker.tasks import register_tasks
from artmarket.settings import Settings, load_settings

#: Topics whose only subscriber is email (ORDER_PAID has other subscribers too).
EMAIL_TOPICS = (
    Topic.USER_REGISTERED,
    Topic.PASSWORD_RESET_REQUESTED,
    Topic.ORDER_AWAITING_PAYMENT,
    Topic.RESERVATION_EXPIRED,
    Topic.ORDER_REFUNDED,
    Topic.KYC_DECIDED,
    Topic.CERTIFICATE_ISSUED,
)

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
    def readiness_checks(self, engine: AsyncEngine, content: ContentAddressedStore) -> ReadinessChecks:
        checks: list[DependencyCheck] = [DatabaseCheck(engine)]
        if isinstance(content, KuboContentStore):
            checks.append(KuboCheck(content))
        return ReadinessChecks(checks)


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
        yield kubo
        await kubo.aclose()


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
    authenticate_session = provide(AuthenticateSession)
    update_profile = provide(UpdateProfile)
    change_password = provide(ChangePassword)
    list_users = provide(ListUsers)
    identify_operator = provide(IdentifyOperator)
    verify_email = provide(VerifyEmail)
    request_password_reset = provide(RequestPasswordReset)
    confirm_password_reset = provide(ConfirmPasswordReset)

    @provide(scope=Scope.APP)
    def account_tokens(self, settings: Settings) -> AccountTokenCodec:
        # A key of its own, derived from the signing secret: no new secret to manage.
        return AccountTokenCodec(
            hmac.new(settings.jwt_secret.encode(), b"artmarket account tokens", hashlib.sha256).digest()
        )

    @provide(scope=Scope.APP)
    def password_reset_policy(self) -> PasswordResetPolicy:
        return PasswordResetPolicy(per_email=Limit(3, timedelta(hours=1)))

    @provide(scope=Scope.APP)
    def login_policy(self, settings: Settings, hasher: PasswordHasher) -> LoginPolicy:
        window = timedelta(seconds=settings.login_failure_window_seconds)
        return LoginPolicy(
            per_account=Limit(settings.login_max_failures_per_account, window),
            per_address=Limit(settings.login_max_failures_per_address, window),
            decoy_hash=hasher.hash(secrets.token_urlsafe(16)),
        )

    login = provide(Login)


class CatalogProvider(Provider):
    """Catalog use cases, the gallery read model, image processing and the content store."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> CatalogPolicy:
        return CatalogPolicy(currencies=frozenset(settings.currencies))

    @provide(scope=Scope.APP)
    def cursors(self, settings: Settings) -> CursorCodec:
        return CursorCodec(settings.jwt_secret.encode())

    @provide(scope=Scope.APP)
    def upload_limits(self, settings: Settings) -> UploadLimits:
        return UploadLimits(settings.max_upload_bytes)

    @provide(scope=Scope.APP)
    def image_processor(self, settings: Settings) -> ImageProcessor:
        return PillowImageProcessor(max_pixels=settings.max_image_pixels)

    @provide(scope=Scope.APP)
    def content_store(self, settings: Settings) -> ContentStore:
        if settings.content_store == "s3":
            assert settings.s3_bucket is not None  # settings refuse s3 without a bucket
            return S3ContentStore(
                settings.s3_bucket,
                public_base_url=settings.resolved_media_base_url,
                endpoint_url=settings.s3_endpoint_url,
                region=settings.s3_region,
                access_key_id=settings.s3_access_key_id,
                secret_access_key=settings.s3_secret_access_key,
            )
        return LocalContentStore(Path(settings.data_dir) / "media", settings.resolved_media_base_url)

    @provide(scope=Scope.APP)
    async def gallery(self, engine: AsyncEngine, settings: Settings) -> AsyncIterator[GalleryQueries]:
        if engine.dialect.name != "postgresql":
            yield SqlGalleryQueries(engine)
            return
        async with open_read_pool(engine.url, size=settings.db_pool_size) as pool:
            yield PostgresGalleryQueries(engine, pool)

    save_profile = provide(SaveArtistProfile)
    submit_kyc = provide(SubmitKyc)
    my_kyc = provide(ListMyKycCases)
    kyc_queue = provide(ListKycCases)
    decide_kyc = provide(DecideKyc)
    kyc_document = provide(ReadKycDocument)
    kyc_case = provide(GetKycCase)
    my_artist_profile = provide(GetMyArtistProfile)
    create_artwork = provide(CreateArtwork)
    update_artwork = provide(UpdateArtwork)
    add_image = provide(AddArtworkImage)
    publish = provide(PublishArtwork)
    withdraw = provide(WithdrawArtwork)
    get_artwork = provide(GetArtwork)
    my_artworks = provide(ListMyArtworks)
    # Stateless and on the hottest path: built once, not per request.
    browse = provide(BrowseGallery, scope=Scope.APP)
    artists = provide(ListArtists)
    artist = provide(GetArtist)
    favorite = provide(ToggleFavorite)
    favorites = provide(ListFavorites)


class CheckoutProvider(Provider):
    """The payment gateway chosen by settings, checkout use cases and webhook source rules."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> CheckoutPolicy:
        return CheckoutPolicy(
            reservation=timedelta(minutes=settings.reservation_minutes),
            max_open_orders=settings.max_open_orders,
            commission_percent=settings.commission_percent,
            order_rate=Limit(settings.orders_per_window, timedelta(seconds=settings.order_window_seconds)),
            callback_url=f"{settings.public_base_url.rstrip('/')}/api/v1/payments/paystack/callback",
        )

    @provide(scope=Scope.APP)
    def sandbox_gateway(self, settings: Settings) -> FakePaymentGateway:
        # The sandbox signs its webhooks with the configured key, or a fixed development one.
        return FakePaymentGateway(
            settings.paystack_secret_key or SANDBOX_SECRET_KEY, checkout_base_url=settings.public_base_url
        )

    @provide(scope=Scope.APP)
    async def gateway(self, settings: Settings, sandbox: FakePaymentGateway) -> AsyncIterator[PaymentGateway]:
        if settings.payments == "sandbox":
            yield sandbox
            return
        assert settings.paystack_secret_key is not None  # settings refuse paystack without a key
        paystack = PaystackGateway(settings.paystack_secret_key, base_url=settings.paystack_base_url)
        yield paystack
        await paystack.aclose()

    @provide(scope=Scope.APP)
    def client_addresses(self, settings: Settings) -> ClientAddresses:
        return ClientAddresses.from_settings(settings.trusted_proxies)

    @provide(scope=Scope.APP)
    def webhook_sources(self, settings: Settings, addresses: ClientAddresses) -> WebhookSources:
        allowed = settings.paystack_webhook_ips
        if allowed is None:
            allowed = list(PAYSTACK_WEBHOOK_IPS) if settings.is_production else []
        return WebhookSources.from_settings(allowed, addresses)

    place = provide(PlaceOrder)
    confirm = provide(ConfirmPayment)
    refund_late = provide(RefundLatePayment)
    receive_webhook = provide(ReceivePaymentWebhook)
    expire = provide(ExpireReservations)
    reverify = provide(ReverifyStaleOrders)
    cancel = provide(CancelOrder)
    get_order = provide(GetOrder)
    my_orders = provide(ListMyOrders)
    track = provide(TrackCheckout)
    save_payout = provide(SavePayoutAccount)
    get_payout = provide(GetPayoutAccount)


class NotificationsProvider(Provider):
    """The mailer chosen by settings, email rendering and the delivery use cases."""

    scope = Scope.REQUEST

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

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> NotificationPolicy:
        return NotificationPolicy(
            sender=Mailbox.parse(settings.mail_from),
            public_base_url=settings.public_base_url,
            max_attempts=settings.mail_max_attempts,
            # Longer than one attempt can take (connect, TLS, AUTH, DATA each within the timeout).
            lease=timedelta(seconds=max(60.0, 6 * settings.smtp_timeout_seconds)),
        )

    @provide(scope=Scope.APP)
    def renderer(self, settings: Settings, codec: AccountTokenCodec) -> EmailRenderer:
        return EmailRenderer(settings.public_base_url, codec)

    deliver = provide(DeliverEmail)
    send_due = provide(SendDueEmails)
    notify = provide(NotifyByEmail)
    list_outbox = provide(ListOutbox)
    retry_outbox = provide(RetryOutbox)


class MintingProvider(Provider):
    """The ledger and the content-addressed store chosen by settings, and the minting use cases."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    async def ledger(self, settings: Settings, clock: Clock) -> AsyncIterator[Ledger]:
        if settings.ledger == "simulated":
            # Kept in the data directory, so the embedded profile's certificates survive restarts.
            yield SimulatedLedger(
                state_file=Path(settings.data_dir) / "ledger" / "simulated.json", clock=clock
            )
            return
        # Settings refuse hedera without an operator.
        assert settings.hedera_operator_id is not None
        assert settings.hedera_operator_key is not None
        nodes = dict(node.rsplit("=", 1) for node in settings.hedera_nodes) or None
        hedera = HederaLedger(
            operator_id=settings.hedera_operator_id,
            operator_key=settings.hedera_operator_key,
            key_type=settings.hedera_key_type,
            supply_key=settings.hedera_supply_key,
            supply_key_type=settings.hedera_supply_key_type,
            network=settings.hedera_network,
            nodes=nodes,
            mirror_url=settings.hedera_mirror_url,
        )
        yield hedera
        await hedera.aclose()

    @provide(scope=Scope.APP)
    async def policy(self, settings: Settings, ledger: Ledger) -> MintPolicy:
        token_id = settings.hedera_token_id
        if token_id is None and isinstance(ledger, SimulatedLedger):
            token_id = await ledger.default_collection()
        return MintPolicy(
            token_id=token_id,
            batch_size=settings.mint_batch_size,
            max_attempts=settings.mint_max_attempts,
            linger=timedelta(seconds=settings.mint_linger_seconds),
        )

    start = provide(StartMinting)
    start_missed = provide(StartMissedMinting)
    mint = provide(MintQueuedJobs)
    reconcile = provide(ReconcileSubmittedJobs)
    retry = provide(RetryMintJob)
    retry_failed = provide(RetryFailedMintJobs)
    list_jobs = provide(ListMintJobs)
    status = provide(GetLedgerStatus)
    create_collection = provide(CreateCollection)
    certificate = provide(GetCertificate)
    metadata = provide(GetCertificateMetadata)
    my_certificates = provide(ListMyCertificates)
    verify = provide(VerifyCertificate)


class AdminProvider(Provider):
    """The admin console's and the dashboards' read models and use cases."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def order_queries(self, engine: AsyncEngine) -> AdminOrderQueries:
        return SqlAdminOrderQueries(engine)

    @provide(scope=Scope.APP)
    def dashboard_queries(self, engine: AsyncEngine) -> DashboardQueries:
        return SqlDashboardQueries(engine)

    list_orders = provide(ListOrders)
    export_orders = provide(ExportOrders)
    get_order = provide(GetOrderForAdmin)
    refund = provide(RefundOrder)
    users = provide(BrowseUsers)
    suspend = provide(SuspendUser)
    reinstate = provide(ReinstateUser)
    unpublish = provide(UnpublishArtwork)
    audit_log = provide(ReadAuditLog)
    artist_dashboard = provide(ShowArtistDashboard)


class MessagingProvider(Provider):
    """The task queue (in-process or Redis Streams), the outbox relay and message routing."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def broker(self, settings: Settings) -> AsyncBroker:
        if settings.queue == "redis":
            assert settings.redis_url is not None  # settings refuse redis without a URL
            return redis_stream_broker(settings.redis_url)
        return in_process_broker()

    @provide(scope=Scope.APP)
    def queue(self, broker: AsyncBroker) -> TaskQueue:
        return TaskiqQueue(broker)

    relay = provide(RelayOutbox)
    retry = provide(RetryOutboxMessage)

    @provide
    def handlers(
        self,
        confirm: ConfirmPayment,
        refund_late: RefundLatePayment,
        notify: NotifyByEmail,
        start_minting: StartMinting,
        mint: MintQueuedJobs,
    ) -> MessageHandlers:
        def email(topic: Topic) -> Handler:
            return lambda payload: notify(topic, payload)

        return MessageHandlers(
            {
                Topic.PAYMENT_EVENT_RECEIVED: [lambda payload: confirm(payload["reference"])],
                Topic.LATE_PAYMENT_REFUND: [lambda payload: refund_late(UUID(payload["order_id"]))],
                # Queue the order's job; tell the buyer the payment arrived and the artist the
                # work sold; then mint whatever batch is ready (a lease keeps one minter). The
                # mint goes last: if the ledger is away, the periodic minter takes the job.
                Topic.ORDER_PAID: [
                    lambda payload: start_minting(UUID(payload["order_id"])),
                    email(Topic.ORDER_PAID),
                    lambda _: mint(),
                ],
                **{topic: [email(topic)] for topic in EMAIL_TOPICS},
            }
        )


def core_providers() -> list[Provider]:
    return [
        InfrastructureProvider(),
        ContentAddressingProvider(),
        PersistenceProvider(),
        IdentityProvider(),
        CatalogProvider(),
        CheckoutProvider(),
        NotificationsProvider(),
        MintingProvider(),
        AdminProvider(),
        MessagingProvider(),
    ]


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


async def start_messaging(container: AsyncContainer) -> AsyncBroker:
    """Register the worker task on the broker and start it (every sender must, python-stack 7.5)."""
    broker = await container.get(AsyncBroker)
    register_tasks(broker, container)
    await broker.startup()
    return broker


@asynccontextmanager
async def embedded_worker(app: Litestar) -> AsyncIterator[None]:
    """The embedded profile's worker and scheduler, inside the API process."""
    container: AsyncContainer = app.state.dishka_container
    broker = await start_messaging(container)
    stop = asyncio.Event()
    jobs = asyncio.create_task(run_periodic(container, default_jobs(relay_every=0.5), stop))
    try:
        yield
    finally:
        stop.set()
        await jobs
        await broker.shutdown()


def create_app(settings: Settings | None = None, *overrides: Provider) -> Litestar:
    """The HTTP application; `uvicorn --factory artmarket.bootstrap:create_app` works too.

    With the in-process queue the app also runs the worker and the periodic jobs; with
    Redis those run as `artmarket worker` and `artmarket scheduler`.
    """
    settings = settings or load_settings()
    configure_logging(settings)
    media_root = Path(settings.data_dir) / "media" / "public" if settings.content_store == "local" else None
    if media_root is not None:
        media_root.mkdir(parents=True, exist_ok=True)
    return build_app(
        settings,
        make_container(settings, *overrides, http=True),
        media_root=media_root,
        lifespan=[embedded_worker] if settings.queue == "memory" else [],
    )


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


def worker(settings: Settings) -> None:
    """`artmarket worker`: run outbox messages' tasks from Redis until SIGTERM."""
    configure_logging(settings)

    async def main() -> None:
        container = make_container(settings)
        try:
            broker = await container.get(AsyncBroker)
            register_tasks(broker, container)
            await run_worker(broker)
        finally:
            await container.close()

    asyncio.run(main())


def scheduler(settings: Settings) -> None:
    """`artmarket scheduler`: relay the outbox and run the periodic jobs until SIGTERM."""
    configure_logging(settings)

    async def main() -> None:
        container = make_container(settings)
        try:
            await run_scheduler(container, await container.get(AsyncBroker))
        finally:
            await container.close()

    asyncio.run(main())


def main() -> None:
    """The `artmarket` console script."""
    build_cli(
        CliWiring(
            make_container=make_container,
            upgrade_database=upgrade_database,
            serve=serve,
            worker=worker,
            scheduler=scheduler,
        )
    )()
