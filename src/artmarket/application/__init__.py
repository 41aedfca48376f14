"""Use cases and the ports they need; imports the domain, never an adapter or an entrypoint."""
