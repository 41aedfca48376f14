"""A body over the upload limit, posted by a page's form: back to that form, the error beside
the file field (post/redirect/get), rather than a full-page 413.

The upload routes refuse such a body before their handler runs (the router's body limit), so
nothing of the form can be read: the form comes back with its defaults and the error only.
A file over the limit but within the body limit is refused by the handler itself (`read_file`).
HTMX uploads (app.js, with a progress bar) keep the short 413 answer app.js shows.
"""

from __future__ import annotations

import re
from typing import Any, Final

from litestar import Request
from litestar.response import Redirect

from artmarket.entrypoints.http.uploads import MULTIPART_OVERHEAD_BYTES
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import wants_fragment
from artmarket.entrypoints.web.routes.artist.studio import too_large

#: Each upload route (its path), the page of its form, the file field and the form's name there.
UPLOAD_FORMS: Final = (
    (re.compile(r"/artist/artworks/(?P<id>[0-9a-f-]{36})/images"), "/artist/artworks/{id}", "file", "upload"),
    (re.compile(r"/artist/kyc"), "/artist/kyc", "id_document", "form"),
    (re.compile(r"/artist/profile/photo"), "/artist/profile", "photo", "photo"),
)


def back_to_form(request: Request[Any, Any, Any]) -> Redirect | None:
    """The redirect to the form `request` was posted from, or None when it is no page upload."""
    if request.method != "POST" or wants_fragment(request):
        return None
    for pattern, page, field, name in UPLOAD_FORMS:
        if found := pattern.fullmatch(request.url.path):
            body_limit = request.route_handler.resolve_request_max_body_size() or MULTIPART_OVERHEAD_BYTES
            form = Form(errors={field: too_large(body_limit - MULTIPART_OVERHEAD_BYTES)}, status=422)
            return failed_forms.remember(request, form, page.format(**found.groupdict()), name=name)
    return None
