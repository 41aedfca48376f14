"""Prometheus metrics: the counters this process increments, and gauges read when scraped.

Every process (each API replica, each worker, the scheduler) exposes its own counters,
histograms and connection-pool gauges; Prometheus scrapes each and `sum`s them. The
business gauges (orders by status, outbox lag, mint queue, emails) are read from the
database, so they are global: every API replica reports the same numbers (alert on `max`).
HTTP request metrics (`artmarket_http_*`) are recorded by the API's edge middleware through
`HttpMetrics`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from enum import Enum
from typing import TypeVar
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import QueuePool
from sqlalchemy.ext.asyncio import AsyncEngine

from artmarket.application.messaging import OutboxStatus
from artmarket.application.notifications.deliveries import DeliveryStatus
from artmarket.application.observability import OperationsSnapshot
from artmarket.application.payments.ports import TransactionStatus
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.ledger_tasks import TaskStatus
from artmarket.domain.order_lifecycle import OrderStatus

#: Text exposition format 0.0.4, what every Prometheus understands (the charset is added by Litestar).
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4.removesuffix("; charset=utf-8")
#: The prefix of the HTTP metrics (`artmarket_http_requests_total`, ...).
HTTP_PREFIX = "artmarket_http"

_Status = TypeVar("_Status", bound=Enum)

# `_created` series double every counter's output for a timestamp nobody graphs.
disable_created_metrics()  # type: ignore[no-untyped-call]  # prometheus_client leaves it unannotated

WEBHOOK_SIGNATURE_FAILURES = Counter(
    "artmarket_webhook_signature_failures",
    "Payment webhooks refused because their signature was missing or wrong.",
)
PAYMENT_WEBHOOKS = Counter(
    "artmarket_payment_webhooks",
    "Payment webhooks received, by result: authentic, invalid_signature or malformed.",
    ["result"],
)
PAYMENT_VERIFICATIONS = Counter(
    "artmarket_payment_verifications",
    "Transaction verifications asked of the payment provider, by result: its transaction status, "
    "or unavailable / error when it did not answer.",
    ["result"],
)
MINT_DURATION = Histogram(
    "artmarket_mint_duration_seconds",
    "From submitting a mint transaction to its receipt, by result: success, rejected or unavailable.",
    ["result"],
    # Hedera reaches consensus in 3-5 s; a slow node or a retry takes tens of seconds.
    buckets=(0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 55, 90, 180),
)

# The names and labels Litestar's Prometheus middleware used, which dashboards and alerts query.
_HTTP_LABELS = ("method", "path", "status_code", "app_name")
HTTP_REQUESTS = Counter(f"{HTTP_PREFIX}_requests_total", "Total requests", _HTTP_LABELS)
HTTP_ERRORS = Counter(f"{HTTP_PREFIX}_requests_error_total", "Total errors in requests", _HTTP_LABELS)
HTTP_DURATION = Histogram(
    f"{HTTP_PREFIX}_request_duration_seconds", "Request duration, in seconds", _HTTP_LABELS
)
HTTP_IN_PROGRESS = Gauge(
    f"{HTTP_PREFIX}_requests_in_progress",
    "Total requests currently in progress",
    ("method", "app_name"),
    multiprocess_mode="livesum",
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Every known series exists from the start (at 0), so rates and dashboards never see gaps.
for _result in ("authentic", "invalid_signature", "malformed"):
    PAYMENT_WEBHOOKS.labels(_result)
for _result in [*(status.value for status in TransactionStatus), "unavailable", "error"]:
    PAYMENT_VERIFICATIONS.labels(_result)
for _result in ("success", "rejected", "unavailable"):
    MINT_DURATION.labels(_result)


class HttpMetrics:
    """Requests by method, route template and status, and their durations (`artmarket_http_*`).

    Each request touches three series; their children are looked up once per (method,
    route, status) and kept, since `labels()` costs more than the increments themselves
    on a path served thousands of times a second (`bench/gallery.py`).
    """

    def __init__(self, app_name: str = "artmarket") -> None:
        self._app_name = app_name
        self._in_progress: dict[str, Gauge] = {}
        self._finished: dict[tuple[str, str, int], tuple[Counter, Histogram, Counter | None]] = {}

    def in_progress(self, method: str) -> Gauge:
        """The gauge of `method`'s requests in progress (the route is not known before routing)."""
        method = _method(method)
        gauge = self._in_progress.get(method)
        if gauge is None:
            gauge = self._in_progress[method] = HTTP_IN_PROGRESS.labels(method, self._app_name)
        return gauge

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """One finished request of a matched route (a template, never a raw URL: ids explode series)."""
        key = (_method(method), route, status)
        children = self._finished.get(key)
        if children is None:
            labels = (*key[:2], str(status), self._app_name)
            errors = HTTP_ERRORS.labels(*labels) if status >= 500 else None
            children = (HTTP_REQUESTS.labels(*labels), HTTP_DURATION.labels(*labels), errors)
            self._finished[key] = children
        requests, duration, errors = children
        requests.inc()
        duration.observe(seconds)
        if errors is not None:
            errors.inc()


