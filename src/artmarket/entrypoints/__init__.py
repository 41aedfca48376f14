"""Entrypoints drive the core: the REST API, the web pages, the CLI and the worker."""
