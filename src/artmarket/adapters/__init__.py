"""Adapters: the implementations of the application's ports, grouped by port."""
