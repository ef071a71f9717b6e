"""Issue 33, item 7 in Chromium against real processes: with OPAD_NEWS=on the leveler finds
news, and /meta and the home page both say so (it said "It does not search the news")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from opad.queue import embedded
from tests.processes import Stack, base_env, free_port, http_ok, wait_until

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def news_stack(tmp_path: Path) -> Iterator[tuple[Stack, str]]:
    """`opad api` and `opad web` with news switched on (no worker: nothing is generated)."""
    stack = Stack(env=base_env(tmp_path, OPAD_NEWS="on"), data_dir=tmp_path)
    stack.migrate()
    stack.start_api()
    port = free_port()
    web = f"http://127.0.0.1:{port}"
    stack.start("web", "--port", str(port), extra_env={"OPAD_API_URL": stack.api_url})
    try:
        wait_until(lambda: http_ok(f"{web}/health"), 120, "the web to answer")
        yield stack, web
    finally:
        stack.stop()
        embedded.stop(tmp_path)


def test_news_on_meta_and_home_page_agree(
    news_stack: tuple[Stack, str], web_page: BrowserPage, screenshots: Path
) -> None:
    stack, web = news_stack
    meta = httpx.get(f"{stack.api_url}/meta", timeout=30).json()
    assert meta == {"engine": "leveler", "uses_llm": False, "finds_news": True}
    page = web_page.page
    page.goto(web)
    summary = page.locator("#engine-summary")
    assert summary.get_attribute("data-engine") == "leveling-news"
    text = summary.inner_text()
    assert "searches recent news" in text and "does not search the news" not in text
    # Still honest about what it is: no AI model rewrites anything.
    assert "uses no AI model" in text and "rewrites the article" not in text
    page.screenshot(path=str(screenshots / "home-news-on.png"))
