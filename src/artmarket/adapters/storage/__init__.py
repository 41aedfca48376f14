"""Content stores: a local directory (dev), S3-compatible storage (production), and memory (tests)."""
