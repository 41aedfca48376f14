"""The Ledger contract, held by the simulated ledger and by the real Hedera adapter.

"hedera" is the real `HederaLedger` (hiero-sdk-python) over real gRPC on loopback to the
fake consensus node in `tests.support.fake_hedera_node`, with its fake mirror node.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.support.fake_hedera_node import FakeHederaNode
from tests.support.hedera_fixtures import HEDERA_OPERATOR_ID

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.application.minting.ledger import (
    MAX_BATCH,
    MAX_METADATA_BYTES,
    Ledger,
    LedgerRejected,
    MintReceipt,
    PreparedMint,
)
from artmarket.fakes.clock import FixedClock

CANONICAL_TRANSACTION_ID = re.compile(r"^\d+\.\d+\.\d+@\d+\.\d{9}$")
#: Longer than a transaction's valid duration (120 s) and a node's receipt lifetime (180 s).
LONG_AFTER = 600.0


@dataclass
class LedgerUnderTest:
    ledger: Ledger
    #: Mint transactions that succeeded, as the ledger itself counts them.
    mint_count: Callable[[], int]
    #: Move the ledger's clock forward by that many seconds.
    advance_clock: Callable[[float], None]
    treasury: str


@pytest.fixture(params=["simulated", "hedera"])
def under_test(request: pytest.FixtureRequest) -> LedgerUnderTest:
    if request.param == "simulated":
        clock = FixedClock(datetime.now(UTC))
        simulated = SimulatedLedger(clock=clock)
        return LedgerUnderTest(
            ledger=simulated,
            mint_count=lambda: simulated.mint_count,
            advance_clock=lambda seconds: clock.advance(timedelta(seconds=seconds)),
            treasury="0.0.2",
        )
    node: FakeHederaNode = request.getfixturevalue("fake_hedera_node")
    hedera: HederaLedger = request.getfixturevalue("hedera_ledger")
    return LedgerUnderTest(
        ledger=hedera,
        mint_count=lambda: node.mint_transactions,
        advance_clock=node.advance_clock,
        treasury=HEDERA_OPERATOR_ID,
    )


def certificate_uris(count: int) -> list[bytes]:
    return [f"ipfs://bafkreicertificate{n:02d}".encode() for n in range(1, count + 1)]


async def collection(ledger: Ledger, max_supply: int = 1000) -> str:
    return await ledger.create_collection(name="Atelier Certificates", symbol="ACOA", max_supply=max_supply)


async def test_a_new_collection_has_a_token_id_and_no_nfts(under_test: LedgerUnderTest) -> None:
    token_id = await collection(under_test.ledger)

    assert re.fullmatch(r"0\.0\.\d+", token_id)
    assert await under_test.ledger.nft(token_id, 1) is None


async def test_a_collection_without_supply_is_refused(under_test: LedgerUnderTest) -> None:
    with pytest.raises(LedgerRejected) as refused:
        await collection(under_test.ledger, max_supply=0)

    assert refused.value.status == "INVALID_TOKEN_MAX_SUPPLY"


async def test_a_batch_of_ten_gets_serials_one_to_ten_in_metadata_order(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)
    uris = certificate_uris(MAX_BATCH)

    receipt = await ledger.submit_mint(await ledger.prepare_mint(token_id, uris))

    assert receipt.token_id == token_id
    assert receipt.serials == tuple(range(1, 11))
    for serial, uri in zip(receipt.serials, uris, strict=True):
        record = await ledger.nft(token_id, serial)
        assert record is not None
        assert (record.token_id, record.serial, record.metadata) == (token_id, serial, uri)
        assert record.owner_account == under_test.treasury
    assert await ledger.nft(token_id, 11) is None
    assert under_test.mint_count() == 1


async def test_serials_continue_across_mints(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)

    first = await ledger.submit_mint(await ledger.prepare_mint(token_id, certificate_uris(2)))
    second = await ledger.submit_mint(await ledger.prepare_mint(token_id, [b"ipfs://bafkreithird"]))

    assert (first.serials, second.serials) == ((1, 2), (3,))


async def test_a_prepared_mint_has_a_canonical_transaction_id_and_a_future_deadline(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)

    first = await ledger.prepare_mint(token_id, [b"ipfs://bafkreione"])
    second = await ledger.prepare_mint(token_id, [b"ipfs://bafkreione"])

    assert CANONICAL_TRANSACTION_ID.match(first.transaction_id)
    assert first.transaction_id != second.transaction_id
    assert first.token_id == token_id
    assert first.metadata == (b"ipfs://bafkreione",)
    assert first.valid_until.tzinfo is not None
    assert first.valid_until > datetime.now(UTC) - timedelta(seconds=30)
    assert under_test.mint_count() == 0, "preparing submits nothing"


@pytest.mark.parametrize(
    ("metadata", "status"),
    [
        pytest.param(certificate_uris(MAX_BATCH + 1), "BATCH_SIZE_LIMIT_EXCEEDED", id="eleven items"),
        pytest.param([], "BATCH_SIZE_LIMIT_EXCEEDED", id="no items"),
        pytest.param([b"x" * (MAX_METADATA_BYTES + 1)], "METADATA_TOO_LONG", id="101 bytes"),
    ],
)
async def test_a_batch_the_network_would_refuse_is_refused_before_submission(
    under_test: LedgerUnderTest, metadata: list[bytes], status: str
) -> None:
    token_id = await collection(under_test.ledger)

    with pytest.raises(LedgerRejected) as refused:
        await under_test.ledger.prepare_mint(token_id, metadata)

    assert refused.value.status == status
    assert under_test.mint_count() == 0


async def test_metadata_of_exactly_one_hundred_bytes_is_minted(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)
    uri = b"ipfs://" + b"b" * (MAX_METADATA_BYTES - len(b"ipfs://"))

    receipt = await ledger.submit_mint(await ledger.prepare_mint(token_id, [uri]))

    record = await ledger.nft(token_id, receipt.serials[0])
    assert record is not None
    assert record.metadata == uri


async def test_resubmitting_a_prepared_mint_returns_the_same_receipt_and_mints_nothing_more(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)
    prepared = await ledger.prepare_mint(token_id, certificate_uris(3))

    first = await ledger.submit_mint(prepared)
    again = await ledger.submit_mint(prepared)

    assert again == first
    assert under_test.mint_count() == 1
    assert await ledger.nft(token_id, 4) is None


async def test_mint_receipt_of_a_submitted_mint_returns_its_serials(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)
    prepared = await ledger.prepare_mint(token_id, certificate_uris(2))
    submitted = await ledger.submit_mint(prepared)

    assert await ledger.mint_receipt(prepared.transaction_id) == submitted
    assert await ledger.mint_receipt(prepared.transaction_id, token_id=token_id) == submitted
    assert submitted == MintReceipt(prepared.transaction_id, token_id, (1, 2))


async def test_mint_receipt_of_a_prepared_but_never_submitted_mint_is_none(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)
    prepared = await ledger.prepare_mint(token_id, certificate_uris(1))

    assert await ledger.mint_receipt(prepared.transaction_id, token_id=token_id) is None
    assert under_test.mint_count() == 0


async def test_a_mint_receipt_is_still_found_long_after_the_mint(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)
    prepared = await ledger.prepare_mint(token_id, certificate_uris(2))
    submitted = await ledger.submit_mint(prepared)

    under_test.advance_clock(LONG_AFTER)

    assert await ledger.mint_receipt(prepared.transaction_id, token_id=token_id) == submitted


async def test_a_mint_submitted_after_its_valid_window_is_refused_as_expired(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)
    prepared = await ledger.prepare_mint(token_id, certificate_uris(1))

    under_test.advance_clock(LONG_AFTER)

    with pytest.raises(LedgerRejected) as refused:
        await ledger.submit_mint(prepared)
    assert refused.value.status == "TRANSACTION_EXPIRED"
    assert under_test.mint_count() == 0
    assert await ledger.mint_receipt(prepared.transaction_id, token_id=token_id) is None


async def test_an_accepted_mint_resubmitted_after_its_valid_window_returns_its_receipt(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger)
    prepared = await ledger.prepare_mint(token_id, certificate_uris(2))
    submitted = await ledger.submit_mint(prepared)

    under_test.advance_clock(LONG_AFTER)

    assert await ledger.submit_mint(prepared) == submitted
    assert under_test.mint_count() == 1


async def test_minting_beyond_the_max_supply_is_rejected(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await collection(ledger, max_supply=3)
    await ledger.submit_mint(await ledger.prepare_mint(token_id, certificate_uris(2)))
    over = await ledger.prepare_mint(token_id, certificate_uris(2))

    with pytest.raises(LedgerRejected) as refused:
        await ledger.submit_mint(over)

    assert refused.value.status == "TOKEN_MAX_SUPPLY_REACHED"
    assert under_test.mint_count() == 1
    assert await ledger.nft(token_id, 3) is None
    with pytest.raises(LedgerRejected, match="TOKEN_MAX_SUPPLY_REACHED"):
        await ledger.mint_receipt(over.transaction_id, token_id=token_id)
    last = await ledger.submit_mint(await ledger.prepare_mint(token_id, [b"ipfs://bafkreilast"]))
    assert last.serials == (3,)


async def test_minting_into_an_unknown_collection_is_rejected(under_test: LedgerUnderTest) -> None:
    prepared = await under_test.ledger.prepare_mint("0.0.999999", certificate_uris(1))

    with pytest.raises(LedgerRejected) as refused:
        await under_test.ledger.submit_mint(prepared)

    assert refused.value.status == "INVALID_TOKEN_ID"


async def test_no_explorer_links_off_the_public_networks(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger

    assert ledger.network in {"simulated", "custom"}
    assert ledger.explorer_url("0.0.1000", 1) is None
    assert ledger.transaction_explorer_url("0.0.1001@1700000000.000000005") is None


# -- the simulated ledger's own promises --------------------------------------------------


async def test_the_simulated_ledger_is_deterministic_with_a_fixed_clock() -> None:
    async def run() -> tuple[str, PreparedMint, MintReceipt]:
        ledger = SimulatedLedger(clock=FixedClock(datetime(2026, 5, 1, 9, 30, tzinfo=UTC)))
        token_id = await collection(ledger)
        prepared = await ledger.prepare_mint(token_id, certificate_uris(2))
        return token_id, prepared, await ledger.submit_mint(prepared)

    first, second = await run(), await run()

    assert first == second
    token_id, prepared, _ = first
    assert token_id == "0.0.1000"
    assert prepared.transaction_id == "0.0.2@1777627800.000000001"
    assert prepared.signed_bytes == b""


async def test_the_simulated_ledger_state_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "ledger" / "state.json"
    before = SimulatedLedger(state_file=state_file)
    token_id = await collection(before, max_supply=5)
    submitted_mint = await before.prepare_mint(token_id, certificate_uris(2))
    submitted = await before.submit_mint(submitted_mint)
    pending = await before.prepare_mint(token_id, certificate_uris(1))

    after = SimulatedLedger(state_file=state_file)

    assert after.mint_count == 1
    assert await after.submit_mint(submitted_mint) == submitted
    assert after.mint_count == 1
    assert await after.mint_receipt(pending.transaction_id) is None
    assert (await after.submit_mint(pending)).serials == (3,)
    assert (await after.prepare_mint(token_id, [b"x"])).transaction_id not in {
        submitted_mint.transaction_id,
        pending.transaction_id,
    }
    assert await collection(after) == "0.0.1001"
    record = await after.nft(token_id, 2)
    assert record is not None
    assert record.metadata == certificate_uris(2)[1]
    assert [path.name for path in state_file.parent.iterdir()] == ["state.json"]
