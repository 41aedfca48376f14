"""Test-only fakes: the in-memory database, a settable clock, a fast password hasher, a recording
queue, an in-memory mailer and content stores.

No production module may import this package (an import contract in pyproject.toml says so),
and it is left out of the wheel. The embedded adapters that serve `make run` (the payment
sandbox, the simulated ledger, the local content stores, the file mailer) are production
adapters and live in `artmarket.adapters`.
"""
