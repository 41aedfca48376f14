"""Use-case providers, one per feature: its policies (from settings) and its use cases.

The adapters they are built on come from `bootstrap.adapters`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from dishka import Provider, Scope, provide

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.adapters.observability.instrumented import unwrapped
from artmarket.application.account_tokens import AccountTokenCodec
from artmarket.application.admin.audit_log import ReadAuditLog
from artmarket.application.admin.orders import ExportOrders, GetOrderForAdmin, ListOrders
from artmarket.application.admin.refunds import RefundOrder
from artmarket.application.admin.reservations import ListReservationHolders
from artmarket.application.admin.takedowns import UnpublishArtwork
from artmarket.application.admin.users import BrowseUsers, ReinstateUser, SuspendUser
from artmarket.application.catalog.artist_photos import SetArtistPhoto
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
from artmarket.application.catalog.removal import WasTakenDown
from artmarket.application.checkout.callback import CallbackPolicy, ReturnFromCheckout
from artmarket.application.checkout.orders import GetOrder, ListMyOrders
from artmarket.application.checkout.payments import (
    ConfirmPayment,
    ReceivePaymentWebhook,
    RefundLatePayment,
    ReverifyStaleOrders,
    TrackCheckout,
    TrackRefund,
)
from artmarket.application.checkout.payouts import GetPayoutAccount, SavePayoutAccount
from artmarket.application.checkout.placing import CheckoutPolicy, PlaceOrder
from artmarket.application.checkout.reservations import CancelOrder, ExpireReservations
from artmarket.application.cursor import CursorCodec
from artmarket.application.dashboards.editions import ShowEditionSales
from artmarket.application.dashboards.use_cases import ShowArtistDashboard
from artmarket.application.identity.accounts import IdentifyOperator, ListUsers, UpdateProfile
from artmarket.application.identity.passwords import (
    ChangePassword,
    ConfirmPasswordReset,
    PasswordResetPolicy,
    RequestPasswordReset,
    SendPasswordResetLink,
)
from artmarket.application.identity.ports import PasswordHasher
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
from artmarket.application.identity.verification import ResendVerificationEmail, VerificationEmailPolicy
from artmarket.application.minting.batches import MintQueuedJobs
from artmarket.application.minting.certificates import (
    GetCertificate,
    GetCertificateMetadata,
    ListMyCertificates,
    VerifyCertificate,
)
from artmarket.application.minting.jobs import (
    ListMintJobs,
    RetryFailedMintJobs,
    RetryMintJob,
    StartMinting,
    StartMissedMinting,
)
from artmarket.application.minting.ledger import Ledger
from artmarket.application.minting.ledger_admin import CreateCollection, GetLedgerStatus
from artmarket.application.minting.ledger_tasks import LedgerTaskPolicy
from artmarket.application.minting.proofs import GetCertificateProof, ProofSources
from artmarket.application.minting.reconciliation import ReconcileSubmittedJobs
from artmarket.application.minting.work import MintPolicy
from artmarket.application.notifications.event_emails import NotifyByEmail
from artmarket.application.notifications.outbox import ListOutbox, RetryOutbox
from artmarket.application.notifications.ports import Mailbox
from artmarket.application.notifications.rendering import EmailRenderer
from artmarket.application.notifications.sending import DeliverEmail, NotificationPolicy, SendDueEmails
from artmarket.application.observability import OperationsPolicy, ReadOperationsSnapshot
from artmarket.application.ports import Limit
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
from artmarket.domain.exchange import ReferenceRates
from artmarket.settings import Settings


def derived_key(settings: Settings, purpose: bytes) -> bytes:
    """A key of its own for `purpose`, derived from the signing secret: no new secret to manage."""
    return hmac.new(settings.jwt_secret.encode(), purpose, hashlib.sha256).digest()


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
    resend_verification_email = provide(ResendVerificationEmail)
    request_password_reset = provide(RequestPasswordReset)
    send_password_reset_link = provide(SendPasswordResetLink)
    confirm_password_reset = provide(ConfirmPasswordReset)

    @provide(scope=Scope.APP)
    def account_tokens(self, settings: Settings) -> AccountTokenCodec:
        return AccountTokenCodec(derived_key(settings, b"artmarket account tokens"))

    @provide(scope=Scope.APP)
    def verification_email_policy(self) -> VerificationEmailPolicy:
        return VerificationEmailPolicy(per_user=Limit(3, timedelta(hours=1)))

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
    """Catalog use cases: artist profiles, identity checks, artworks, the gallery, favorites."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> CatalogPolicy:
        return CatalogPolicy(currencies=frozenset(settings.currencies))

    @provide(scope=Scope.APP)
    def reference_rates(self, settings: Settings) -> ReferenceRates:
        return ReferenceRates.parse(settings.fx_rates)

    @provide(scope=Scope.APP)
    def cursors(self, settings: Settings) -> CursorCodec:
        return CursorCodec(settings.jwt_secret.encode())

    @provide(scope=Scope.APP)
    def image_upload_policy(self, settings: Settings) -> ImageUploadPolicy:
        return ImageUploadPolicy(
            per_artist=Limit(settings.image_uploads_per_artist_per_hour, timedelta(hours=1))
        )

    save_profile = provide(SaveArtistProfile)
    submit_kyc = provide(SubmitKyc)
    my_kyc = provide(ListMyKycCases)
    kyc_queue = provide(ListKycCases)
    decide_kyc = provide(DecideKyc)
    kyc_document = provide(ReadKycDocument)
    kyc_case = provide(GetKycCase)
    my_artist_profile = provide(GetMyArtistProfile)
    artist_photo = provide(SetArtistPhoto)
    create_artwork = provide(CreateArtwork)
    update_artwork = provide(UpdateArtwork)
    add_image = provide(AddArtworkImage)
    publish = provide(PublishArtwork)
    withdraw = provide(WithdrawArtwork)
    get_artwork = provide(GetArtwork)
    was_taken_down = provide(WasTakenDown)
    artwork_image = provide(ReadArtworkImage)
    my_artworks = provide(ListMyArtworks)
    # Stateless and on the hottest path: built once, not per request.
    browse = provide(BrowseGallery, scope=Scope.APP)
    artists = provide(ListArtists)
    artist = provide(GetArtist)
    favorite = provide(ToggleFavorite)
    favorites = provide(ListFavorites)
    favorite_ids = provide(ListFavoriteIds)


