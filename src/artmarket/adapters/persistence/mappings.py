"""Maps the domain classes onto the tables from outside: the domain never imports SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import registry, relationship

from artmarket.adapters.persistence.tables import metadata, refresh_tokens, token_families, users
from artmarket.domain.identity import TokenFamily, User

mapper_registry = registry(metadata=metadata)


@dataclass(eq=False)
class IssuedToken:
    """A row of `refresh_tokens`: one token hash a family has issued (persistence detail only).

    The many-to-one `family` lets the unit of work insert the family before its tokens.
    """

    token_hash: str
    family: TokenFamily


def start_mappers() -> None:
    """Map the domain classes imperatively; calling it again does nothing."""
    if any(mapper.class_ is User for mapper in mapper_registry.mappers):
        return
    mapper_registry.map_imperatively(User, users)
    mapper_registry.map_imperatively(
        TokenFamily,
        token_families,
        properties={
            # Private names: persistence concerns the domain never reads.
            "_version": token_families.c.version,
            # Never loaded or set; it only tells the unit of work to insert users before
            # their families (unrelated mappers are flushed in no particular order).
            "_user": relationship(User, lazy="raise"),
        },
        version_id_col=token_families.c.version,
    )
    mapper_registry.map_imperatively(
        IssuedToken,
        refresh_tokens,
        properties={"family": relationship(TokenFamily, lazy="raise")},
    )
