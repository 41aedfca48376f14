"""Settings: one typed object read from ARTMARKET_* variables, a `.env` file and `_FILE` secrets.

Every problem is collected before start-up gives up, so an operator fixes them in one go.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from datetime import datetime
from email.utils import parseaddr
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin, get_type_hints

import msgspec
from dotenv import dotenv_values

PREFIX: Final = "ARTMARKET_"
# Development only: production refuses to start with this value (see `production_problems`).
DEV_JWT_SECRET: Final = "dev-only-jwt-secret-never-use-in-production-0123456789"  # noqa: S105

#: `dev` runs on embedded adapters; `staging` and `production` are deployed: real adapters and
#: secrets, the same rules, except that staging runs on test keys (Paystack test mode, Hedera
#: testnet) and production on live ones.
Profile = Literal["dev", "staging", "production"]


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything artmarket reads from its environment; each field is `ARTMARKET_<NAME>`."""

    profile: Profile = "dev"
    """`dev` runs on embedded adapters; `staging` and `production` refuse fakes and development secrets."""
    data_dir: str = "./var"
    """Where the embedded profile keeps its SQLite file, media and mail."""
    database_url: str | None = None
    """SQLAlchemy URL; default `sqlite+aiosqlite:///<data_dir>/artmarket.db`."""
    db_pool_size: Annotated[int, msgspec.Meta(ge=1, le=200)] = 10
    """Connections kept open per process (PostgreSQL)."""
    db_max_overflow: Annotated[int, msgspec.Meta(ge=0, le=200)] = 10
    """Extra connections a process may open under load (PostgreSQL)."""
    db_pool_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=120)] = 10.0
    """How long a request waits for a pooled connection before failing with 503."""
    redis_url: str | None = None
    """Redis for the task queue and shared rate limits; required in production."""
    host: str = "127.0.0.1"
    """Interface `artmarket serve` binds."""
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    """Port `artmarket serve` binds."""
    public_base_url: str | None = None
    """Where people reach the app (links in emails, image URLs, payment redirects); required when
    deployed. Development default: the address `serve` binds (`http://<host>:<port>`)."""
    media_base_url: str | None = None
    """Public base URL of images (a CDN in production); default `<public_base_url>/media`."""
    cors_origins: list[str] = msgspec.field(default_factory=list)
    """Browser origins allowed to call the API, comma-separated; empty allows none."""
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 1_048_576
    """Largest JSON request body accepted (413 above it); uploads have their own limit."""
    jwt_secret: str = DEV_JWT_SECRET
    """HMAC key signing access tokens; at least 32 characters, required in production."""
    jwt_issuer: str = "artmarket"
    """`iss` claim of access tokens."""
    jwt_audience: str = "artmarket-api"
    """`aud` claim of access tokens."""
    access_token_minutes: Annotated[int, msgspec.Meta(ge=1, le=60)] = 15
    """Lifetime of access tokens; short because they cannot be recalled individually."""
    argon2_time_cost: Annotated[int, msgspec.Meta(ge=1, le=10)] = 3
    """argon2id iterations (RFC 9106 second recommended option: 3)."""
    argon2_memory_kib: Annotated[int, msgspec.Meta(ge=8, le=4_194_304)] = 65_536
    """argon2id memory in KiB (RFC 9106 second recommended option: 64 MiB)."""
    login_max_failures_per_account: Annotated[int, msgspec.Meta(ge=1)] = 5
    """Failed sign-ins for one email within the window before 429."""
    login_max_failures_per_address: Annotated[int, msgspec.Meta(ge=1)] = 20
    """Failed sign-ins from one client address within the window before 429."""
    login_failure_window_seconds: Annotated[int, msgspec.Meta(ge=1)] = 900
    """The window over which failed sign-ins are counted."""
    registrations_per_address_per_hour: Annotated[int, msgspec.Meta(ge=1)] = 10
    """Sign-ups from one client address within an hour before 429."""
    password_hashing_concurrency: Annotated[int, msgspec.Meta(ge=1, le=64)] = 1
    """Password hashes (sign-up, sign-in, changes) one API process computes at once; more wait their turn."""
    currencies: list[Annotated[str, msgspec.Meta(pattern="^[A-Z]{3}$")]] = msgspec.field(
        default_factory=lambda: ["NGN", "GHS", "ZAR", "KES", "USD"]
    )
    """Currencies artworks may be priced in, comma-separated (Paystack's supported set)."""
    max_upload_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 20 * 1024 * 1024
    """Largest image or identity document accepted (413 above it)."""
    max_image_pixels: Annotated[int, msgspec.Meta(ge=1)] = 50_000_000
    """Largest image in pixels (422 above it): refuses decompression bombs."""
    max_image_decoded_bytes: Annotated[int, msgspec.Meta(ge=1_048_576)] = 128 * 1_048_576
    """Largest image in decoded bytes, pixels x bytes per pixel (422 above it), read from the header."""
    image_decode_concurrency: Annotated[int, msgspec.Meta(ge=1, le=64)] | None = None
    """Uploaded images one API process decodes at once (others wait); default 1 in dev, 2 deployed."""
    image_uploads_per_artist_per_hour: Annotated[int, msgspec.Meta(ge=1)] = 60
    """Artwork images one artist may upload per hour (429 above it)."""
    reservation_minutes: Annotated[int, msgspec.Meta(ge=1, le=1440)] = 15
    """How long Buy Now holds an artwork for one buyer before the order expires."""
    max_open_orders: Annotated[int, msgspec.Meta(ge=1, le=100)] = 3
    """Unpaid orders one buyer may hold at once, so nobody can lock up the catalog."""
    max_open_orders_per_address: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 10
    """Unpaid orders all the accounts behind one client address may hold at once (fresh accounts are free)."""
    orders_per_window: Annotated[int, msgspec.Meta(ge=1)] = 10
    """Orders one buyer may place within `order_window_seconds` (429 above it)."""
    order_window_seconds: Annotated[int, msgspec.Meta(ge=1)] = 600
    """The window over which orders are counted."""
    commission_percent: Annotated[int, msgspec.Meta(ge=0, le=100)] = 10
    """The platform's share of each sale; the rest settles to the artist's subaccount."""
    paystack_secret_key: str | None = None
    """Paystack secret key (sk_test_… or sk_live_…); signs webhooks too. Required for paystack."""
    paystack_base_url: str = "https://api.paystack.co"
    """Paystack API base URL (point it at a stand-in for tests)."""
    paystack_webhook_ips: list[str] | None = None
    """Webhook source addresses accepted, comma-separated; default: Paystack's in production, any in dev."""
    trusted_proxies: list[str] = msgspec.field(default_factory=list)
    """Proxy addresses (or networks) whose X-Forwarded-For is believed; empty: the peer is the client."""
    payment_callbacks_per_address_per_minute: Annotated[int, msgspec.Meta(ge=1)] = 30
    """Returns from the checkout (payment callbacks) one client address may make per minute (429 above)."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    """Least severe log level written."""
    payments: Literal["sandbox", "paystack"] = "sandbox"
    """Payment gateway: the local sandbox checkout or Paystack."""
    ledger: Literal["simulated", "hedera"] = "simulated"
    """Certificate ledger: a simulated one or Hedera."""
    content_store: Literal["local", "s3"] = "local"
    """Where artwork images and identity documents are stored: a local directory or S3."""
    s3_bucket: str | None = None
    """The bucket (public objects under `public/`, private ones under `private/`); required with s3."""
    s3_endpoint_url: str | None = None
    """An S3-compatible endpoint (MinIO, R2, ...); default: AWS's for the region."""
    s3_region: str = "us-east-1"
    """The bucket's region."""
    s3_access_key_id: str | None = None
    """Access key id; default: boto3's usual sources (instance role, ~/.aws, AWS_* variables)."""
    s3_secret_access_key: str | None = None
    """Secret access key, with `s3_access_key_id`."""
    ipfs: Literal["local", "kubo"] = "local"
    """Certificate content store: a local directory with true CIDs, or a Kubo node's RPC."""
    ipfs_api_url: str | None = None
    """Kubo RPC base URL (e.g. `http://127.0.0.1:5001`, no `/api/v0`); required when ipfs=kubo."""
    ipfs_api_token: str | None = None
    """Kubo RPC credentials in its AuthSecret spelling: `bearer:TOKEN` or `basic:USER:PASSWORD`."""
    ipfs_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=300)] = 30.0
    """How long one Kubo RPC call may take; a 1 MiB block over a slow link needs seconds."""
    ipfs_gateway_url: str = "https://ipfs.io/ipfs/"
    """Public IPFS gateway that links to certificate content start with (`<gateway>/<cid>`)."""
    mailer: Literal["dev", "smtp"] = "dev"
    """Email delivery: `dev` writes `.eml` files under `<data_dir>/mail` and logs each, or SMTP."""
    mail_from: str = "artmarket <no-reply@artmarket.local>"
    """The From of every email (`Name <address>`); its domain also names the Message-IDs."""
    mail_max_attempts: Annotated[int, msgspec.Meta(ge=1, le=50)] = 10
    """Tries per email before it waits for an operator (back-off 30 s doubling to 1 h: ~3 h in all)."""
    smtp_host: str | None = None
    """SMTP server; required when `mailer` is `smtp`."""
    smtp_port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 587
    """SMTP port: 587 for STARTTLS (RFC 6409), 465 for implicit TLS (RFC 8314)."""
    smtp_username: str | None = None
    """SMTP login; leave empty for a server that needs none."""
    smtp_password: str | None = None
    """SMTP password (a secret: `_FILE` works)."""
    smtp_tls: Literal["starttls", "tls", "none"] = "starttls"
    """`starttls` upgrades the connection (required), `tls` is TLS from the start, `none` is plain."""
    smtp_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=120)] = 10.0
    """Timeout of each connect and command; a slow server counts as unavailable and is retried."""
    hedera_network: Literal["testnet", "mainnet", "previewnet", "custom"] = "testnet"
    """Hedera network; `custom` needs `hedera_nodes` and `hedera_mirror_url`."""
    hedera_operator_id: Annotated[str, msgspec.Meta(pattern=r"^\d+\.\d+\.\d+$")] | None = None
    """The account that pays, and is treasury and admin of the collection (0.0.N)."""
    hedera_operator_key: str | None = None
    """The operator's private key: DER hex, or raw hex with `hedera_key_type`; never logged."""
    hedera_key_type: Literal["ed25519", "ecdsa"] | None = None
    """The type of a raw-hex operator key (DER keys name their own type)."""
    hedera_supply_key: str | None = None
    """A separate supply key signing mints (DER hex, or raw hex with its type); default: the operator's."""
    hedera_supply_key_type: Literal["ed25519", "ecdsa"] | None = None
    """The type of a raw-hex supply key."""
    hedera_nodes: list[str] = msgspec.field(default_factory=list)
    """Custom network nodes, comma-separated `host:port=0.0.N`."""
    hedera_mirror_url: str | None = None
    """Mirror-node REST base URL; default: the public one of the network."""
    hedera_token_id: Annotated[str, msgspec.Meta(pattern=r"^\d+\.\d+\.\d+$")] | None = None
    """The certificate collection (`artmarket ledger create-collection` prints it).

    Required for hedera in production; the simulated ledger makes its own."""
    mint_max_attempts: Annotated[int, msgspec.Meta(ge=1, le=100)] = 5
    """Retryable mint failures before a job is `failed` and waits for an operator."""
    mint_batch_size: Annotated[int, msgspec.Meta(ge=1, le=10)] = 10
    """Certificates per TokenMint transaction (the network allows 10)."""
    mint_linger_seconds: Annotated[float, msgspec.Meta(ge=0, le=60)] = 1.0
    """How long a batch that is not full waits for more paid orders before it is minted."""
    # Observability
    release: str | None = None
    """The deployed version (the image sets it from the git tag); names Sentry releases and traces."""
    otel_exporter_otlp_endpoint: str | None = None
    """OTLP/HTTP collector base URL (traces go to `<url>/v1/traces`); the standard `OTEL_*` work too."""
    otel_service_name: str = "artmarket"
    """`service.name` of this process's spans (`OTEL_SERVICE_NAME` wins when set)."""
    sentry_dsn: str | None = None
    """Sentry project DSN; errors are reported, with secrets, cookies and addresses scrubbed, when set."""
    sentry_environment: str | None = None
    """Sentry environment; default: the profile."""
    metrics_port: Annotated[int, msgspec.Meta(ge=1, le=65535)] | None = None
    """Port on `host` where `artmarket worker` and `scheduler` serve `/metrics` (the API serves its own)."""
    metrics_cache_seconds: Annotated[float, msgspec.Meta(ge=0, le=300)] = 5.0
    metrics_token: str | None = None
    """Bearer token the API's `/metrics` requires when set; required on deployed profiles (`_FILE` works)."""
    """How long the business gauges read from the database are reused, so scrapes stay cheap."""
    stuck_order_minutes: Annotated[int, msgspec.Meta(ge=1, le=1440)] = 15
    """A paid order not completed after this long, or an unpaid one this long past its expiry, is stuck."""
    queue: Literal["memory", "redis"] = "memory"
    """Task queue: in-process, or Redis Streams (taskiq-redis)."""
    auto_confirm_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 21
    """Days after shipping, without a reported problem, before delivery is confirmed for the buyer."""

    # Operations
    shutdown_grace_seconds: Annotated[float, msgspec.Meta(ge=0, le=600)] = 25.0
    """On SIGTERM: how long in-flight requests (API) or running tasks (worker) may still take."""
    shutdown_delay_seconds: Annotated[float, msgspec.Meta(ge=0, le=120)] = 5.0
    """On SIGTERM the API fails `/ready` this long before it stops listening (load balancers move away)."""
    db_pool_recycle_seconds: Annotated[int, msgspec.Meta(ge=60, le=86_400)] = 1800
    """Pooled connections older than this are replaced (keep it below any proxy's idle cut-off)."""
    worker_concurrency: Annotated[int, msgspec.Meta(ge=1, le=256)] = 8
    """Tasks one `artmarket worker` runs at once (each may hold a database connection)."""
    queue_redeliver_after_seconds: Annotated[float, msgspec.Meta(ge=1, le=86_400)] = 60.0
    """An unacknowledged task of a worker that vanished goes to another worker after this long."""
    jwt_keys: str | None = None
    """Access-token signing keys, `kid:secret,kid:secret`: the first signs, the others only verify."""
    jwt_rotated_at: datetime | None = None
    """When the first of `jwt_keys` began signing; older keys verify only for the grace period after it."""
    jwt_rotation_grace_seconds: Annotated[int, msgspec.Meta(ge=0, le=86_400)] | None = None
    """How long older keys keep verifying after `jwt_rotated_at`; default: the access-token lifetime."""
    ipfs_mirror_urls: list[str] = msgspec.field(default_factory=list)
    """More Kubo RPC base URLs certificate content is also pinned to, comma-separated (redundancy)."""
    ipfs_mirror_api_token: str | None = None
    """Kubo RPC credentials of the mirrors (`bearer:TOKEN` or `basic:USER:PASSWORD`)."""
    hedera_operator_signer: str | None = None
    """A command that signs for the operator (body bytes on stdin, raw signature on stdout), not a key."""
    hedera_operator_public_key: str | None = None
    """The operator's public key (DER hex), required with `hedera_operator_signer`."""
    pg_bin_dir: str | None = None
    """Where `pg_dump` and `pg_restore` live (e.g. `/usr/lib/postgresql/15/bin`); default: the PATH."""
    backup_dir: str | None = None
    """Where `artmarket backup create` writes archives; default `<data_dir>/backups`."""

    def __repr__(self) -> str:
        shown = {
            f: ("***" if f in SECRET_FIELDS and getattr(self, f) else getattr(self, f))
            for f in self.__struct_fields__
        }
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{Path(self.data_dir).resolve() / 'artmarket.db'}"

    @property
    def resolved_public_base_url(self) -> str:
        """`public_base_url` without a trailing slash; unset (development only), the address served."""
        if self.public_base_url:
            return self.public_base_url.rstrip("/")
        return served_base_url(self.host, self.port)

    @property
    def resolved_media_base_url(self) -> str:
        return self.media_base_url or f"{self.resolved_public_base_url}/media"

    @property
    def resolved_image_decode_concurrency(self) -> int:
        """One decode at a time on a laptop; two on a deployed API process (see docs/configuration.md)."""
        if self.image_decode_concurrency is not None:
            return self.image_decode_concurrency
        return 2 if self.is_deployed else 1

    @property
    def resolved_ipfs_gateway_url(self) -> str:
        """The gateway base with exactly one trailing slash, ready for `+ cid`."""
        return self.ipfs_gateway_url.rstrip("/") + "/"

    @property
    def resolved_ipfs_root(self) -> Path:
        """Where the local content store keeps its blocks: `<data_dir>/ipfs`."""
        return Path(self.data_dir) / "ipfs"

    @property
    def is_deployed(self) -> bool:
        """A deployed profile (staging or production), held to production's rules (`is_live`: production)."""
        return self.profile in ("staging", "production")

    @property
    def is_live(self) -> bool:
        """Real money and the real ledger: the `production` profile only (staging uses test keys)."""
        return self.profile == "production"

    @property
    def resolved_backup_dir(self) -> Path:
        return Path(self.backup_dir) if self.backup_dir else Path(self.data_dir) / "backups"

    @property
    def signing_keys(self) -> list[tuple[str, str]]:
        """`(kid, secret)` pairs, the signing key first: `jwt_keys`, or `jwt_secret` alone as `primary`."""
        if not self.jwt_keys:
            return [("primary", self.jwt_secret)]
        return [parse_jwt_key(entry) for entry in self.jwt_keys.split(",") if entry.strip()]


