"""The drop countdown's words (static/drop.js): the real script, run by Node without a page."""

from __future__ import annotations

from tests.support.page_scripts import run_page_script

#: Loads the page script without a page (it exports its countdown words) and prints them per input.
_RUN = """
globalThis.window = globalThis;
require(process.argv[1]);
const inputs = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(inputs.map((seconds) => window.artmarketDrop.left(seconds))));
"""


def countdown_words(seconds: list[int]) -> list[str]:
    return list(run_page_script("drop.js", _RUN, seconds))


def test_the_countdown_shows_days_then_hours_minutes_and_seconds() -> None:
    four_days_nine_hours = 4 * 86_400 + 9 * 3_600

    assert countdown_words([four_days_nine_hours, 86_409, 3_725, 9]) == [
        "4 days, 09:00:00",
        "1 day, 00:00:09",
        "01:02:05",
        "00:00:09",
    ]
