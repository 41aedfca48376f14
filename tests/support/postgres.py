"""A throwaway PostgreSQL server, for the tests and the benchmarks.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
through `runuser`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from tests.support.ports import free_port

PG_BIN = Path(os.environ.get("ARTMARKET_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "postgres"
PG_HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class PostgresServer:
    """A running server that trusts the `postgres` user over TCP on loopback."""

    port: int
    data_dir: Path

    def conninfo(self, database: str = "postgres") -> str:
        return f"host={PG_HOST} port={self.port} user={PG_USER} dbname={database}"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{self.port}/{database}"


def _as_postgres(command: list[str]) -> list[str]:
    """Run as the `postgres` user when we are root (PostgreSQL will not run as root)."""
    return ["runuser", "-u", PG_USER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str]) -> None:
    completed = subprocess.run(_as_postgres(command), capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(
            f"{command[0]} failed ({completed.returncode}):\n{completed.stdout}{completed.stderr}"
        )


def _start_server(base: Path) -> PostgresServer:
    data_dir = base / "data"
    _run(
        [str(PG_BIN / "initdb"), "-D", str(data_dir), "-A", "trust", "-U", PG_USER, "-E", "UTF8", "--no-sync"]
    )
    last_error: Exception | None = None
    for _attempt in range(3):  # another process (or xdist worker) may take the free port first
        port = free_port()
        options = (
            f"-p {port} -k {base} -c listen_addresses={PG_HOST}"
            " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        try:
            _run(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(data_dir),
                    "-o",
                    options,
                    "-l",
                    str(base / "log"),
                    "-w",
                    "start",
                ]
            )
        except RuntimeError as error:
            last_error = error
            time.sleep(0.2)
            continue
        return PostgresServer(port=port, data_dir=data_dir)
    log = (base / "log").read_text() if (base / "log").exists() else ""
    raise RuntimeError(f"PostgreSQL did not start: {last_error}\n{log}")


@contextmanager
def throwaway_postgres() -> Iterator[PostgresServer]:
    """Start a server in a fresh directory; stop it and delete everything on exit."""
    # Not tmp_path_factory: its parent folder is private to us, and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="artmarket-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, user=PG_USER, group=PG_USER)
    try:
        server = _start_server(base)
        try:
            yield server
        finally:
            _run([str(PG_BIN / "pg_ctl"), "-D", str(server.data_dir), "-m", "fast", "-w", "stop"])
    finally:
        shutil.rmtree(base, ignore_errors=True)


def create_database(server: PostgresServer, name: str, *, template: str | None = None) -> str:
    """A database on `server`, empty or a copy of `template`; its SQLAlchemy URL."""
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(server.conninfo(), autocommit=True) as admin:
        admin.execute(statement)
    return server.url(name)
