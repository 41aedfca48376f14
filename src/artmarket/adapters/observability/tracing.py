"""OpenTelemetry: this process's tracer provider, and the trace context carried across processes.

A request's trace continues through the outbox (the row keeps the W3C `traceparent`), the
relay (a PRODUCER span whose context travels in the taskiq task's labels) and the worker (a
CONSUMER span, parent of everything the handlers do, including Paystack and Hedera calls).
Without a configured exporter the API's no-op tracer still passes incoming trace ids along.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor


def tracer() -> trace.Tracer:
    """The tracer of artmarket's own spans, from the provider installed now (no-op when none is)."""
    return trace.get_tracer("artmarket")


def current_trace_context() -> dict[str, str]:
    """The current span as W3C headers (`traceparent`, maybe `tracestate`); {} outside any trace."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


@contextmanager
def continued(trace_context: Mapping[str, str] | None) -> Iterator[None]:
    """Make the trace described by W3C headers current for the block (nothing when there are none)."""
    if not trace_context:
        yield
        return
    token = context.attach(propagate.extract(dict(trace_context)))
    try:
        yield
    finally:
        context.detach(token)


def trace_ids() -> dict[str, str]:
    """The current trace and span ids in hex, as logs and error reports name them; {} outside a trace."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return {}
    return {
        "trace_id": format(span_context.trace_id, "032x"),
        "span_id": format(span_context.span_id, "016x"),
    }


def add_trace_ids(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: every log line written inside a span names its trace and span."""
    for key, value in trace_ids().items():
        event.setdefault(key, value)
    return event


def name_server_span(method: str, route: str | None) -> None:
    """Name the current server span after the matched route (`GET /api/v1/artworks/{artwork_id}`)."""
    span = trace.get_current_span()
    if route and span.is_recording():
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)


def tracing_active() -> bool:
    """True when this process exports spans (a tracer provider of the SDK is installed)."""
    return isinstance(trace.get_tracer_provider(), TracerProvider)


def exporter_endpoint(configured: str | None, environ: Mapping[str, str]) -> str | None:
    """The OTLP/HTTP traces endpoint: artmarket's own base URL, else the standard variables."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    if configured:
        return configured.rstrip("/") + "/v1/traces"
    if environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        return environ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
    if environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return environ["OTEL_EXPORTER_OTLP_ENDPOINT"].rstrip("/") + "/v1/traces"
    return None


def configure_tracing(endpoint: str | None, *, resource: Mapping[str, str]) -> bool:
    """Export this process's spans over OTLP/HTTP to `endpoint` (None: no export); once per process.

    A provider installed before (by a test, or an application embedding artmarket) is kept.
    `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER(_ARG)` and
    `OTEL_EXPORTER_OTLP_HEADERS` are honoured by the SDK itself.
    """
    if tracing_active():
        return True
    if endpoint is None:
        return False
    # Imported here: the exporter pulls in protobuf and requests, needless when tracing is off.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    provider = TracerProvider(resource=Resource.create(dict(resource)))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    # Every httpx client made from now on (Paystack, the Hedera mirror node, Kubo) gets client spans.
    HTTPXClientInstrumentor().instrument()
    return True
