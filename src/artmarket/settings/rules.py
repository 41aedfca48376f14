"""What settings must satisfy together: consistent adapters and values, and a deployed profile's rules."""

from __future__ import annotations

import ipaddress
import re
from email.utils import parseaddr
from typing import Final

from artmarket.domain.exchange import InvalidRates, ReferenceRates
from artmarket.settings.model import DEV_JWT_SECRET, Settings, env_name

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


def consistency_problems(settings: Settings) -> list[str]:
    """What contradicts itself or is missing in these settings, whatever the profile."""
    problems = []
    try:
        ReferenceRates.parse(settings.fx_rates)
    except InvalidRates as error:
        problems.append(f"{env_name('fx_rates')}: {error.message}")
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


_KID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
#: What may follow `Bearer ` in an Authorization header unquoted.
_BEARER_TOKEN = re.compile(r"^[\x21-\x7e]+$")


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