def _method(method: str) -> str:
    # Any token is a valid HTTP method: unknown ones share a label rather than grow the series.
    return method if method in _METHODS else "OTHER"


class OperationsCollector(Collector):
    """The business gauges of one snapshot; `artmarket_business_metrics_up` is 0 when it could not be read."""

    def __init__(self, snapshot: OperationsSnapshot | None) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterator[GaugeMetricFamily]:
        snapshot = self._snapshot
        yield GaugeMetricFamily(
            "artmarket_business_metrics_up",
            "1 when the business gauges were read from the database, 0 when it could not be read.",
            value=0 if snapshot is None else 1,
        )
        if snapshot is None:
            return
        yield _by_label(
            "artmarket_orders", "Orders by status.", "status", snapshot.orders_by_status, OrderStatus
        )
        yield GaugeMetricFamily(
            "artmarket_reservations_live",
            "Unpaid orders whose reservation has not lapsed (artworks held for a buyer).",
            value=snapshot.reservations_live,
        )
        yield GaugeMetricFamily(
            "artmarket_orders_stuck",
            "Orders paid but not completed, or unpaid past their expiry, for longer than the threshold.",
            value=snapshot.orders_stuck,
        )
        yield _by_label(
            "artmarket_outbox_messages",
            "Outbox messages by status (published ones are history).",
            "status",
            snapshot.outbox_by_status,
            OutboxStatus,
        )
        yield GaugeMetricFamily(
            "artmarket_outbox_oldest_pending_age_seconds",
            "Age of the oldest outbox message not yet relayed to the queue (0 when none): the relay's lag.",
            value=snapshot.outbox_oldest_pending_age_seconds,
        )
        yield _by_label(
            "artmarket_mint_jobs",
            "Mint jobs by status: the certificate queue's depth.",
            "status",
            snapshot.mint_jobs_by_status,
            MintJobStatus,
        )
        yield _by_label(
            "artmarket_ledger_tasks",
            "Certificate ledger tasks (burns, trail messages, custody moves) by status.",
            "status",
            snapshot.ledger_tasks_by_status,
            TaskStatus,
        )
        yield _by_label(
            "artmarket_emails",
            "Email deliveries by status.",
            "status",
            snapshot.emails_by_status,
            DeliveryStatus,
        )


def _by_label(
    name: str, documentation: str, label: str, counts: Mapping[_Status, int], statuses: Iterable[_Status]
) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for status in statuses:
        family.add_metric([str(status)], counts.get(status, 0))
    return family


class PoolCollector(Collector):
    """The database connection pool of this process (SQLAlchemy's queue pool; nothing for others)."""

    def __init__(self, engine: AsyncEngine, *, max_connections: int | None = None) -> None:
        self._engine = engine
        self._max = max_connections

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pool = self._engine.sync_engine.pool
        # Only a queue pool counts its connections (SQLite's static and null pools do not).
        if not isinstance(pool, QueuePool):
            return
        connections = GaugeMetricFamily(
            "artmarket_db_pool_connections",
            "Database connections of this process's pool: checked_out (in use) or idle.",
            labels=["state"],
        )
        connections.add_metric(["checked_out"], pool.checkedout())
        connections.add_metric(["idle"], pool.checkedin())
        yield connections
        yield GaugeMetricFamily(
            "artmarket_db_pool_size",
            "Connections the pool keeps open (ARTMARKET_DB_POOL_SIZE).",
            value=pool.size(),
        )
        if self._max is not None:
            yield GaugeMetricFamily(
                "artmarket_db_pool_max_connections",
                "Most connections this process may open (pool size plus overflow).",
                value=self._max,
            )


class _Forward(Collector):
    """Another registry's metrics (the default one, where the counters live)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self._registry.collect()


def process_registry(*collectors: Collector, default: CollectorRegistry = REGISTRY) -> CollectorRegistry:
    """The default registry's metrics plus `collectors`, as one registry."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Forward(default))
    for collector in collectors:
        registry.register(collector)
    return registry


class MetricsExposition:
    """Renders `/metrics` of an API process: its own metrics and the business gauges."""

    def __init__(self, *collectors: Collector) -> None:
        self._collectors = collectors

    def render(self, snapshot: OperationsSnapshot | None) -> bytes:
        return generate_latest(process_registry(*self._collectors, OperationsCollector(snapshot)))


def serve_metrics(host: str, port: int, *collectors: Collector) -> tuple[WSGIServer, threading.Thread]:
    """Serve this process's metrics at `http://host:port/metrics` from a daemon thread (worker, scheduler)."""
    return start_http_server(port, addr=host, registry=process_registry(*collectors))
