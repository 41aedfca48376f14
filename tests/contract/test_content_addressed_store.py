"""One suite for every ContentAddressedStore: in memory, a local directory, a Kubo node
(the real `KuboContentStore` over HTTP against the stand-in in tests/support, which
computes every CID itself, independently of the multiformats library we use), and two
Kubo nodes pinning everything (`MirroredContentStore`).
"""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from multiformats import CID
from tests.support.kubo_fixtures import STANDIN_CLIENT_TIMEOUT
from tests.support.kubo_standin import KuboStandIn, cid_v1

from artmarket.adapters.ipfs.cid import canonical_cid, compute_cid
from artmarket.adapters.ipfs.kubo import ContentMismatch, KuboContentStore, authorization_header
from artmarket.adapters.ipfs.local import LocalBlockStore
from artmarket.adapters.ipfs.mirrored import MirroredContentStore
from artmarket.application.minting.content import ContentAddressedStore, ContentRef, ContentUnavailable
from artmarket.fakes.ipfs_store import InMemoryBlockStore

#: Published vectors: the raw CIDv1 of no bytes, and of "hello world\n" (as Kubo gives it).
EMPTY_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
HELLO_CID = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
DOCUMENT = b'{"name": "Harmattan Light", "format": "HIP412@2.0.0", "type": "image/jpeg"}'
#: 1.5 MB: over Kubo's 1 MiB block limit and far over `add`'s 256 KiB chunk size.
LARGE = bytes(range(256)) * 6144


