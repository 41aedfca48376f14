"""The composition root: the only place that chooses adapters, by settings.

Providers are grouped by layer; `create_app` and `make_container` accept override
providers so tests can swap an adapter without touching anything else.

Adapters built on heavy SDKs (Hedera's hiero, boto3 for S3, Alembic for migrations) are
imported where they are chosen, so a process that does not use them does not pay for them
(ADR 0022).
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import hmac
import logging
import os
import secrets
import shlex
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import structlog
import uvicorn
from dishka import AsyncContainer, Provider, Scope, decorate, from_context, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from litestar.stores.memory import MemoryStore
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from artmarket.adapters.backup.archive import BackupPlan
from artmarket.adapters.ipfs.kubo import KuboCheck, KuboContentStore
from artmarket.adapters.ipfs.local import LocalBlockStore
from artmarket.adapters.ipfs.mirrored import MirroredContentStore
from artmarket.adapters.ledger.signer import CommandSigner
from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.adapters.mail.files import FileMailer
from artmarket.adapters.mail.smtp import SmtpCheck, SmtpMailer
from artmarket.adapters.media.pillow import PillowImageProcessor
from artmarket.adapters.media.threaded import ThreadedImageProcessor
from artmarket.adapters.observability.instrumented import (
    InstrumentedLedger,
    InstrumentedPaymentGateway,
    unwrapped,
)
from artmarket.adapters.observability.metrics import MetricsExposition, PoolCollector, serve_metrics
from artmarket.adapters.observability.sentry import configure_sentry
from artmarket.adapters.observability.tracing import add_trace_ids, configure_tracing, exporter_endpoint
from artmarket.adapters.payments.fake import FakePaymentGateway
from artmarket.adapters.payments.paystack import PaystackCheck, PaystackGateway
from artmarket.adapters.persistence.admin_queries import SqlAdminOrderQueries, SqlDashboardQueries
from artmarket.adapters.persistence.database import (
    DatabaseCheck,
    create_engine,
    create_session_factory,
    open_read_pool,
)
from artmarket.adapters.persistence.gallery import PostgresGalleryQueries, SqlGalleryQueries
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.operations import SqlOperationsQueries
from artmarket.adapters.persistence.reservation_queries import SqlReservationQueries
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.adapters.queue.redis_check import RedisCheck
from artmarket.adapters.queue.taskiq_queue import TaskiqQueue, in_process_broker, redis_stream_broker
from artmarket.adapters.ratelimit.redis import RedisRateLimiter
from artmarket.adapters.ratelimit.store import StoreRateLimiter
from artmarket.adapters.security.clock import SystemClock, Uuid7Ids
from artmarket.adapters.security.password_strength import ZxcvbnPasswordStrength
from artmarket.adapters.security.passwords import Argon2PasswordHasher
from artmarket.adapters.security.tokens import JwtAccessTokens, rotation_keys
from artmarket.adapters.storage.local import LocalMediaStore
from artmarket.application.account_tokens import AccountTokenCodec
from artmarket.application.admin.audit_log import ReadAuditLog
from artmarket.application.admin.orders import ExportOrders, GetOrderForAdmin, ListOrders
from artmarket.application.admin.ports import AdminOrderQueries
from artmarket.application.admin.refunds import RefundOrder
from artmarket.application.admin.reservations import ListReservationHolders, ReservationQueries
from artmarket.application.admin.takedowns import UnpublishArtwork
from artmarket.application.admin.users import BrowseUsers, ReinstateUser, SuspendUser
from artmarket.application.catalog.artists import (
    GetArtist,
    GetMyArtistProfile,
    ListArtists,
    SaveArtistProfile,
)
from artmarket.application.catalog.artworks import (
    AddArtworkImage,
    CatalogPolicy,
    CreateArtwork,
    GetArtwork,
    ImageUploadPolicy,
    ListMyArtworks,
    PublishArtwork,
    UpdateArtwork,
    WithdrawArtwork,
)
from artmarket.application.catalog.favorites import ListFavoriteIds, ListFavorites, ToggleFavorite
from artmarket.application.catalog.gallery import BrowseGallery
from artmarket.application.catalog.images import ReadArtworkImage
from artmarket.application.catalog.kyc import (
    DecideKyc,
    GetKycCase,
    ListKycCases,
    ListMyKycCases,
    ReadKycDocument,
    SubmitKyc,
)
from artmarket.application.catalog.ports import GalleryQueries
from artmarket.application.checkout.callback import CallbackPolicy, ReturnFromCheckout
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
    TrackRefund,
)
from artmarket.application.cursor import CursorCodec
from artmarket.application.dashboards.ports import DashboardQueries
from artmarket.application.dashboards.use_cases import ShowArtistDashboard
from artmarket.application.identity.accounts import IdentifyOperator, ListUsers, UpdateProfile
from artmarket.application.identity.passwords import (
    ChangePassword,
    ConfirmPasswordReset,
    PasswordResetPolicy,
    RequestPasswordReset,
    SendPasswordResetLink,
)
from artmarket.application.identity.ports import AccessTokens, PasswordHasher, PasswordStrength
from artmarket.application.identity.registration import (
    CreateAdmin,
    RegisterUser,
    RegistrationPolicy,
    VerifyEmail,
)
from artmarket.application.identity.sessions import (
    Authenticate,
    AuthenticateSession,
    Login,
    LoginPolicy,
    Logout,
    RefreshSession,
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
from artmarket.application.observability import OperationsPolicy, OperationsQueries, ReadOperationsSnapshot
from artmarket.application.payments.ports import PaymentGateway
from artmarket.application.ports import Clock, DependencyCheck, IdGenerator, Limit, RateLimiter
from artmarket.application.relay import Handler, MessageHandlers, RelayOutbox, RetryOutboxMessage
from artmarket.application.shipping.use_cases import (
    ConfirmDelivery,
    ConfirmDeliveryForBuyer,
    ConfirmOverdueDeliveries,
    DeleteSavedAddress,
    DeliveryPolicy,
    ListMyShipments,
    ListSavedAddresses,
    MarkShipped,
    RemindArtistsToShip,
    ReportDeliveryProblem,
    ResolveDeliveryProblem,
    SaveAddress,
)
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.entrypoints.cli.doctor import Skipped
from artmarket.entrypoints.cli.runtime import CliWiring
from artmarket.entrypoints.http.app import build_app
from artmarket.entrypoints.http.auth import PrincipalProvider
from artmarket.entrypoints.http.controllers.health import ReadinessChecks
from artmarket.entrypoints.http.lifecycle import Drain, DrainingServer
from artmarket.entrypoints.http.network import PAYSTACK_WEBHOOK_IPS, ClientAddresses, WebhookSources
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.entrypoints.worker.periodic_jobs import default_jobs, run_periodic, run_scheduler
from artmarket.entrypoints.worker.run_loop import run_worker
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

#: Delivery's topics, each told by email (shipped to the buyer, reminders to the artist,
#: a problem to the admins); the artist's "ship this work" rides on ORDER_PAID.
SHIPPING_EMAIL_TOPICS = (Topic.SHIPMENT_SHIPPED, Topic.SHIPMENT_REMINDER, Topic.DELIVERY_PROBLEM_REPORTED)

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

    @provide(scope=Scope.APP)
    def readiness_checks(
        self, settings: Settings, engine: AsyncEngine, content: ContentAddressedStore
    ) -> ReadinessChecks:
        checks: list[DependencyCheck] = [DatabaseCheck(engine)]
        if settings.queue == "redis" and settings.redis_url:
            checks.append(RedisCheck(settings.redis_url))
        if isinstance(content, KuboContentStore):
            checks.append(KuboCheck(content))
        if isinstance(content, MirroredContentStore):
            primary, *mirrors = content.nodes
            checks.append(KuboCheck(primary))
            checks += [KuboCheck(node, name=f"ipfs-mirror-{n}") for n, node in enumerate(mirrors, 1)]
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
    send_password_reset_link = provide(SendPasswordResetLink)
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
    def registration_policy(self, settings: Settings) -> RegistrationPolicy:
        return RegistrationPolicy(
            per_address=Limit(settings.registrations_per_address_per_hour, timedelta(hours=1))
        )

    @provide(scope=Scope.APP)
    async def login_policy(self, settings: Settings, hasher: PasswordHasher) -> LoginPolicy:
        window = timedelta(seconds=settings.login_failure_window_seconds)
        return LoginPolicy(
            per_account=Limit(settings.login_max_failures_per_account, window),
            per_address=Limit(settings.login_max_failures_per_address, window),
            decoy_hash=await hasher.hash(secrets.token_urlsafe(16)),
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
    def image_upload_policy(self, settings: Settings) -> ImageUploadPolicy:
        return ImageUploadPolicy(
            per_artist=Limit(settings.image_uploads_per_artist_per_hour, timedelta(hours=1))
        )

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
    artwork_image = provide(ReadArtworkImage)
    my_artworks = provide(ListMyArtworks)
    # Stateless and on the hottest path: built once, not per request.
    browse = provide(BrowseGallery, scope=Scope.APP)
    artists = provide(ListArtists)
    artist = provide(GetArtist)
    favorite = provide(ToggleFavorite)
    favorites = provide(ListFavorites)
    favorite_ids = provide(ListFavoriteIds)


def sandbox_gateway(settings: Settings) -> FakePaymentGateway:
    """The sandbox checkout on the current base URL; it signs webhooks with the configured key,
    or a fixed development one. Its transactions are kept in the data directory (when it is the
    gateway in use), so an order placed before a restart can be paid after it."""
    return FakePaymentGateway(
        settings.paystack_secret_key or SANDBOX_SECRET_KEY,
        checkout_base_url=settings.resolved_public_base_url,
        state_file=Path(settings.data_dir) / "sandbox" / "paystack.json"
        if settings.payments == "sandbox"
        else None,
    )


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
            callback_url=f"{settings.resolved_public_base_url}/api/v1/payments/paystack/callback",
            max_open_orders_per_address=settings.max_open_orders_per_address,
            # A key of its own, derived from the signing secret like the account tokens' key.
            client_tag_key=hmac.new(
                settings.jwt_secret.encode(), b"artmarket client tags", hashlib.sha256
            ).digest(),
        )

    @provide(scope=Scope.APP)
    def sandbox_gateway(self, settings: Settings) -> FakePaymentGateway:
        return sandbox_gateway(settings)

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
            allowed = list(PAYSTACK_WEBHOOK_IPS) if settings.is_deployed else []
        return WebhookSources.from_settings(allowed, addresses)

    @provide(scope=Scope.APP)
    def callback_policy(self, settings: Settings) -> CallbackPolicy:
        return CallbackPolicy(
            per_address=Limit(settings.payment_callbacks_per_address_per_minute, timedelta(minutes=1))
        )

    place = provide(PlaceOrder)
    confirm = provide(ConfirmPayment)
    return_from_checkout = provide(ReturnFromCheckout)
    track_refund = provide(TrackRefund)
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
            public_base_url=settings.resolved_public_base_url,
            max_attempts=settings.mail_max_attempts,
            # Longer than one attempt can take (connect, TLS, AUTH, DATA each within the timeout).
            lease=timedelta(seconds=max(60.0, 6 * settings.smtp_timeout_seconds)),
        )

    @provide(scope=Scope.APP)
    def renderer(self, settings: Settings, codec: AccountTokenCodec) -> EmailRenderer:
        return EmailRenderer(settings.resolved_public_base_url, codec)

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
        )
        yield hedera
        await hedera.aclose()

    @provide(scope=Scope.APP)
    async def policy(self, settings: Settings, ledger: Ledger) -> MintPolicy:
        token_id = settings.hedera_token_id
        if token_id is None and isinstance(unwrapped(ledger), SimulatedLedger):
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

    @provide(scope=Scope.APP)
    def reservation_queries(self, engine: AsyncEngine) -> ReservationQueries:
        return SqlReservationQueries(engine)

    reservation_holders = provide(ListReservationHolders)


class DeliveryProvider(Provider):
    """Delivery of physical works: saved addresses, shipments, reminders, automatic confirmation."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> DeliveryPolicy:
        return DeliveryPolicy(auto_confirm_after=timedelta(days=settings.auto_confirm_days))

    addresses = provide(ListSavedAddresses)
    save_address = provide(SaveAddress)
    delete_address = provide(DeleteSavedAddress)
    shipments = provide(ListMyShipments)
    ship = provide(MarkShipped)
    confirm = provide(ConfirmDelivery)
    report_problem = provide(ReportDeliveryProblem)
    resolve = provide(ResolveDeliveryProblem)
    confirm_for_buyer = provide(ConfirmDeliveryForBuyer)
    remind = provide(RemindArtistsToShip)
    confirm_overdue = provide(ConfirmOverdueDeliveries)


