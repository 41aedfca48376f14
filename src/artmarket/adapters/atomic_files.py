"""Files replaced whole, so a crash never leaves half of one (content stores, ledger, sandbox)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, staging: Path | None = None, mode: int = 0o600) -> None:
    """Replace `path` with `data` durably: a crash leaves either the old or the new file, never part of one.

    The bytes are written to a temporary file in `staging` (default: beside `path`; it must be on the
    same file system), fsynced, renamed over `path`, and the directory entry is fsynced too.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = staging or path.parent
    staging.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=staging)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