#: Secrets may come from `ARTMARKET_<NAME>_FILE` (a mounted secret) instead of the variable.
SECRET_FIELDS: Final = frozenset(
    {
        "jwt_secret",
        "database_url",
        "redis_url",
        "paystack_secret_key",
        "ipfs_api_token",
        "s3_secret_access_key",
        "smtp_password",
        "hedera_operator_key",
        "hedera_supply_key",
        "sentry_dsn",
        "jwt_keys",
        "ipfs_mirror_api_token",
        "metrics_token",
    }
)
#: The only variables staging and production may set to different values (deploy/env/*.env);
#: everything else must be the same, so staging proves what production will run
#: (tests/unit/test_environments.py). Secrets are files with the same path in both.
ENVIRONMENT_SPECIFIC: Final = frozenset(
    {
        "ARTMARKET_PROFILE",
        "ARTMARKET_PUBLIC_BASE_URL",
        "ARTMARKET_MEDIA_BASE_URL",
        "ARTMARKET_CORS_ORIGINS",
        "ARTMARKET_MAIL_FROM",
        "ARTMARKET_S3_BUCKET",
        "ARTMARKET_HEDERA_NETWORK",
        "ARTMARKET_HEDERA_OPERATOR_ID",
        "ARTMARKET_HEDERA_TOKEN_ID",
        "ARTMARKET_SENTRY_ENVIRONMENT",
        "ARTMARKET_IMAGE",
        "SITE_ADDRESS",
        "CADDY_TLS",
    }
)
#: The embedded adapter of each port that has a production adapter: refused on a deployed
#: profile (see `production_problems`), listed by `doctor`.
EMBEDDED_ADAPTERS: Final[dict[str, str]] = {
    "payments": "sandbox",
    "queue": "memory",
    "ipfs": "local",
    "content_store": "local",
    "mailer": "dev",
    "ledger": "simulated",
}


