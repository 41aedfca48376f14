"""The `Settings` object: every ARTMARKET_* variable as a typed, documented field with its default."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Final, Literal

import msgspec

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
    fx_rates: list[str] = msgspec.field(
        default_factory=lambda: ["USD=1", "NGN=1550", "GHS=15.5", "KES=129", "ZAR=18.3"]
    )
    """Reference rates to one base currency (at 1), comma-separated `CODE=rate`: cards show "≈ $120"
    beside other prices. Indicative only (never charged); keep them roughly current."""
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
    """Mirror-node REST base URL; default: the public one of the network, or on the simulated
    ledger this app itself (it serves a mirror-node-compatible subset there)."""
    hedera_token_id: Annotated[str, msgspec.Meta(pattern=r"^\d+\.\d+\.\d+$")] | None = None
    """The certificate collection (`artmarket ledger create-collection` prints it).

    Required for hedera in production; the simulated ledger makes its own."""
    hedera_topic_id: Annotated[str, msgspec.Meta(pattern=r"^\d+\.\d+\.\d+$")] | None = None
    """The certificates' provenance topic (`artmarket ledger create-topic` prints it).

    Trail messages wait, queued, while it is unset; the simulated ledger makes its own."""
    mint_max_attempts: Annotated[int, msgspec.Meta(ge=1, le=100)] = 5
    """Retryable mint failures before a job is `failed` and waits for an operator."""
    mint_batch_size: Annotated[int, msgspec.Meta(ge=1, le=10)] = 10
    """Certificates per TokenMint transaction (the network allows 10)."""
    mint_max_in_flight: Annotated[int, msgspec.Meta(ge=1, le=50)] = 15
    """TokenMint transactions submitted and awaiting their receipts at once: 15 batches of 10
    over the ~3 s a receipt takes reach the public networks' 50 NFT-mints/s throttle (the network
    answers BUSY above it, and the same signed bytes are sent again)."""
    mint_linger_seconds: Annotated[float, msgspec.Meta(ge=0, le=60)] = 1.0
    """How long a batch that is not full waits for more paid orders before it is minted."""
    claim_after_days: Annotated[int, msgspec.Meta(ge=0, le=365)] = 14
    """Days after delivery is confirmed (physical work) or the certificate issued (digital) before
    the owner may claim the NFT to their own account: the refund window."""
    claim_pending_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 30
    """Days an airdrop of a claimed NFT may wait in the owner's wallet before it is cancelled."""
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
    def resolved_hedera_mirror_url(self) -> str | None:
        """The mirror node browsers and `verify-proof` ask: set, the network's public one, or this app.

        None for a custom network without one (settings refuse that when the ledger is Hedera).
        """
        if self.hedera_mirror_url:
            return self.hedera_mirror_url.rstrip("/")
        if self.ledger == "simulated":
            return self.resolved_public_base_url
        # Imported here: settings load before any adapter is needed (CLI --help stays fast).
        from artmarket.adapters.ledger.hedera_mirror import MIRROR_URLS

        return MIRROR_URLS.get(self.hedera_network)

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


#: A wildcard bind is reachable on every interface; links use the loopback one of its family,
#: which always answers on the machine that serves (other machines need ARTMARKET_PUBLIC_BASE_URL).
_WILDCARD_LOOPBACK: Final = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}  # noqa: S104


def served_base_url(host: str, port: int) -> str:
    """The base URL of `http://host:port` as a browser on this machine reaches it."""
    host = _WILDCARD_LOOPBACK.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def env_name(field: str) -> str:
    """The variable that sets `field`: `ARTMARKET_<FIELD>`."""
    return PREFIX + field.upper()


def parse_jwt_key(entry: str) -> tuple[str, str]:
    """`kid:secret` as `(kid, secret)`; the secret may itself contain colons."""
    kid, _, secret = entry.strip().partition(":")
    return kid.strip(), secret.strip()
