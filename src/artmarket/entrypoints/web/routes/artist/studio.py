"""What the studio's pages share: the artist guard, and uploads (the limit as the pages tell
it, reading a file from the form).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from babel.numbers import format_decimal
from litestar import Request
from litestar.datastructures import UploadFile

from artmarket.application.i18n import N_, current_language
from artmarket.application.i18n import gettext as _
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.uploads import FileTooLarge, UploadLimits, read_upload
from artmarket.entrypoints.web.forms import FieldInvalid
from artmarket.entrypoints.web.sessions import page_requires_role

ARTIST = page_requires_role(Role.ARTIST)


@dataclass(frozen=True)
class FileKind:
    """What a file field says when no file (`missing`) or an empty one (`empty`) is sent;
    whole sentences, so that each language can write them its own way."""

    missing: str
    empty: str


IMAGE: Final = FileKind(N_("Choose the image to upload."), N_("The image is empty."))
IDENTITY_DOCUMENT: Final = FileKind(
    N_("Choose the identity document to upload."), N_("The identity document is empty.")
)
PHOTO: Final = FileKind(N_("Choose the photo to upload."), N_("The photo is empty."))


def megabytes(size: int) -> str:
    """`25 MB`, `2.5 MB` (`2,5 Mo` in French): whole megabytes from 10 on."""
    value = size / (1024 * 1024)
    number = format_decimal(value, "0" if value >= 10 else "0.0", locale=current_language().value)
    return _("%(size)s MB") % {"size": number}


def too_large(max_bytes: int) -> str:
    """The error beside a file field when the file is over the upload limit."""
    return _("The file is larger than %(size)s.") % {"size": megabytes(max_bytes)}


def limits_context(limits: UploadLimits) -> dict[str, Any]:
    return {"max_upload_bytes": limits.max_bytes, "max_upload_text": megabytes(limits.max_bytes)}


async def read_file(
    request: Request[Any, Any, Any], name: str, limits: UploadLimits, *, kind: FileKind
) -> bytes:
    data = await request.form()
    upload = data.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise FieldInvalid(name, _(kind.missing))
    try:
        content = await read_upload(upload, limits.max_bytes, field=name)
    except FileTooLarge:
        raise FieldInvalid(name, too_large(limits.max_bytes)) from None
    if not content:
        raise FieldInvalid(name, _(kind.empty))
    return content
