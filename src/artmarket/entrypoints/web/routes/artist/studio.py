"""What the studio's pages share: the artist guard, and uploads (the limit as the pages tell
it, reading a file from the form).
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile

from artmarket.domain.identity import Role
from artmarket.entrypoints.http.uploads import FileTooLarge, UploadLimits, read_upload
from artmarket.entrypoints.web.forms import FieldInvalid
from artmarket.entrypoints.web.sessions import page_requires_role

ARTIST = page_requires_role(Role.ARTIST)


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB"


def too_large(max_bytes: int) -> str:
    """The error beside a file field when the file is over the upload limit."""
    return f"The file is larger than {megabytes(max_bytes)}."


def limits_context(limits: UploadLimits) -> dict[str, Any]:
    return {"max_upload_bytes": limits.max_bytes, "max_upload_text": megabytes(limits.max_bytes)}


async def read_file(request: Request[Any, Any, Any], name: str, limits: UploadLimits) -> bytes:
    """The file sent as `name`; FieldInvalid beside that field when it is missing, empty or too large."""
    data = await request.form()
    upload = data.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise FieldInvalid(name, "Choose a file to upload.")
    try:
        content = await read_upload(upload, limits.max_bytes, field=name)
    except FileTooLarge:
        raise FieldInvalid(name, too_large(limits.max_bytes)) from None
    if not content:
        raise FieldInvalid(name, "The file is empty.")
    return content
