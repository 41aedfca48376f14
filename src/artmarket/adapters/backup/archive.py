"""Backups: one tar archive with the database and the local content, and a manifest of checksums.

An archive (`artmarket-backup-<UTC time>.tar`) holds:
- `database.pgdump`: `pg_dump --format=custom` of PostgreSQL (restored with `pg_restore`),
  or `database.sqlite3`: an online copy of the embedded profile's SQLite file;
- `content/<name>/...`: the local content directories (images, certificate blocks, the
  simulated ledger), when the profile keeps them on disk;
- `manifest.json` (last): format, time, schema revision, and the size and SHA-256 of every
  other member; what the archive does not hold (an S3 bucket, a Kubo node) is named there.

The database is dumped first, then the content: content is immutable and only ever added
(keys and CIDs are new for new content), so every file the dump refers to is already on
disk, and files newer than the dump are harmless extras.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

FORMAT = "artmarket-backup/1"
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup could not be made, read or restored; the message says what and why."""


@dataclass(frozen=True, slots=True)
class BackupPlan:
    """What a backup of this deployment holds, chosen from the settings by the composition root."""

    database_url: str
    #: Local directories to archive, by name (e.g. `media` -> `<data_dir>/media`).
    content: Mapping[str, Path] = field(default_factory=dict)
    #: What lives elsewhere and is not in the archive, each with how it is protected.
    not_included: Sequence[str] = ()
    #: Where `pg_dump` and `pg_restore` are; None: the PATH.
    pg_bin_dir: Path | None = None
    schema_revision: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    created_at: str
    database: str
    files: dict[str, dict[str, Any]]
    content: list[str]
    not_included: list[str]
    schema_revision: str | None

    @property
    def size(self) -> int:
        return sum(int(entry["size"]) for entry in self.files.values())


