"""Content-addressed stores for certificates: in memory, a local directory, and a Kubo node."""
