"""Issue 33, item 10 in Chromium against the real stack: every word state of the reader,
light and dark, has text at WCAG AA contrast (4.5:1) on its background, and an unsaved
word of the reading's list no longer looks like a learning word (they looked the same in
dark mode)."""

from __future__ import annotations

import colorsys
import math
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import BrowserPage
from .test_browser_words import FREE_LEMMAS, make_reading

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEXT = (
    "The harbour of the old town is busy every morning. Fishermen bring their boats back "
    "before sunrise and sell the catch on the quay. Tourists watch the seagulls and drink "
    "coffee in the small cafés. In winter the storms are strong, and the waves break over "
    "the long stone wall. The mayor wants to repair the lighthouse next spring."
)
STATES = [("new", None), ("learning", 1), ("learning", 2), ("learning", 3), ("learning", 4),
          ("known", None), ("ignored", None)]  # fmt: skip

# Each word's text colour and its background as drawn: its own and its ancestors'
# backgrounds composited down to the first opaque one (the page).
MEASURE = """() => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const drawn = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] === 1) break;
    }
    let out = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {
      out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    }
    return out;
  };
  const one = (sel) => { const el = document.querySelector(sel); if (!el) return null;
    const line = el.closest('a.vocab');
    return { text: parse(getComputedStyle(el).color).slice(0, 3), back: drawn(el),
             line: line ? parse(getComputedStyle(line).borderBottomColor).slice(0, 3) : null }; };
  const out = {};
  for (const cls of ['s-unknown', 's-new', 's-learning-1', 's-learning-2', 's-learning-3',
                     's-learning-4', 's-known', 's-ignored']) {
    out[cls] = one(`.article-body span.w.${cls}:not(a.vocab *)`);
  }
  out['vocab-unsaved'] = one('.article-body a.vocab span.w.s-unknown');
  return out;
}"""


def luminance(rgb: list[float]) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0–255 channels)."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def hue_distance(a: list[float], b: list[float]) -> float:
    """Degrees between the hues of two colours (0–180)."""
    ha = colorsys.rgb_to_hsv(*(v / 255 for v in a))[0] * 360
    hb = colorsys.rgb_to_hsv(*(v / 255 for v in b))[0] * 360
    return min(abs(ha - hb), 360 - abs(ha - hb))


def contrast(a: list[float], b: list[float]) -> float:
    """WCAG contrast ratio of two colours (1–21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_word_states_meet_wcag_aa_in_light_and_dark(
    stack: Any, stack_web: str, web_page: BrowserPage, new_page: Any, screenshots: Path
) -> None:
    url = make_reading(web_page.page, stack_web, text=TEXT)
    free = [lemma for lemma in dict.fromkeys(web_page.page.evaluate(FREE_LEMMAS)) if lemma]
    # Words of the stack's other readings may be saved already: use ones that are not.
    saved = httpx.post(
        f"{stack.api_url}/words/states", json={"language": "en", "lemmas": free}, timeout=30
    ).json()["states"]
    fresh = [lemma for lemma in free if lemma not in saved and len(lemma) > 3]
    assert len(fresh) >= len(STATES) + 1, fresh
    for lemma, (state, stage) in zip(fresh, STATES, strict=False):
        body: dict[str, Any] = {"language": "en", "word": lemma, "state": state}
        if stage:
            body["stage"] = stage
        httpx.post(f"{stack.api_url}/words", json=body, timeout=30).raise_for_status()
    failures = []
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme).page
        page.goto(url)
        found = page.evaluate(MEASURE)
        page.screenshot(path=str(screenshots / f"word-states-{scheme}.png"))
        missing = [name for name, value in found.items() if value is None]
        assert not missing, (scheme, missing)
        for name, value in found.items():
            ratio = contrast(value["text"], value["back"])
            if ratio < 4.5:
                failures.append(f"{scheme} {name}: text {ratio:.2f}:1")
        # The list's mark (its dotted line) is visible: 3:1, WCAG's non-text contrast.
        vocab = found["vocab-unsaved"]
        line = contrast(vocab["line"], vocab["back"])
        if line < 3:
            failures.append(f"{scheme} vocabulary line {line:.2f}:1")
        # An unsaved word of the list is filled as any unsaved word (its line marks it),
        # and that fill is of another hue than learning's: blue against yellow.
        if math.dist(vocab["back"], found["s-unknown"]["back"]) > 2:
            failures.append(f"{scheme}: unsaved vocabulary filled unlike unsaved words")
        apart = hue_distance(vocab["back"], found["s-learning-1"]["back"])
        if apart < 60:
            failures.append(f"{scheme}: unsaved vocabulary and learning {apart:.0f}° apart")
        # Each state differs from the next less visible one.
        for a, b in (("s-unknown", "s-new"), ("s-unknown", "s-learning-1"),
                     ("s-learning-1", "s-known")):  # fmt: skip
            if math.dist(found[a]["back"], found[b]["back"]) < 12:
                failures.append(f"{scheme}: {a} and {b} look the same")
    assert not failures, failures
