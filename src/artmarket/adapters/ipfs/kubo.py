"""A Kubo node's RPC API over httpx: the production `ContentAddressedStore`.

Content goes in with `block/put?cid-codec=raw&mhtype=sha2-256&pin=true`: one raw block,
so the node's CID is exactly the raw CIDv1 computed here, for any size. `add` would not
do: above its chunk size (256 KiB) it builds a UnixFS DAG whose root is a `bafybei...`
dag-pb CID that nothing outside IPFS can recompute from the bytes. Blocks over Kubo's
1 MiB limit are sent with `allow-big-block=true`; Kubo warns such blocks may not travel
over bitswap, so certificate documents (a few KiB) and display images (well under 1 MiB)
are what this store is for. The CID the node answers is checked against ours.

Reads use `block/get?offline=true`: the node answers from its own blockstore and never
goes looking on the network for a CID it does not hold (which would hang until the
timeout), and every block read is re-hashed before it is returned.

Kubo's RPC is admin-level: keep it on a private network, behind TLS and its own
`API.Authorizations`. `auth` takes Kubo's AuthSecret spelling (`bearer:TOKEN` or
`basic:USER:PASSWORD`; a bare value is a bearer token) and goes only into the
Authorization header: never into logs, reprs or error messages.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import random
from typing import Final

import httpx

from artmarket.adapters.ipfs.cid import CODEC, HASH, canonical_cid, compute_cid
from artmarket.application.minting.content import ContentRef, ContentUnavailable

#: Kubo's default block size limit (`block put --allow-big-block` lifts it).
BLOCK_SIZE_LIMIT: Final = 1024 * 1024
#: Transient answers worth repeating; Kubo's own 500 carries a command error that is not.
_RETRYABLE_STATUS: Final = frozenset({429, 502, 503, 504})
_NOT_FOUND_MARKERS: Final = ("not found", "could not find")

log = logging.getLogger(__name__)


class ContentMismatch(ContentUnavailable):
    """The node named or returned other content than ours: a broken or hostile node."""

    default_message = "The content store answered with content that does not match its address."


def authorization_header(auth: str) -> str:
    """The Authorization header for a Kubo AuthSecret (`bearer:TOKEN`, `basic:USER:PASSWORD`)."""
    scheme, _, rest = auth.partition(":")
    if scheme.lower() == "basic" and ":" in rest:
        return "Basic " + base64.b64encode(rest.encode()).decode()
    if scheme.lower() == "bearer" and rest:
        return f"Bearer {rest}"
    return f"Bearer {auth}"


class KuboContentStore:
    """`ContentAddressedStore` on a Kubo node's RPC (`http://127.0.0.1:5001` by default)."""

    def __init__(
        self,
        api_url: str = "http://127.0.0.1:5001",
        *,
        auth: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        backoff: float = 0.5,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._api = api_url.rstrip("/") + "/api/v0"
        self._headers = {"Accept": "application/json"}
        if auth:
            self._headers["Authorization"] = authorization_header(auth.strip())
        # Connecting should be quick; a large block may legitimately take longer.
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self._max_retries = max(0, max_retries)
        self._backoff = max(0.0, backoff)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient(timeout=self._timeout)

    def __repr__(self) -> str:
        return f"KuboContentStore(api={self._api!r})"

    @property
    def is_closed(self) -> bool:
        return self._client.is_closed

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def put_bytes(self, data: bytes) -> ContentRef:
        data = bytes(data)
        cid = compute_cid(data)
        params = {"cid-codec": CODEC, "mhtype": HASH, "pin": "true"}
        if len(data) > BLOCK_SIZE_LIMIT:
            params["allow-big-block"] = "true"
        answer = await self._post(
            "block/put", params, files={"file": ("block", data, "application/octet-stream")}
        )
        if answer.status_code != 200:
            raise ContentUnavailable(f"The IPFS node refused the content: {_error_of(answer)}.")
        try:
            body = answer.json()
            key, size = str(body["Key"]), int(body["Size"])
        except (ValueError, KeyError, TypeError) as error:
            raise ContentUnavailable("The IPFS node answered block/put with an unexpected body.") from error
        if canonical_cid(key) != cid or size != len(data):
            log.error("IPFS node stored %s (%s bytes) for content whose CID is %s", key[:80], size, cid)
            raise ContentMismatch(f"The IPFS node named the content {key[:80]!r}, not {cid}.")
        return ContentRef(cid, len(data))

    async def get(self, cid: str) -> bytes | None:
        canonical = canonical_cid(cid)
        if canonical is None:
            return None
        answer = await self._post("block/get", {"arg": canonical, "offline": "true"})
        if answer.status_code == 500 and any(m in _error_of(answer).lower() for m in _NOT_FOUND_MARKERS):
            return None
        if answer.status_code != 200:
            raise ContentUnavailable(f"The IPFS node could not return {canonical}: {_error_of(answer)}.")
        if compute_cid(answer.content) != canonical:
            log.error("IPFS node returned content for %s that does not match it", canonical)
            raise ContentMismatch(f"The IPFS node returned other content for {canonical}.")
        return answer.content

    async def confirm_pinned(self, cid: str) -> None:
        """Raise ContentUnavailable unless the node holds a recursive pin of `cid` (`pin/ls`)."""
        answer = await self._post("pin/ls", {"arg": cid, "type": "recursive"})
        keys: object = None
        if answer.status_code == 200:
            try:
                keys = answer.json().get("Keys")
            except (ValueError, AttributeError):
                keys = None
        if not isinstance(keys, dict) or not any(canonical_cid(key) == cid for key in keys):
            raise ContentUnavailable(f"The IPFS node at {self._api} does not pin {cid}: {_error_of(answer)}.")

    async def check(self) -> str:
        """Readiness: the node answers `version`."""
        answer = await self._post("version", {}, retries=0)
        if answer.status_code != 200:
            raise ContentUnavailable(f"The IPFS node answered version with {_error_of(answer)}.")
        try:
            return f"Kubo {answer.json().get('Version', '?')}"
        except (ValueError, AttributeError):
            return "Kubo (version unreadable)"

    async def _post(
        self,
        command: str,
        params: dict[str, str],
        *,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        retries: int | None = None,
    ) -> httpx.Response:
        """POST an RPC command, repeating transport failures and transient answers.

        Every call here is safe to repeat: a block's CID is its content, so storing it
        twice stores it once.
        """
        attempts = 1 + (self._max_retries if retries is None else retries)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                answer = await self._client.post(
                    f"{self._api}/{command}",
                    params=params,
                    files=files,
                    headers=self._headers,
                    timeout=self._timeout,
                )
            except httpx.TransportError as error:
                if last:
                    raise ContentUnavailable(
                        f"The IPFS node is out of reach ({type(error).__name__})."
                    ) from error
            else:
                if answer.status_code not in _RETRYABLE_STATUS or last:
                    return answer
            await asyncio.sleep(self._backoff * 2**attempt * (0.5 + random.random() / 2))
        raise AssertionError("unreachable")  # pragma: no cover


class KuboCheck:
    """Readiness: the Kubo node answers `version` (a `DependencyCheck`)."""

    def __init__(self, store: KuboContentStore, *, name: str = "ipfs") -> None:
        self._store = store
        self.name = name

    async def check(self) -> str:
        return await self._store.check()


def _error_of(answer: httpx.Response) -> str:
    """Kubo's error message (`{"Message": ..., "Code": 0, "Type": "error"}`), or the status."""
    try:
        message = answer.json().get("Message")
    except (ValueError, AttributeError):
        message = None
    if isinstance(message, str) and message:
        return f"{answer.status_code} {message[:200]}"
    return f"HTTP {answer.status_code}"
