"""The composition root picks the certificate content store by settings, and /ready asks Kubo."""

from __future__ import annotations

from pathlib import Path

from tests.support.api import app_settings, running_app
from tests.support.kubo_standin import KuboStandIn, cid_v1

from artmarket.adapters.ipfs.kubo import KuboContentStore
from artmarket.adapters.ipfs.local import LocalBlockStore
from artmarket.application.minting.content import ContentAddressedStore
from artmarket.bootstrap import make_container

DOCUMENT = b'{"format": "HIP412@2.0.0"}'


async def test_the_embedded_default_keeps_blocks_under_the_data_dir(tmp_path: Path) -> None:
    container = make_container(app_settings(tmp_path))
    try:
        store = await container.get(ContentAddressedStore)
        ref = await store.put_bytes(DOCUMENT)
    finally:
        await container.close()

    assert isinstance(store, LocalBlockStore)
    assert (tmp_path / "ipfs" / ref.cid[-3:-1] / ref.cid).read_bytes() == DOCUMENT


async def test_kubo_is_used_with_its_token_and_closed_with_the_container(
    tmp_path: Path, kubo_standin: KuboStandIn
) -> None:
    kubo_standin.auth = "bearer:node-token"
    settings = app_settings(
        tmp_path, ipfs="kubo", ipfs_api_url=kubo_standin.api_url, ipfs_api_token="bearer:node-token"
    )
    container = make_container(settings)
    try:
        store = await container.get(ContentAddressedStore)
        ref = await store.put_bytes(DOCUMENT)
    finally:
        await container.close()

    assert isinstance(store, KuboContentStore)
    assert store.is_closed
    assert kubo_standin.pins == {ref.cid} == {cid_v1(DOCUMENT)}
    assert not (tmp_path / "ipfs").exists()


async def test_readiness_reports_the_kubo_node(tmp_path: Path, kubo_standin: KuboStandIn) -> None:
    settings = app_settings(
        tmp_path, ipfs="kubo", ipfs_api_url=kubo_standin.api_url, ipfs_timeout_seconds="1"
    )
    async with running_app(settings) as api:
        ready = await api.client.get("/ready")
        assert (ready.status_code, ready.json()["checks"]) == (200, {"database": "ok", "ipfs": "ok"})

        kubo_standin.stop()
        ready = await api.client.get("/ready")

    assert ready.status_code == 503
    assert ready.json()["checks"]["ipfs"].startswith(
        "failing: ContentUnavailable: The IPFS node is out of reach"
    )
