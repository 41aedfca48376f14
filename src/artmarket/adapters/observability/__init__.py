"""Metrics (Prometheus), traces (OpenTelemetry) and error reports (Sentry)."""
