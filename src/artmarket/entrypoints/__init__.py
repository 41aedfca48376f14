"""Entrypoints drive the core: the REST API, the CLI (and later the worker and web pages)."""
