"""What every SQL read model shares: an autocommit engine and one way to run a query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from artmarket.adapters.persistence.errors import translated_errors

#: A row of any number of columns of any type.
AnyRow: TypeAlias = Row[*tuple[Any, ...]]


class SqlReadModel:
    """A read model over the database with SQLAlchemy Core: no entity is loaded, nothing written."""

    def __init__(self, engine: AsyncEngine) -> None:
        # Single reads need no transaction: autocommit spares a BEGIN and a ROLLBACK each.
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    async def _rows(self, query: Any) -> Sequence[AnyRow]:
        """Every row `query` selects; a database out of reach is `StorageUnavailable`."""
        with translated_errors():
            async with self._engine.connect() as connection:
                return (await connection.execute(query)).all()

    async def _first(self, query: Any) -> AnyRow | None:
        """The first row `query` selects, if any."""
        with translated_errors():
            async with self._engine.connect() as connection:
                return (await connection.execute(query)).first()
