"""The database schema as SQLAlchemy Core tables, one module per feature; migrations must match it.

Importing this package registers every table, so `metadata` (what Alembic compares and
`errors` reads constraint names from) is complete whichever table module a caller imports.
"""

from artmarket.adapters.persistence.tables import (  # noqa: F401 -- imported to register their tables
    audit,
    catalog,
    certificate_life,
    identity,
    messaging,
    minting,
    notifications,
    orders,
    shipping,
)
from artmarket.adapters.persistence.tables.schema import metadata

__all__ = ["metadata"]
