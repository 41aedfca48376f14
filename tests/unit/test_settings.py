"""Settings: every ARTMARKET_* problem is named at once; production refuses fakes and dev secrets."""

from pathlib import Path

import msgspec
import pytest

from artmarket.settings import Settings, SettingsError, load_settings
from artmarket.settings.model import DEV_JWT_SECRET


def load(env: dict[str, str]) -> Settings:
    return load_settings(env, env_file=None)


def test_the_defaults_are_the_embedded_profile() -> None:
    settings = load({})
    assert (
        settings.profile,
        settings.payments,
        settings.ledger,
        settings.content_store,
        settings.mailer,
        settings.queue,
    ) == ("dev", "sandbox", "simulated", "local", "dev", "memory")
    assert settings.resolved_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.resolved_database_url.endswith("/var/artmarket.db")


def test_values_are_converted_from_text() -> None:
    settings = load({"ARTMARKET_PORT": "9001", "ARTMARKET_CORS_ORIGINS": "https://a.test, https://b.test"})
    assert settings.port == 9001
    assert settings.cors_origins == ["https://a.test", "https://b.test"]


def test_every_invalid_variable_is_named_at_once() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_PORT": "eighty", "ARTMARKET_PAYMENTS": "cash", "ARTMARKET_DB_POOL_SIZE": "0"})
    named = " ".join(raised.value.problems)
    assert "ARTMARKET_PORT" in named
    assert "ARTMARKET_PAYMENTS" in named
    assert "ARTMARKET_DB_POOL_SIZE" in named


def test_production_without_secrets_names_each_missing_variable() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_PROFILE": "production"})
    named = " ".join(raised.value.problems)
    for variable in ["ARTMARKET_JWT_SECRET", "ARTMARKET_DATABASE_URL", "ARTMARKET_REDIS_URL"]:
        assert variable in named


def test_production_names_every_development_adapter_it_refuses() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_PROFILE": "production"})
    named = " ".join(raised.value.problems)
    assert "ARTMARKET_PAYMENTS: 'sandbox'" in named
    assert "ARTMARKET_QUEUE: 'memory'" in named
    assert "ARTMARKET_IPFS: 'local'" in named
    assert "ARTMARKET_MAILER: 'dev'" in named
    assert "ARTMARKET_LEDGER: 'simulated'" in named


def test_hedera_needs_its_operator_and_a_custom_network_its_nodes() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_LEDGER": "hedera", "ARTMARKET_HEDERA_NETWORK": "custom"})
    named = " ".join(raised.value.problems)
    for variable in [
        "ARTMARKET_HEDERA_OPERATOR_ID",
        "ARTMARKET_HEDERA_OPERATOR_KEY",
        "ARTMARKET_HEDERA_NODES",
    ]:
        assert variable in named
    assert "302e" not in repr(
        load(
            {
                "ARTMARKET_LEDGER": "hedera",
                "ARTMARKET_HEDERA_OPERATOR_ID": "0.0.2",
                "ARTMARKET_HEDERA_OPERATOR_KEY": "302e0201",
            }
        )
    )


def test_paystack_needs_its_secret_key() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_PAYMENTS": "paystack"})
    assert raised.value.problems == [
        "ARTMARKET_PAYSTACK_SECRET_KEY: required when ARTMARKET_PAYMENTS=paystack"
    ]


def test_production_refuses_the_development_jwt_secret() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_PROFILE": "production", "ARTMARKET_JWT_SECRET": DEV_JWT_SECRET})
    assert any(p.startswith("ARTMARKET_JWT_SECRET") for p in raised.value.problems)


def test_production_with_real_adapters_and_secrets_starts() -> None:
    settings = load(
        {
            "ARTMARKET_PROFILE": "production",
            "ARTMARKET_JWT_SECRET": "s" * 48,
            "ARTMARKET_DATABASE_URL": "postgresql+psycopg://app@db/artmarket",
            "ARTMARKET_REDIS_URL": "redis://cache:6379/0",
            "ARTMARKET_PUBLIC_BASE_URL": "https://art.example",
            "ARTMARKET_PAYMENTS": "paystack",
            "ARTMARKET_PAYSTACK_SECRET_KEY": "sk_live_0123456789abcdef",
            "ARTMARKET_LEDGER": "hedera",
            "ARTMARKET_HEDERA_OPERATOR_ID": "0.0.1234",
            "ARTMARKET_HEDERA_OPERATOR_KEY": "302e020100300506032b657004220420" + "11" * 32,
            "ARTMARKET_HEDERA_TOKEN_ID": "0.0.5678",
            "ARTMARKET_HEDERA_NETWORK": "mainnet",
            "ARTMARKET_CONTENT_STORE": "s3",
            "ARTMARKET_S3_BUCKET": "artmarket-media",
            "ARTMARKET_MAILER": "smtp",
            "ARTMARKET_SMTP_HOST": "smtp.example",
            "ARTMARKET_QUEUE": "redis",
            "ARTMARKET_IPFS": "kubo",
            "ARTMARKET_IPFS_API_URL": "http://kubo.internal:5001",
            "ARTMARKET_METRICS_TOKEN": "m" * 48,
        }
    )
    assert settings.is_deployed


