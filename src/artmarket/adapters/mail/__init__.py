"""Mailers: SMTP (aiosmtplib), `.eml` files for development, and an in-memory fake."""
