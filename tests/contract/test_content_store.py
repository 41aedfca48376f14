"""One suite for every ContentStore: in memory, a local directory, and S3 (a moto server on loopback).

Each store comes with a view of what the public can reach: the objects in its public
tree or prefix, and what a visitor gets at a public URL: the memory store's public
objects, the files the /media route serves, and for S3 what a CDN whose origin is the
bucket's public prefix reads over the wire.
"""

from __future__ import annotations

import stat
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from tests.support.moto_server import CREDENTIALS
from tests.support.ports import free_port

from artmarket.adapters.storage.local import LocalMediaStore
from artmarket.adapters.storage.s3 import IMMUTABLE, S3ContentStore
from artmarket.application.errors import StorageUnavailable
from artmarket.application.media import ContentStore, InvalidStorageKey
from artmarket.domain.errors import NotFound
from artmarket.fakes.media_store import InMemoryMediaStore

BASE = "https://cdn.example/media"
DISPLAY_KEY = "artworks/0b9e/5f2a-display.jpg"
KYC_KEY = "kyc/7c1d/passport.pdf"


@dataclass
class Subject:
    """A store under test, and what the public can see of it."""

    store: ContentStore
    base_url: str
    public_keys: Callable[[], set[str]]
    served_at: Callable[[str], bytes | None]


def _memory() -> Subject:
    store = InMemoryMediaStore(BASE)

    def served_at(url: str) -> bytes | None:
        stored = store.objects.get(url.removeprefix(f"{BASE}/"))
        return stored[0] if stored and stored[2] and url.startswith(f"{BASE}/") else None

    return Subject(
        store, BASE, lambda: {k for k, (_, _, public) in store.objects.items() if public}, served_at
    )


def _local(root: Path) -> Subject:
    store = LocalMediaStore(root, BASE)

    def public_keys() -> set[str]:
        tree = store.public_root
        return (
            {p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()}
            if tree.exists()
            else set()
        )

    def served_at(url: str) -> bytes | None:
        # What the app's /media route (a static-files router on `public_root`) answers.
        if not url.startswith(f"{BASE}/"):
            return None
        path = (store.public_root / url.removeprefix(f"{BASE}/")).resolve()
        inside = path.is_relative_to(store.public_root.resolve())
        return path.read_bytes() if inside and path.is_file() else None

    return Subject(store, BASE, public_keys, served_at)


def _s3(endpoint: str, bucket: str | None = None) -> Subject:
    bucket = bucket or f"contract-{uuid.uuid4().hex[:16]}"
    client = boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)
    client.create_bucket(Bucket=bucket)
    # The bucket's public prefix is the CDN's origin: that is what the base URL points at.
    base = f"{endpoint}/{bucket}/public"
    store = S3ContentStore(
        bucket,
        public_base_url=base,
        endpoint_url=endpoint,
        region="us-east-1",
        access_key_id="test",
        secret_access_key="test",
    )

    def public_keys() -> set[str]:
        listing = client.list_objects_v2(Bucket=bucket, Prefix="public/")
        return {item["Key"].removeprefix("public/") for item in listing.get("Contents", [])}

    def served_at(url: str) -> bytes | None:
        # A CDN reads its origin, the public prefix, with its own credentials (the bucket
        # itself stays private): the path under the base URL is a key under `public/`.
        if not url.startswith(f"{base}/"):
            return None
        try:
            answer = client.get_object(Bucket=bucket, Key="public/" + url.removeprefix(f"{base}/"))
        except client.exceptions.NoSuchKey:
            return None
        return bytes(answer["Body"].read())

    return Subject(store, base, public_keys, served_at)


@pytest.fixture(params=["memory", "local", "s3"])
def subject(request: pytest.FixtureRequest, tmp_path: Path) -> Subject:
    if request.param == "memory":
        return _memory()
    if request.param == "local":
        return _local(tmp_path / "media")
    return _s3(request.getfixturevalue("moto_endpoint"))


async def test_what_is_put_can_be_read_back(subject: Subject) -> None:
    every_byte = bytes(range(256)) * 4

    stored = await subject.store.put(DISPLAY_KEY, every_byte, "image/jpeg", public=True)
    await subject.store.put(KYC_KEY, b"%PDF-1.7 passport", "application/pdf", public=False)

    assert (stored.key, stored.content_type, stored.size) == (DISPLAY_KEY, "image/jpeg", 1024)
    assert await subject.store.get(DISPLAY_KEY) == every_byte
    assert await subject.store.get(KYC_KEY) == b"%PDF-1.7 passport"


async def test_a_public_object_is_served_at_a_url_under_the_configured_base(subject: Subject) -> None:
    await subject.store.put(DISPLAY_KEY, b"jpeg bytes", "image/jpeg", public=True)

    url = subject.store.public_url(DISPLAY_KEY)

    assert url == f"{subject.base_url}/{DISPLAY_KEY}"
    assert subject.served_at(url) == b"jpeg bytes"
    assert subject.public_keys() == {DISPLAY_KEY}


async def test_a_private_object_has_no_public_url_and_is_outside_the_public_tree(subject: Subject) -> None:
    await subject.store.put(KYC_KEY, b"%PDF passport", "application/pdf", public=False)

    url = subject.store.public_url(KYC_KEY)

    # Stores that can tell say None; S3 cannot without a request, and its URL leads nowhere.
    assert url is None or subject.served_at(url) is None
    assert subject.served_at(f"{subject.base_url}/{KYC_KEY}") is None
    assert subject.served_at(f"{subject.base_url}/../private/{KYC_KEY}") is None
    assert subject.public_keys() == set()


