"""Staging and production: the same stack, differing only in declared variables, each with its keys.

deploy/env/{staging,production}.env are what the release workflow deploys. They must set
the same variables to the same values except those in `ENVIRONMENT_SPECIFIC`, so what
passed on staging is what production runs. Each file, with its secrets as files, starts
its profile; staging refuses live keys and mainnet, production test keys and testnet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dotenv import dotenv_values

from artmarket.settings import Settings, SettingsError, load_settings
from artmarket.settings.model import SECRET_FIELDS, env_name
from artmarket.settings.rules import ENVIRONMENT_SPECIFIC

ENV_DIR = Path(__file__).parents[2] / "deploy" / "env"
#: Variables of docker-compose.yml itself (image, Caddy), not artmarket settings.
COMPOSE_VARIABLES = {"ARTMARKET_IMAGE", "SITE_ADDRESS", "CADDY_TLS"}
ED25519_DER = "302e020100300506032b657004220420" + "11" * 32


def environment(name: str) -> dict[str, str]:
    values = dotenv_values(ENV_DIR / f"{name}.env")
    assert all(value is not None for value in values.values())
    return {key: str(value) for key, value in values.items()}


def secrets_for(name: str, directory: Path) -> dict[str, str]:
    """Plausible secret files for an environment, as the host's secrets directory holds them."""
    key = "sk_live_" if name == "production" else "sk_test_"
    contents = {
        "database_url": "postgresql+psycopg://artmarket:pw@db.internal:5432/artmarket",
        "redis_url": "redis://cache.internal:6379/0",
        "jwt_secret": "j" * 48,
        "paystack_secret_key": key + "0123456789abcdef0123456789abcdef",
        "hedera_operator_key": ED25519_DER,
        "hedera_supply_key": ED25519_DER,
        "smtp_password": "smtp-password",
        "sentry_dsn": "https://public@o1.ingest.sentry.io/2",
        "metrics_token": "m" * 48,
    }
    directory.mkdir(parents=True, exist_ok=True)
    for file, content in contents.items():
        (directory / file).write_text(content + "\n")
    return contents


def loaded(name: str, tmp_path: Path, **overrides: str) -> Settings:
    """The environment's settings, its `/run/secrets/...` files read from a temporary directory."""
    secrets = tmp_path / "secrets"
    secrets_for(name, secrets)
    env = {
        key: value.replace("/run/secrets", str(secrets)) if key.endswith("_FILE") else value
        for key, value in environment(name).items()
    }
    for key, value in overrides.items():
        if key.endswith("_CONTENT"):
            variable = key.removesuffix("_CONTENT")
            Path(env[f"{variable}_FILE"]).write_text(value)
        else:
            env[key] = value
    return load_settings(env, env_file=None)


def test_staging_and_production_differ_only_in_declared_variables() -> None:
    staging, production = environment("staging"), environment("production")

    assert set(staging) == set(production), "both environments set the same variables"
    differing = {key for key in staging if staging[key] != production[key]}
    assert differing <= ENVIRONMENT_SPECIFIC, (
        f"undeclared differences: {sorted(differing - ENVIRONMENT_SPECIFIC)}"
    )
    assert {"ARTMARKET_PROFILE", "ARTMARKET_HEDERA_NETWORK"} <= differing


def test_every_variable_is_a_setting_and_every_secret_comes_from_a_file() -> None:
    fields = {env_name(field) for field in Settings.__struct_fields__}
    for name in ("staging", "production"):
        for key, value in environment(name).items():
            if key.endswith("_FILE"):
                field = key.removeprefix("ARTMARKET_").removesuffix("_FILE").lower()
                assert field in SECRET_FIELDS, f"{name}: {key} is not a secret with a _FILE variant"
                assert value.startswith("/run/secrets/"), key
            else:
                assert key in fields | COMPOSE_VARIABLES, f"{name}: {key} is no setting"
                field = key.removeprefix("ARTMARKET_").lower()
                assert field not in SECRET_FIELDS, f"{name}: the secret {key} must come from a file"


@pytest.mark.parametrize("name", ["staging", "production"])
def test_each_environment_starts_its_profile_with_its_own_keys(name: str, tmp_path: Path) -> None:
    settings = loaded(name, tmp_path)

    assert settings.profile == name
    assert settings.is_deployed
    assert settings.is_live is (name == "production")
    assert (settings.payments, settings.ledger, settings.queue) == ("paystack", "hedera", "redis")


def test_production_may_rehearse_on_test_keys_and_a_test_network(tmp_path: Path) -> None:
    # Refusing them would stop a production-profile run against Paystack's test mode;
    # `artmarket doctor` flags a test key in production instead (tests/integration/test_doctor.py).
    settings = loaded(
        "production",
        tmp_path,
        ARTMARKET_PAYSTACK_SECRET_KEY_CONTENT="sk_test_0123456789abcdef",
        ARTMARKET_HEDERA_NETWORK="testnet",
    )

    assert settings.is_live
    assert settings.hedera_network == "testnet"


def test_staging_refuses_live_keys_mainnet_and_embedded_adapters(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        loaded(
            "staging",
            tmp_path,
            ARTMARKET_PAYSTACK_SECRET_KEY_CONTENT="sk_live_0123456789abcdef",
            ARTMARKET_HEDERA_NETWORK="mainnet",
        )
    assert raised.value.problems == [
        "ARTMARKET_PAYSTACK_SECRET_KEY: a live key (sk_live_) is refused in staging",
        "ARTMARKET_HEDERA_NETWORK: 'mainnet' is refused in staging (use testnet)",
    ]

    with pytest.raises(SettingsError) as embedded:
        loaded("staging", tmp_path, ARTMARKET_PAYMENTS="sandbox", ARTMARKET_QUEUE="memory")
    assert (
        "ARTMARKET_PAYMENTS: 'sandbox' is a development adapter, refused in staging"
        in embedded.value.problems
    )
    assert "ARTMARKET_QUEUE: 'memory' is a development adapter, refused in staging" in embedded.value.problems