class CheckoutProvider(Provider):
    """Checkout use cases and payouts."""

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
            client_tag_key=derived_key(settings, b"artmarket client tags"),
        )

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
    """Email rendering and the delivery use cases."""

    scope = Scope.REQUEST

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
    """The minting use cases and their policy."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    async def policy(self, settings: Settings, ledger: Ledger) -> MintPolicy:
        token_id = settings.hedera_token_id
        simulated = unwrapped(ledger)  # the adapter inside the metrics decorator
        if token_id is None and isinstance(simulated, SimulatedLedger):
            token_id = await simulated.default_collection()
        return MintPolicy(
            token_id=token_id,
            batch_size=settings.mint_batch_size,
            max_in_flight=settings.mint_max_in_flight,
            max_attempts=settings.mint_max_attempts,
            linger=timedelta(seconds=settings.mint_linger_seconds),
        )

    @provide(scope=Scope.APP)
    def proof_sources(self, settings: Settings, tasks: LedgerTaskPolicy) -> ProofSources:
        return ProofSources(mirror_url=settings.resolved_hedera_mirror_url, topic_id=tasks.topic_id)

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
    proof = provide(GetCertificateProof)


class AdminProvider(Provider):
    """The admin console's and the dashboards' use cases."""

    scope = Scope.REQUEST

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
    edition_sales = provide(ShowEditionSales)
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


class OperationsProvider(Provider):
    """What the operations snapshot (metrics, the admin's operations page) reads, and how often."""

    @provide(scope=Scope.APP)
    def operations_policy(self, settings: Settings) -> OperationsPolicy:
        return OperationsPolicy(
            max_age=timedelta(seconds=settings.metrics_cache_seconds),
            stuck_after=timedelta(minutes=settings.stuck_order_minutes),
        )

    read_operations = provide(ReadOperationsSnapshot, scope=Scope.APP)
