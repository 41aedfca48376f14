"""The simulated ledger's own certificate promises: every account exists, the sandbox wallet, its state file.

What both ledgers promise is in `tests/contract/test_certificate_ledger.py`.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.application.minting.ledger import LedgerRejected
from artmarket.fakes.clock import FixedClock

COLLECTOR = "0.0.5005"


async def owner(ledger: SimulatedLedger, token_id: str, serial: int) -> str | None:
    record = await ledger.nft(token_id, serial)
    assert record is not None
    return record.owner_account


async def test_every_well_formed_account_exists_on_the_simulated_ledger_unassociated() -> None:
    ledger = SimulatedLedger(clock=FixedClock())
    token_id = await ledger.default_collection()

    assert await ledger.accepts_token("0.0.987654", token_id) is False
    ledger.associate("0.0.987654", token_id)
    assert await ledger.accepts_token("0.0.987654", token_id) is True
    with pytest.raises(LedgerRejected, match="INVALID_TOKEN_ID"):
        ledger.associate("0.0.987654", "0.0.999999")


async def test_the_sandbox_wallet_sees_its_pending_airdrops_and_its_nfts() -> None:
    ledger = SimulatedLedger(clock=FixedClock())
    token_id = await ledger.default_collection()
    await ledger.submit_mint(await ledger.prepare_mint(token_id, [b"ipfs://one", b"ipfs://two"]))
    for serial in (1, 2):
        await ledger.submit(await ledger.prepare_airdrop(token_id, serial, COLLECTOR))

    assert ledger.pending_airdrops_for(COLLECTOR) == [(token_id, 1), (token_id, 2)]
    ledger.claim_airdrop(token_id, 2, COLLECTOR)

    assert ledger.pending_airdrops_for(COLLECTOR) == [(token_id, 1)]
    assert ledger.nfts_of(COLLECTOR) == [(token_id, 2)]
    assert ledger.nft_owner(token_id, 2) == COLLECTOR
    assert ledger.nft_owner(token_id, 1) == "0.0.2"
    with pytest.raises(LedgerRejected, match="INVALID_PENDING_AIRDROP_ID"):
        ledger.claim_airdrop(token_id, 1, "0.0.6006")


async def test_the_simulated_ledger_refuses_signed_bytes_of_another_transaction() -> None:
    ledger = SimulatedLedger(clock=FixedClock())
    token_id = await ledger.default_collection()
    await ledger.submit_mint(await ledger.prepare_mint(token_id, [b"ipfs://one"]))
    burn = await ledger.prepare_burn(token_id, 1)
    transfer = await ledger.prepare_transfer(token_id, 1, COLLECTOR)

    with pytest.raises(ValueError, match="not this PreparedTransaction"):
        await ledger.submit(dataclasses.replace(burn, signed_bytes=transfer.signed_bytes))

    assert ledger.nft_owner(token_id, 1) == "0.0.2"


async def test_the_simulated_certificate_state_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "ledger" / "state.json"
    clock = FixedClock(datetime(2026, 5, 1, 9, 30, tzinfo=UTC))
    before = SimulatedLedger(state_file=state_file, clock=clock)
    token_id = await before.default_collection()
    await before.submit_mint(await before.prepare_mint(token_id, [b"ipfs://a", b"ipfs://b", b"ipfs://c"]))
    topic_id = await before.create_topic(memo="provenance")
    message = await before.prepare_topic_message(topic_id, b"issued")
    sent = await before.submit(message)
    await before.submit(await before.prepare_burn(token_id, 1))
    await before.submit(await before.prepare_airdrop(token_id, 2, COLLECTOR))
    before.associate("0.0.6006", token_id)
    await before.submit(await before.prepare_transfer(token_id, 3, "0.0.6006"))
    unsent = await before.prepare_burn(token_id, 3)

    after = SimulatedLedger(state_file=state_file, clock=clock)

    assert await after.submit(message) == sent
    assert await after.topic_messages(topic_id) == await before.topic_messages(topic_id)
    assert [await owner(after, token_id, serial) for serial in (1, 2, 3)] == [None, "0.0.2", "0.0.6006"]
    assert await after.pending_airdrop(token_id, 2, COLLECTOR) is True
    assert await after.accepts_token("0.0.6006", token_id) is True
    assert await after.transaction_outcome(unsent.transaction_id) is None
    next_message = await after.submit(await after.prepare_topic_message(topic_id, b"revoked"))
    assert next_message.topic_sequence_number == 2
    assert next_message.consensus_timestamp is not None
    assert sent.consensus_timestamp is not None
    assert next_message.consensus_timestamp > sent.consensus_timestamp
    assert await after.create_topic(memo="another") not in {token_id, topic_id}


async def test_a_version_one_state_file_still_loads(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(
        json.dumps(
            {
                "version": 1,
                "next_token_number": 1001,
                "prepared_count": 1,
                "tokens": {
                    "0.0.1000": {"name": "C", "symbol": "ACOA", "max_supply": 10, "nfts": ["aXBmczovL2E="]}
                },
                "transactions": {
                    "0.0.2@1777627800.000000001": {
                        "token_id": "0.0.1000",
                        "status": "SUCCESS",
                        "serials": [1],
                    }
                },
            }
        )
    )

    ledger = SimulatedLedger(state_file=state_file, clock=FixedClock())

    assert ledger.mint_count == 1
    assert await owner(ledger, "0.0.1000", 1) == "0.0.2"
    await ledger.submit(await ledger.prepare_burn("0.0.1000", 1))
    assert await owner(ledger, "0.0.1000", 1) is None
    assert json.loads(state_file.read_text())["version"] == 2
