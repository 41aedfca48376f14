"""Fixed-window rate limits kept in a Litestar store: memory in dev, Redis in production."""