class MessagingProvider(Provider):
    """The task queue (in-process or Redis Streams), the outbox relay and message routing."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def broker(self, settings: Settings) -> AsyncBroker:
        if settings.queue == "redis":
            assert settings.redis_url is not None  # settings refuse redis without a URL
            return redis_stream_broker(
                settings.redis_url,
                redeliver_after=settings.queue_redeliver_after_seconds,
                read_count=settings.worker_concurrency,
            )
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
        track_refund: TrackRefund,
        refund_late: RefundLatePayment,
        notify: NotifyByEmail,
        start_minting: StartMinting,
        mint: MintQueuedJobs,
        send_reset_link: SendPasswordResetLink,
    ) -> MessageHandlers:
        def email(topic: Topic) -> Handler:
            return lambda payload: notify(topic, payload)

        return MessageHandlers(
            {
                Topic.PAYMENT_EVENT_RECEIVED: [lambda payload: confirm(payload["reference"])],
                Topic.REFUND_EVENT_RECEIVED: [lambda payload: track_refund(payload["reference"])],
                Topic.LATE_PAYMENT_REFUND: [lambda payload: refund_late(UUID(payload["order_id"]))],
                Topic.PASSWORD_RESET_ASKED: [
                    lambda payload: send_reset_link(payload["email"], payload["request_id"])
                ],
                # Queue the order's job; tell the buyer the payment arrived and the artist the
                # work sold; then mint whatever batch is ready (a lease keeps one minter). The
                # mint goes last: if the ledger is away, the periodic minter takes the job.
                Topic.ORDER_PAID: [
                    lambda payload: start_minting(UUID(payload["order_id"])),
                    email(Topic.ORDER_PAID),
                    lambda _: mint(),
                ],
                **{topic: [email(topic)] for topic in EMAIL_TOPICS},
                **{topic: [email(topic)] for topic in SHIPPING_EMAIL_TOPICS},
            }
        )


class ObservabilityProvider(Provider):
    """Metrics (business gauges read through a port, the pool) and instrumented outside calls."""

    @provide(scope=Scope.APP)
    def operations_queries(self, engine: AsyncEngine) -> OperationsQueries:
        return SqlOperationsQueries(engine)

    @provide(scope=Scope.APP)
    def operations_policy(self, settings: Settings) -> OperationsPolicy:
        return OperationsPolicy(
            max_age=timedelta(seconds=settings.metrics_cache_seconds),
            stuck_after=timedelta(minutes=settings.stuck_order_minutes),
        )

    read_operations = provide(ReadOperationsSnapshot, scope=Scope.APP)

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
        DeliveryProvider(),
        ObservabilityProvider(),
    ]


def make_container(settings: Settings, *overrides: Provider, http: bool = False) -> AsyncContainer:
    """The container for one process; later providers override earlier ones."""
    extra: list[Provider] = [LitestarProvider(), PrincipalProvider()] if http else []
    return make_async_container(*core_providers(), *extra, *overrides, context={Settings: settings})


class _CurrentStdout:
    """Whatever `sys.stdout` is when a record is written (a test's capture, a redirect)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


def configure_logging(settings: Settings) -> None:
    """JSON lines on stdout; secrets never reach a log call, so nothing needs scrubbing later."""
    level = logging.getLevelName(settings.log_level)
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=level, force=True)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_trace_ids,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # One write per line: print() writes the text and its newline apart, so a line of the
        # stdlib handler (uvicorn, taskiq) could land between them and two records share a line.
        logger_factory=structlog.WriteLoggerFactory(_CurrentStdout()),
        cache_logger_on_first_use=True,
    )


