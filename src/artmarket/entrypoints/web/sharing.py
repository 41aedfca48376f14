"""What a shared link previews: the meta description, Open Graph and Twitter card values.

A page passes a `Sharing` as `sharing` in its context; `base.html` (`_sharing.html`) writes the
tags, and the canonical link every page has. URLs in the tags are absolute, on the configured
public base URL (`ARTMARKET_PUBLIC_BASE_URL`): a preview is fetched from elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from artmarket.application.catalog.ports import ArtistSummary
from artmarket.application.i18n import N_, current_language, ngettext
from artmarket.application.i18n import gettext as _
from artmarket.application.minting.documents import CertificateSheet
from artmarket.domain.catalog import Artwork
from artmarket.entrypoints.web.countries import territory
from artmarket.entrypoints.web.formatting import label, money

#: Longer descriptions are cut by every preview anyway; cut them where a word ends.
DESCRIPTION_MAX_LENGTH = 200
SITE_DESCRIPTION = N_(
    "Original art from independent artists, sold with certificates of authenticity on Hedera."
)


@dataclass(frozen=True, slots=True)
class Sharing:
    """`image`: the picture a preview shows (this origin's path or a media URL), if any."""

    title: str
    description: str
    image: str | None = None
    #: og:type: "website", "article" for an artwork, "profile" for an artist.
    kind: str = "website"


def gallery_sharing(image: str | None) -> Sharing:
    """`image`: the newest work's, so a shared link to the shop shows art."""
    return Sharing(_("artmarket: original art"), _(SITE_DESCRIPTION), image)


def artwork_sharing(artwork: Artwork, image: str | None) -> Sharing:
    """Title, artist and price first (a preview may show one line), then the work's own words."""
    title = _("%(title)s by %(artist)s") % {"title": artwork.title, "artist": artwork.artist_name}
    words = [title, money(artwork.price, current_language().value), label(artwork.medium)]
    if artwork.description:
        words.append(artwork.description)
    return Sharing(title, shortened(" · ".join(words)), image, "article")


def artist_sharing(artist: ArtistSummary, image: str | None) -> Sharing:
    where = f", {territory(artist.country)}" if artist.country else ""
    works = ngettext(
        "%(num)d work for sale on artmarket", "%(num)d works for sale on artmarket", artist.published_works
    ) % {"num": artist.published_works}
    words = [f"{artist.display_name}{where} · {works}", artist.bio]
    return Sharing(artist.display_name, shortened(" · ".join(w for w in words if w)), image, "profile")


def certificate_sharing(sheet: CertificateSheet, image: str | None) -> Sharing:
    return Sharing(
        _("Certificate of authenticity: %(title)s") % {"title": sheet.title},
        shortened(
            _(
                "%(title)s by %(artist)s · edition %(edition)s · certificate %(number)s,"
                " issued %(issued_on)s by %(issuer)s"
            )
            % {
                "title": sheet.title,
                "artist": sheet.artist,
                "edition": sheet.edition,
                "number": sheet.number,
                "issued_on": sheet.issued_on,
                "issuer": sheet.issuer,
            }
        ),
        image,
    )


def shortened(text: str, limit: int = DESCRIPTION_MAX_LENGTH) -> str:
    """`text` on one line, at most `limit` characters, cut after a whole word with "…"."""
    # Only line breaks and ordinary spaces: the no-break spaces of a French price stay (186 000 ₦).
    line = re.sub(r"[ \t\r\n\f\v]+", " ", text).strip(" ")
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def absolute_url(base_url: str, url: str) -> str:
    """`url` as an absolute URL: this origin's paths are put under the public base URL."""
    if url.startswith(("https://", "http://")):
        return url
    return f"{base_url}/{url.lstrip('/')}"
