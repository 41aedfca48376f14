"""Test support: fake outside services that real adapters talk to over real protocols."""
