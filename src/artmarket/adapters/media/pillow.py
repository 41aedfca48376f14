"""Image intake on Pillow: content sniffing, pixel and decoded-size limits from the header,
metadata-free re-encoding. Blocking; `ThreadedImageProcessor` runs it as the `ImageProcessor` port."""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from artmarket.application.media import (
    CONTENT_TYPES,
    ImageRendition,
    ImageTooLarge,
    ProcessedImage,
    UnsupportedImage,
)

DISPLAY_LONGEST_SIDE = 1600
THUMBNAIL_LONGEST_SIDE = 480
DISPLAY_JPEG_QUALITY = 85
WEBP_QUALITY = 82

#: The plugins allowed to open an upload; nothing else gets a look at the bytes.
ACCEPTED_FORMATS = ["JPEG", "PNG", "WEBP"]
# Pillow reports multi-picture JPEGs (many phones and cameras) as MPO: they are JPEG files.
_FORMAT_NAMES = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp"}
_ORIENTATION = 0x0112
#: Bytes per pixel of the largest full-size copy the processor holds, by decoded mode: Pillow
#: pads RGB to 4 bytes, and palette images are resampled as RGB(A), 1-bit ones as L.
_FULL_SIZE_BYTES_PER_PIXEL = {"1": 1, "L": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}
_WIDEST_PIXEL = 4
#: Full-size copies a decoder holds at once, where it is more than the image itself: Pillow's
#: WebP plugin goes through libwebp's animation decoder (two RGBA canvases) and a bytes copy
#: (a 33 Mpx WebP peaked at 535 MiB, four times its 126 MiB of pixels).
_DECODER_COPIES = {"webp": 4}
#: Modes `Image.reduce` handles; `thumbnail` on the others must resample in one step.
_UNREDUCIBLE = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
MEBIBYTE = 1024 * 1024
_SWAPS_SIDES = {5, 6, 7, 8}
# What a damaged or hostile file makes Pillow's decoders raise.
_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error)

# Pillow warns above `Image.MAX_IMAGE_PIXELS` and refuses above twice that. The processor
# keeps that limit at or above its own, so Pillow's warning only ever fires for an image
# we refuse anyway: make it an error (once, at import; a per-call `catch_warnings` is not
# thread-safe and uploads are processed in worker threads) and map it to `ImageTooLarge`.
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


class PillowImageProcessor:
    """Accepts JPEG, PNG and WebP by content; renditions carry no EXIF, GPS, XMP or comments.

    The ICC profile is kept when the output is in its colour space (RGB); CMYK and grey
    profiles are converted to sRGB. Display: longest side 1600 px, JPEG, or WebP when the
    image has transparency. Thumbnail: longest side 480 px, WebP. Nothing is upscaled.
    """

    def __init__(self, max_pixels: int = 50_000_000, max_decoded_bytes: int = 128 * MEBIBYTE) -> None:
        if max_pixels < 1 or max_decoded_bytes < 1:
            raise ValueError("max_pixels and max_decoded_bytes must be positive")
        self._max_pixels = max_pixels
        self._max_decoded_bytes = max_decoded_bytes
        if Image.MAX_IMAGE_PIXELS is not None and max_pixels > Image.MAX_IMAGE_PIXELS:
            # Never tighter than our own limit, which is checked first for every upload.
            Image.MAX_IMAGE_PIXELS = max_pixels

    def process(self, data: bytes) -> ProcessedImage:
        image = _open(data)
        with image:
            fmt = _FORMAT_NAMES.get(image.format or "")
            if fmt is None:
                raise UnsupportedImage()
            width, height = image.size
            # Only the header has been read: refuse bombs before a single pixel is decoded.
            if width * height > self._max_pixels:
                raise ImageTooLarge(
                    f"The image has {width * height} pixels; at most {self._max_pixels} are accepted."
                )
            if fmt == "jpeg":
                # Decode at 1/2, 1/4 or 1/8 scale when even that stays above the display size.
                image.draft(None, (DISPLAY_LONGEST_SIDE, DISPLAY_LONGEST_SIDE))
            # After `draft`: the size and mode that will really be decoded.
            self._check_decoded_size(image, fmt)
            try:
                image.load()
                orientation = image.getexif().get(_ORIENTATION, 1)
                icc = image.info.get("icc_profile") or None
                # Every later step works on at most display-sized pixels, so the full-size
                # decode is the only large allocation (a 16-bit grey PNG converted at full
                # size first had cost four times its decoded size).
                shrunk = _shrunk_to_display(image)
                upright = ImageOps.exif_transpose(shrunk, in_place=True) or shrunk
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
                raise ImageTooLarge() from error
            except _DAMAGED as error:
                raise UnsupportedImage("The image is damaged or truncated.") from error
            full_size = (height, width) if orientation in _SWAPS_SIDES else (width, height)
            display, icc, transparent = _normalized(upright, icc)
            display.thumbnail((DISPLAY_LONGEST_SIDE, DISPLAY_LONGEST_SIDE), Image.Resampling.LANCZOS)
            thumbnail = display.copy()
            thumbnail.thumbnail((THUMBNAIL_LONGEST_SIDE, THUMBNAIL_LONGEST_SIDE), Image.Resampling.LANCZOS)
            return ProcessedImage(
                format=fmt,
                width=full_size[0],
                height=full_size[1],
                original=ImageRendition("original", data, CONTENT_TYPES[fmt], width, height),
                display=_encode(display, "display", "webp" if transparent else "jpeg", icc),
                thumbnail=_encode(thumbnail, "thumbnail", "webp", icc),
            )

    def _check_decoded_size(self, image: Image.Image, fmt: str) -> None:
        """Refuse, from the header, an image whose decoding would take more memory than the limit."""
        per_pixel = _FULL_SIZE_BYTES_PER_PIXEL.get(image.mode, _WIDEST_PIXEL) * _DECODER_COPIES.get(fmt, 1)
        needed = image.width * image.height * per_pixel
        if needed > self._max_decoded_bytes:
            raise ImageTooLarge(
                f"Decoding this image would take {needed / MEBIBYTE:.0f} MiB of memory; at most "
                f"{self._max_decoded_bytes / MEBIBYTE:.0f} MiB are accepted. Send fewer pixels, or a "
                "JPEG (decoded at a reduced scale, so any size fits)."
            )


