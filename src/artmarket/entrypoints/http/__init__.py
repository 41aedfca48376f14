"""The Litestar REST API: controllers translate HTTP to use cases and back."""