def configure_observability(settings: Settings, *, process: str) -> None:
    """Traces over OTLP and errors to Sentry, each only when configured (`docs/configuration.md`)."""
    resource = {
        "service.name": os.environ.get("OTEL_SERVICE_NAME") or settings.otel_service_name,
        "service.namespace": "artmarket",
        "deployment.environment.name": settings.profile,
        "artmarket.process": process,
    }
    if settings.release:
        resource["service.version"] = settings.release
    configure_tracing(exporter_endpoint(settings.otel_exporter_otlp_endpoint, os.environ), resource=resource)
    environment = settings.sentry_environment or settings.profile
    configure_sentry(settings.sentry_dsn, environment=environment, release=settings.release)


async def serve_process_metrics(settings: Settings, container: AsyncContainer) -> None:
    """Worker and scheduler: their counters and pool on `host:metrics_port/metrics`, when a port is set."""
    if settings.metrics_port is not None:
        serve_metrics(settings.host, settings.metrics_port, await container.get(PoolCollector))


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


@asynccontextmanager
async def settled_heap(_app: Litestar) -> AsyncIterator[None]:
    """Once started, put every object that exists so far out of the garbage collector's reach.

    Modules, the container, routes and templates live as long as the process; scanning them in
    every full collection paused the event loop for a noticeable part of the p99 latency
    (bench/gallery.py). `gc.freeze` is the standard library's answer for servers. Only
    `artmarket serve` uses it: a process that builds many apps (the tests) would keep each
    one's frozen objects for good.
    """
    gc.collect()
    gc.freeze()
    yield