def _shrunk_to_display(image: Image.Image) -> Image.Image:
    """`image` within the display size, never upscaled (in place unless a 1-bit or palette image
    is first converted to a mode that resamples smoothly)."""
    if image.mode == "1":
        image = image.convert("L")
    elif image.mode == "P":
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    gap = None if image.mode in _UNREDUCIBLE else 2.0
    image.thumbnail((DISPLAY_LONGEST_SIDE, DISPLAY_LONGEST_SIDE), Image.Resampling.LANCZOS, reducing_gap=gap)
    return image


def _open(data: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLarge() from error
    except (UnidentifiedImageError, *_DAMAGED) as error:
        raise UnsupportedImage() from error


def _normalized(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None, bool]:
    """An RGB or RGBA image (alpha only if some pixel is see-through), the ICC profile that
    still describes it, and whether it has transparency. May return `image` itself."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        # 16-bit greyscale PNG: scale to 8 bits (a plain convert would clip to white).
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    alpha: Image.Image | None = None
    if image.has_transparency_data:
        grey = image.mode in ("1", "L", "LA", "La")
        with_alpha = image.convert("LA" if grey else "RGBA")
        channel = with_alpha.getchannel("A")
        lowest = channel.getextrema()[0]
        if isinstance(lowest, int) and lowest < 255:
            alpha = channel
        image = with_alpha.convert("L" if grey else "RGB")
    profile = _profile(icc)
    if profile is not None and profile.profile.xcolor_space.strip() != "RGB":
        colour, icc = _to_srgb(image, profile), None
    else:
        icc = icc if profile is not None else None
        colour = image if image.mode == "RGB" else image.convert("RGB")
    if alpha is not None:
        colour.putalpha(alpha)
    return colour, icc, alpha is not None


def _profile(icc: bytes | None) -> ImageCms.ImageCmsProfile | None:
    if not icc:
        return None
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # an unreadable profile is dropped rather than trusted


def _to_srgb(image: Image.Image, profile: ImageCms.ImageCmsProfile) -> Image.Image:
    """CMYK or grey pixels through their own profile into sRGB (profiles attach to one colour space)."""
    try:
        converted = ImageCms.profileToProfile(
            image, profile, ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        converted = None
    return converted if converted is not None else image.convert("RGB")


def _encode(image: Image.Image, kind: str, fmt: str, icc: bytes | None) -> ImageRendition:
    options: dict[str, object] = {}
    if fmt == "jpeg":
        image = image.convert("RGB") if image.mode != "RGB" else image
        options = {"quality": DISPLAY_JPEG_QUALITY, "optimize": True, "progressive": True}
    else:
        options = {"quality": WEBP_QUALITY, "method": 4}
    if icc:
        options["icc_profile"] = icc
    # Nothing from the upload's `info` (EXIF, XMP, comments, DPI) reaches the encoder.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, format=fmt.upper(), **options)
    return ImageRendition(kind, buffer.getvalue(), CONTENT_TYPES[fmt], image.width, image.height)
