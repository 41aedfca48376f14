"""The demo catalogue's pictures: the same for the same seed, of the size asked, and cheap."""

from __future__ import annotations

import io
import time

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


def test_thirty_catalogue_sized_pictures_take_under_three_seconds() -> None:
    started = time.perf_counter()
    for seed in range(30):
        demo_picture(seed, 1000, 750, style=seed)
    assert time.perf_counter() - started < 3
