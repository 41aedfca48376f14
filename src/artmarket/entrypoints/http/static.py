"""Static file routers (media, the pages' assets, Swagger UI's files) over `LocalFiles`."""

from __future__ import annotations

from typing import Any

from litestar import Router
from litestar.file_system import BaseLocalFileSystem
from litestar.static_files import create_static_files_router
from litestar.types import FileInfo, PathType


class LocalFiles(BaseLocalFileSystem):
    """Local files, where a path no file can have (with a NUL byte) is not found (404).

    `os.stat` raises `ValueError` for such a path, which Litestar would answer with a 500.
    """

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        if "\x00" in str(path):
            raise FileNotFoundError(str(path))
        return await super().info(path, **kwargs)


def static_files_router(**options: Any) -> Router:
    """`create_static_files_router(**options)` serving from `LocalFiles`."""
    return create_static_files_router(file_system=LocalFiles(), **options)