def create_app(
    settings: Settings | None = None,
    *overrides: Provider,
    drain: Drain | None = None,
    settle_heap: bool = False,
) -> Litestar:
    """The HTTP application; `uvicorn --factory artmarket.bootstrap:create_app` works too.

    With the in-process queue the app also runs the worker and the periodic jobs; with
    Redis those run as `artmarket worker` and `artmarket scheduler`.
    """
    settings = settings or load_settings()
    configure_logging(settings)
    configure_observability(settings, process="api")
    media_root = Path(settings.data_dir) / "media" / "public" if settings.content_store == "local" else None
    if media_root is not None:
        media_root.mkdir(parents=True, exist_ok=True)
    return build_app(
        settings,
        make_container(settings, *overrides, http=True),
        media_root=media_root,
        lifespan=[
            *([settled_heap] if settle_heap else []),
            *([embedded_worker] if settings.queue == "memory" else []),
        ],
        drain=drain,
    )


def upgrade_database(settings: Settings) -> None:
    from artmarket.adapters.persistence import migrate

    if settings.resolved_database_url.startswith("sqlite"):
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.resolved_database_url)


def uvicorn_config(app: Litestar, settings: Settings) -> uvicorn.Config:
    """How `artmarket serve` runs uvicorn.

    `proxy_headers=False`: uvicorn would otherwise rewrite the client address from
    X-Forwarded-For for any request from 127.0.0.1 (its default `forwarded_allow_ips`), and a
    client on the same host, or any client behind a proxy that passes the header through,
    could pick its own address. Forwarded headers are read only by `ClientAddresses`, from
    `ARTMARKET_TRUSTED_PROXIES`.
    """
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=False,
        timeout_graceful_shutdown=round(settings.shutdown_grace_seconds),
    )


