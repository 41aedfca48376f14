"""A certificate's HIP-412 metadata document: the JSON whose content address goes on the ledger."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Final
from uuid import UUID

from artmarket.domain.certificates import ArtworkSnapshot

HIP412_FORMAT: Final = "HIP412@2.0.0"


def hip412_document(
    *, certificate_id: UUID, order_id: UUID, artwork: ArtworkSnapshot, issued_at: datetime, description: str
) -> bytes:
    """The HIP-412 metadata JSON of a certificate, serialised canonically (sorted keys, no spaces).

    The bytes are what the content address is computed over, so they must be reproducible.
    """
    document = {
        "name": f"Certificate of authenticity: {artwork.title}",
        "description": description,
        "image": artwork.image_uri or "",
        "type": artwork.image_type,
        "creator": artwork.artist_name,
        "format": HIP412_FORMAT,
        "properties": {
            "artwork_id": str(artwork.artwork_id),
            "order_id": str(order_id),
            "certificate_id": str(certificate_id),
            "artist_id": str(artwork.artist_id),
            "edition": artwork.edition.replace("/", " of "),
            **(
                {"edition_number": artwork.edition_number, "edition_size": artwork.edition_size}
                if artwork.edition_number
                else {}
            ),
            "medium": artwork.medium,
            "year": artwork.year,
            "dimensions": artwork.dimensions,
            "issued_at": issued_at.isoformat(),
        },
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
