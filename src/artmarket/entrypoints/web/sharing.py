"""What a shared link previews: the meta description, Open Graph and Twitter card values.

A page passes a `Sharing` as `sharing` in its context; `base.html` (`_sharing.html`) writes the
tags, and the canonical link every page has. URLs in the tags are absolute, on the configured
public base URL (`ARTMARKET_PUBLIC_BASE_URL`): a preview is fetched from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from artmarket.application.catalog.ports import ArtistSummary
from artmarket.application.minting.documents import CertificateSheet
from artmarket.domain.catalog import Artwork
from artmarket.entrypoints.web.formatting import label, money
from artmarket.entrypoints.web.listing_text import territory

#: Longer descriptions are cut by every preview anyway; cut them where a word ends.
DESCRIPTION_MAX_LENGTH = 200
SITE_DESCRIPTION = "Original art from independent artists, sold with certificates of authenticity on Hedera."


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
    return Sharing("artmarket: original art", SITE_DESCRIPTION, image)


def artwork_sharing(artwork: Artwork, image: str | None) -> Sharing:
    """Title, artist and price first (a preview may show one line), then the work's own words."""
    words = [f"{artwork.title} by {artwork.artist_name}", money(artwork.price), label(artwork.medium)]
    if artwork.description:
        words.append(artwork.description)
    return Sharing(
        f"{artwork.title} by {artwork.artist_name}", shortened(" · ".join(words)), image, "article"
    )


def artist_sharing(artist: ArtistSummary, image: str | None) -> Sharing:
    where = f", {territory(artist.country)}" if artist.country else ""
    works = f"{artist.published_works} work{'s' if artist.published_works != 1 else ''} for sale"
    words = [f"{artist.display_name}{where} · {works} on artmarket", artist.bio]
    return Sharing(artist.display_name, shortened(" · ".join(w for w in words if w)), image, "profile")


def certificate_sharing(sheet: CertificateSheet, image: str | None) -> Sharing:
    return Sharing(
        f"Certificate of authenticity: {sheet.title}",
        shortened(
            f"{sheet.title} by {sheet.artist} · edition {sheet.edition} · certificate {sheet.number},"
            f" issued {sheet.issued_on} by {sheet.issuer}"
        ),
        image,
    )


def shortened(text: str, limit: int = DESCRIPTION_MAX_LENGTH) -> str:
    """`text` on one line, at most `limit` characters, cut after a whole word with "…"."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def absolute_url(base_url: str, url: str) -> str:
    """`url` as an absolute URL: this origin's paths are put under the public base URL."""
    if url.startswith(("https://", "http://")):
        return url
    return f"{base_url}/{url.lstrip('/')}"
