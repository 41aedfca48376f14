"""Content-addressed storage (IPFS) for certificate metadata and images."""
