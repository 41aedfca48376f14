"""Blocking `hiero-sdk-python` calls: run in a small thread pool on one client, retired on transport failure.

The SDK is blocking and keeps per-node health state without locks, so every SDK call runs
in a small dedicated thread pool. When a call fails in transport (gRPC UNAVAILABLE, "All
nodes are unhealthy", retries exhausted), the SDK client is retired and the next call
builds a fresh one: on a single-node network one UNAVAILABLE would otherwise make every
call fail for the next 16 s.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import structlog
from hiero_sdk_python import (  # type: ignore[import-untyped]  # no py.typed in 0.3.0
    AccountId,
    Client,
    LogLevel,
    PrecheckError,
    ReceiptStatusError,
    ResponseCode,
)
from hiero_sdk_python.exceptions import MaxAttemptsError  # type: ignore[import-untyped]

from artmarket.adapters.ledger.hedera_keys import SigningKey
from artmarket.application.minting.ledger import (
    LedgerError,
    LedgerRejected,
    LedgerUnavailable,
)

_CLIENT_FACTORIES: dict[str, Callable[[], Client]] = {
    "mainnet": Client.for_mainnet,
    "testnet": Client.for_testnet,
    "previewnet": Client.for_previewnet,
}
#: The public networks whose nodes the SDK discovers (any other is "custom", nodes given).
PUBLIC_NETWORKS = tuple(_CLIENT_FACTORIES)
#: Precheck answers that mean "try again", should they ever escape the SDK's own retries.
_TRANSIENT = {
    ResponseCode.BUSY,
    ResponseCode.PLATFORM_NOT_ACTIVE,
    ResponseCode.PLATFORM_TRANSACTION_NOT_CREATED,
    ResponseCode.UNKNOWN,
    ResponseCode.OK,
    ResponseCode.RECEIPT_NOT_FOUND,
}

_T = TypeVar("_T")
log = structlog.get_logger("artmarket.adapters.ledger.hedera")


@dataclass(slots=True)
class _ClientSlot:
    client: Client
    users: int = 0
    retired: bool = False


class SdkCalls:
    """Runs SDK calls in a thread pool on a shared client, translating errors to the Ledger's."""

    def __init__(
        self,
        *,
        network: str,
        nodes: Mapping[str, str],
        operator_id: AccountId,
        operator: SigningKey,
        max_workers: int,
        call_timeout: float,
        grpc_deadline: float,
        max_attempts: int,
        min_backoff: float,
        max_backoff: float,
    ) -> None:
        self._network = network
        self._nodes = dict(nodes)
        self._operator_id = operator_id
        self._operator = operator
        self._call_timeout = call_timeout
        self._grpc_deadline = grpc_deadline
        self._max_attempts = max_attempts
        self._min_backoff = min_backoff
        self._max_backoff = max_backoff
        # Submitting and then waiting for the receipt are bounded by call_timeout each; a
        # last attempt may start just before the end and wait out its gRPC deadline.
        self._await_timeout = 2 * (call_timeout + grpc_deadline + max_backoff) + 5
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="hedera-ledger")
        self._lock = threading.Lock()
        self._slot: _ClientSlot | None = None
        self._closed = False
        _silence_sdk_logging()

    async def aclose(self) -> None:
        """Stop taking calls, wait for the SDK threads and close the client's gRPC channels."""
        if self._closed:
            return
        with self._lock:
            self._closed = True
            slot, self._slot = self._slot, None
            if slot is not None:
                slot.retired = True
        await asyncio.to_thread(self._pool.shutdown, wait=True, cancel_futures=True)
        if slot is not None and slot.users == 0:
            slot.client.close()

    async def run(
        self, operation: str, call: Callable[[Client], _T], *, transaction_id: str | None = None
    ) -> _T:
        """`call(client)` in the pool, bounded in time; failures logged with the `operation`."""
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self._pool, functools.partial(self._call, call))
        except RuntimeError:  # the pool was shut down
            raise LedgerUnavailable("The Hedera ledger is closed.") from None
        try:
            return await asyncio.wait_for(future, self._await_timeout)
        except TimeoutError:
            log.warning("hedera.call_timed_out", operation=operation, transaction_id=transaction_id)
            raise LedgerUnavailable("The Hedera network did not answer in time.") from None
        except LedgerError as error:
            log.warning(
                "hedera.call_failed",
                operation=operation,
                transaction_id=transaction_id,
                error=type(error).__name__,
                status=getattr(error, "status", None),
                detail=str(error.__cause__ or error),
            )
            raise

    def _call(self, call: Callable[[Client], _T]) -> _T:
        """Run one SDK call on a leased client (in a pool thread); translate its errors."""
        with self._lease() as slot:
            try:
                return call(slot.client)
            except PrecheckError as error:
                if error.status in _TRANSIENT:
                    raise LedgerUnavailable() from error
                raise LedgerRejected(ResponseCode(error.status).name) from error
            except ReceiptStatusError as error:
                if error.status in _TRANSIENT:
                    raise LedgerUnavailable() from error
                raise LedgerRejected(ResponseCode(error.status).name) from error
            except MaxAttemptsError as error:
                if not isinstance(error.last_error, PrecheckError | ReceiptStatusError):
                    self._retire(slot)
                raise LedgerUnavailable() from error
            except Exception as error:
                # Transport and client state: gRPC errors, "All nodes are unhealthy", "No
                # certificate available" (TLS without an address book), a node list the SDK
                # could not refresh. The outcome is unknown; a fresh client starts clean.
                self._retire(slot)
                raise LedgerUnavailable() from error

    @contextmanager
    def _lease(self) -> Iterator[_ClientSlot]:
        with self._lock:
            if self._closed:
                raise LedgerUnavailable("The Hedera ledger is closed.")
            if self._slot is None:
                self._slot = _ClientSlot(self._build_client())
            slot = self._slot
            slot.users += 1
        try:
            yield slot
        finally:
            with self._lock:
                slot.users -= 1
                close = slot.retired and slot.users == 0
            if close:
                slot.client.close()

    def _retire(self, slot: _ClientSlot) -> None:
        with self._lock:
            if self._slot is slot:
                self._slot = None
            slot.retired = True

    def _build_client(self) -> Client:
        try:
            if self._network == "custom":
                network_map = {address: AccountId.from_string(node) for address, node in self._nodes.items()}
                # Named "custom", not "localhost": on INVALID_NODE_ACCOUNT the SDK would replace
                # a "localhost" node map with localhost:35211.
                client = Client.for_network(network_map, network_name="custom")
            else:
                client = _CLIENT_FACTORIES[self._network]()  # blocking: fetches the address book
        except Exception as error:
            raise LedgerUnavailable("The Hedera network cannot be set up.") from error
        client.logger.set_level(LogLevel.DISABLED)
        client.set_operator_with(self._operator_id, self._operator.public, self._operator.sign)
        client.set_max_attempts(self._max_attempts)
        client.set_min_backoff(0).set_max_backoff(self._max_backoff).set_min_backoff(self._min_backoff)
        client.set_grpc_deadline(self._grpc_deadline)
        client.set_request_timeout(self._call_timeout)
        return client


def _silence_sdk_logging() -> None:
    """The SDK logs to stdout, at a level read from the generic LOG_LEVEL; we log failures ourselves."""
    logging.getLogger("hiero_sdk_python").setLevel(LogLevel.DISABLED.to_python_level())
