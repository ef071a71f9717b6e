"""Issue 33, item 11 in Chromium against the real stack: the library sorts, offers only
statuses a learner's readings have (no "draft"), and shows one text made at several
levels as one entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import follow

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEXT = (
    "A small ferry crosses the lake every hour. In summer it carries cyclists, families and "
    "their dogs to the island, where a café sells cakes and cold drinks. The captain has "
    "worked on the ferry for twenty years and knows every passenger by name. In winter the "
    "lake freezes at the edges, and the ferry runs only twice a day."
)


def test_library_sorts_and_groups_one_text_at_several_levels(
    stack: Any, stack_web: str, web_page: BrowserPage, screenshots: Path
) -> None:
    import httpx

    made = {}
    # An older reading of another text first, so the orders differ.
    other = "The village bakery opens at six. Its bread is famous in the whole valley."
    for level, text in (("older", other), ("B1", TEXT), ("A2", TEXT), ("B2", TEXT)):
        accepted = httpx.post(
            f"{stack.api_url}/generate",
            json={"language": "English", "level": "A2" if level == "older" else level,
                  "length": 60, "source_text": text},
            timeout=60,
        )  # fmt: skip
        assert accepted.status_code == 202, accepted.text
        made[level] = accepted.json()
    for job in made.values():
        status, _ = follow(stack.api_url, job["job_id"], timeout=120)
        assert status["status"] == "succeeded", status
    made.pop("older")
    title = httpx.get(f"{stack.api_url}/articles/{made['A2']['article_id']}", timeout=30).json()[
        "title"
    ]
    page = web_page.page
    page.goto(f"{stack_web}/library")
    statuses = page.locator("#filter-status option").all_inner_texts()
    assert "draft" not in " ".join(statuses).lower(), statuses
    group = page.locator(".library-group", has=page.locator(".library-group-title", has_text=title))
    assert group.count() == 1
    levels = [
        t.split(" · ")[0] for t in group.locator(".library-item .library-title").all_inner_texts()
    ]
    assert levels == ["A2", "B1", "B2"], levels
    # Each line opens its own reading.
    ids = [e.get_attribute("data-article-id") for e in group.locator(".library-item").all()]
    assert ids == [made[level]["article_id"] for level in ("A2", "B1", "B2")]
    page.screenshot(path=str(screenshots / "library-grouped.png"), full_page=True)

    # Sorting: oldest first puts the first reading of this stack before the newest.
    page.select_option("#filter-sort", "oldest")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"sort=oldest"))
    oldest = page.locator(".library-item").first.get_attribute("data-article-id")
    page.select_option("#filter-sort", "newest")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/library\?(?!.*sort=oldest)"))
    newest = page.locator(".library-item").first.get_attribute("data-article-id")
    assert oldest != newest
    page.goto(f"{stack_web}/library?sort=title")
    titles = [
        t.casefold()
        for t in page.evaluate(
            # Top-level entries only: a group's own readings are a nested list.
            """() => Array.from(document.querySelectorAll(
                 '.library-list:not(.library-group-items) > li')).map(li =>
                 (li.querySelector(':scope > .library-group-title') ||
                  li.querySelector('.library-title')).textContent.trim())"""
        )
    ]
    assert titles == sorted(titles), titles
    assert page.locator("#filter-sort").input_value() == "title"
