"""The edition and drop part of the studio's listing form: unique or limited, and "Available from"."""

from __future__ import annotations

from datetime import UTC, datetime

from artmarket.application.i18n import N_
from artmarket.application.i18n import gettext as _
from artmarket.domain.catalog import Artwork
from artmarket.domain.editions import MAX_EDITION_SIZE, UNIQUE, Edition, EditionKind
from artmarket.domain.errors import DomainError
from artmarket.entrypoints.web.forms import Form

#: The edition choices, each translated where the form is shown (`listing_context`).
EDITION_KINDS = [
    (EditionKind.UNIQUE.value, N_("Unique work: one original")),
    (EditionKind.LIMITED.value, N_("Limited edition: numbered prints, each sold once")),
]
#: API field names → form fields.
EDITION_FIELDS = {
    "edition.size": "edition_size",
    "edition.artist_proofs": "artist_proofs",
}
#: How a `datetime-local` input writes a time (the browser sends no zone: the form says UTC).
DROP_FORMAT = "%Y-%m-%dT%H:%M"


def edition_values(artwork: Artwork) -> dict[str, str]:
    edition, drop = artwork.edition, artwork.available_from
    return {
        "edition": edition.kind.value,
        "edition_size": str(edition.size) if edition.is_limited else "",
        "artist_proofs": str(edition.artist_proofs) if edition.is_limited else "",
        "available_from": drop.astimezone(UTC).strftime(DROP_FORMAT) if drop else "",
    }


def read_edition(form: Form) -> Edition | None:
    """Unique (the default), or limited with its size and artist proofs; None with the errors
    beside their fields. The size and proofs are ignored for a unique work."""
    kind = form.choice("edition", [k.value for k in EditionKind])
    if kind != EditionKind.LIMITED.value:
        return None if form.errors.get("edition") else UNIQUE
    size = form.integer("edition_size", minimum=2, maximum=MAX_EDITION_SIZE)
    if not form.raw("edition_size"):
        form.add_error("edition_size", _("Give the number of prints in the edition."))
    proofs = form.integer("artist_proofs", minimum=0, maximum=MAX_EDITION_SIZE)
    if size is None or not form.ok:
        return None
    if proofs is not None and proofs > size:
        form.add_error("artist_proofs", _("At most as many artist proofs as there are prints."))
        return None
    try:
        return Edition.limited(size, proofs or 0)
    except DomainError as error:
        form.fail(error, fields=EDITION_FIELDS)
        return None


def read_drop(form: Form) -> datetime | None:
    """The "Available from" time, in UTC (what the label says); None when empty. A bad value is
    recorded beside the field (check `form.ok`)."""
    text = form.raw("available_from").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (ValueError, OverflowError):
        form.add_error("available_from", _("Enter a date and time, e.g. 2026-12-24 18:00."))
        return None
