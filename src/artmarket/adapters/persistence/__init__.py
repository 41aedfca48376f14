"""Persistence: SQLAlchemy tables, imperative mappings, unit of work, migrations and the in-memory fake."""
