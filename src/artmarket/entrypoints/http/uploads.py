"""Reading uploaded files within a size limit (the router refuses larger bodies up front)."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.datastructures import UploadFile

from artmarket.domain.errors import DomainError
from artmarket.entrypoints.http.problems import register_status

# Multipart framing and the other form fields ride along with the file.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class UploadLimits:
    max_bytes: int

    @property
    def max_body_bytes(self) -> int:
        return self.max_bytes + MULTIPART_OVERHEAD_BYTES


class FileTooLarge(DomainError):
    default_message = "The file is larger than the upload limit."


register_status(FileTooLarge, 413)


async def read_upload(upload: UploadFile, max_bytes: int, *, field: str) -> bytes:
    """The file's bytes; refuses (413) as soon as more than `max_bytes` are seen."""
    data = await upload.read(max_bytes + 1)
    await upload.close()
    if len(data) > max_bytes:
        raise FileTooLarge(f"`{field}` is larger than {max_bytes} bytes.")
    return data
