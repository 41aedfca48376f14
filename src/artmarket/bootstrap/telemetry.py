"""How each process logs and reports: JSON log lines, OTLP traces, Sentry errors."""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO, cast

import structlog

from artmarket.adapters.observability.sentry import configure_sentry
from artmarket.adapters.observability.tracing import add_trace_ids, configure_tracing, exporter_endpoint
from artmarket.settings import Settings


class _CurrentStdout:
    """Whatever `sys.stdout` is when a record is written (a test's capture, a redirect)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


def configure_logging(settings: Settings) -> None:
    """JSON lines on stdout; secrets never reach a log call, so nothing needs scrubbing later."""
    level = logging.getLevelName(settings.log_level)
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=level, force=True)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_trace_ids,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # One write per line: print() writes the text and its newline apart, so a line of the
        # stdlib handler (uvicorn, taskiq) could land between them and two records share a line.
        # structlog only calls `write` and `flush` on its file (and binds them once).
        logger_factory=structlog.WriteLoggerFactory(cast(TextIO, _CurrentStdout())),
        cache_logger_on_first_use=True,
    )


def configure_observability(settings: Settings, *, process: str) -> None:
    """Traces over OTLP and errors to Sentry, each only when configured (`docs/configuration.md`)."""
    resource = {
        "service.name": os.environ.get("OTEL_SERVICE_NAME") or settings.otel_service_name,
        "service.namespace": "artmarket",
        "deployment.environment.name": settings.profile,
        "artmarket.process": process,
    }
    if settings.release:
        resource["service.version"] = settings.release
    configure_tracing(exporter_endpoint(settings.otel_exporter_otlp_endpoint, os.environ), resource=resource)
    environment = settings.sentry_environment or settings.profile
    configure_sentry(settings.sentry_dsn, environment=environment, release=settings.release)
