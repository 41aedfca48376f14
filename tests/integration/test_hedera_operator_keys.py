"""The operator key need not sit in an environment variable: it can come from a mounted file
(`ARTMARKET_HEDERA_OPERATOR_KEY_FILE`), or stay outside artmarket altogether behind a signing
command (`ARTMARKET_HEDERA_OPERATOR_SIGNER`, the SDK's signer callback). The fake node checks
every signature, so a mint it accepts was signed by the operator's key."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hiero_sdk_python import PrivateKey  # type: ignore[import-untyped]  # no py.typed in 0.3.0
from tests.support.fake_hedera_node import FakeHederaNode
from tests.support.hedera_fixtures import HEDERA_OPERATOR_ID

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.adapters.ledger.signer import CommandSigner
from artmarket.application.minting.ledger import Ledger, LedgerRejected, LedgerUnavailable
from artmarket.bootstrap import make_container
from artmarket.settings import SettingsError, load_settings

SIGNER = Path(__file__).resolve().parents[1] / "support" / "hedera_signer.py"
URI = b"ipfs://bafkreiexternallysigned"


def key_file(tmp_path: Path, key: PrivateKey) -> Path:
    path = tmp_path / "operator.key"
    path.write_text(key.to_string_der() + "\n")
    return path


async def test_a_signing_command_signs_for_the_operator_and_the_key_never_enters_the_process(
    tmp_path: Path,
    fake_hedera_node: FakeHederaNode,
    hedera_operator_key: PrivateKey,
    make_hedera_ledger: Callable[..., HederaLedger],
) -> None:
    held = key_file(tmp_path, hedera_operator_key)  # the "HSM": only the command reads it
    ledger = make_hedera_ledger(
        operator_key=None,
        operator_signer=CommandSigner([sys.executable, str(SIGNER), str(held), "--hex"]),
        operator_public_key=hedera_operator_key.public_key().to_string_der(),
    )

    token_id = await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=10)
    receipt = await ledger.submit_mint(await ledger.prepare_mint(token_id, [URI]))

    assert receipt.serials == (1,)
    assert fake_hedera_node.nfts(token_id) == {1: URI}
    assert held.with_suffix(".calls").read_text().count("\n") >= 2  # collection and mint
    assert await ledger.operator_balance() == 10_000 * 100_000_000


async def test_a_signer_with_the_wrong_key_is_refused_by_the_network(
    tmp_path: Path, hedera_operator_key: PrivateKey, make_hedera_ledger: Callable[..., HederaLedger]
) -> None:
    wrong = key_file(tmp_path, PrivateKey.generate_ed25519())
    ledger = make_hedera_ledger(
        operator_key=None,
        operator_signer=CommandSigner([sys.executable, str(SIGNER), str(wrong)]),
        operator_public_key=hedera_operator_key.public_key().to_string_der(),
    )
    with pytest.raises(LedgerRejected, match="INVALID_SIGNATURE"):
        await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=10)


async def test_a_failing_signer_leaves_the_ledger_unavailable_not_broken(
    hedera_operator_key: PrivateKey, make_hedera_ledger: Callable[..., HederaLedger]
) -> None:
    ledger = make_hedera_ledger(
        operator_key=None,
        operator_signer=CommandSigner([sys.executable, "-c", "import sys; sys.exit('HSM offline')"]),
        operator_public_key=hedera_operator_key.public_key().to_string_der(),
    )
    with pytest.raises(LedgerUnavailable):
        await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=10)


def hedera_env(node: FakeHederaNode, **more: str) -> dict[str, str]:
    address, account = next(iter(node.network_map.items()))
    return {
        "ARTMARKET_LEDGER": "hedera",
        "ARTMARKET_HEDERA_NETWORK": "custom",
        "ARTMARKET_HEDERA_NODES": f"{address}={account}",
        "ARTMARKET_HEDERA_MIRROR_URL": node.mirror_url,
        "ARTMARKET_HEDERA_OPERATOR_ID": HEDERA_OPERATOR_ID,
        **more,
    }


@pytest.mark.parametrize("source", ["key file", "signer command"])
async def test_the_composition_root_builds_the_ledger_from_either_setting(
    source: str, tmp_path: Path, fake_hedera_node: FakeHederaNode, hedera_operator_key: PrivateKey
) -> None:
    held = key_file(tmp_path, hedera_operator_key)
    if source == "key file":
        more = {"ARTMARKET_HEDERA_OPERATOR_KEY_FILE": str(held)}
    else:
        more = {
            "ARTMARKET_HEDERA_OPERATOR_SIGNER": f"{sys.executable} {SIGNER} {held}",
            "ARTMARKET_HEDERA_OPERATOR_PUBLIC_KEY": hedera_operator_key.public_key().to_string_der(),
        }
    settings = load_settings(
        {"ARTMARKET_DATA_DIR": str(tmp_path), **hedera_env(fake_hedera_node, **more)}, env_file=None
    )
    assert hedera_operator_key.to_string_der() not in repr(settings)
    container = make_container(settings)
    try:
        ledger = await container.get(Ledger)
        assert await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=10)
    finally:
        await container.close()


def test_a_signer_needs_the_public_key_and_excludes_a_key(fake_hedera_node: FakeHederaNode) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(
            hedera_env(
                fake_hedera_node,
                ARTMARKET_HEDERA_OPERATOR_SIGNER="/usr/local/bin/kms-sign",
                ARTMARKET_HEDERA_OPERATOR_KEY="302e" + "00" * 46,
            ),
            env_file=None,
        )
    named = " ".join(raised.value.problems)
    assert "ARTMARKET_HEDERA_OPERATOR_PUBLIC_KEY" in named
    assert "give one, not both" in named
