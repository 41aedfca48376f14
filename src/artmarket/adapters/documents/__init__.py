"""Certificates as documents: the printable PDF."""