def serve(settings: Settings) -> None:
    """Run uvicorn in the foreground until SIGTERM, then shut down gracefully (`DrainingServer`):
    readiness fails for `shutdown_delay_seconds`, the listener closes, requests in flight get
    `shutdown_grace_seconds`, and the app's shutdown closes the pools."""
    configure_logging(settings)
    drain = Drain()
    app = create_app(settings, drain=drain, settle_heap=True)
    DrainingServer(uvicorn_config(app, settings), drain, delay=settings.shutdown_delay_seconds).run()


def worker(settings: Settings) -> None:
    """`artmarket worker`: run outbox messages' tasks from Redis until SIGTERM."""
    configure_logging(settings)
    configure_observability(settings, process="worker")

    async def main() -> None:
        container = make_container(settings)
        try:
            await serve_process_metrics(settings, container)
            broker = await container.get(AsyncBroker)
            register_tasks(broker, container)
            await run_worker(
                broker, concurrency=settings.worker_concurrency, grace=settings.shutdown_grace_seconds
            )
        finally:
            await container.close()

    asyncio.run(main())


def scheduler(settings: Settings) -> None:
    """`artmarket scheduler`: relay the outbox and run the periodic jobs until SIGTERM."""
    configure_logging(settings)
    configure_observability(settings, process="scheduler")

    async def main() -> None:
        container = make_container(settings)
        try:
            await serve_process_metrics(settings, container)
            await run_scheduler(container, await container.get(AsyncBroker))
        finally:
            await container.close()

    asyncio.run(main())


