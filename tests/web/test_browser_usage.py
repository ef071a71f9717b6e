"""Issue 33, item 8 in Chromium against the real stack: the usage page never shows "$0"
for a model whose cost it says it does not count."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_usage_page_says_not_counted_instead_of_zero_dollars(
    stack: Any, stack_web: str, web_page: BrowserPage, screenshots: Path
) -> None:
    made = []
    for topic in ("usage one", "usage two", "usage three"):
        article = httpx.post(
            f"{stack.api_url}/articles",
            json={"language": "English", "level": "B1", "length": 100, "topic": topic},
            timeout=60,
        ).json()
        made.append(article["id"])
    # The figures a crew run records (tests/crew covers how they are measured): two
    # readings on a model without a price, one on a priced model.
    figures = [
        (made[0], 5000, 500, None, "local/llama"),
        (made[1], 4000, 400, None, "local/llama"),
        (made[2], 6000, 900, 0.0038, "openai/gpt-4o-mini"),
    ]
    db = sqlite3.connect(Path(stack.data_dir) / "opad.db")
    with db:
        for article_id, prompt, completion, cost, model in figures:
            db.execute(
                "UPDATE articles SET prompt_tokens=?, completion_tokens=?, cost_usd=?, "
                "llm_model=? WHERE id=?",
                (prompt, completion, cost, model, article_id),
            )
    db.close()
    page = web_page.page
    page.goto(f"{stack_web}/usage")
    page.screenshot(path=str(screenshots / "usage-unpriced.png"), full_page=True)
    rows = {
        cells[0]: cells
        for cells in (
            [c.strip() for c in row.locator("td").all_inner_texts()]
            for row in page.locator("#usage-models-title + table tbody tr").all()
        )
    }
    assert rows["local/llama"][3] == "not counted", rows
    assert rows["openai/gpt-4o-mini"][3].startswith("$0.0038"), rows
    month = page.locator("#usage-months-title + table tbody tr").first.inner_text()
    assert "(2 not counted)" in month and "$0 " not in month + " "
    assert "2 of them used a model" in page.locator("#usage-unpriced").inner_text()
