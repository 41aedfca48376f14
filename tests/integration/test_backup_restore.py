"""The restore drill, as an operator runs it: populate a PostgreSQL deployment (paid orders and
their certificates, images and certificate blocks on disk), `artmarket backup create`,
`artmarket backup restore` into a fresh database and data directory, and compare: every
table's row count, a checksum over every row of `orders` and `certificates`, every file."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from tests.support.minting import Minting, policy
from tests.support.postgres import PG_BIN, PostgresServer, create_database

from artmarket.adapters.backup.archive import (
    BackupError,
    BackupPlan,
    create_backup,
    prune_backups,
    verify_backup,
)
from artmarket.adapters.ipfs.local import LocalBlockStore
from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.adapters.persistence import migrate
from artmarket.adapters.persistence.database import create_engine, create_session_factory
from artmarket.adapters.persistence.mappings import start_mappers
from artmarket.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from artmarket.adapters.storage.local import LocalMediaStore
from artmarket.fakes.clock import FixedClock

ARTMARKET = str(Path(sys.executable).parent / "artmarket")
ORDERS = 6


def artmarket(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ARTMARKET, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def environment(data_dir: Path, database_url: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ARTMARKET_")}
    return {
        **clean,
        "ARTMARKET_DATA_DIR": str(data_dir),
        "ARTMARKET_DATABASE_URL": database_url,
        "ARTMARKET_PG_BIN_DIR": str(PG_BIN),
    }


async def populate(database_url: str, data_dir: Path) -> None:
    """Paid orders minted into certificates, with the images and blocks the embedded adapters keep."""
    start_mappers()
    engine = create_engine(database_url)
    try:
        clock = FixedClock()
        ledger = SimulatedLedger(state_file=data_dir / "ledger" / "simulated.json", clock=clock)
        minting = Minting(
            new_uow=lambda: SqlAlchemyUnitOfWork(create_session_factory(engine)),
            ledger=ledger,
            clock=clock,
            policy=policy(await ledger.default_collection()),
            content=LocalBlockStore(data_dir / "ipfs"),  # type: ignore[arg-type]
            media=LocalMediaStore(data_dir / "media", "https://cdn.example/media"),
        )
        orders = await minting.paid_orders(ORDERS)
        for order in orders:
            await minting.start()(order.id)
        assert await minting.mint()() == ORDERS
        assert len(await minting.certificates(orders)) == ORDERS
    finally:
        await engine.dispose()


def snapshot(server: PostgresServer, database: str) -> dict[str, object]:
    """Row counts of every table, and an MD5 over every row of orders and certificates."""
    with psycopg.connect(server.conninfo(database)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        found: dict[str, object] = {}
        for table in tables:
            found[f"rows:{table}"] = connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]  # type: ignore[index]
        for table in ("orders", "certificates"):
            found[f"md5:{table}"] = connection.execute(
                sql.SQL("SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {} AS t").format(
                    sql.Identifier(table)
                )
            ).fetchone()[0]  # type: ignore[index]
    return found


def files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_backup_then_restore_into_a_fresh_database_gives_back_every_row_and_file(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    source_url = create_database(postgres_server, f"drill_{uuid.uuid4().hex[:12]}")
    source_dir = tmp_path / "live"
    migrate.upgrade(source_url)
    asyncio.run(populate(source_url, source_dir))
    before = snapshot(postgres_server, source_url.rsplit("/", 1)[1])
    assert before["rows:orders"] == before["rows:certificates"] == ORDERS

    created = artmarket(
        "backup", "create", "--output", str(tmp_path / "backups"), env=environment(source_dir, source_url)
    )
    assert created.returncode == 0, created.stderr
    archive = Path(created.stdout.splitlines()[0])
    assert archive.name.startswith("artmarket-backup-")
    assert archive.suffix == ".tar"
    assert "content: ipfs, ledger, media" in created.stdout

    fresh_name = f"restored_{uuid.uuid4().hex[:12]}"
    fresh_url = create_database(postgres_server, fresh_name)
    restored_dir = tmp_path / "restored"
    restored = artmarket("backup", "restore", str(archive), env=environment(restored_dir, fresh_url))
    assert restored.returncode == 0, restored.stderr

    assert snapshot(postgres_server, fresh_name) == before
    for content in ("media", "ipfs", "ledger"):
        assert files(restored_dir / content) == files(source_dir / content)
        assert files(source_dir / content), f"the drill had no {content} files to compare"

    # A second restore into the now populated database is refused, and changes nothing.
    again = artmarket("backup", "restore", str(archive), env=environment(restored_dir, fresh_url))
    assert again.returncode == 1
    assert "not empty" in again.stderr
    assert snapshot(postgres_server, fresh_name) == before


@pytest.mark.parametrize("damage", ["flip a byte of the dump", "truncate", "not an archive"])
def test_verify_finds_a_damaged_archive(postgres_server: PostgresServer, tmp_path: Path, damage: str) -> None:
    url = create_database(postgres_server, f"verify_{uuid.uuid4().hex[:12]}")
    migrate.upgrade(url)
    (tmp_path / "media" / "public").mkdir(parents=True)
    (tmp_path / "media" / "public" / "a.webp").write_bytes(b"RIFF....WEBP" * 100)
    plan = BackupPlan(database_url=url, content={"media": tmp_path / "media"}, pg_bin_dir=PG_BIN)
    archive = create_backup(plan, tmp_path / "backups")
    assert verify_backup(archive, pg_bin_dir=PG_BIN).files

    data = bytearray(archive.read_bytes())
    if damage == "flip a byte of the dump":
        data[1024] ^= 0x01  # inside the first member, database.pgdump (headers take 512 bytes)
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data = bytearray(b"this is not a tar file" * 100)
    archive.write_bytes(bytes(data))

    with pytest.raises(BackupError) as raised:
        verify_backup(archive, pg_bin_dir=PG_BIN)
    if damage == "flip a byte of the dump":
        assert "database.pgdump: checksum mismatch" in str(raised.value)


def test_retention_keeps_the_newest_archives(tmp_path: Path) -> None:
    database = tmp_path / "artmarket.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{database}")
    plan = BackupPlan(database_url=f"sqlite+aiosqlite:///{database}")
    made = [
        create_backup(plan, tmp_path / "backups", now=datetime(2026, 3, day, 2, 0, tzinfo=UTC))
        for day in (1, 2, 3)
    ]
    (tmp_path / "backups" / "notes.txt").write_text("not an archive: left alone")

    deleted = prune_backups(tmp_path / "backups", keep=2)

    assert deleted == [made[0]]
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == sorted(
        [made[1].name, made[2].name, "notes.txt"]
    )
    assert verify_backup(made[2]).database == "sqlite"
