"""HTTP request metrics: one series per method, route template and status, as dashboards query them."""

from __future__ import annotations

from prometheus_client import REGISTRY

from artmarket.adapters.observability.metrics import HttpMetrics


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, {"app_name": "metrics-test", **labels}) or 0.0


def test_a_finished_request_counts_once_under_its_route_and_status_with_its_duration() -> None:
    metrics = HttpMetrics(app_name="metrics-test")
    labels = {"method": "GET", "path": "/api/v1/artworks/{artwork_id:uuid}", "status_code": "200"}

    metrics.observe("GET", "/api/v1/artworks/{artwork_id:uuid}", 200, 0.25)
    metrics.observe("GET", "/api/v1/artworks/{artwork_id:uuid}", 200, 0.5)

    assert sample("artmarket_http_requests_total", **labels) == 2
    assert sample("artmarket_http_request_duration_seconds_count", **labels) == 2
    assert sample("artmarket_http_request_duration_seconds_sum", **labels) == 0.75
    assert sample("artmarket_http_request_duration_seconds_bucket", le="0.25", **labels) == 1
    assert sample("artmarket_http_requests_error_total", **labels) == 0


def test_server_errors_are_also_counted_as_errors_and_client_errors_are_not() -> None:
    metrics = HttpMetrics(app_name="metrics-test")

    metrics.observe("POST", "/api/v1/orders", 503, 0.1)
    metrics.observe("POST", "/api/v1/orders", 422, 0.1)

    failed = {"method": "POST", "path": "/api/v1/orders", "status_code": "503"}
    refused = {**failed, "status_code": "422"}
    assert sample("artmarket_http_requests_error_total", **failed) == 1
    assert sample("artmarket_http_requests_total", **refused) == 1
    assert sample("artmarket_http_requests_error_total", **refused) == 0


def test_unknown_methods_share_one_label_so_clients_cannot_grow_the_series() -> None:
    metrics = HttpMetrics(app_name="metrics-test")

    for method in ("BREW", "PROPFIND", "X-ANYTHING"):
        metrics.observe(method, "/health", 405, 0.01)
        metrics.in_progress(method).inc()

    assert sample("artmarket_http_requests_total", method="OTHER", path="/health", status_code="405") == 3
    assert sample("artmarket_http_requests_in_progress", method="OTHER") == 3
    assert sample("artmarket_http_requests_total", method="BREW", path="/health", status_code="405") == 0
