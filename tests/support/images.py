"""Images made in tests with Pillow, shaped like what phones and cameras upload."""

from __future__ import annotations

import io

from PIL import Image


def png_bytes(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_with_gps(width: int = 640, height: int = 480) -> bytes:
    """A JPEG whose EXIF carries a GPS position (Lagos), as phones write it."""
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (6.0, 27.0, 0.0)
    gps[3] = "E"
    gps[4] = (3.0, 23.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(0x8825)) or "exif" in image.info
