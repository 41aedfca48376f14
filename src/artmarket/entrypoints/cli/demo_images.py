"""Abstract pictures for the demo catalogue: colour fields, horizons, shapes and bands.

Each picture follows from its seed alone (same seed and Pillow, same bytes), so a demo
catalogue looks the same on every machine. Colour fields are painted at a tenth of the size
and enlarged (the enlargement softens their edges for free); other forms are drawn at full
size; a little grain keeps large flat areas from looking synthetic. About 30 ms a picture
of 1000 px.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Sequence
from typing import Final

from PIL import Image, ImageChops, ImageDraw

Colour = tuple[int, int, int]

#: Palettes that sit well together: a ground, then the colours of the forms on it.
PALETTES: Final[tuple[tuple[Colour, ...], ...]] = (
    ((244, 237, 224), (214, 96, 58), (38, 70, 83), (233, 196, 106), (42, 157, 143)),
    ((28, 30, 48), (239, 131, 84), (255, 209, 102), (6, 214, 160), (17, 138, 178)),
    ((250, 243, 235), (158, 42, 43), (224, 159, 62), (84, 11, 14), (51, 92, 103)),
    ((237, 242, 244), (43, 45, 66), (141, 153, 174), (239, 35, 60), (217, 4, 41)),
    ((21, 52, 72), (60, 110, 113), (217, 217, 217), (40, 75, 99), (255, 183, 3)),
    ((255, 248, 240), (155, 93, 229), (241, 91, 181), (254, 228, 64), (0, 187, 249)),
    ((46, 41, 37), (200, 134, 80), (232, 205, 160), (124, 79, 44), (90, 130, 110)),
    ((242, 232, 207), (56, 102, 65), (106, 153, 78), (167, 201, 87), (188, 71, 73)),
    ((13, 27, 42), (27, 38, 59), (65, 90, 119), (119, 141, 169), (224, 225, 221)),
    ((255, 236, 209), (255, 125, 0), (120, 41, 15), (21, 97, 109), (0, 21, 36)),
)
#: How much smaller colour fields are painted than the picture (their edges soften when enlarged).
_SCALE: Final = 10
_JPEG_QUALITY: Final = 90
_GRAIN_TILE: Final = 256


def _lerp(a: Colour, b: Colour, t: float) -> Colour:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def _gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    """A vertical gradient: one column computed, then stretched across."""
    width, height = size
    column = Image.new("RGB", (1, height))
    column.putdata([_lerp(top, bottom, y / max(height - 1, 1)) for y in range(height)])
    return column.resize((width, height), Image.Resampling.NEAREST)


def _colour_fields(rng: random.Random, palette: Sequence[Colour], size: tuple[int, int]) -> Image.Image:
    """Two or three stacked soft-edged fields on a ground, after the colour-field painters."""
    width, height = size
    small = Image.new("RGB", (width // _SCALE, height // _SCALE), palette[0])
    draw = ImageDraw.Draw(small)
    fields = rng.choice((2, 3))
    margin = small.width * rng.uniform(0.08, 0.14)
    gap = small.height * rng.uniform(0.03, 0.06)
    band = (small.height - 2 * margin - gap * (fields - 1)) / fields
    for index, colour in enumerate(rng.sample(list(palette[1:]), fields)):
        top = margin + index * (band + gap)
        draw.rectangle((margin, top, small.width - margin, top + band * rng.uniform(0.85, 1.0)), fill=colour)
    return small.resize(size, Image.Resampling.BICUBIC)


def _horizon(rng: random.Random, palette: Sequence[Colour], size: tuple[int, int]) -> Image.Image:
    """A graded sky, a low sun and a ground of bands: a landscape reduced to colour."""
    width, height = size
    sky, sun, *grounds = rng.sample(list(palette[1:]), 4)
    image = _gradient(size, _lerp(palette[0], sky, 0.3), sky)
    draw = ImageDraw.Draw(image)
    radius = min(width, height) * rng.uniform(0.12, 0.22)
    horizon = height * rng.uniform(0.55, 0.72)
    centre = width * rng.uniform(0.25, 0.75)
    draw.ellipse((centre - radius, horizon - radius * 1.4, centre + radius, horizon + radius * 0.6), fill=sun)
    top = horizon
    for colour in (*grounds, palette[0]):
        draw.rectangle((0, top, width, height), fill=colour)
        top += (height - horizon) * rng.uniform(0.2, 0.4)
    return image


def _shapes(rng: random.Random, palette: Sequence[Colour], size: tuple[int, int]) -> Image.Image:
    """Overlapping translucent circles, triangles and slabs on a gradient ground."""
    width, height = size
    image = _gradient(size, palette[0], _lerp(palette[0], rng.choice(palette[1:]), 0.35)).convert("RGBA")
    for _ in range(rng.randint(5, 9)):
        layer = Image.new("RGBA", size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        fill = (*rng.choice(palette[1:]), rng.randint(150, 230))
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        reach = min(width, height) * rng.uniform(0.12, 0.35)
        kind = rng.choice(("circle", "triangle", "slab"))
        if kind == "circle":
            draw.ellipse((x - reach, y - reach, x + reach, y + reach), fill=fill)
        elif kind == "triangle":
            draw.polygon(
                [(x, y - reach), (x - reach, y + reach), (x + reach * rng.uniform(0.5, 1.2), y + reach)],
                fill=fill,
            )
        else:
            draw.rectangle((x - reach * 1.6, y - reach * 0.3, x + reach * 1.6, y + reach * 0.3), fill=fill)
        image = Image.alpha_composite(image, layer)
    return image.convert("RGB")


def _bands(rng: random.Random, palette: Sequence[Colour], size: tuple[int, int]) -> Image.Image:
    """Vertical bands of uneven width, some graded, like strip-woven cloth."""
    width, height = size
    image = Image.new("RGB", size, palette[0])
    x = 0.0
    while x < width:
        step = width * rng.uniform(0.04, 0.16)
        colour = rng.choice(palette)
        strip = _gradient((max(int(step) + 1, 1), height), colour, _lerp(colour, rng.choice(palette), 0.5))
        image.paste(strip, (int(x), 0))
        x += step
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(2, 4)):  # a few weft lines across the warp
        y = rng.uniform(0, height)
        draw.rectangle((0, y, width, y + height * rng.uniform(0.01, 0.04)), fill=rng.choice(palette))
    return image


STYLES: Final[tuple[Callable[[random.Random, Sequence[Colour], tuple[int, int]], Image.Image], ...]] = (
    _colour_fields,
    _horizon,
    _shapes,
    _bands,
)


def _with_grain(image: Image.Image, rng: random.Random) -> Image.Image:
    """A faint canvas grain: a seeded tile of noise, narrowed around mid-grey, repeated across."""
    spread = rng.uniform(0.05, 0.09)
    noise = Image.frombytes("L", (_GRAIN_TILE, _GRAIN_TILE), rng.randbytes(_GRAIN_TILE**2))
    tile = noise.point([round(128 + (value - 128) * spread) for value in range(256)])
    grain = Image.new("L", image.size)
    for x in range(0, image.width, _GRAIN_TILE):
        for y in range(0, image.height, _GRAIN_TILE):
            grain.paste(tile, (x, y))
    return ImageChops.overlay(image, Image.merge("RGB", (grain, grain, grain)))


def demo_picture(seed: int, width: int, height: int, style: int | None = None) -> bytes:
    """A JPEG abstract of `width` x `height`, the same for the same arguments."""
    rng = random.Random(seed)
    paint = STYLES[style % len(STYLES)] if style is not None else rng.choice(STYLES)
    picture = paint(rng, rng.choice(PALETTES), (width, height))
    buffer = io.BytesIO()
    _with_grain(picture, rng).save(buffer, format="JPEG", quality=_JPEG_QUALITY)
    return buffer.getvalue()
