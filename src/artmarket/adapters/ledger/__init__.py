"""Ledger adapters: Hedera through hiero-sdk-python, and a simulated ledger with the same rules."""