def create_backup(plan: BackupPlan, directory: Path, *, now: datetime | None = None) -> Path:
    """Write a new archive into `directory` and return its path (written to a temporary name first)."""
    directory.mkdir(parents=True, exist_ok=True)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    target = directory / f"artmarket-backup-{moment:%Y%m%dT%H%M%SZ}.tar"
    partial = target.with_suffix(".tar.partial")
    url = _database_url(plan)
    files: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="artmarket-backup-") as scratch:
        dump = Path(scratch) / "dump"
        if url.get_backend_name() == "postgresql":
            database, member = "postgresql", PG_DUMP
            _run(plan, "pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"], url)
        elif url.get_backend_name() == "sqlite" and url.database:
            database, member = "sqlite", SQLITE_COPY
            _copy_sqlite(Path(url.database), dump)
        else:
            raise BackupError(f"Cannot back up a {url.get_backend_name()} database.")
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
                files[member] = _add_file(archive, dump, member)
                for name, root in sorted(plan.content.items()):
                    for path in _files_under(root):
                        member_name = f"content/{name}/{path.relative_to(root).as_posix()}"
                        files[member_name] = _add_file(archive, path, member_name)
                manifest = {
                    "format": FORMAT,
                    "created_at": moment.isoformat().replace("+00:00", "Z"),
                    "database": database,
                    "schema_revision": plan.schema_revision,
                    "content": sorted(plan.content),
                    "not_included": list(plan.not_included),
                    "files": files,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return target


def prune_backups(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives in `directory` (by the time in their names)."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    archives = sorted(directory.glob("artmarket-backup-*.tar"), key=lambda path: path.name, reverse=True)
    doomed = archives[keep:]
    for path in doomed:
        path.unlink()
    return doomed


def verify_backup(path: Path, *, pg_bin_dir: Path | None = None) -> Manifest:
    """Check that every member is the one the manifest names, byte for byte; raise BackupError."""
    try:
        with tarfile.open(path, "r:") as archive:
            manifest = _read_manifest(archive)
            members = {m.name: m for m in archive.getmembers() if m.isfile() and m.name != MANIFEST}
            problems = [f"{name}: missing" for name in manifest.files if name not in members]
            problems += [f"{name}: not in the manifest" for name in members if name not in manifest.files]
            for name, expected in manifest.files.items():
                if name not in members:
                    continue
                digest, size = _digest(_extracted(archive, members[name]))
                if size != expected["size"] or digest != expected["sha256"]:
                    problems.append(f"{name}: checksum mismatch (damaged or altered)")
            if manifest.database == "postgresql" and not problems:
                _check_pg_dump(archive, members[PG_DUMP], pg_bin_dir)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path.name} is not a readable archive: {error}") from None
    if problems:
        raise BackupError(f"{path.name} failed verification: " + "; ".join(problems[:10]))
    return manifest


def restore_backup(path: Path, plan: BackupPlan, *, force: bool = False) -> Manifest:
    """Verify the archive, then restore its database into `plan.database_url` and its content
    into `plan.content`'s directories.

    The target database must be empty (a fresh one) unless `force`, which first drops what
    the archive contains. A PostgreSQL restore runs in one transaction: it lands whole or not
    at all. Content files are added beside what is there (same name, same bytes).
    """
    manifest = verify_backup(path, pg_bin_dir=plan.pg_bin_dir)
    url = _database_url(plan)
    with (
        tempfile.TemporaryDirectory(prefix="artmarket-restore-") as scratch,
        tarfile.open(path, "r:") as archive,
    ):
        if manifest.database == "postgresql":
            if url.get_backend_name() != "postgresql":
                raise BackupError("This archive holds a PostgreSQL dump; restore it into PostgreSQL.")
            if not force and _pg_has_tables(plan, url):
                raise BackupError(
                    f"The database {url.database} is not empty: "
                    "restore into a fresh database, or pass --force."
                )
            dump = Path(scratch) / PG_DUMP
            _extract_to(archive, PG_DUMP, dump)
            options = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
            if force:
                options += ["--clean", "--if-exists"]
            _run(plan, "pg_restore", [*options, str(dump)], url)
        else:
            if url.get_backend_name() != "sqlite" or not url.database:
                raise BackupError("This archive holds a SQLite database; restore it into a SQLite URL.")
            target = Path(url.database)
            if target.exists() and not force:
                raise BackupError(f"{target} exists: restore elsewhere, or pass --force.")
            target.parent.mkdir(parents=True, exist_ok=True)
            _extract_to(archive, SQLITE_COPY, target)
        for name in manifest.content:
            root = plan.content.get(name)
            if root is None:
                raise BackupError(f"The archive holds content {name!r}, which these settings keep nowhere.")
            prefix = f"content/{name}/"
            for member in archive.getmembers():
                if member.isfile() and member.name.startswith(prefix):
                    _extract_to(archive, member.name, _inside(root, member.name.removeprefix(prefix)))
    return manifest


# -- PostgreSQL tools ------------------------------------------------------------------------


def _database_url(plan: BackupPlan) -> URL:
    # SQLAlchemy is imported when a backup runs, not by every `artmarket` command's start (the
    # CLI imports this module).
    from sqlalchemy import make_url

    return make_url(plan.database_url)


def libpq_uri(url: URL) -> str:
    """The URL libpq understands (`postgresql://user@host:port/db?...`), without the password."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _tool(plan: BackupPlan, name: str) -> str:
    if plan.pg_bin_dir is not None:
        candidate = plan.pg_bin_dir / name
        if not candidate.is_file():
            raise BackupError(f"{candidate} not found (ARTMARKET_PG_BIN_DIR)")
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not on the PATH (install the PostgreSQL client, or set ARTMARKET_PG_BIN_DIR)"
        )
    return found


def _run(plan: BackupPlan, tool: str, options: list[str], url: URL) -> None:
    """Run a PostgreSQL tool; the password goes in PGPASSWORD, never on the command line."""
    env = {**os.environ}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    command = [_tool(plan, tool), *options, f"--dbname={libpq_uri(url)}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{tool} failed ({done.returncode}): {done.stderr.strip()[-800:]}")


def _pg_has_tables(plan: BackupPlan, url: URL) -> bool:
    env = {**os.environ, **({"PGPASSWORD": str(url.password)} if url.password is not None else {})}
    psql = Path(_tool(plan, "pg_restore")).with_name("psql")
    query = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    done = subprocess.run(  # noqa: S603
        [str(psql), "--no-psqlrc", "--tuples-only", "--no-align", "-c", query, f"--dbname={libpq_uri(url)}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"cannot inspect the target database: {done.stderr.strip()[-400:]}")
    return int(done.stdout.strip() or 0) > 0


def _check_pg_dump(archive: tarfile.TarFile, member: tarfile.TarInfo, pg_bin_dir: Path | None) -> None:
    """`pg_restore --list`: the dump is a custom-format archive pg_restore can read."""
    tool = str(pg_bin_dir / "pg_restore") if pg_bin_dir else shutil.which("pg_restore")
    if tool is None or not Path(tool).exists():
        return  # checksums already proved the bytes are the ones dumped
    with tempfile.TemporaryDirectory(prefix="artmarket-verify-") as scratch:
        dump = Path(scratch) / PG_DUMP
        _extract_to(archive, member.name, dump)
        done = subprocess.run([tool, "--list", str(dump)], capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_restore cannot read the dump: {done.stderr.strip()[-400:]}")


# -- files -----------------------------------------------------------------------------------


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while the app keeps writing."""
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    live, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        copy.close()
        live.close()


def _files_under(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


class _Hashing(io.RawIOBase):
    """Reads a file while hashing what was read."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._file.read(len(buffer))
        self.sha256.update(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as file:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(file.fileno()).st_size
        info.mtime = int(path.stat().st_mtime)
        info.mode = 0o644
        hashing = _Hashing(file)
        archive.addfile(info, hashing)
    return {"size": info.size, "sha256": hashing.sha256.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        raw = json.loads(_extracted(archive, archive.getmember(MANIFEST)).read())
    except KeyError:
        raise BackupError("no manifest.json: not an artmarket backup") from None
    except ValueError:
        raise BackupError("manifest.json is not JSON") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {raw.get('format') if isinstance(raw, dict) else raw!r}")
    return Manifest(
        created_at=str(raw["created_at"]),
        database=str(raw["database"]),
        files=dict(raw["files"]),
        content=list(raw.get("content", [])),
        not_included=list(raw.get("not_included", [])),
        schema_revision=raw.get("schema_revision"),
    )


def _extracted(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    file = archive.extractfile(member)
    if file is None:
        raise BackupError(f"{member.name} is not a regular file")
    return file


def _digest(file: IO[bytes]) -> tuple[str, int]:
    sha256, size = hashlib.sha256(), 0
    while chunk := file.read(_CHUNK):
        sha256.update(chunk)
        size += len(chunk)
    return sha256.hexdigest(), size


def _inside(root: Path, relative: str) -> Path:
    """`root / relative`, refusing names that would land outside `root` (`..`, absolute paths)."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BackupError(f"refusing {relative!r}: it points outside {root}")
    return target


def _extract_to(archive: tarfile.TarFile, name: str, target: Path) -> None:
    """One member's bytes to `target`, a path chosen here (see `_inside`), not by the archive."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _extracted(archive, archive.getmember(name)) as source, target.open("wb") as sink:
        shutil.copyfileobj(source, sink, _CHUNK)
