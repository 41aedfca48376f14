"""Mailers: SMTP (aiosmtplib) and `.eml` files for development.

The in-memory fake for tests is in `artmarket.fakes`.
"""
