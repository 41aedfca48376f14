"""A local Kubo node for tests: a real HTTP server speaking Kubo's RPC wire format.

It serves, on 127.0.0.1 (a free port, background thread), the RPC commands artmarket uses,
POST only (Kubo answers 405 to other methods):
- `/api/v0/block/put`: one multipart file part; `cid-codec` (default `raw`), `mhtype`
  (default `sha2-256`), `pin` (default false) and `allow-big-block` (default false: a
  block over 1 MiB is refused with Kubo's message). Answers `{"Key": CID, "Size": n}`.
- `/api/v0/block/get?arg=CID`: the raw bytes. A block it does not hold is answered with
  Kubo's offline error when `offline=true`; without it Kubo would search the network,
  which the stand-in models by holding the request `network_search_seconds` first.
- `/api/v0/version`: `{"Version": ...}`.
- `/api/v0/pin/ls?arg=CID&type=recursive`: `{"Keys": {CID: {"Type": "recursive", "Name": ""}}}`
  for a pinned block, Kubo's "is not pinned" error otherwise.
Errors are Kubo's JSON, `{"Message": ..., "Code": 0, "Type": "error"}` with status 500;
an unknown command is 404 text, and a wrong or missing `Authorization` (when `auth` is
set, in Kubo's `API.Authorizations` spelling) is 403.

It CHECKS what it receives: the CID of every block is computed here with `hashlib` and
a hand-written CIDv1 encoding, independently of the multiformats library the adapters
use, so a wrong CID on either side shows. `blocks`, `pins` and `requests` are the end
state to assert on.

Fault injection: `fail_next` (Kubo error JSON or any status), `wrong_cid_next` (block/put
answers the CID of other content), `corrupt_next_get` (block/get returns other bytes),
`hold_next` (keep a request longer than the client waits). `reset` returns to an empty
node; `stop` takes it down (its port then refuses connections).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal, Self
from urllib.parse import parse_qs, urlsplit

#: Kubo's default `BlockSizeLimit` (boxo's `BlockSizeLimit`): 1 MiB.
BLOCK_SIZE_LIMIT = 1024 * 1024
#: What `block put` says past that limit (Kubo's `core/commands/cmdutils`).
BIG_BLOCK_MESSAGE = (
    "produced block is over 1MiB: big blocks can't be exchanged with other peers. "
    "consider using UnixFS for automatic chunking of bigger files, or pass --allow-big-block to override"
)
VERSION = "0.39.0"
_RAW, _SHA2_256, _DAG_PB = 0x55, 0x12, 0x70


def cid_v1(data: bytes, codec: int = _RAW) -> str:
    """CIDv1, base32 lower: b + base32(0x01 codec 0x12 0x20 sha256(data)), no padding.

    Every code here is below 0x80, so each varint is the single byte itself.
    """
    binary = bytes([0x01, codec, _SHA2_256, 32]) + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(binary).decode("ascii").lower().rstrip("=")


def parse_cid(text: str) -> str | None:
    """`text` back in canonical form if it is a base32 raw sha2-256 CIDv1, else None."""
    if not text.startswith("b"):
        return None
    body = text[1:].upper()
    try:
        binary = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError:
        return None
    if len(binary) != 36 or binary[:4] != bytes([0x01, _RAW, _SHA2_256, 32]):
        return None
    return "b" + base64.b32encode(binary).decode("ascii").lower().rstrip("=")


@dataclass(frozen=True, slots=True)
class Request:
    """One request as it arrived."""

    method: str
    command: str
    params: Mapping[str, list[str]]
    authorization: str | None
    content_type: str | None


@dataclass(slots=True)
class _Fault:
    command: str
    kind: Literal["fail", "wrong_cid", "corrupt", "hold"]
    remaining: int
    status: int = 500
    message: str = ""
    seconds: float = 0.0


@dataclass(slots=True)
class _Answer:
    status: int
    body: bytes
    content_type: str = "application/json"
    hold: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class KuboStandIn:
    """Kubo's RPC API on 127.0.0.1; use as a context manager or `start()` / `stop()`."""

    def __init__(self, *, auth: str | None = None, network_search_seconds: float = 5.0) -> None:
        self.auth = auth
        self.network_search_seconds = network_search_seconds
        self._lock = threading.RLock()
        self._release = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None
        self.blocks: dict[str, bytes] = {}
        self.pins: set[str] = set()
        self.requests: list[Request] = []
        self._faults: list[_Fault] = []

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> Self:
        server = _Server(("127.0.0.1", self._port or 0), _Handler)
        server.standin = self
        self._server = server
        self._port = server.server_address[1]
        self._release.clear()
        self._thread = threading.Thread(target=server.serve_forever, name="kubo-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Take the node down: held requests are released, the port refuses connections."""
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.drop_connections()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def api_url(self) -> str:
        """The RPC base URL (what `ARTMARKET_IPFS_API_URL` would be), also after `stop`."""
        if self._port is None:
            raise RuntimeError("The Kubo stand-in was never started.")
        return f"http://127.0.0.1:{self._port}"

    def reset(self) -> None:
        """An empty node: no blocks, pins, faults or recorded requests; held requests released."""
        self._release.set()
        with self._lock:
            self.blocks.clear()
            self.pins.clear()
            self.requests.clear()
            self._faults.clear()
            self.auth = None
        self._release = threading.Event()

    def count(self, command: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.command == command)

    # --- faults -------------------------------------------------------------------------

    def fail_next(self, command: str, *, status: int = 500, message: str = "", times: int = 1) -> None:
        """The next `times` calls of `command` answer `status` (Kubo error JSON if `message`)."""
        self._add(_Fault(command, "fail", times, status=status, message=message))

    def wrong_cid_next(self, *, times: int = 1) -> None:
        """The next `block/put` stores the block but names it by another CID."""
        self._add(_Fault("block/put", "wrong_cid", times))

    def corrupt_next_get(self, *, times: int = 1) -> None:
        """The next `block/get` of a held block returns other bytes."""
        self._add(_Fault("block/get", "corrupt", times))

    def hold_next(self, command: str, seconds: float, *, times: int = 1) -> None:
        """The next calls of `command` are held `seconds` (after processing) before answering."""
        self._add(_Fault(command, "hold", times, seconds=seconds))

    def _add(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, command: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.command == command and fault.remaining > 0:
                    fault.remaining -= 1
                    return fault
        return None

    # --- the RPC ------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes) -> _Answer:
        params = parse_qs(query, keep_blank_values=True)
        command = path.removeprefix("/api/v0/") if path.startswith("/api/v0/") else ""
        with self._lock:
            self.requests.append(
                Request(
                    method, command or path, params, headers.get("authorization"), headers.get("content-type")
                )
            )
        if command not in {"block/put", "block/get", "version", "pin/ls"}:
            return _Answer(404, b"404 page not found\n", "text/plain; charset=utf-8")
        if method != "POST":
            return _Answer(405, b"405 - Method Not Allowed\n", "text/plain; charset=utf-8")
        if self.auth is not None and not self._authorized(headers.get("authorization")):
            return _Answer(403, b"403 - Forbidden\n", "text/plain; charset=utf-8")
        fault = self._take_fault(command)
        if fault is not None and fault.kind == "fail":
            if fault.message:
                return _error(fault.message, fault.status)
            return _Answer(fault.status, b"", "text/plain; charset=utf-8")
        if command == "version":
            answer = _json({"Version": VERSION, "Commit": "standin", "Repo": "16", "System": "amd64/linux"})
        elif command == "block/put":
            answer = self._block_put(params, headers.get("content-type", ""), body, fault)
        elif command == "pin/ls":
            answer = self._pin_ls(params)
        else:
            answer = self._block_get(params, fault)
        if fault is not None and fault.kind == "hold":
            answer.hold = fault.seconds
        return answer

    def _authorized(self, header: str | None) -> bool:
        scheme, _, secret = (self.auth or "").partition(":")
        if scheme == "bearer":
            return header == f"Bearer {secret}"
        if scheme == "basic":
            return header == "Basic " + base64.b64encode(secret.encode()).decode()
        return False

    def _block_put(
        self, params: Mapping[str, list[str]], content_type: str, body: bytes, fault: _Fault | None
    ) -> _Answer:
        codec = _flag(params, "cid-codec", "raw")
        mhtype = _flag(params, "mhtype", "sha2-256")
        if codec != "raw" or mhtype != "sha2-256":
            return _error(f"the stand-in only stores raw sha2-256 blocks, not {codec}/{mhtype}")
        try:
            files = _multipart_files(content_type, body)
        except ValueError as error:
            return _error(str(error), 400)
        if len(files) != 1:
            return _error("file argument 'data' is required", 400)
        data = files[0]
        if len(data) > BLOCK_SIZE_LIMIT and _flag(params, "allow-big-block", "false") != "true":
            return _error(BIG_BLOCK_MESSAGE)
        cid = cid_v1(data)
        with self._lock:
            self.blocks[cid] = data
            if _flag(params, "pin", "false") == "true":
                self.pins.add(cid)
        if fault is not None and fault.kind == "wrong_cid":
            cid = cid_v1(data + b"\n")
        return _json({"Key": cid, "Size": len(data)})

    def _pin_ls(self, params: Mapping[str, list[str]]) -> _Answer:
        args = params.get("arg", [])
        cid = parse_cid(args[0]) if args else None
        if cid is None:
            return _error("the stand-in lists one raw sha2-256 CIDv1 at a time", 400)
        with self._lock:
            pinned = cid in self.pins
        if not pinned:
            return _error(f"path '{args[0]}' is not pinned")
        return _json({"Keys": {cid: {"Type": "recursive", "Name": ""}}})

    def _block_get(self, params: Mapping[str, list[str]], fault: _Fault | None) -> _Answer:
        args = params.get("arg", [])
        if not args:
            return _error('argument "cid" is required', 400)
        cid = parse_cid(args[0])
        if cid is None:
            return _error(f"invalid path {args[0]!r}: not a raw sha2-256 CIDv1 (stand-in)")
        with self._lock:
            data = self.blocks.get(cid)
        if data is None:
            if _flag(params, "offline", "false") == "true":
                return _error(f"block was not found locally (offline): ipld: could not find {cid}")
            # A real node would look for it on the network; here, it waits, then gives up.
            answer = _error(f"failed to fetch {cid}: context deadline exceeded")
            answer.hold = self.network_search_seconds
            return answer
        if fault is not None and fault.kind == "corrupt":
            data = data[::-1] + b"tampered"
        return _Answer(200, data, "text/plain")


def _flag(params: Mapping[str, list[str]], name: str, default: str) -> str:
    values = params.get(name)
    return values[-1].lower() if values else default


def _multipart_files(content_type: str, body: bytes) -> list[bytes]:
    """The contents of each part of a multipart/form-data body (RFC 7578), byte-exact."""
    kind, _, rest = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        raise ValueError("file argument 'data' is required")
    boundary = ""
    for parameter in rest.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "boundary":
            boundary = value.strip('"')
    if not boundary:
        raise ValueError("multipart: boundary is missing")
    delimiter = b"--" + boundary.encode()
    sections = body.split(b"\r\n" + delimiter)
    # The first section starts with the first delimiter line; the last is "--" (the close).
    first = sections[0]
    if not first.startswith(delimiter):
        raise ValueError("multipart: NextPart: EOF")
    sections[0] = first[len(delimiter) :]
    if not sections[-1].startswith(b"--"):
        raise ValueError("multipart: NextPart: EOF")
    files = []
    for section in sections[:-1]:
        headers, separator, content = section.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator or b"content-disposition: form-data" not in headers.lower():
            raise ValueError("multipart: malformed part")
        files.append(content)
    return files


def _json(document: object) -> _Answer:
    # Kubo's encoder ends every JSON answer with a newline.
    return _Answer(200, json.dumps(document).encode() + b"\n")


def _error(message: str, status: int = 500) -> _Answer:
    body = json.dumps({"Message": message, "Code": 0, "Type": "error"}).encode() + b"\n"
    return _Answer(status, body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    standin: KuboStandIn

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def drop_connections(self) -> None:
        """A node that is down keeps no kept-alive connection open either."""
        with self.connections_lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            self.connections.clear()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def _dispatch(self, method: str) -> None:
        standin = self.server.standin
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        release = standin._release
        answer = standin.handle(method, url.path, url.query, headers, body)
        if answer.hold and release.wait(answer.hold):
            self.close_connection = True  # released by reset or stop: drop the request
            return
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
