"""Payment gateways: Paystack over httpx, and an in-memory Paystack (unit tests and the dev sandbox)."""
