"""Issue 33, items 2 and 3 in Chromium against the real stack: My words exports the words
being learned by default (known and ignored ones on request), and every exported word
links to its reading's page on this web, not to the API's JSON."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _download_csv(page: Any, selector: str, tmp_path: Path) -> list[dict[str, str]]:
    with page.expect_download() as download:
        page.click(selector)
    path = tmp_path / "words.csv"
    download.value.save_as(path)
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_my_words_exports_learning_words_linked_to_the_reader(
    stack: Any, stack_web: str, web_page: BrowserPage, screenshots: Path, tmp_path: Path
) -> None:
    api = stack.api_url
    article = httpx.post(
        f"{api}/articles",
        json={
            "language": "Italian",
            "level": "A2",
            "length": 100,
            "topic": "mercato",
            "source_text": "Il mercato apre presto. Compro il pane e il formaggio.",
        },
        timeout=60,
    ).json()
    assert "id" in article, article
    for word, state in (("mercato", "learning"), ("pane", "known"), ("formaggio", "ignored")):
        saved = httpx.post(
            f"{api}/words",
            json={"language": "it", "word": word, "state": state,
                  "sentence": f"Compro il {word} oggi.", "article_id": article["id"]},
            timeout=60,
        )  # fmt: skip
        assert saved.status_code == 201, saved.text
    page = web_page.page
    page.goto(f"{stack_web}/words?language=it")
    page.screenshot(path=str(screenshots / "words-export-links.png"))
    rows = _download_csv(page, "a[href^='/words/export.csv']:not([id])", tmp_path)
    assert {r["lemma"] for r in rows} == {"mercato"}, rows
    assert rows[0]["link"] == f"{stack_web}/articles/{article['id']}"
    assert not any(r["link"].startswith(api) for r in rows)
    rows = _download_csv(page, "#export-all-csv", tmp_path)
    assert {r["lemma"] for r in rows} == {"mercato", "pane", "formaggio"}
    # Each word's level, as the popover shows it (saved here without one, as the CLI does).
    assert all(r["level"] in {"A1", "A2", "B1", "B2", "C1", "C2"} for r in rows), rows
    assert {r["link"] for r in rows} == {f"{stack_web}/articles/{article['id']}"}
    # Filtered to one state, the export is that state's words.
    page.goto(f"{stack_web}/words?language=it&state=known")
    assert page.locator("#export-all-csv").count() == 0
    rows = _download_csv(page, "a[href^='/words/export.csv']", tmp_path)
    assert {r["lemma"] for r in rows} == {"pane"}
