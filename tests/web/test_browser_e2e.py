"""End to end in Chromium against the real stack: opad api + worker + web, offline engine."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from .conftest import BrowserPage
from .test_browser import DANGEROUS_DOM

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE_URL = re.compile(r"/articles/[0-9a-f-]+$")
JOB_URL = re.compile(r"/jobs/[0-9a-f-]+$")


def test_make_watch_read_find_and_delete_a_reading(
    stack_web: str, web_page: BrowserPage, screenshots: Path
) -> None:
    page = web_page.page
    page.goto(stack_web)
    page.select_option("#language", "English")
    page.check("input[name=level][value=A2]")
    page.fill("#length", "150")
    page.fill("#topic", "city parks")
    page.screenshot(path=str(screenshots / "generate.png"), full_page=True)

    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(jobs|articles)/"))
    if JOB_URL.search(page.url):
        assert page.locator("#job-progress").is_visible()
        page.screenshot(path=str(screenshots / "progress.png"), full_page=True)
    page.wait_for_url(ARTICLE_URL, timeout=60_000)
    article_id = page.url.rsplit("/", 1)[1]
    # The offline engine is fast; whatever values the bar took went up and ended at 100.
    print(f"progress values seen: {web_page.progress}")
    assert web_page.progress and web_page.progress[-1] == 100
    assert web_page.progress == sorted(web_page.progress)

    header = page.locator(".reader-header").inner_text()
    assert "A2" in header and "English" in header and "words" in header
    assert page.locator(".article-body p").count() > 0
    assert page.locator("#vocabulary .vocab-entry").count() > 0
    page.screenshot(path=str(screenshots / "reader.png"), full_page=True)

    # A vocabulary word opens the popover any word opens, with a meaning (issue 25).
    word = page.locator(".article-body a.vocab").first
    text = word.inner_text()
    word.click()
    popover = page.locator("#word-popover")
    assert popover.is_visible()
    assert popover.locator(".wp-word").inner_text().casefold() == text.casefold()
    page.wait_for_function(
        "() => !document.querySelector('#word-popover .wp-meaning').textContent"
        ".startsWith('Looking it up')"
    )
    assert popover.locator(".wp-meaning").inner_text().strip()
    page.screenshot(path=str(screenshots / "reader-popover.png"))

    page.click("nav >> text=Library")
    row = page.locator(f"li[data-article-id='{article_id}']")
    assert row.locator(".status-ready").is_visible()
    page.screenshot(path=str(screenshots / "library.png"), full_page=True)
    web_page.accept_dialogs = True
    row.get_by_role("button", name=re.compile("Delete")).click()
    page.wait_for_selector(f"li[data-article-id='{article_id}']", state="detached")
    assert len(web_page.dialogs) == 1
    assert page.goto(f"{stack_web}/articles/{article_id}").status == 404  # type: ignore[union-attr]


def test_a_hostile_source_text_renders_inert(
    stack: object, stack_web: str, web_page: BrowserPage
) -> None:
    # Every sentence carries a payload, and the length asks for more words than there
    # are, so the offline engine keeps them all.
    hostile = (
        "The new park has benches <script>window.__xss = 1; alert(1)</script> and trees. "
        "The park has a lake <img src=x onerror=alert(1)> and a small garden. "
        "Read more [x](javascript:alert(1)) about the park. "
    ) * 3
    page = web_page.page
    page.goto(stack_web)
    page.check("input[name=level][value=A1]")
    page.fill("#length", "300")
    page.click("summary")
    page.fill("#source_text", hostile)
    page.click("button[type=submit]")
    page.wait_for_url(ARTICLE_URL, timeout=60_000)
    page.wait_for_timeout(300)  # give any stray handler a chance to fire
    assert web_page.dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.evaluate(DANGEROUS_DOM) == []
    # The engine kept the sentences, so the hostile markup really went through the renderer.
    article_id = page.url.rsplit("/", 1)[1]
    api_url = stack.api_url  # type: ignore[attr-defined]
    markdown = httpx.get(f"{api_url}/articles/{article_id}/content").text
    assert "<script>" in markdown or "onerror" in markdown
    assert "benches" in page.locator(".article-body").inner_text()
