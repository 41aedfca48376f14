"""The fourth entrypoint: server-rendered pages (Litestar + Jinja2 + HTMX) over the same use cases."""
