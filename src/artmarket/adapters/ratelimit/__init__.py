"""Fixed-window rate limits: in process over a Litestar `MemoryStore` (embedded profile,
tests) or in Redis, shared by every API process (whenever `ARTMARKET_REDIS_URL` is set)."""
