"""Issue 33, item 8 in Chromium against the real stack: the statistics charts carry their
numbers (the scale's top, and the figures day by day) and show one language's words."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_stats_numbers_and_one_language(
    stack: Any, stack_web: str, web_page: BrowserPage, screenshots: Path
) -> None:
    # Dutch: a language no other test of the stack saves words in.
    for word, state in (("fiets", "learning"), ("brug", "learning"), ("huis", "known")):
        httpx.post(
            f"{stack.api_url}/words", json={"language": "nl", "word": word, "state": state},
            timeout=60,
        ).raise_for_status()  # fmt: skip
    german = {"language": "de", "word": "Wiesenblume", "state": "learning"}
    httpx.post(f"{stack.api_url}/words", json=german, timeout=60).raise_for_status()
    page = web_page.page
    page.goto(f"{stack_web}/stats")
    every = page.locator(".state-counts").inner_text()
    page.select_option("#stats-language", "nl")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/stats?language=nl")
    assert page.locator("#stats-title").inner_text() == "Statistics: Dutch"
    counts = page.locator(".state-counts").inner_text()
    assert "Learning: 2" in counts and "Known: 1" in counts and "New: 0" in counts, counts
    learning_everywhere = int(every.split("Learning: ")[1].split()[0])
    assert learning_everywhere >= 3, every  # the German word counts there, not here
    # The scale's top is written on the chart, and the figures are there as a table.
    assert page.locator("#words-top").text_content() == "3"
    page.locator("#stats-figures summary").click()
    today = datetime.now(UTC).date().isoformat()
    row = page.locator("#stats-figures tbody tr").first.locator("td").all_inner_texts()
    assert row[0] == today and row[1:5] == ["0", "2", "1", "0"], row
    page.screenshot(path=str(screenshots / "stats-one-language.png"), full_page=True)
    assert (
        httpx.get(
            f"{stack.api_url}/stats/words", params={"language": "Klingon"}, timeout=30
        ).status_code
        == 422
    )
