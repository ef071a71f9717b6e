"""Issue 33, item 9 in Chromium against the real stack: the review card after Space (the
button goes, the gap shows the word), the reading of a CJK word on the card, and My words
keeping its filters after an edit, with a search box in line with the other fields."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SENTENCE = "図書館で本を借りました。"


def test_review_fills_the_gap_and_shows_the_reading(
    stack: Any, stack_web: str, web_page: BrowserPage, screenshots: Path
) -> None:
    # Saved without a reading, as the CLI or a typed-in word would: the API adds it.
    saved = httpx.post(
        f"{stack.api_url}/words",
        json={"language": "ja", "word": "図書館", "sentence": SENTENCE, "state": "learning"},
        timeout=240,  # the API's first Japanese word loads the analyzer
    )
    assert saved.status_code == 201, saved.text
    assert saved.json()["contexts"][0]["reading"] == "としょかん"
    page = web_page.page
    page.goto(f"{stack_web}/review")
    card = page.locator("#review-card")
    # The stack is shared: other tests' words may be due first; grade those Good.
    for _ in range(30):
        if card.get_attribute("data-word") == saved.json()["id"]:
            break
        page.keyboard.press("Space")
        page.keyboard.press("3")
        page.wait_for_url(re.compile(r"/review\?last="))
    else:
        raise AssertionError("no review card for 図書館")
    assert card.locator(".cloze-text").inner_text().strip() == "[…]で本を借りました。"
    summary = card.locator("#review-answer > summary")
    assert summary.is_visible()
    page.keyboard.press("Space")
    assert summary.is_hidden()  # the button has done its job
    assert card.locator(".cloze-text").inner_text().strip() == SENTENCE  # the gap filled in
    assert card.locator(".answer .reading").inner_text() == "としょかん"
    page.screenshot(path=str(screenshots / "review-answer-shown.png"))
    # Without JavaScript, a click on the button does the same.
    page.reload()
    page.evaluate("() => document.querySelector('#review-answer > summary').click()")
    assert summary.is_hidden()
    assert card.locator(".cloze-text").inner_text().strip() == SENTENCE


def test_my_words_keeps_its_filters_after_an_edit(
    stack: Any, stack_web: str, web_page: BrowserPage, screenshots: Path
) -> None:
    for word in ("Brücke", "Fluss"):
        httpx.post(
            f"{stack.api_url}/words",
            json={"language": "de", "word": word, "state": "new", "sentence": f"Die {word}."},
            timeout=60,
        ).raise_for_status()
    page = web_page.page
    page.goto(f"{stack_web}/words?language=de&state=new&q=br")
    filtered = page.url
    item = page.locator(".word-item", has_text="Brücke")
    item.locator("summary", has_text="Edit").click()
    item.locator("input[name=meaning]").fill("bridge")
    item.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.url == filtered  # the same list, its filters kept
    assert page.locator("select[name=language]").input_value() == "de"
    assert page.locator("input[name=q]").input_value() == "br"
    assert "bridge" in page.locator(".word-item", has_text="Brücke").inner_text()
    # The search box is as wide as the other fields, in one line with them.
    boxes = [
        page.locator(f".filters {sel}").bounding_box()
        for sel in ("input[name=q]", "select[name=language]", "select[name=state]")
    ]
    assert all(b is not None for b in boxes)
    search, language, state = boxes  # type: ignore[misc]
    assert search["width"] >= 0.9 * min(language["width"], state["width"]), boxes
    assert abs(search["y"] - language["y"]) < 4 and abs(search["height"] - language["height"]) < 4
    page.screenshot(path=str(screenshots / "words-filters.png"))