async def doctor_checks(settings: Settings, container: AsyncContainer) -> list[DependencyCheck | Skipped]:
    """What `artmarket doctor` checks for these settings: each adapter the container would use."""
    from artmarket.adapters.ledger.hedera import HederaCheck, HederaLedger
    from artmarket.adapters.persistence.migrate import SchemaCheck
    from artmarket.adapters.storage.s3 import S3Check, S3ContentStore

    checks: list[DependencyCheck | Skipped] = [SchemaCheck(await container.get(AsyncEngine))]
    if settings.redis_url:
        checks.append(RedisCheck(settings.redis_url, require_persistence=settings.is_deployed))
    if settings.payments == "paystack":
        assert settings.paystack_secret_key is not None  # settings refuse paystack without a key
        checks.append(
            PaystackCheck(
                settings.paystack_secret_key,
                base_url=settings.paystack_base_url,
                production=settings.is_live,
            )
        )
    else:
        checks.append(Skipped("payments", "sandbox checkout (development adapter)"))
    ledger = unwrapped(await container.get(Ledger))  # the adapter inside the metrics decorator
    if isinstance(ledger, HederaLedger):
        checks.append(HederaCheck(ledger, settings.hedera_token_id))
    else:
        checks.append(Skipped("ledger", "simulated ledger (development adapter)"))
    content = await container.get(ContentAddressedStore)
    if isinstance(content, KuboContentStore | MirroredContentStore):
        primary, *mirrors = content.nodes if isinstance(content, MirroredContentStore) else (content,)
        checks.append(KuboCheck(primary))
        checks += [KuboCheck(node, name=f"ipfs-mirror-{n}") for n, node in enumerate(mirrors, 1)]
    else:
        checks.append(
            Skipped("ipfs", f"local blocks under {settings.resolved_ipfs_root} (development adapter)")
        )
    mailer = await container.get(Mailer)
    if isinstance(mailer, SmtpMailer):
        checks.append(SmtpCheck(mailer.server))
    else:
        checks.append(
            Skipped("mail", f".eml files under {Path(settings.data_dir) / 'mail'} (development adapter)")
        )
    media = await container.get(ContentStore)
    if isinstance(media, S3ContentStore):
        checks.append(S3Check(media))
    else:
        checks.append(
            Skipped("media", f"files under {Path(settings.data_dir) / 'media'} (development adapter)")
        )
    return checks


def backup_plan(settings: Settings) -> BackupPlan:
    """What `artmarket backup` archives: the database, and whatever content these settings keep on disk."""
    from artmarket.adapters.persistence import migrate

    data = Path(settings.data_dir)
    content: dict[str, Path] = {}
    elsewhere: list[str] = []
    if settings.content_store == "local":
        content["media"] = data / "media"
    else:
        elsewhere.append(
            f"images and identity documents: S3 bucket {settings.s3_bucket} "
            "(protect it with bucket versioning and replication)"
        )
    if settings.ipfs == "local":
        content["ipfs"] = settings.resolved_ipfs_root
    else:
        nodes = ", ".join([settings.ipfs_api_url or "", *settings.ipfs_mirror_urls])
        elsewhere.append(f"certificate content: pinned on IPFS ({nodes})")
    if settings.ledger == "simulated":
        content["ledger"] = data / "ledger"
    else:
        elsewhere.append("certificates: on Hedera itself (the ledger is the record)")
    if settings.queue == "redis":
        elsewhere.append(
            "queued tasks: in Redis (append-only file; the outbox sends again what was never handed over)"
        )
    heads = migrate.schema_heads()
    return BackupPlan(
        database_url=settings.resolved_database_url,
        content=content,
        not_included=elsewhere,
        pg_bin_dir=Path(settings.pg_bin_dir) if settings.pg_bin_dir else None,
        schema_revision=heads[0] if len(heads) == 1 else None,
    )


def cli_wiring() -> CliWiring:
    """What the `artmarket` commands run; `artmarket.__main__` loads it for the first that needs it."""
    return CliWiring(
        make_container=make_container,
        upgrade_database=upgrade_database,
        serve=serve,
        worker=worker,
        scheduler=scheduler,
        doctor_checks=doctor_checks,
        backup_plan=backup_plan,
    )
