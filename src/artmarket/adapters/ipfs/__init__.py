"""Content-addressed stores for certificates: a local directory, and a Kubo node.

The in-memory one for tests is in `artmarket.fakes`.
"""