#: A wildcard bind is reachable on every interface; links use the loopback one of its family,
#: which always answers on the machine that serves (other machines need ARTMARKET_PUBLIC_BASE_URL).
_WILDCARD_LOOPBACK: Final = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}  # noqa: S104


def served_base_url(host: str, port: int) -> str:
    """The base URL of `http://host:port` as a browser on this machine reaches it."""
    host = _WILDCARD_LOOPBACK.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class SettingsError(Exception):
    """The environment does not describe a runnable artmarket; `problems` names each variable."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Invalid settings:\n" + "\n".join(f"  - {p}" for p in problems))


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """Read settings from `environ` (default: the process) over an optional `.env` file."""
    source: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        source.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    source.update(os.environ if environ is None else environ)

    problems: list[str] = []
    values: dict[str, Any] = {}
    hints = get_type_hints(Settings, include_extras=True)
    for field in msgspec.structs.fields(Settings):
        raw = _raw_value(field.name, source, problems)
        if raw is None:
            continue
        try:
            values[field.name] = msgspec.convert(
                _split_list(raw, hints[field.name]), hints[field.name], strict=False
            )
        except msgspec.ValidationError as error:
            problems.append(
                f"{env_name(field.name)}: {str(error).split(' - at ')[0]} (got {_shown(field.name, raw)})"
            )
    if problems:
        raise SettingsError(problems)
    settings = Settings(**values)
    problems = production_problems(settings) + _consistency_problems(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def production_problems(settings: Settings) -> list[str]:
    """What keeps these settings from being safe for a deployed profile (empty for the others)."""
    if not settings.is_deployed:
        return []
    where = settings.profile
    problems = []
    if settings.jwt_secret == DEV_JWT_SECRET:
        problems.append(f"{env_name('jwt_secret')}: required in {where} (or {env_name('jwt_secret')}_FILE)")
    elif len(settings.jwt_secret) < 32:
        problems.append(f"{env_name('jwt_secret')}: must have at least 32 characters")
    if not (settings.database_url or "").startswith("postgresql"):
        problems.append(f"{env_name('database_url')}: a postgresql+psycopg:// URL is required in {where}")
    if not settings.redis_url:
        problems.append(f"{env_name('redis_url')}: required in {where} (queue and shared rate limits)")
    for port, embedded in EMBEDDED_ADAPTERS.items():
        if getattr(settings, port) == embedded:
            problems.append(f"{env_name(port)}: '{embedded}' is a development adapter, refused in {where}")
    if settings.public_base_url is None:
        problems.append(f"{env_name('public_base_url')}: required in {where} (the https:// URL people use)")
    elif not settings.public_base_url.startswith("https://"):
        problems.append(f"{env_name('public_base_url')}: must be an https:// URL in {where}")
    if not settings.ipfs_gateway_url.startswith("https://"):
        problems.append(f"{env_name('ipfs_gateway_url')}: must be an https:// URL in {where}")
    # The app guards its own /metrics: a proxy that forgets to hide it must not expose it.
    if settings.metrics_token is None:
        problems.append(
            f"{env_name('metrics_token')}: required in {where} (or {env_name('metrics_token')}_FILE): "
            "/metrics answers only a scraper presenting it as a bearer token"
        )
    elif len(settings.metrics_token) < 32:
        problems.append(f"{env_name('metrics_token')}: must have at least 32 characters")
    return problems + _key_mode_problems(settings)


def _key_mode_problems(settings: Settings) -> list[str]:
    """Staging must never move real money or mint on the public ledger: live keys are refused.

    Production on test keys is allowed (a dress rehearsal of the production stack against
    Paystack's test mode and testnet) and flagged by `artmarket doctor` instead.
    """
    key = settings.paystack_secret_key or ""
    problems = []
    if settings.profile == "staging":
        if settings.payments == "paystack" and key.startswith("sk_live_"):
            problems.append(f"{env_name('paystack_secret_key')}: a live key (sk_live_) is refused in staging")
        if settings.ledger == "hedera" and settings.hedera_network == "mainnet":
            problems.append(f"{env_name('hedera_network')}: 'mainnet' is refused in staging (use testnet)")
    return problems


def _consistency_problems(settings: Settings) -> list[str]:
    problems = []
    if settings.payments == "paystack" and not settings.paystack_secret_key:
        problems.append(f"{env_name('paystack_secret_key')}: required when {env_name('payments')}=paystack")
    if settings.queue == "redis" and not settings.redis_url:
        problems.append(f"{env_name('redis_url')}: required when {env_name('queue')}=redis")
    if settings.content_store == "s3" and not settings.s3_bucket:
        problems.append(f"{env_name('s3_bucket')}: required when {env_name('content_store')}=s3")
    if bool(settings.s3_access_key_id) != bool(settings.s3_secret_access_key):
        problems.append(
            f"{env_name('s3_access_key_id')} and {env_name('s3_secret_access_key')}: give both or neither"
        )
    if settings.ipfs == "kubo" and not settings.ipfs_api_url:
        problems.append(f"{env_name('ipfs_api_url')}: required when {env_name('ipfs')}=kubo")
    for field in (
        "public_base_url",
        "media_base_url",
        "ipfs_api_url",
        "ipfs_gateway_url",
        "s3_endpoint_url",
        "otel_exporter_otlp_endpoint",
        "sentry_dsn",
    ):
        url = getattr(settings, field)
        if url is not None and not url.startswith(("http://", "https://")):
            problems.append(f"{env_name(field)}: must be an http:// or https:// URL")
    if settings.mailer == "smtp" and not settings.smtp_host:
        problems.append(f"{env_name('smtp_host')}: required when {env_name('mailer')}=smtp")
    if settings.smtp_password and not settings.smtp_username:
        problems.append(f"{env_name('smtp_username')}: required with {env_name('smtp_password')}")
    if not _valid_sender(settings.mail_from):
        problems.append(f"{env_name('mail_from')}: expected `Name <address@domain>` or an address")
    if settings.ledger == "hedera":
        if not settings.hedera_operator_id:
            problems.append(f"{env_name('hedera_operator_id')}: required when {env_name('ledger')}=hedera")
        if not (settings.hedera_operator_key or settings.hedera_operator_signer):
            problems.append(
                f"{env_name('hedera_operator_key')} (or {env_name('hedera_operator_signer')}): required when "
                f"{env_name('ledger')}=hedera"
            )
        if settings.hedera_network == "custom" and not (settings.hedera_nodes and settings.hedera_mirror_url):
            problems.append(
                f"{env_name('hedera_nodes')} and {env_name('hedera_mirror_url')}: required when "
                f"{env_name('hedera_network')}=custom"
            )
        for node in settings.hedera_nodes:
            address, _, account = node.rpartition("=")
            if not address or not account:
                problems.append(f"{env_name('hedera_nodes')}: {node!r} is not host:port=0.0.N")
        if settings.is_deployed and not settings.hedera_token_id:
            problems.append(
                f"{env_name('hedera_token_id')}: required in production (artmarket ledger create-collection)"
            )
    for proxy in settings.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            problems.append(f"{env_name('trusted_proxies')}: {proxy!r} is not an IP address or network")
    problems += _operations_problems(settings)
    if not settings.resolved_database_url.startswith(("sqlite+aiosqlite://", "postgresql+psycopg://")):
        problems.append(f"{env_name('database_url')}: use sqlite+aiosqlite:// or postgresql+psycopg://")
    return problems


#: A key id as it travels in the JWT header: short, URL-safe.
_KID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
#: What may follow `Bearer ` in an Authorization header unquoted.
_BEARER_TOKEN = re.compile(r"^[\x21-\x7e]+$")


def parse_jwt_key(entry: str) -> tuple[str, str]:
    """`kid:secret` as `(kid, secret)`; the secret may itself contain colons."""
    kid, _, secret = entry.strip().partition(":")
    return kid.strip(), secret.strip()


def _operations_problems(settings: Settings) -> list[str]:
    problems = []
    if settings.jwt_keys is not None:
        keys = settings.signing_keys
        kids = [kid for kid, _ in keys]
        if not keys or any(not _KID.match(kid) or not secret for kid, secret in keys):
            problems.append(
                f"{env_name('jwt_keys')}: expected `kid:secret` entries, comma-separated "
                "(kid: letters, digits, `.`, `_`, `-`)"
            )
        elif len(set(kids)) != len(kids):
            problems.append(f"{env_name('jwt_keys')}: every kid must be different")
        elif settings.is_deployed and any(len(secret) < 32 for _, secret in keys):
            problems.append(f"{env_name('jwt_keys')}: every secret must have at least 32 characters")
    if settings.jwt_rotated_at is not None and settings.jwt_rotated_at.tzinfo is None:
        problems.append(f"{env_name('jwt_rotated_at')}: give a time zone (e.g. 2026-03-01T12:00:00Z)")
    for url in settings.ipfs_mirror_urls:
        if not url.startswith(("http://", "https://")):
            problems.append(f"{env_name('ipfs_mirror_urls')}: {url!r} is not an http:// or https:// URL")
    if settings.metrics_token is not None and not _BEARER_TOKEN.match(settings.metrics_token):
        problems.append(f"{env_name('metrics_token')}: printable ASCII without spaces (it goes in a header)")
    if settings.ipfs_mirror_urls and settings.ipfs != "kubo":
        problems.append(f"{env_name('ipfs_mirror_urls')}: mirrors need {env_name('ipfs')}=kubo")
    if settings.hedera_operator_signer and not settings.hedera_operator_public_key:
        problems.append(
            f"{env_name('hedera_operator_public_key')}: required with {env_name('hedera_operator_signer')}"
        )
    if settings.hedera_operator_signer and settings.hedera_operator_key:
        problems.append(
            f"{env_name('hedera_operator_key')} and {env_name('hedera_operator_signer')}: give one, not both"
        )
    return problems


def _valid_sender(text: str) -> bool:
    _, address = parseaddr(text)
    local, _, domain = address.partition("@")
    return bool(local and "." in domain) and not any(c in text for c in "\r\n\0") and " " not in address


def _raw_value(field: str, source: Mapping[str, str], problems: list[str]) -> str | None:
    name = env_name(field)
    if field in SECRET_FIELDS and f"{name}_FILE" in source:
        try:
            return Path(source[f"{name}_FILE"]).read_text().strip()
        except OSError as error:
            problems.append(f"{name}_FILE: cannot read {source[f'{name}_FILE']!r} ({error.strerror})")
            return None
    value = source.get(name)
    return None if value is None or value == "" else value


def _split_list(raw: str, annotation: Any) -> Any:
    if _is_list(annotation):
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def _is_list(annotation: Any) -> bool:
    """`list[...]`, also inside `Annotated[...]` and `... | None` (e.g. `paystack_webhook_ips`)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_list(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return any(_is_list(member) for member in get_args(annotation) if member is not type(None))
    return origin is list


def _shown(field: str, raw: str) -> str:
    return "a secret value" if field in SECRET_FIELDS else repr(raw)
