"""One trace from the webhook request to the certificate: request → outbox → relay → task → Paystack.

The app runs the embedded profile against the Paystack stand-in, with the SDK's in-memory
exporter installed as this process's tracer provider (as `configure_tracing` installs the
OTLP one). Paystack's `charge.success` webhook is a SERVER span; the outbox row keeps its
context, the relay's PRODUCER span continues it, the worker's CONSUMER span is the
producer's child, and the verification the task runs — through the instrumented gateway
and httpx — hangs below it. The confirmation's own message (`order.paid`) carries the
trace on to minting, whose ledger calls are spans of the task that makes them. The access
log line of the request names the same trace.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from opentelemetry.util._once import Once
from tests.support.api import Api, app_settings, running_app
from tests.support.paystack_standin import PaystackStandIn

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.adapters.observability.instrumented import InstrumentedLedger
from artmarket.adapters.observability.tracing import add_trace_ids, tracing_active
from artmarket.entrypoints.http import middleware

WEBHOOK = "/api/v1/payments/paystack/webhook"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """An SDK tracer provider recording in memory, installed for this test only.

    OpenTelemetry lets a process set its provider once; like opentelemetry-test-utils'
    `reset_trace_globals`, the fixture resets that guard and restores the previous state.
    """
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    previous = (trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE)
    trace._TRACER_PROVIDER_SET_ONCE = Once()
    trace.set_tracer_provider(provider)
    httpx_spans = HTTPXClientInstrumentor()
    httpx_spans.instrument(tracer_provider=provider)
    try:
        yield exporter
    finally:
        httpx_spans.uninstrument()
        provider.shutdown()
        trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE = previous


class RecordingLog:
    """Stands in for the access logger (structlog's): keeps each line's fields."""

    def __init__(self) -> None:
        self.lines: list[dict[str, Any]] = []

    def info(self, event: str, **fields: Any) -> None:
        self.lines.append({"event": event, **fields})


async def eventually_completed(api: Api, order_id: str, buyer: dict[str, str], within: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while (await api.client.get(f"/api/v1/orders/{order_id}", headers=buyer)).json()["status"] != "completed":
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the order did not complete in time")
        await asyncio.sleep(0.1)


def one(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    found = [span for span in spans if span.name == name]
    assert len(found) == 1, (name, sorted(span.name for span in spans))
    return found[0]


def parent_of(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


def url_of(span: ReadableSpan) -> str:
    """The URL an HTTP client span called (by the current or the older semantic conventions)."""
    attributes = span.attributes or {}
    return str(attributes.get("url.full", attributes.get("http.url")))


async def test_the_worker_continues_the_trace_of_the_webhook_request_down_to_the_paystack_call(
    tmp_path: Path,
    spans: InMemorySpanExporter,
    paystack_standin: PaystackStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    access_log = RecordingLog()
    monkeypatch.setattr(middleware, "log", access_log)
    settings = app_settings(
        tmp_path,
        payments="paystack",
        paystack_secret_key=paystack_standin.secret_key,
        paystack_base_url=paystack_standin.base_url,
    )
    assert tracing_active()
    async with running_app(settings) as api:
        admin = await api.admin()
        artist = await api.approved_artist(admin)
        artwork = await api.published_artwork(artist)
        buyer = await api.register("buyer")
        placed = await api.client.post(
            "/api/v1/orders", json={"artwork_id": artwork["id"]}, headers={**buyer, "Idempotency-Key": "t-1"}
        )
        assert placed.status_code == 201, placed.text
        order_id, reference = placed.json()["order"]["id"], placed.json()["payment"]["reference"]
        paystack_standin.pay(reference)
        body, signature = paystack_standin.webhook_for(reference)
        spans.clear()

        answered = await api.client.post(
            WEBHOOK,
            content=body,
            headers={"x-paystack-signature": signature, "content-type": "application/json"},
        )
        assert answered.status_code == 200, answered.text
        await eventually_completed(api, order_id, buyer)

    finished = list(spans.get_finished_spans())
    request = one(finished, f"POST {WEBHOOK}")
    assert request.kind is SpanKind.SERVER
    trace_id = request.context.trace_id
    publish = one(finished, "publish payment.event_received")
    process = one(finished, "process payment.event_received")
    verify = one(finished, "paystack verify")
    paystack_calls = [
        span
        for span in finished
        if span.kind is SpanKind.CLIENT
        and span.parent is not None
        and span.parent.span_id == verify.context.span_id
    ]
    assert {span.context.trace_id for span in (publish, process, verify, *paystack_calls)} == {trace_id}
    assert (publish.kind, parent_of(publish)) == (SpanKind.PRODUCER, request.context.span_id)
    assert (process.kind, parent_of(process)) == (SpanKind.CONSUMER, publish.context.span_id)
    assert parent_of(verify) == process.context.span_id
    assert [url_of(span) for span in paystack_calls] == [
        f"{paystack_standin.base_url}/transaction/verify/{reference}"
    ]

    # The payment's own message carries the trace on to minting.
    paid_publish = one(finished, "publish order.paid")
    paid_process = one(finished, "process order.paid")
    assert parent_of(paid_publish) == process.context.span_id
    assert parent_of(paid_process) == paid_publish.context.span_id
    # Mints are batched: a batch is minted in whichever trace finds it ready (this task's, or
    # the periodic minter's own), so the ledger call is checked on its own below.
    assert [span.name for span in finished].count("ledger submit_mint") == 1

    (line,) = [line for line in access_log.lines if line["path"] == WEBHOOK]
    assert line["trace_id"] == format(trace_id, "032x")
    assert line["span_id"] == format(request.context.span_id, "016x")


def test_log_lines_inside_a_span_name_its_trace_and_span(spans: InMemorySpanExporter) -> None:
    with trace.get_tracer("test").start_as_current_span("work") as span:
        event = add_trace_ids(None, "info", {"event": "did something"})

    context = span.get_span_context()
    assert event == {
        "event": "did something",
        "trace_id": format(context.trace_id, "032x"),
        "span_id": format(context.span_id, "016x"),
    }
    assert add_trace_ids(None, "info", {"event": "outside"}) == {"event": "outside"}


async def test_ledger_calls_are_client_spans_of_the_work_that_makes_them(spans: InMemorySpanExporter) -> None:
    ledger = InstrumentedLedger(SimulatedLedger())
    token_id = await ledger.default_collection()

    with trace.get_tracer("test").start_as_current_span("process order.paid") as task:
        await ledger.submit_mint(await ledger.prepare_mint(token_id, [b"ipfs://bafkreione"]))

    calls = [span for span in spans.get_finished_spans() if span.name.startswith("ledger ")]
    assert [span.name for span in calls] == ["ledger prepare_mint", "ledger submit_mint"]
    for call in calls:
        assert call.kind is SpanKind.CLIENT
        assert parent_of(call) == task.get_span_context().span_id
        assert call.attributes is not None
        assert call.attributes["ledger.network"] == "simulated"


async def test_certificate_ledger_calls_are_client_spans_that_pass_through(
    spans: InMemorySpanExporter,
) -> None:
    ledger = InstrumentedLedger(SimulatedLedger())
    token_id = await ledger.default_collection()
    await ledger.submit_mint(await ledger.prepare_mint(token_id, [b"ipfs://bafkreione"]))

    with trace.get_tracer("test").start_as_current_span("revoke certificate") as task:
        outcome = await ledger.submit(await ledger.prepare_burn(token_id, 1))

    assert await ledger.transaction_outcome(outcome.transaction_id) == outcome
    record = await ledger.nft(token_id, 1)
    assert record is not None
    assert record.owner_account is None
    assert ledger.treasury_account == "0.0.2"
    calls = [
        span for span in spans.get_finished_spans() if span.name in {"ledger prepare_burn", "ledger submit"}
    ]
    assert [span.name for span in calls] == ["ledger prepare_burn", "ledger submit"]
    for call in calls:
        assert call.kind is SpanKind.CLIENT
        assert parent_of(call) == task.get_span_context().span_id
    assert calls[1].attributes is not None
    assert calls[1].attributes["ledger.kind"] == "burn"
