"""Certificate content is pinned on every configured IPFS node, each one confirming its pin,
and stays readable while any of them has it (`ARTMARKET_IPFS_MIRROR_URLS`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.api import app_settings, running_app
from tests.support.kubo_standin import KuboStandIn

from artmarket.adapters.ipfs.cid import compute_cid
from artmarket.adapters.ipfs.mirrored import MirroredContentStore
from artmarket.application.minting.content import ContentAddressedStore, ContentUnavailable

DOCUMENT = b'{"name": "Harmattan Light", "format": "HIP412@2.0.0"}'


async def test_each_node_stores_pins_and_confirms_the_pin(
    mirrored_store: MirroredContentStore, kubo_standin: KuboStandIn, kubo_mirror_standin: KuboStandIn
) -> None:
    ref = await mirrored_store.put_bytes(DOCUMENT)

    for node in (kubo_standin, kubo_mirror_standin):
        assert node.blocks == {ref.cid: DOCUMENT}
        assert node.pins == {ref.cid}
        assert node.count("pin/ls") == 1


async def test_a_mirror_that_does_not_pin_makes_the_content_unavailable_until_it_does(
    mirrored_store: MirroredContentStore, kubo_mirror_standin: KuboStandIn
) -> None:
    kubo_mirror_standin.fail_next("block/put", message="pinning service full")
    with pytest.raises(ContentUnavailable, match="pinning service full"):
        await mirrored_store.put_bytes(DOCUMENT)
    # The mint job tries again later; storing twice stores once.
    ref = await mirrored_store.put_bytes(DOCUMENT)
    assert kubo_mirror_standin.pins == {ref.cid}


async def test_reads_fall_back_to_a_mirror_when_the_primary_lost_the_content_or_is_down(
    mirrored_store: MirroredContentStore, kubo_standin: KuboStandIn
) -> None:
    ref = await mirrored_store.put_bytes(DOCUMENT)
    kubo_standin.blocks.clear()
    assert await mirrored_store.get(ref.cid) == DOCUMENT
    kubo_standin.stop()
    assert await mirrored_store.get(ref.cid) == DOCUMENT
    # Absent from the mirror, but the primary could not say: not "absent", unavailable.
    with pytest.raises(ContentUnavailable):
        await mirrored_store.get(compute_cid(b"never stored"))


async def test_the_app_pins_to_every_node_and_ready_reports_each(
    tmp_path: Path, kubo_standin: KuboStandIn, kubo_mirror_standin: KuboStandIn
) -> None:
    settings = app_settings(
        tmp_path,
        ipfs="kubo",
        ipfs_api_url=kubo_standin.api_url,
        ipfs_mirror_urls=kubo_mirror_standin.api_url,
    )
    async with running_app(settings) as api:
        ready = await api.client.get("/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "ipfs": "ok", "ipfs-mirror-1": "ok"}
        store = await api.container.get(ContentAddressedStore)
        ref = await store.put_bytes(DOCUMENT)
        kubo_mirror_standin.stop()
        ready = await api.client.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["ipfs-mirror-1"].startswith("failing")
    assert kubo_standin.pins == kubo_mirror_standin.pins == {ref.cid}
