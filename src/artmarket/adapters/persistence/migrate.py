"""Run the schema migrations from code (the CLI and tests), without an alembic.ini."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

#: The migrations ship inside the package, so an installed wheel can migrate its database.
SCRIPT_LOCATION = "artmarket.adapters.persistence:migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for `database_url`, built in code."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("path_separator", "os")
    # ConfigParser treats "%" as interpolation, and URL-encoded passwords contain it.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database up to `revision`; runs its own event loop, so call it outside one."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Migrate the database down to `revision` ("base" removes every table)."""
    command.downgrade(alembic_config(database_url), revision)
