"""Settings: every ARTMARKET_* problem is named at once; production refuses fakes and dev secrets."""

from pathlib import Path

import pytest

from artmarket.settings import DEV_JWT_SECRET, SettingsError, load_settings


def load(env: dict[str, str]):
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
    ) == ("dev", "sandbox", "simulated", "local", "files", "memory")
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
            "ARTMARKET_CONTENT_STORE": "s3",
            "ARTMARKET_MAILER": "smtp",
            "ARTMARKET_QUEUE": "redis",
        }
    )
    assert settings.is_production


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