async def test_a_missing_key_is_not_found(subject: Subject) -> None:
    with pytest.raises(NotFound):
        await subject.store.get("artworks/nothing/here.jpg")


async def test_delete_removes_the_object_and_is_idempotent(subject: Subject) -> None:
    await subject.store.put(KYC_KEY, b"%PDF", "application/pdf", public=False)
    await subject.store.put(DISPLAY_KEY, b"jpeg", "image/jpeg", public=True)

    await subject.store.delete(KYC_KEY)
    await subject.store.delete(KYC_KEY)
    await subject.store.delete(DISPLAY_KEY)
    await subject.store.delete("never/stored.bin")

    for key in (KYC_KEY, DISPLAY_KEY):
        with pytest.raises(NotFound):
            await subject.store.get(key)
    assert subject.public_keys() == set()
    assert subject.served_at(f"{subject.base_url}/{DISPLAY_KEY}") is None


async def test_overwriting_a_key_replaces_its_content(subject: Subject) -> None:
    await subject.store.put(DISPLAY_KEY, b"first", "image/jpeg", public=True)
    await subject.store.put(DISPLAY_KEY, b"second", "image/jpeg", public=True)

    assert await subject.store.get(DISPLAY_KEY) == b"second"
    assert subject.served_at(f"{subject.base_url}/{DISPLAY_KEY}") == b"second"


async def test_storing_a_public_key_again_as_private_takes_it_out_of_public_reach(subject: Subject) -> None:
    await subject.store.put(DISPLAY_KEY, b"meant to be public", "image/jpeg", public=True)
    await subject.store.put(DISPLAY_KEY, b"now private", "image/jpeg", public=False)

    assert await subject.store.get(DISPLAY_KEY) == b"now private"
    assert subject.public_keys() == set()
    assert subject.served_at(f"{subject.base_url}/{DISPLAY_KEY}") is None


async def test_storing_a_private_key_again_as_public_publishes_it(subject: Subject) -> None:
    await subject.store.put(DISPLAY_KEY, b"draft", "image/jpeg", public=False)
    await subject.store.put(DISPLAY_KEY, b"published", "image/jpeg", public=True)

    assert await subject.store.get(DISPLAY_KEY) == b"published"
    assert subject.public_keys() == {DISPLAY_KEY}


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/etc/passwd",
        "../outside.txt",
        "a/../../b",
        "a//b",
        "a\\..\\b",
        "./a",
        "a/.",
        "a/",
        "a\nb",
        "a\0b",
    ],
)
async def test_keys_that_could_leave_their_tree_are_refused(subject: Subject, key: str) -> None:
    with pytest.raises(InvalidStorageKey):
        await subject.store.put(key, b"x", "text/plain", public=True)
    with pytest.raises(InvalidStorageKey):
        await subject.store.get(key)
    with pytest.raises(InvalidStorageKey):
        await subject.store.delete(key)
    with pytest.raises(InvalidStorageKey):
        subject.store.public_url(key)
    assert subject.public_keys() == set()


# What only one adapter can show.


def _file_modes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*") if p.is_file()
    }


async def test_local_files_land_whole_and_private_ones_are_readable_by_their_owner_only(
    tmp_path: Path,
) -> None:
    store = LocalMediaStore(tmp_path, BASE)

    await store.put(DISPLAY_KEY, b"jpeg", "image/jpeg", public=True)
    await store.put(KYC_KEY, b"%PDF", "application/pdf", public=False)

    files = _file_modes(tmp_path)
    # No temporary files left behind; a web server may read public files, nobody else private ones.
    assert files == {f"public/{DISPLAY_KEY}": 0o644, f"private/{KYC_KEY}": 0o600}


async def test_s3_public_objects_are_cacheable_for_a_year_and_private_ones_never(moto_endpoint: str) -> None:
    bucket = f"headers-{uuid.uuid4().hex[:16]}"
    s3 = _s3(moto_endpoint, bucket)
    client = boto3.client("s3", endpoint_url=moto_endpoint, **CREDENTIALS)

    await s3.store.put(DISPLAY_KEY, b"jpeg", "image/jpeg", public=True)
    await s3.store.put(KYC_KEY, b"%PDF", "application/pdf", public=False)

    public = client.head_object(Bucket=bucket, Key=f"public/{DISPLAY_KEY}")
    private = client.head_object(Bucket=bucket, Key=f"private/{KYC_KEY}")
    assert (public["CacheControl"], public["ContentType"]) == (IMMUTABLE, "image/jpeg")
    assert (private["CacheControl"], private["ContentType"]) == ("private, no-store", "application/pdf")


async def test_s3_out_of_reach_is_storage_unavailable() -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    store = S3ContentStore(
        "artmarket",
        public_base_url=BASE,
        endpoint_url=closed,
        access_key_id="test",
        secret_access_key="test",
        timeout_seconds=1,
    )
    with pytest.raises(StorageUnavailable):
        await store.get(DISPLAY_KEY)


@pytest.mark.parametrize(
    ("private_prefix", "public_prefix"),
    [("private/", "private/"), ("", "public/"), ("public/private/", "public/"), ("private", "public/")],
)
def test_s3_refuses_prefixes_that_would_put_private_objects_behind_the_cdn(
    private_prefix: str, public_prefix: str
) -> None:
    with pytest.raises(ValueError, match="prefix"):
        S3ContentStore(
            "artmarket", public_base_url=BASE, private_prefix=private_prefix, public_prefix=public_prefix
        )
