"""`ETag` and `Cache-Control` for public reads, with 304 answers to `If-None-Match`."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
from litestar import Request, Response

PUBLIC_LISTING = "public, max-age=15, stale-while-revalidate=60"
PRIVATE = "private, no-store"


def cached(request: Request[Any, Any, Any], body: msgspec.Struct, cache_control: str) -> Response[bytes]:
    encoded = msgspec.json.encode(body)
    etag = '"' + hashlib.blake2b(encoded, digest_size=16).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": cache_control, "Vary": "Authorization"}
    wanted = request.headers.get("if-none-match", "")
    if etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]:
        return Response(b"", status_code=304, headers=headers)
    return Response(encoded, media_type="application/json", headers=headers)
