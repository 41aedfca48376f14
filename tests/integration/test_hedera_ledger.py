"""HederaLedger against the fake consensus node: retries, crashes, lost answers, keys, links.

Every test runs the real hiero-sdk-python client over real gRPC on loopback; faults are
injected in the fake node (`tests.support.fake_hedera_node`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from hiero_sdk_python import PrivateKey  # type: ignore[import-untyped]  # no py.typed in 0.3.0
from tests.support.fake_hedera_node import FakeHederaNode
from tests.support.hedera_fixtures import FAST_LEDGER_OPTIONS, HEDERA_OPERATOR_ID

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.application.minting.ledger import LedgerRejected, LedgerUnavailable, MintReceipt

URIS = [b"ipfs://bafkreicertificate01", b"ipfs://bafkreicertificate02"]

MakeLedger = Callable[..., HederaLedger]


async def new_collection(ledger: HederaLedger, max_supply: int = 100) -> str:
    return await ledger.create_collection(name="Atelier Certificates", symbol="ACOA", max_supply=max_supply)


def mint_calls(node: FakeHederaNode) -> int:
    return node.calls.count("mintToken")


async def test_busy_twice_then_accepted_mints_once(
    fake_hedera_node: FakeHederaNode, hedera_ledger: HederaLedger
) -> None:
    token_id = await new_collection(hedera_ledger)
    prepared = await hedera_ledger.prepare_mint(token_id, URIS)
    fake_hedera_node.busy_next(2)

    receipt = await hedera_ledger.submit_mint(prepared)

    assert receipt.serials == (1, 2)
    assert mint_calls(fake_hedera_node) == 3, "the SDK resent the same signed bytes twice"
    assert fake_hedera_node.mint_transactions == 1
    assert fake_hedera_node.nfts(token_id) == {1: URIS[0], 2: URIS[1]}


async def test_busy_beyond_the_sdk_retries_is_unavailable_and_the_same_mint_can_be_resubmitted(
    fake_hedera_node: FakeHederaNode, hedera_ledger: HederaLedger
) -> None:
    token_id = await new_collection(hedera_ledger)
    prepared = await hedera_ledger.prepare_mint(token_id, URIS)
    fake_hedera_node.busy_next(100)

    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.submit_mint(prepared)
    fake_hedera_node.busy_next(0)

    assert (await hedera_ledger.submit_mint(prepared)).serials == (1, 2)
    assert fake_hedera_node.mint_transactions == 1


async def test_a_crash_after_acceptance_is_unavailable_then_reconciled_by_transaction_id(
    fake_hedera_node: FakeHederaNode, hedera_ledger: HederaLedger
) -> None:
    token_id = await new_collection(hedera_ledger)
    prepared = await hedera_ledger.prepare_mint(token_id, URIS)
    fake_hedera_node.crash_after_accept_next()

    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.submit_mint(prepared)

    expected = MintReceipt(prepared.transaction_id, token_id, (1, 2))
    assert await hedera_ledger.mint_receipt(prepared.transaction_id) == expected
    assert fake_hedera_node.mint_transactions == 1
    assert await hedera_ledger.submit_mint(prepared) == expected, "resubmitting is answered, not re-minted"
    assert fake_hedera_node.mint_transactions == 1


async def test_after_a_crash_and_a_restart_the_receipt_is_found_with_or_without_the_token_id(
    fake_hedera_node: FakeHederaNode, make_hedera_ledger: MakeLedger
) -> None:
    before = make_hedera_ledger()
    token_id = await new_collection(before)
    prepared = await before.prepare_mint(token_id, URIS)
    fake_hedera_node.crash_after_accept_next()
    with pytest.raises(LedgerUnavailable):
        await before.submit_mint(prepared)
    await before.aclose()

    after = make_hedera_ledger()

    expected = MintReceipt(prepared.transaction_id, token_id, (1, 2))
    assert await after.mint_receipt(prepared.transaction_id, token_id=token_id) == expected
    # A receipt does not name its token: without token_id the mirror node supplies it.
    assert await after.mint_receipt(prepared.transaction_id) == expected
    assert await after.submit_mint(prepared) == expected
    assert fake_hedera_node.mint_transactions == 1


async def test_a_mint_prepared_before_a_restart_is_submitted_from_its_signed_bytes(
    fake_hedera_node: FakeHederaNode, make_hedera_ledger: MakeLedger
) -> None:
    before = make_hedera_ledger()
    token_id = await new_collection(before)
    prepared = await before.prepare_mint(token_id, URIS)
    await before.aclose()

    after = make_hedera_ledger()

    assert await after.mint_receipt(prepared.transaction_id, token_id=token_id) is None
    receipt = await after.submit_mint(prepared)
    assert receipt == MintReceipt(prepared.transaction_id, token_id, (1, 2))
    assert fake_hedera_node.mint_transactions == 1


async def test_a_prepared_mint_whose_fields_do_not_match_its_signed_bytes_is_not_submitted(
    fake_hedera_node: FakeHederaNode, hedera_ledger: HederaLedger
) -> None:
    token_id = await new_collection(hedera_ledger)
    prepared = await hedera_ledger.prepare_mint(token_id, URIS)
    tampered = dataclasses.replace(prepared, metadata=(b"ipfs://bafkreisomethingelse",))

    with pytest.raises(ValueError, match="not this PreparedMint"):
        await hedera_ledger.submit_mint(tampered)

    assert mint_calls(fake_hedera_node) == 0


async def test_receipt_delays_are_waited_out(
    fake_hedera_node: FakeHederaNode, hedera_ledger: HederaLedger
) -> None:
    token_id = await new_collection(hedera_ledger)
    prepared = await hedera_ledger.prepare_mint(token_id, URIS)
    fake_hedera_node.receipt_delay(3)

    receipt = await hedera_ledger.submit_mint(prepared)

    assert receipt.serials == (1, 2)
    assert fake_hedera_node.calls.count("getTransactionReceipts") >= 4 + 1  # +1: the collection's


async def test_a_receipt_still_unknown_after_every_attempt_is_unavailable_not_absent(
    fake_hedera_node: FakeHederaNode, hedera_ledger: HederaLedger
) -> None:
    token_id = await new_collection(hedera_ledger)
    prepared = await hedera_ledger.prepare_mint(token_id, URIS)
    fake_hedera_node.receipt_delay(1000)

    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.submit_mint(prepared)
    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.mint_receipt(prepared.transaction_id)
    fake_hedera_node.receipt_delay(0)

    assert (await hedera_ledger.mint_receipt(prepared.transaction_id)).serials == (1, 2)  # type: ignore[union-attr]
    assert fake_hedera_node.mint_transactions == 1


async def test_grpc_unavailable_is_unavailable_and_the_ledger_recovers_without_waiting(
    fake_hedera_node: FakeHederaNode, hedera_ledger: HederaLedger, make_hedera_ledger: MakeLedger
) -> None:
    token_id = await new_collection(hedera_ledger)
    prepared = await hedera_ledger.prepare_mint(token_id, URIS)
    fake_hedera_node.unavailable_next(1)

    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.submit_mint(prepared)
    assert fake_hedera_node.mint_transactions == 0

    # The SDK would shun its only node for 16 s; the adapter starts a fresh client instead.
    assert await hedera_ledger.mint_receipt(prepared.transaction_id) is None
    assert (await hedera_ledger.submit_mint(prepared)).serials == (1, 2)
    fresh = make_hedera_ledger()
    second = await fresh.submit_mint(await fresh.prepare_mint(token_id, [b"ipfs://bafkreithird"]))
    assert second.serials == (3,)
    assert fake_hedera_node.mint_transactions == 2


async def test_a_node_that_forgot_the_receipt_and_an_unreachable_mirror_is_unavailable_not_absent(
    fake_hedera_node: FakeHederaNode, hedera_ledger: HederaLedger
) -> None:
    token_id = await new_collection(hedera_ledger)
    prepared = await hedera_ledger.prepare_mint(token_id, URIS)
    await hedera_ledger.submit_mint(prepared)
    fake_hedera_node.advance_clock(600)  # receipts are kept for 180 s
    fake_hedera_node.mirror_unavailable_next(1)

    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.mint_receipt(prepared.transaction_id, token_id=token_id)

    assert (await hedera_ledger.mint_receipt(prepared.transaction_id, token_id=token_id)).serials == (1, 2)  # type: ignore[union-attr]


async def test_nft_lookups_need_the_mirror_node(
    fake_hedera_node: FakeHederaNode, hedera_ledger: HederaLedger
) -> None:
    token_id = await new_collection(hedera_ledger)
    await hedera_ledger.submit_mint(await hedera_ledger.prepare_mint(token_id, URIS))
    fake_hedera_node.mirror_unavailable_next(1)

    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.nft(token_id, 1)

    record = await hedera_ledger.nft(token_id, 1)
    assert record is not None
    assert (record.metadata, record.owner_account) == (URIS[0], HEDERA_OPERATOR_ID)


async def test_a_separate_supply_key_signs_mints_and_a_wrong_one_is_rejected(
    fake_hedera_node: FakeHederaNode, make_hedera_ledger: MakeLedger
) -> None:
    supply_key = PrivateKey.generate_ed25519()
    ledger = make_hedera_ledger(supply_key=supply_key.to_string_der())
    token_id = await new_collection(ledger)
    assert (await ledger.submit_mint(await ledger.prepare_mint(token_id, URIS))).serials == (1, 2)

    wrong = make_hedera_ledger()  # signs with the operator key, which is not the supply key
    with pytest.raises(LedgerRejected) as refused:
        await wrong.submit_mint(await wrong.prepare_mint(token_id, URIS))
    assert refused.value.status == "INVALID_SIGNATURE"
    assert fake_hedera_node.mint_transactions == 1


async def test_a_payer_signature_the_network_does_not_know_is_rejected_at_precheck(
    fake_hedera_node: FakeHederaNode, make_hedera_ledger: MakeLedger
) -> None:
    impostor = make_hedera_ledger(operator_key=PrivateKey.generate_ed25519().to_string_der())

    with pytest.raises(LedgerRejected) as refused:
        await new_collection(impostor)

    assert refused.value.status == "INVALID_SIGNATURE"


async def test_an_ecdsa_operator_given_as_raw_hex_with_its_type_mints() -> None:
    key = PrivateKey.generate_ecdsa()
    with FakeHederaNode(accounts={"0.0.2002": key.public_key()}) as node:
        ledger = HederaLedger(
            operator_id="0.0.2002",
            operator_key=key.to_string_raw(),
            key_type="ecdsa",
            network="custom",
            nodes=node.network_map,
            mirror_url=node.mirror_url,
            **FAST_LEDGER_OPTIONS,
        )
        try:
            token_id = await new_collection(ledger)
            assert (await ledger.submit_mint(await ledger.prepare_mint(token_id, URIS))).serials == (1, 2)
        finally:
            await ledger.aclose()


def test_a_raw_hex_key_without_its_type_is_refused_without_echoing_it() -> None:
    raw = PrivateKey.generate_ecdsa().to_string_raw()

    with pytest.raises(ValueError, match="needs its key_type") as refused:
        HederaLedger(operator_id="0.0.1001", operator_key=raw, network="testnet")

    assert raw not in str(refused.value)
    assert refused.value.__cause__ is None


async def test_the_key_never_appears_in_repr() -> None:
    key = PrivateKey.generate_ed25519()
    ledger = HederaLedger(operator_id="0.0.1001", operator_key=key.to_string_der(), network="testnet")
    try:
        text = repr(ledger)
        assert key.to_string_raw() not in text
        assert key.to_string_der() not in text
        assert text == "HederaLedger(network='testnet', operator_id='0.0.1001')"
    finally:
        await ledger.aclose()


async def test_public_networks_link_to_hashscan() -> None:
    ledger = HederaLedger(
        operator_id="0.0.1001", operator_key=PrivateKey.generate_ed25519().to_string_der(), network="mainnet"
    )
    try:
        assert ledger.explorer_url("0.0.1000", 7) == "https://hashscan.io/mainnet/token/0.0.1000/7"
        assert (
            ledger.transaction_explorer_url("0.0.1001@1700000000.000000005")
            == "https://hashscan.io/mainnet/transaction/0.0.1001-1700000000-000000005"
        )
    finally:
        await ledger.aclose()


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"network": "custom", "mirror_url": "http://127.0.0.1:1"}, id="custom without nodes"),
        pytest.param(
            {"network": "custom", "nodes": {"127.0.0.1:50211": "0.0.3"}}, id="custom without mirror"
        ),
        pytest.param(
            {"network": "custom", "nodes": {"127.0.0.1:50212": "0.0.3"}, "mirror_url": "http://127.0.0.1:1"},
            id="the TLS port",
        ),
        pytest.param({"network": "localhost"}, id="unknown network"),
        pytest.param({"network": "testnet", "valid_duration": 181}, id="valid duration over 180 s"),
    ],
)
def test_a_misconfigured_ledger_refuses_to_start(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"network|nodes|mirror_url|50212|valid_duration"):
        HederaLedger(
            operator_id="0.0.1001",
            operator_key=PrivateKey.generate_ed25519().to_string_der(),
            **options,  # type: ignore[arg-type]
        )
