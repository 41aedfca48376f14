"""Checkout: reserve, pay through Paystack, confirm exactly once, expire, cancel, refund."""
