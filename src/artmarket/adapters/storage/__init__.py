"""Content stores: a local directory (dev) and S3-compatible storage (production).

The in-memory one for tests is in `artmarket.fakes`.
"""
