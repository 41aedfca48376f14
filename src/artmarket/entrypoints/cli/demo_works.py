"""What the demo catalogue holds: three artists, thirty works, and where physical works ship.

Plain data: `demo_catalogue` turns it into accounts, profiles and listings through the use
cases. Prices are in minor units of the work's currency (kobo, pesewas, cents); sizes are
height by width in millimetres. Titles identify works: seeding skips a title the artist has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from artmarket.domain.editions import UNIQUE, Edition
from artmarket.domain.listing import Medium


@dataclass(frozen=True, slots=True)
class DemoArtist:
    email: str
    display_name: str
    legal_name: str
    bio: str
    country: str
    website: str


@dataclass(frozen=True, slots=True)
class DemoWork:
    """One listing. Physical when it has a size (it ships in its currency's zones), else digital."""

    artist: str  # the artist's email
    title: str
    description: str
    medium: Medium
    year: int
    price: int
    currency: str
    #: Height and width in mm (a physical work), or None (digital).
    size_mm: tuple[int, int] | None
    #: The picture's width and height ratio; for a physical work, its size's.
    ratio: tuple[int, int]
    #: The picture's style (`demo_images.STYLES`): 0 colour fields, 1 horizon, 2 shapes, 3 bands.
    style: int
    edition: Edition = UNIQUE
    #: Editions numbers (or the unique work) bought by the demo buyers right after publishing.
    sold: int = 0
    #: A drop: on sale this many days after seeding.
    drop_in_days: int | None = None


ADAEZE, KOFI, WANJIRU = (
    "adaeze.okafor@artmarket.local",
    "kofi.mensah@artmarket.local",
    "wanjiru.mwangi@artmarket.local",
)

ARTISTS: Final = (
    DemoArtist(
        ADAEZE,
        "Adaeze Okafor",
        "Adaeze Chioma Okafor",
        "Painter working in Lagos. Adaeze paints the city's light — harmattan haze, lagoon evenings, "
        "the yellow of danfo buses — as fields of colour that hold a place without picturing it. "
        "Studied at Yaba College of Technology; shown in Lagos, Accra and London.",
        "NG",
        "https://adaeze-okafor.example",
    ),
    DemoArtist(
        KOFI,
        "Kofi Mensah",
        "Kofi Atta Mensah",
        "Textile artist and painter from Accra. Kofi weaves strip cloth on a narrow loom and "
        "carries its rhythms into paint and digital work: bands, grids and repeated signs "
        "drawn from kente and adinkra.",
        "GH",
        "https://kofimensah.example",
    ),
    DemoArtist(
        WANJIRU,
        "Wanjiru Mwangi",
        "Wanjiru Njeri Mwangi",
        "Photographer and painter between Nairobi and Johannesburg. Wanjiru reduces landscapes — "
        "the Rift Valley, the Highveld, the Karoo — to horizons and bands of colour, in prints, "
        "canvases and digital editions.",
        "KE",
        "https://wanjirumwangi.example",
    ),
)

#: Shipping zones per currency: the countries of each zone and the price there (minor units).
SHIPPING: Final[dict[str, tuple[tuple[tuple[str, ...], int], ...]]] = {
    "NGN": (
        (("NG",), 1_500_000),
        (("GH", "BJ", "TG", "CI", "SN"), 4_500_000),
        (("GB", "US", "FR", "DE"), 12_000_000),
    ),
    "GHS": ((("GH",), 15_000), (("NG", "CI", "TG", "BJ"), 60_000), (("GB", "US", "DE", "NL"), 180_000)),
    "KES": ((("KE",), 150_000), (("UG", "TZ", "RW"), 450_000), (("GB", "US", "ZA"), 1_500_000)),
    "ZAR": ((("ZA",), 25_000), (("BW", "NA", "LS", "SZ", "ZW"), 60_000), (("GB", "US", "DE"), 180_000)),
}

PORTRAIT, LANDSCAPE, SQUARE, WIDE, TALL = (3, 4), (4, 3), (1, 1), (16, 9), (4, 5)
DIGITAL = "Digital work: a high-resolution file, delivered with its certificate."


def _physical(
    artist: str,
    title: str,
    medium: Medium,
    year: int,
    price: tuple[int, str],
    size_mm: tuple[int, int],
    style: int,
    description: str,
    *,
    edition: Edition = UNIQUE,
    sold: int = 0,
) -> DemoWork:
    """A physical work of `size_mm` (height, width): its picture has the same proportions."""
    height, width = size_mm
    amount, currency = price
    return DemoWork(
        artist,
        title,
        description,
        medium,
        year,
        amount,
        currency,
        size_mm,
        (width, height),
        style,
        edition,
        sold,
    )


def _digital(
    artist: str,
    title: str,
    year: int,
    price: tuple[int, str],
    ratio: tuple[int, int],
    style: int,
    description: str,
    *,
    drop_in_days: int | None = None,
) -> DemoWork:
    """A digital work whose picture has `ratio` (width, height); `drop_in_days=` makes it a drop."""
    amount, currency = price
    return DemoWork(
        artist,
        title,
        f"{description} {DIGITAL}",
        Medium.DIGITAL,
        year,
        amount,
        currency,
        None,
        ratio,
        style,
        drop_in_days=drop_in_days,
    )


def _naira(amount: int) -> tuple[int, str]:
    return amount * 100, "NGN"


def _cedi(amount: int) -> tuple[int, str]:
    return amount * 100, "GHS"


def _shilling(amount: int) -> tuple[int, str]:
    return amount * 100, "KES"


def _rand(amount: int) -> tuple[int, str]:
    return amount * 100, "ZAR"


def _dollar(amount: int) -> tuple[int, str]:
    return amount * 100, "USD"


ACRYLIC = "Acrylic on stretched canvas, signed on the reverse."
OIL = "Oil on linen, varnished; signed and dated on the reverse."

# One work a row (two lines): the table reads better unwrapped by the formatter.
# fmt: off
WORKS: Final = (
    _physical(ADAEZE, "Harmattan Morning", Medium.PAINTING, 2024, _naira(650_000), (900, 1200), 1,
              f"Dust-softened sun over the lagoon. {ACRYLIC}"),
    _physical(ADAEZE, "Lagoon Hours", Medium.PAINTING, 2023, _naira(820_000), (1200, 900), 1,
              f"The last hour of light on the water at Epe. {OIL}", sold=1),
    _physical(ADAEZE, "Three Fields of Ochre", Medium.PAINTING, 2024, _naira(1_200_000), (1000, 1000), 0,
              f"Three stacked fields, warm to cool. {ACRYLIC}"),
    _physical(ADAEZE, "Danfo Yellow", Medium.PAINTING, 2025, _naira(420_000), (760, 610), 2,
              f"The yellow of Lagos buses against a grey sky. {ACRYLIC}"),
    _physical(ADAEZE, "Market Geometry", Medium.MIXED_MEDIA, 2022, _naira(380_000), (600, 800), 2,
              "Balogun market from above, as shapes. Collage and acrylic on board."),
    _physical(ADAEZE, "Quiet Water, Epe", Medium.PAINTING, 2025, _naira(1_650_000), (1500, 1000), 0,
              f"A tall study of stillness. {OIL}"),
    _physical(ADAEZE, "Harmattan Haze (print)", Medium.PRINT, 2025, _naira(85_000), (500, 400), 1,
              "Giclée print on cotton rag after *Harmattan Morning*; numbered and signed.",
              edition=Edition.limited(25, 2), sold=3),
    _digital(ADAEZE, "Indigo Dusk", 2025, _dollar(240), LANDSCAPE, 1, "Lekki at dusk, drawn on a tablet."),
    _digital(ADAEZE, "Afternoon Signal", 2024, _dollar(180), SQUARE, 2, "Shapes overheard at a bus stop."),
    _physical(ADAEZE, "Red Earth Study", Medium.DRAWING, 2021, _naira(150_000), (297, 420), 0,
              "Pastel on paper, A3, framed behind glass."),
    _physical(KOFI, "Strip Weave I", Medium.TEXTILE, 2023, _cedi(9_500), (1500, 1000), 3,
              "Hand-woven cotton and silk strips, stitched and stretched."),
    _physical(KOFI, "Strip Weave II", Medium.TEXTILE, 2024, _cedi(9_800), (1500, 1000), 3,
              "Hand-woven cotton strips in indigo and gold."),
    _physical(KOFI, "Jamestown Lighthouse", Medium.PAINTING, 2022, _cedi(6_800), (800, 1000), 1,
              f"The lighthouse at dusk, reduced to bands. {ACRYLIC}"),
    _physical(KOFI, "Osu Evenings", Medium.PAINTING, 2025, _cedi(7_200), (1000, 800), 2,
              f"Street light and shadow in Osu. {ACRYLIC}"),
    _physical(KOFI, "Gold Coast Grid", Medium.MIXED_MEDIA, 2024, _cedi(5_400), (900, 900), 3,
              "Acrylic and woven strips on board."),
    _physical(KOFI, "Adinkra Fragments", Medium.PRINT, 2023, _cedi(1_800), (594, 420), 2,
              "Screen print, a unique proof in three colours."),
    _physical(KOFI, "Indigo and Salt", Medium.TEXTILE, 2025, _cedi(12_000), (1200, 1200), 3,
              "Indigo-dyed strip cloth, the salt lines left in."),
    _digital(KOFI, "Trotro Window", 2025, _dollar(150), WIDE, 1, "The coast road, seen from a moving bus."),
    _digital(KOFI, "Harvest Pattern", 2024, _dollar(95), TALL, 3, "A kente pattern, redrawn in light."),
    _physical(KOFI, "Volta Reflections", Medium.PAINTING, 2021, _cedi(4_600), (600, 900), 0,
              f"The river at Akosombo, mirrored. {ACRYLIC}"),
    _physical(WANJIRU, "Rift Valley, First Light", Medium.PHOTOGRAPHY, 2024, _shilling(85_000), (600, 900), 1,
              "Archival pigment print, signed; one of one."),
    _physical(WANJIRU, "Ngong Hills Blue", Medium.PAINTING, 2023, _shilling(160_000), (1000, 1000), 0,
              f"The hills at dusk, in five blues. {OIL}"),
    _physical(WANJIRU, "Matatu Colours", Medium.PAINTING, 2025, _shilling(120_000), (1200, 800), 2,
              f"Nairobi's painted buses, abstracted. {ACRYLIC}"),
    _physical(WANJIRU, "Lake Naivasha Study", Medium.PAINTING, 2022, _shilling(65_000), (500, 700), 1,
              "Watercolour on cotton paper, framed."),
    _physical(WANJIRU, "Kitenge Rhythm", Medium.TEXTILE, 2024, _shilling(210_000), (1400, 1000), 3,
              "Printed cotton, pieced and quilted."),
    _physical(WANJIRU, "Highveld Storm", Medium.PAINTING, 2024, _rand(24_000), (1000, 1500), 0,
              f"A summer storm over Johannesburg. {OIL}"),
    _physical(WANJIRU, "Joburg Dusk", Medium.PAINTING, 2025, _rand(18_500), (900, 900), 1,
              f"Mine dumps and a violet sky. {ACRYLIC}"),
    _physical(WANJIRU, "Karoo Lines", Medium.DRAWING, 2023, _rand(6_500), (420, 594), 2,
              "Charcoal and pastel on paper."),
    _digital(WANJIRU, "Night Market", 2025, _dollar(320), PORTRAIT, 2, "Gikomba market after dark.",
             drop_in_days=3),
    _digital(WANJIRU, "Savanna Code", 2025, _dollar(140), SQUARE, 0, "Grassland as a grid of colour."),
)
# fmt: on
