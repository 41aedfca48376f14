"""Image intake: judged by content, bombs refused from the header, renditions without metadata."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image, ImageCms

from artmarket.adapters.media.pillow import PillowImageProcessor
from artmarket.application.media import ImageTooLarge, ProcessedImage, UnsupportedImage

processor = PillowImageProcessor(max_pixels=50_000_000)

SKY_BLUE = (30, 120, 200)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def channels(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    """One pixel's channels (Pillow's `getpixel` is typed for every mode: a number, a tuple or None)."""
    pixel = image.getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def jpeg_with_gps(width: int = 640, height: int = 480) -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera make and a GPS position (Lagos), XMP, a comment."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (6.0, 27.0, 0.0), 3: "E", 4: (3.0, 23.0, 0.0)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    image = Image.new("RGB", (width, height), SKY_BLUE)
    return encoded(image, "JPEG", exif=exif, xmp=xmp, comment=b"shot at home")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_claiming(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR declaring `width` x `height`, with almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 32)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    )


def jpeg_header_claiming(width: int, height: int) -> bytes:
    """A tiny real JPEG whose SOF marker is rewritten to declare `width` x `height`."""
    data = bytearray(encoded(Image.new("RGB", (8, 8)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def assert_no_metadata(rendition_data: bytes) -> None:
    with opened(rendition_data) as image:
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)
        assert "exif" not in image.info
        assert "xmp" not in image.info
        assert "comment" not in image.info


def assert_declared_sizes_are_true(processed: ProcessedImage) -> None:
    for rendition in (processed.display, processed.thumbnail):
        with opened(rendition.data) as image:
            assert image.size == (rendition.width, rendition.height)


def test_a_png_is_accepted_as_png_whatever_it_is_called() -> None:
    data = encoded(Image.new("RGB", (300, 200), SKY_BLUE), "PNG")

    processed = processor.process(data)

    assert processed.format == "png"
    assert (processed.width, processed.height) == (300, 200)
    assert processed.original.data == data
    assert processed.original.content_type == "image/png"
    assert processed.original.kind == "original"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"just some text, named holiday.jpg", id="text"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', id="svg"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", id="pdf"),
        pytest.param(encoded(Image.new("RGB", (10, 10)), "GIF"), id="gif"),
        pytest.param(encoded(Image.new("RGB", (10, 10)), "BMP"), id="bmp"),
        pytest.param(encoded(Image.new("RGB", (10, 10)), "TIFF"), id="tiff"),
    ],
)
def test_anything_but_jpeg_png_or_webp_is_unsupported(payload: bytes) -> None:
    with pytest.raises(UnsupportedImage):
        processor.process(payload)


def test_a_truncated_jpeg_is_unsupported() -> None:
    whole = encoded(Image.effect_noise((400, 300), 60).convert("RGB"), "JPEG")
    with pytest.raises(UnsupportedImage):
        processor.process(whole[: len(whole) // 3])


def test_a_truncated_png_is_unsupported() -> None:
    whole = encoded(Image.effect_noise((400, 300), 60).convert("RGB"), "PNG")
    with pytest.raises(UnsupportedImage):
        processor.process(whole[: len(whole) // 2])


@pytest.mark.parametrize(
    "bomb",
    [
        pytest.param(png_header_claiming(20_000, 20_000), id="png"),
        pytest.param(jpeg_header_claiming(20_000, 20_000), id="jpeg"),
    ],
)
def test_a_tiny_file_declaring_20000_by_20000_pixels_is_refused_quickly(bomb: bytes) -> None:
    assert len(bomb) < 1_000
    started = time.perf_counter()

    with pytest.raises(ImageTooLarge):
        processor.process(bomb)

    # Decoding 400 million pixels would take seconds and over a gigabyte.
    assert time.perf_counter() - started < 1.0


def test_more_pixels_than_configured_is_refused_from_the_header_before_decoding() -> None:
    # 4 MP is far below Pillow's own limit, and the file holds almost no pixel data: had the
    # pixels been decoded, it would have failed as truncated instead.
    small_limit = PillowImageProcessor(max_pixels=1_000_000)
    with pytest.raises(ImageTooLarge, match="4000000 pixels"):
        small_limit.process(png_header_claiming(2_000, 2_000))


def test_an_image_exactly_at_the_pixel_limit_is_accepted() -> None:
    at_limit = PillowImageProcessor(max_pixels=1_000_000)
    processed = at_limit.process(encoded(Image.new("RGB", (1_000, 1_000)), "PNG"))
    assert (processed.width, processed.height) == (1_000, 1_000)


def test_a_configured_limit_above_pillows_default_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)  # restored after the test
    generous = PillowImageProcessor(max_pixels=300_000_000)
    # 225 MP: more than twice Pillow's default limit, which would refuse it as a bomb. Under
    # our limit it goes through (decoded at 1/8 scale; libjpeg pads the missing data grey).
    processed = generous.process(jpeg_header_claiming(15_000, 15_000))
    assert (processed.width, processed.height) == (15_000, 15_000)
    assert (processed.display.width, processed.display.height) == (1600, 1600)


def test_renditions_carry_no_exif_gps_xmp_or_comment() -> None:
    upload = jpeg_with_gps()

    processed = processor.process(upload)

    assert processed.original.data == upload  # the private original is kept as uploaded
    assert_no_metadata(processed.display.data)
    assert_no_metadata(processed.thumbnail.data)


def test_display_is_at_most_1600_and_the_thumbnail_480_in_webp() -> None:
    processed = processor.process(encoded(Image.new("RGB", (4000, 3000), SKY_BLUE), "JPEG"))

    assert (processed.width, processed.height) == (4000, 3000)
    assert (processed.display.width, processed.display.height) == (1600, 1200)
    assert processed.display.content_type == "image/jpeg"
    assert (processed.thumbnail.width, processed.thumbnail.height) == (480, 360)
    assert processed.thumbnail.content_type == "image/webp"
    with opened(processed.display.data) as display, opened(processed.thumbnail.data) as thumbnail:
        assert display.format == "JPEG"
        assert thumbnail.format == "WEBP"
    assert_declared_sizes_are_true(processed)


def test_a_tall_image_is_bounded_by_its_height() -> None:
    processed = processor.process(encoded(Image.new("RGB", (900, 3600), SKY_BLUE), "PNG"))
    assert (processed.display.width, processed.display.height) == (400, 1600)
    assert (processed.thumbnail.width, processed.thumbnail.height) == (120, 480)


def test_small_images_are_not_upscaled() -> None:
    processed = processor.process(encoded(Image.new("RGB", (300, 200), SKY_BLUE), "PNG"))
    assert (processed.display.width, processed.display.height) == (300, 200)
    assert (processed.thumbnail.width, processed.thumbnail.height) == (300, 200)


def test_exif_orientation_is_applied_and_not_left_for_viewers_to_apply_again() -> None:
    # Stored sideways: red on the left, blue on the right; orientation 6 means
    # "rotate 90° clockwise to view", which puts red on top.
    sideways = Image.new("RGB", (400, 200), (0, 0, 255))
    sideways.paste((255, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[ORIENTATION] = 6

    processed = processor.process(encoded(sideways, "JPEG", exif=exif))

    assert (processed.width, processed.height) == (200, 400)
    assert (processed.display.width, processed.display.height) == (200, 400)
    with opened(processed.display.data) as display:
        red, _, blue = channels(display.convert("RGB"), (100, 50))
        assert red > 200 > blue
        assert ORIENTATION not in display.getexif()


def test_webp_is_accepted_and_its_transparency_kept() -> None:
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    image.paste((200, 40, 40, 255), (16, 16, 48, 48))

    processed = processor.process(encoded(image, "WEBP", lossless=True))

    assert processed.format == "webp"
    assert processed.original.content_type == "image/webp"
    assert processed.display.content_type == "image/webp"
    with opened(processed.display.data) as display:
        assert display.mode == "RGBA"
        assert channels(display, (0, 0))[3] == 0


def test_an_opaque_png_gets_a_jpeg_display_and_a_transparent_one_a_webp_display() -> None:
    opaque = processor.process(encoded(Image.new("RGBA", (50, 50), (9, 9, 9, 255)), "PNG"))
    see_through = processor.process(encoded(Image.new("RGBA", (50, 50), (9, 9, 9, 100)), "PNG"))

    assert opaque.display.content_type == "image/jpeg"
    assert see_through.display.content_type == "image/webp"


@pytest.mark.parametrize(
    ("image", "fmt", "options"),
    [
        pytest.param(Image.new("CMYK", (40, 30), (0, 255, 255, 0)), "JPEG", {}, id="cmyk-jpeg"),
        pytest.param(Image.new("L", (40, 30), 128), "JPEG", {}, id="grey-jpeg"),
        pytest.param(Image.new("P", (40, 30), 3), "PNG", {"transparency": 0}, id="palette-png"),
        pytest.param(Image.new("LA", (40, 30), (128, 90)), "PNG", {}, id="grey-alpha-png"),
        pytest.param(Image.new("I;16", (40, 30), 40_000), "PNG", {}, id="16-bit-grey-png"),
        pytest.param(Image.new("1", (40, 30), 1), "PNG", {}, id="1-bit-png"),
    ],
)
def test_every_colour_mode_becomes_a_viewable_rgb_rendition(
    image: Image.Image, fmt: str, options: dict[str, object]
) -> None:
    processed = processor.process(encoded(image, fmt, **options))

    for rendition in (processed.display, processed.thumbnail):
        with opened(rendition.data) as result:
            assert result.mode in ("RGB", "RGBA")
            assert result.size == (40, 30)


def test_a_cmyk_jpeg_keeps_its_colour() -> None:
    cyan = Image.new("CMYK", (40, 30), (255, 0, 0, 0))
    processed = processor.process(encoded(cyan, "JPEG"))
    with opened(processed.display.data) as display:
        red, green, blue = channels(display, (20, 15))
        assert red < 40 < 200 < min(green, blue)


def test_a_16_bit_grey_png_is_scaled_not_clipped_to_white() -> None:
    processed = processor.process(encoded(Image.new("I;16", (40, 30), 32_896), "PNG"))
    with opened(processed.display.data) as display:
        grey, _, _ = channels(display, (20, 15))
        assert 110 < grey < 150


def test_an_rgb_icc_profile_is_kept_for_colour_correctness() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    processed = processor.process(encoded(Image.new("RGB", (64, 48), SKY_BLUE), "JPEG", icc_profile=srgb))
    for rendition in (processed.display, processed.thumbnail):
        with opened(rendition.data) as image:
            assert image.info.get("icc_profile") == srgb


def test_a_multi_picture_jpeg_from_a_camera_is_a_jpeg() -> None:
    frames = [Image.new("RGB", (64, 48), SKY_BLUE), Image.new("RGB", (64, 48), (0, 0, 0))]
    mpo = encoded(frames[0], "MPO", save_all=True, append_images=frames[1:])

    processed = processor.process(mpo)

    assert processed.format == "jpeg"
    assert processed.original.content_type == "image/jpeg"