def test_smtp_needs_a_host_and_a_password_needs_a_username() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_MAILER": "smtp", "ARTMARKET_SMTP_PASSWORD": "pw"})
    assert raised.value.problems == [
        "ARTMARKET_SMTP_HOST: required when ARTMARKET_MAILER=smtp",
        "ARTMARKET_SMTP_USERNAME: required with ARTMARKET_SMTP_PASSWORD",
    ]


def test_smtp_settings_are_read_and_the_password_may_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "smtp"
    secret.write_text("mail-password\n")
    settings = load(
        {
            "ARTMARKET_MAILER": "smtp",
            "ARTMARKET_SMTP_HOST": "smtp.example",
            "ARTMARKET_SMTP_PORT": "465",
            "ARTMARKET_SMTP_TLS": "tls",
            "ARTMARKET_SMTP_USERNAME": "artmarket",
            "ARTMARKET_SMTP_PASSWORD_FILE": str(secret),
            "ARTMARKET_SMTP_TIMEOUT_SECONDS": "5",
            "ARTMARKET_MAIL_FROM": "Art Market <hello@art.example>",
        }
    )
    assert (settings.smtp_port, settings.smtp_tls, settings.smtp_timeout_seconds) == (465, "tls", 5.0)
    assert settings.smtp_password == "mail-password"
    assert "mail-password" not in repr(settings)


