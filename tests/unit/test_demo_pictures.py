"""The demo catalogue's pictures: the same for the same seed, and of the size asked."""

from __future__ import annotations

import io

from PIL import Image

from artmarket.entrypoints.cli.demo_images import STYLES, demo_picture


def test_a_seed_always_paints_the_same_picture_and_another_seed_another() -> None:
    assert demo_picture(7, 160, 120) == demo_picture(7, 160, 120)
    assert demo_picture(7, 160, 120) != demo_picture(8, 160, 120)


def test_every_style_paints_a_jpeg_of_the_size_asked() -> None:
    for style in range(len(STYLES)):
        for width, height in ((90, 160), (160, 90), (120, 120)):
            with Image.open(io.BytesIO(demo_picture(style, width, height, style=style))) as picture:
                assert (picture.format, picture.size) == ("JPEG", (width, height))