@pytest.fixture(params=["memory", "local", "kubo", "mirrored"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ContentAddressedStore:
    if request.param == "memory":
        return InMemoryBlockStore()
    if request.param == "local":
        return LocalBlockStore(tmp_path / "ipfs")
    if request.param == "mirrored":
        mirrored: MirroredContentStore = request.getfixturevalue("mirrored_store")
        return mirrored
    store: KuboContentStore = request.getfixturevalue("kubo_store")
    return store


async def test_what_is_put_can_be_read_back_by_its_cid(store: ContentAddressedStore) -> None:
    ref = await store.put_bytes(DOCUMENT)

    assert ref == ContentRef(compute_cid(DOCUMENT), len(DOCUMENT))
    assert await store.get(ref.cid) == DOCUMENT


@pytest.mark.parametrize(("data", "cid"), [(b"", EMPTY_CID), (b"hello world\n", HELLO_CID)])
async def test_the_cid_is_the_published_raw_cidv1_of_the_bytes(
    store: ContentAddressedStore, data: bytes, cid: str
) -> None:
    ref = await store.put_bytes(data)

    assert (ref.cid, ref.size, ref.uri) == (cid, len(data), f"ipfs://{cid}")
    assert await store.get(cid) == data


async def test_the_cid_is_a_base32_raw_sha2_256_cidv1_of_59_characters(store: ContentAddressedStore) -> None:
    ref = await store.put_bytes(DOCUMENT)

    decoded = CID.decode(ref.cid)
    assert ref.cid.startswith("bafkrei")
    assert len(ref.cid) == 59
    assert (decoded.version, decoded.codec.name, decoded.hashfun.name) == (1, "raw", "sha2-256")
    # The stand-in's hashlib + hand-encoded CID agrees with the multiformats one.
    assert ref.cid == cid_v1(DOCUMENT)
    # On chain it is `ipfs://CID`: 66 bytes, within Hedera's 100.
    assert len(ref.uri.encode()) == 66


async def test_putting_the_same_bytes_again_gives_the_same_reference(store: ContentAddressedStore) -> None:
    first = await store.put_bytes(DOCUMENT)
    second = await store.put_bytes(bytes(bytearray(DOCUMENT)))  # equal bytes, another object

    assert first == second
    assert await store.get(first.cid) == DOCUMENT


async def test_different_bytes_get_different_cids(store: ContentAddressedStore) -> None:
    one = await store.put_bytes(b"certificate 1")
    two = await store.put_bytes(b"certificate 2")

    assert one.cid != two.cid
    assert (await store.get(one.cid), await store.get(two.cid)) == (b"certificate 1", b"certificate 2")


async def test_a_cid_never_stored_is_none(store: ContentAddressedStore) -> None:
    await store.put_bytes(DOCUMENT)

    assert await store.get(HELLO_CID) is None


@pytest.mark.parametrize(
    "cid",
    [
        "",
        "not a cid",
        "../../etc/passwd",
        "bafkrei",
        # A dag-pb CIDv1 (what `ipfs add` gives): not a raw block, so never in these stores.
        "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
        # CIDv0.
        "QmYwAPJzv5CZsnAzt8auVZRn2jWv2ztBzXgVdqMPM1kxyz",
    ],
)
async def test_what_is_not_a_raw_cid_is_none(store: ContentAddressedStore, cid: str) -> None:
    await store.put_bytes(DOCUMENT)

    assert await store.get(cid) is None


async def test_a_cid_spelt_in_another_multibase_names_the_same_content(store: ContentAddressedStore) -> None:
    ref = await store.put_bytes(DOCUMENT)

    base58 = CID.decode(ref.cid).set(base="base58btc").encode()
    assert base58.startswith("z")
    assert await store.get(base58) == DOCUMENT
    assert await store.get(ref.cid.upper()) == DOCUMENT


async def test_content_larger_than_a_block_and_a_chunk_round_trips(store: ContentAddressedStore) -> None:
    ref = await store.put_bytes(LARGE)

    assert ref == ContentRef(cid_v1(LARGE), 1_572_864)
    assert await store.get(ref.cid) == LARGE


# The CID helper on its own.


@given(st.text(max_size=300))
def test_any_text_is_a_canonical_cid_or_none_never_an_error(text: str) -> None:
    canonical = canonical_cid(text)
    assert canonical is None or canonical.startswith("bafkrei")


@given(st.binary(max_size=2048))
def test_multiformats_and_the_hand_encoding_agree_on_every_cid(data: bytes) -> None:
    assert compute_cid(data) == cid_v1(data)
    assert canonical_cid(compute_cid(data)) == compute_cid(data)


# What only the local store can show.


def _files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
        for p in root.rglob("*")
        if p.is_file()
    }


async def test_local_blocks_land_whole_as_files_named_by_their_cid(tmp_path: Path) -> None:
    store = LocalBlockStore(tmp_path)

    ref = await store.put_bytes(DOCUMENT)
    await store.put_bytes(DOCUMENT)

    # One file, readable by a web server; no temporary file left in .incoming.
    assert _files(tmp_path) == {f"{ref.cid[-3:-1]}/{ref.cid}": (DOCUMENT, 0o644)}


async def test_local_blocks_outlive_the_store_object(tmp_path: Path) -> None:
    ref = await LocalBlockStore(tmp_path).put_bytes(DOCUMENT)

    assert await LocalBlockStore(tmp_path).get(ref.cid) == DOCUMENT


async def test_a_damaged_local_block_is_refused_not_served(tmp_path: Path) -> None:
    store = LocalBlockStore(tmp_path)
    ref = await store.put_bytes(DOCUMENT)
    store.path_of(ref.cid).write_bytes(DOCUMENT.replace(b"Harmattan", b"Forged"))

    with pytest.raises(ContentUnavailable, match="damaged"):
        await store.get(ref.cid)


async def test_putting_again_repairs_a_damaged_local_block(tmp_path: Path) -> None:
    store = LocalBlockStore(tmp_path)
    ref = await store.put_bytes(DOCUMENT)
    store.path_of(ref.cid).write_bytes(b"truncated")

    await store.put_bytes(DOCUMENT)

    assert await store.get(ref.cid) == DOCUMENT


async def test_a_local_store_whose_root_is_a_file_is_unavailable(tmp_path: Path) -> None:
    root = tmp_path / "ipfs"
    root.touch()

    with pytest.raises(ContentUnavailable):
        await LocalBlockStore(root).put_bytes(DOCUMENT)


# What only the Kubo adapter can show (against the stand-in node).


async def test_kubo_stores_one_raw_pinned_block_per_content(
    kubo_store: KuboContentStore, kubo_standin: KuboStandIn
) -> None:
    ref = await kubo_store.put_bytes(DOCUMENT)
    await kubo_store.put_bytes(DOCUMENT)

    assert kubo_standin.blocks == {ref.cid: DOCUMENT}
    assert kubo_standin.pins == {ref.cid}
    put = next(r for r in kubo_standin.requests if r.command == "block/put")
    assert (put.method, put.params["cid-codec"], put.params["mhtype"], put.params["pin"]) == (
        "POST",
        ["raw"],
        ["sha2-256"],
        ["true"],
    )
    assert "allow-big-block" not in put.params
    assert (put.content_type or "").startswith("multipart/form-data; boundary=")


async def test_kubo_allows_a_big_block_only_when_the_content_needs_one(
    kubo_store: KuboContentStore, kubo_standin: KuboStandIn
) -> None:
    await kubo_store.put_bytes(b"x" * (1024 * 1024))
    await kubo_store.put_bytes(LARGE)

    puts = [r.params.get("allow-big-block") for r in kubo_standin.requests if r.command == "block/put"]
    assert puts == [None, ["true"]]
    assert kubo_standin.pins == {cid_v1(b"x" * (1024 * 1024)), cid_v1(LARGE)}


async def test_kubo_reads_offline_so_an_unknown_cid_does_not_wait_for_the_network(
    kubo_store: KuboContentStore, kubo_standin: KuboStandIn
) -> None:
    started = time.monotonic()

    assert await kubo_store.get(HELLO_CID) is None

    assert time.monotonic() - started < kubo_standin.network_search_seconds
    (get,) = kubo_standin.requests
    assert (get.command, get.params) == ("block/get", {"arg": [HELLO_CID], "offline": ["true"]})


async def test_kubo_down_is_content_unavailable(
    kubo_store: KuboContentStore, kubo_standin: KuboStandIn
) -> None:
    kubo_standin.stop()

    with pytest.raises(ContentUnavailable, match="out of reach"):
        await kubo_store.put_bytes(DOCUMENT)
    with pytest.raises(ContentUnavailable, match="out of reach"):
        await kubo_store.get(HELLO_CID)


async def test_a_kubo_error_is_content_unavailable_with_its_message(
    kubo_store: KuboContentStore, kubo_standin: KuboStandIn
) -> None:
    kubo_standin.fail_next("block/put", message="blockstore: datastore closed")
    kubo_standin.fail_next("block/get", message="blockstore: datastore closed")
    stored = await InMemoryBlockStore().put_bytes(DOCUMENT)

    with pytest.raises(ContentUnavailable, match="datastore closed"):
        await kubo_store.put_bytes(DOCUMENT)
    with pytest.raises(ContentUnavailable, match="datastore closed"):
        await kubo_store.get(stored.cid)
    # Kubo's 500 is a command error, not a blip: asked once each.
    assert (kubo_standin.count("block/put"), kubo_standin.count("block/get")) == (1, 1)


async def test_a_transient_kubo_answer_is_retried(
    kubo_store: KuboContentStore, kubo_standin: KuboStandIn
) -> None:
    kubo_standin.fail_next("block/put", status=503, times=2)

    ref = await kubo_store.put_bytes(DOCUMENT)

    assert kubo_standin.count("block/put") == 3
    assert kubo_standin.pins == {ref.cid}


async def test_kubo_that_stays_unavailable_is_given_up_on(
    kubo_store: KuboContentStore, kubo_standin: KuboStandIn
) -> None:
    kubo_standin.fail_next("block/put", status=502, times=10)

    with pytest.raises(ContentUnavailable, match="502"):
        await kubo_store.put_bytes(DOCUMENT)
    assert kubo_standin.count("block/put") == 3


async def test_kubo_too_slow_to_answer_is_content_unavailable(kubo_standin: KuboStandIn) -> None:
    impatient = KuboContentStore(kubo_standin.api_url, timeout=0.2, max_retries=1, backoff=0.01)
    kubo_standin.hold_next("block/put", 5, times=2)
    try:
        with pytest.raises(ContentUnavailable, match="ReadTimeout"):
            await impatient.put_bytes(DOCUMENT)
    finally:
        await impatient.aclose()
    assert kubo_standin.count("block/put") == 2


async def test_a_node_naming_other_content_is_a_mismatch(
    kubo_store: KuboContentStore, kubo_standin: KuboStandIn
) -> None:
    kubo_standin.wrong_cid_next()

    with pytest.raises(ContentMismatch):
        await kubo_store.put_bytes(DOCUMENT)
    assert issubclass(ContentMismatch, ContentUnavailable)


async def test_a_node_returning_other_bytes_is_a_mismatch(
    kubo_store: KuboContentStore, kubo_standin: KuboStandIn
) -> None:
    ref = await kubo_store.put_bytes(DOCUMENT)
    kubo_standin.corrupt_next_get()

    with pytest.raises(ContentMismatch):
        await kubo_store.get(ref.cid)
    assert await kubo_store.get(ref.cid) == DOCUMENT


@pytest.mark.parametrize(
    ("secret", "spelt"),
    [
        ("bearer:s3cret-token", "bearer:s3cret-token"),
        ("bearer:s3cret-token", "s3cret-token"),
        ("basic:artmarket:pass:word", "basic:artmarket:pass:word"),
    ],
)
async def test_kubo_api_authorization_is_sent_as_configured(
    kubo_standin: KuboStandIn, secret: str, spelt: str
) -> None:
    kubo_standin.auth = secret
    authorized = KuboContentStore(kubo_standin.api_url, auth=spelt, timeout=STANDIN_CLIENT_TIMEOUT)
    anonymous = KuboContentStore(kubo_standin.api_url, timeout=STANDIN_CLIENT_TIMEOUT)
    try:
        ref = await authorized.put_bytes(DOCUMENT)
        assert await authorized.get(ref.cid) == DOCUMENT
        with pytest.raises(ContentUnavailable, match="403"):
            await anonymous.put_bytes(b"anyone")
        assert "s3cret" not in repr(authorized)
        assert "pass" not in repr(authorized)
    finally:
        await authorized.aclose()
        await anonymous.aclose()


def test_kubo_auth_secrets_become_authorization_headers() -> None:
    assert authorization_header("bearer:abc") == "Bearer abc"
    assert authorization_header("abc") == "Bearer abc"
    assert authorization_header("basic:alice:password123") == "Basic YWxpY2U6cGFzc3dvcmQxMjM="


async def test_kubo_readiness_asks_the_node(kubo_store: KuboContentStore, kubo_standin: KuboStandIn) -> None:
    await kubo_store.check()
    kubo_standin.stop()

    with pytest.raises(ContentUnavailable):
        await kubo_store.check()