@pytest.mark.parametrize(
    "sender", ["not an address", "Art <hello@nodot>", "Eve <eve@example.com>\r\nBcc: all@example.com"]
)
def test_a_mail_from_that_is_not_one_address_is_refused(sender: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_MAIL_FROM": sender})
    assert raised.value.problems[0].startswith("ARTMARKET_MAIL_FROM")


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "jwt"
    secret.write_text("from-a-mounted-secret-file-0123456789abcdef\n")
    assert (
        load({"ARTMARKET_JWT_SECRET_FILE": str(secret)}).jwt_secret
        == "from-a-mounted-secret-file-0123456789abcdef"
    )


def test_an_unreadable_secret_file_is_named() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_JWT_SECRET_FILE": "/nonexistent/secret"})
    assert raised.value.problems[0].startswith("ARTMARKET_JWT_SECRET_FILE")


def test_the_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("ARTMARKET_PORT=7000\nARTMARKET_HOST=0.0.0.0\n")
    settings = load_settings({"ARTMARKET_PORT": "7100"}, env_file=env_file)
    assert (settings.host, settings.port) == ("0.0.0.0", 7100)


def test_secrets_are_masked_in_the_representation() -> None:
    settings = load({"ARTMARKET_JWT_SECRET": "x" * 40})
    assert "x" * 40 not in repr(settings)


def test_the_certificate_content_store_defaults_to_a_local_directory_under_the_data_dir() -> None:
    settings = load({"ARTMARKET_DATA_DIR": "/srv/artmarket"})
    assert (settings.ipfs, settings.ipfs_api_url, settings.ipfs_api_token) == ("local", None, None)
    assert settings.resolved_ipfs_root == Path("/srv/artmarket/ipfs")
    assert settings.resolved_ipfs_gateway_url == "https://ipfs.io/ipfs/"


def test_kubo_needs_its_api_url() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_IPFS": "kubo"})
    assert raised.value.problems == ["ARTMARKET_IPFS_API_URL: required when ARTMARKET_IPFS=kubo"]


def test_ipfs_urls_must_be_http_and_the_selector_one_of_its_values() -> None:
    with pytest.raises(SettingsError) as raised:
        load(
            {
                "ARTMARKET_IPFS": "kubo",
                "ARTMARKET_IPFS_API_URL": "kubo:5001",
                "ARTMARKET_IPFS_GATEWAY_URL": "ipfs.io",
            }
        )
    assert raised.value.problems == [
        "ARTMARKET_IPFS_API_URL: must be an http:// or https:// URL",
        "ARTMARKET_IPFS_GATEWAY_URL: must be an http:// or https:// URL",
    ]
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_IPFS": "pinata"})
    assert raised.value.problems == ["ARTMARKET_IPFS: Invalid enum value 'pinata' (got 'pinata')"]


def test_the_gateway_url_gets_exactly_one_trailing_slash() -> None:
    assert load({"ARTMARKET_IPFS_GATEWAY_URL": "https://gw.example/ipfs"}).resolved_ipfs_gateway_url == (
        "https://gw.example/ipfs/"
    )


def test_production_wants_an_https_gateway() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_PROFILE": "production", "ARTMARKET_IPFS_GATEWAY_URL": "http://gw.example/ipfs/"})
    assert "ARTMARKET_IPFS_GATEWAY_URL: must be an https:// URL in production" in raised.value.problems


def test_the_kubo_token_is_a_secret_that_can_come_from_a_file(tmp_path: Path) -> None:
    token = tmp_path / "kubo-token"
    token.write_text("bearer:from-a-mounted-secret\n")
    settings = load({"ARTMARKET_IPFS_API_TOKEN_FILE": str(token)})
    assert settings.ipfs_api_token == "bearer:from-a-mounted-secret"
    assert "from-a-mounted-secret" not in repr(settings)


def test_s3_needs_a_bucket_and_a_whole_key_pair() -> None:
    with pytest.raises(SettingsError) as refused:
        load({"ARTMARKET_CONTENT_STORE": "s3", "ARTMARKET_S3_ACCESS_KEY_ID": "AKIA0000"})
    problems = "\n".join(refused.value.problems)
    assert "ARTMARKET_S3_BUCKET: required when ARTMARKET_CONTENT_STORE=s3" in problems
    assert "ARTMARKET_S3_ACCESS_KEY_ID and ARTMARKET_S3_SECRET_ACCESS_KEY: give both or neither" in problems


def test_production_refuses_the_local_media_directory() -> None:
    with pytest.raises(SettingsError) as refused:
        load({"ARTMARKET_PROFILE": "production"})
    assert any(p.startswith("ARTMARKET_CONTENT_STORE: 'local'") for p in refused.value.problems)


def test_an_optional_list_is_split_on_commas_too() -> None:
    settings = load({"ARTMARKET_PAYSTACK_WEBHOOK_IPS": "127.0.0.1, 10.0.0.0/8"})
    assert settings.paystack_webhook_ips == ["127.0.0.1", "10.0.0.0/8"]


def test_development_without_a_public_base_url_links_to_the_address_it_serves() -> None:
    settings = load({"ARTMARKET_PORT": "8101"})
    assert settings.resolved_public_base_url == "http://127.0.0.1:8101"
    assert settings.resolved_media_base_url == "http://127.0.0.1:8101/media"
    # `artmarket serve --host/--port` replaces host and port; the links follow.
    served = msgspec.structs.replace(settings, host="localhost", port=8102)
    assert served.resolved_public_base_url == "http://localhost:8102"


@pytest.mark.parametrize(
    ("host", "base"),
    [
        ("0.0.0.0", "http://127.0.0.1:8101"),
        ("::", "http://[::1]:8101"),
        ("::1", "http://[::1]:8101"),
        ("192.0.2.7", "http://192.0.2.7:8101"),
    ],
)
def test_a_wildcard_bind_links_to_loopback_and_an_ipv6_address_is_bracketed(host: str, base: str) -> None:
    assert load({"ARTMARKET_HOST": host, "ARTMARKET_PORT": "8101"}).resolved_public_base_url == base


def test_an_explicit_public_base_url_wins_over_the_address_served() -> None:
    settings = load({"ARTMARKET_PUBLIC_BASE_URL": "https://art.example/", "ARTMARKET_PORT": "8101"})
    assert settings.resolved_public_base_url == "https://art.example"
    assert settings.resolved_media_base_url == "https://art.example/media"


def test_deployed_profiles_still_require_an_https_public_base_url() -> None:
    for profile in ("staging", "production"):
        with pytest.raises(SettingsError) as missing:
            load({"ARTMARKET_PROFILE": profile})
        assert any(p.startswith("ARTMARKET_PUBLIC_BASE_URL: required") for p in missing.value.problems)
        with pytest.raises(SettingsError) as plain:
            load({"ARTMARKET_PROFILE": profile, "ARTMARKET_PUBLIC_BASE_URL": "http://art.example"})
        assert any("ARTMARKET_PUBLIC_BASE_URL: must be an https://" in p for p in plain.value.problems)


def test_a_public_base_url_that_is_not_http_is_refused() -> None:
    with pytest.raises(SettingsError) as raised:
        load({"ARTMARKET_PUBLIC_BASE_URL": "art.example"})
    assert any(p.startswith("ARTMARKET_PUBLIC_BASE_URL: must be an http://") for p in raised.value.problems)
