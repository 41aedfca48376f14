"""A `ContentStore` on S3-compatible storage (boto3 in worker threads), fronted by a CDN.

aioboto3 is not used: its aiobotocore pins a botocore older than the boto3 we ship.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from artmarket.application.errors import StorageUnavailable
from artmarket.application.media import StoredObject, check_key
from artmarket.domain.errors import NotFound

#: Public renditions never change under a key (a new upload gets a new key).
IMMUTABLE = "public, max-age=31536000, immutable"
PRIVATE = "private, no-store"
_MISSING = {"NoSuchKey", "404", "NotFound"}
_T = TypeVar("_T")


class S3Check:
    """`artmarket doctor`: the media bucket answers HeadBucket (a `DependencyCheck`)."""

    name = "media"

    def __init__(self, store: S3ContentStore) -> None:
        self._store = store

    async def check(self) -> str:
        return await self._store.check()


class S3ContentStore:
    """Public objects under `public_prefix`, private ones under `private_prefix`, in one bucket.

    Only the public prefix is the CDN's origin: `public_base_url` (ARTMARKET_MEDIA_BASE_URL)
    + key is the public object at `public_prefix` + key, so the URL of a private key answers
    404. `public_url` makes no network call, so it cannot tell a private key from a public one.
    """

    def __init__(
        self,
        bucket: str,
        *,
        public_base_url: str,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        private_prefix: str = "private/",
        public_prefix: str = "public/",
        timeout_seconds: float = 10.0,
    ) -> None:
        for prefix in (private_prefix, public_prefix):
            if not prefix.endswith("/") or prefix.startswith("/"):
                raise ValueError(f"S3 prefixes are relative folders ending in '/': {prefix!r}")
        if private_prefix.startswith(public_prefix) or public_prefix.startswith(private_prefix):
            raise ValueError("The private prefix must not be inside the public one, nor the other way round.")
        self._bucket = bucket
        self._public_base_url = public_base_url.rstrip("/")
        self._prefixes = {True: public_prefix, False: private_prefix}
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(
                connect_timeout=timeout_seconds,
                read_timeout=timeout_seconds,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )

    def object_key(self, key: str, *, public: bool) -> str:
        """The bucket key an object is stored under."""
        return self._prefixes[public] + check_key(key)

    async def put(self, key: str, data: bytes, content_type: str, *, public: bool) -> StoredObject:
        await self._run(
            self._client.put_object,
            Bucket=self._bucket,
            Key=self.object_key(key, public=public),
            Body=data,
            ContentType=content_type,
            CacheControl=IMMUTABLE if public else PRIVATE,
        )
        # A key lives under one prefix at a time: re-storing it with the other visibility moves it.
        await self._run(
            self._client.delete_object, Bucket=self._bucket, Key=self.object_key(key, public=not public)
        )
        return StoredObject(key, content_type, len(data))

    async def get(self, key: str) -> bytes:
        for public in (True, False):
            try:
                return await self._run(self._read, self.object_key(key, public=public))
            except NotFound:
                continue
        raise NotFound(f"No stored object {key!r}.")

    async def delete(self, key: str) -> None:
        for public in (True, False):
            await self._run(
                self._client.delete_object, Bucket=self._bucket, Key=self.object_key(key, public=public)
            )

    async def check(self) -> str:
        """`artmarket doctor`: the bucket exists and these credentials may use it (HeadBucket)."""
        await self._run(self._client.head_bucket, Bucket=self._bucket)
        return f"S3 bucket {self._bucket} reachable; public objects under {self._prefixes[True]}"

    def public_url(self, key: str) -> str | None:
        return f"{self._public_base_url}/{check_key(key)}"

    def _read(self, object_key: str) -> bytes:
        answer = self._client.get_object(Bucket=self._bucket, Key=object_key)
        with answer["Body"] as body:
            return bytes(body.read())

    async def _run(self, function: Callable[..., _T], *arguments: Any, **keywords: Any) -> _T:
        """One blocking boto3 call in a worker thread, its failures translated."""
        try:
            return await asyncio.to_thread(function, *arguments, **keywords)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                raise NotFound("No stored object with that key.") from None
            raise StorageUnavailable("Object storage refused the request.") from error
        except BotoCoreError as error:  # timeouts, connection failures
            raise StorageUnavailable("Object storage is unavailable.") from error
