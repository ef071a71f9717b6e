"""Issue 12 in Chromium against the real stack: readings that fit what you know (known
words % in the reader and the library, the filter), saving from the vocabulary popover,
and the statistics chart drawn from the history of state changes.

It marks words known on the shared stack, so it runs after test_browser_words.py (named to
sort after it), whose first reading expects every word unknown."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from .conftest import BrowserPage
from .test_browser_words import make_reading

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VOLCANO = (
    "The volcano near the island woke up last week. Hot lava ran down the mountain into the "
    "sea. Scientists measured the gas and the small earthquakes every hour. The people of the "
    "island left their homes by boat. Now the volcano is quiet again, and the families are "
    "going back to their gardens and their animals."
)
BAKERY = (
    "My uncle has a bakery in the old market. Every night he bakes bread, cakes and sweet "
    "rolls. The smell of fresh dough fills the street before sunrise. Customers queue outside "
    "with baskets. He uses flour from a mill in the valley and butter from a farm nearby. On "
    "Sundays he gives the leftover loaves to a shelter for homeless people."
)


def percent(text: str) -> int:
    found = re.search(r"(\d+)%", text)
    assert found, text
    return int(found.group(1))


def test_known_share_filter_vocabulary_save_and_history(
    stack: Any, stack_web: str, web_page: BrowserPage, screenshots: Path
) -> None:
    page = web_page.page
    volcano = make_reading(page, stack_web, text=VOLCANO).rsplit("/", 1)[1]
    page.get_by_role("link", name="Mark all remaining words known").click()
    page.get_by_role("button", name="Yes, mark them known").click()
    page.wait_for_url(re.compile(r"known=\d+"))
    # Other browser tests of this stack may keep a word of it as learning: nearly all known.
    assert percent(page.locator(".known-share").inner_text()) >= 80
    # The source line ("Source: Your text") is the reading's metadata, not its words: it is
    # shown in the header, and none of its words was marked known (issue 25).
    assert "Your text" in page.locator(".reader-header .source").inner_text()
    assert "Your text" not in page.locator(".article-body").inner_text()
    db = sqlite3.connect(Path(stack.data_dir) / "opad.db")
    marked = {row[0] for row in db.execute("SELECT lemma FROM saved_words WHERE state='known'")}
    db.close()
    assert marked and not marked & {"source", "Source", "your", "text"}, sorted(marked)

    bakery = make_reading(page, stack_web, text=BAKERY).rsplit("/", 1)[1]
    assert percent(page.locator(".known-share").inner_text()) < 80

    # A word of the reading's own list opens the dictionary popover like any other word
    # (it showed no meaning), and "Learning" pressed before the lookup answered waits for
    # it: the word is saved with the meaning shown (it was saved with none; issue 25).
    link = page.locator(".article-body a.vocab").first
    word = link.locator("span.w").first
    lemma = word.get_attribute("data-l")
    page.evaluate(
        """(w) => { w.click();
          document.querySelector('#word-popover [data-state="learning"]').click(); }""",
        word.element_handle(),
    )
    popover = page.locator("#word-popover")
    page.wait_for_function(
        "() => document.querySelector('#word-popover .wp-status').textContent.includes('learning')"
    )
    meaning = popover.locator(".wp-meaning").inner_text().strip()
    assert meaning and meaning != "Looking it up…", meaning
    assert popover.get_attribute("data-meaning") == meaning  # a dictionary's, not a message
    assert "s-learning-1" in (word.get_attribute("class") or "")
    page.screenshot(path=str(screenshots / "vocabulary-word-saved.png"))
    page.goto(f"{stack_web}/words?q={lemma}")
    item = page.locator(".word-item", has_text=str(lemma)).first
    assert "Learning 1" in item.inner_text()
    assert meaning in item.locator(".word-meaning").inner_text()

    # The library: each reading's share, and the filter keeps the ones that fit.
    page.goto(f"{stack_web}/library")
    row = page.locator(f"li[data-article-id='{volcano}'] .known-share")
    other = page.locator(f"li[data-article-id='{bakery}'] .known-share")
    assert percent(row.inner_text()) >= 80 and percent(other.inner_text()) < 80
    page.screenshot(path=str(screenshots / "library-known-share.png"), full_page=True)
    page.select_option("#filter-known", "80")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"known_min=80"))
    assert page.locator(f"li[data-article-id='{volcano}']").count() == 1
    assert page.locator(f"li[data-article-id='{bakery}']").count() == 0
    shares = [percent(t) for t in page.locator(".library-item .known-share").all_inner_texts()]
    assert shares and all(s >= 80 for s in shares)

    # Statistics from the history: the word saved "three days ago" (moved back in the
    # stack's database; nothing else of this fresh stack is that old) shows on that day.
    db = sqlite3.connect(Path(stack.data_dir) / "opad.db")
    with db:
        db.execute(
            "UPDATE word_state_changes SET changed_at = datetime(changed_at, '-3 days') "
            "WHERE word_id IN (SELECT id FROM saved_words WHERE lemma = ? AND language = 'en')",
            (lemma,),
        )
    db.close()
    page.goto(f"{stack_web}/stats")
    day = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    titles = page.locator("#words-chart rect title").all_text_contents()
    assert f"{day}: 1 learning" in titles, titles
    today = datetime.now(UTC).date().isoformat()
    assert any(t.startswith(f"{today}: ") and t.endswith(" known") for t in titles)
    page.screenshot(path=str(screenshots / "stats-history.png"), full_page=True)
