"""axe-core in a Playwright page: the serious and critical accessibility violations of what it shows.

axe-core is vendored for the tests only, under tests/e2e/vendor/axe-core/ (see its README).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Error, Page

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "e2e" / "vendor" / "axe-core" / "axe.min.js"
#: The impacts that fail a page; `minor` and `moderate` are left to review.
FAILING_IMPACTS = ("serious", "critical")
# axe's default rule set (WCAG 2.x A and AA and its best practices, not the experimental rules).
_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
    summary: v.nodes.length ? v.nodes[0].failureSummary : "",
  }));
}"""


# The page at rest: no HTMX request in flight (its elements are dimmed meanwhile), then every
# finite CSS animation or transition finished (spinners loop forever: not awaited).
_SETTLED = """async () => {
  for (let waited = 0; document.querySelector('.htmx-request') && waited < 10000; waited += 50) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const running = document.getAnimations().filter(
    a => a.effect && a.effect.getComputedTiming().iterations !== Infinity);
  await Promise.all(running.map(a => a.finished.catch(() => null)));
}"""


@dataclass(frozen=True)
class Violation:
    """One axe-core rule broken on a page, and where (CSS selectors of the offending elements)."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    summary: str

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:5]) + (
            f" (+{len(self.targets) - 5} more)" if len(self.targets) > 5 else ""
        )
        detail = " ".join(self.summary.split())
        return f"[{self.impact}] {self.rule}: {self.help}\n    at {shown}\n    {detail}"


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[Violation]:
    """Run axe-core on the page as it is now; the violations of impact serious or critical."""
    try:
        found = _run_axe(page)
    except Error as error:
        if "context was destroyed" not in str(error):
            raise
        # A navigation began under axe (a form or a refresh finishing): check the page it led to.
        page.wait_for_load_state()
        found = _run_axe(page)
    return [
        Violation(v["id"], v["impact"], v["help"], tuple(v["targets"]), v["summary"])
        for v in found
        if v["impact"] in FAILING_IMPACTS
    ]


def _run_axe(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not a <script> tag: the app's CSP forbids inline scripts.
        page.evaluate(_axe_source())
    # Colours are read as shown: a card still fading in would fail contrast it does not have.
    page.evaluate(_SETTLED)
    found: list[dict[str, Any]] = page.evaluate(_RUN)
    return found


def describe(url: str, violations: list[Violation]) -> str:
    """The violations of one page, readably, for an assertion message."""
    return f"{url}:\n" + "\n".join(f"  {v}" for v in violations)
