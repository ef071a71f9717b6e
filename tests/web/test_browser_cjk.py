"""Korean, Japanese and Chinese in Chromium against the real stack: the form says length
counts characters, a reading is made offline, a word is clicked and looked up, and the
readings toggle shows furigana/pinyin/romanization above the words without changing the
text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from opad.text import normalize, tokenize

from .conftest import BrowserPage

# A fresh stack's first job in each language loads its analyzer (Kiwi, SudachiPy's 190 MB
# dictionary, jieba) in the worker: minutes on a busy machine.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

ARTICLE_URL = re.compile(r"/articles/[0-9a-f-]+$")
OWN_CHINESE = (
    "每天早上七点，李大爷都会到小区门口的公园里散步。公园不大，但是有很多树，还有一个小湖。"
    "湖边有几张长椅，很多老人喜欢坐在那里聊天、下棋。去年，区政府在公园里修了一条新的步道，"
    "还安装了健身器材。现在，不仅老人来锻炼，年轻人下班以后也常常来跑步。"
)
SPANS = """() => Array.from(document.querySelectorAll('.article-body p span.w'))
  .map(e => [e.textContent, e.dataset.l])"""
PARAGRAPHS = """() => Array.from(document.querySelectorAll('.article-body p'))
  .map(p => p.textContent)"""


def make_reading(page, web: str, language: str, length: str, topic: str = "", text: str = ""):  # type: ignore[no-untyped-def]
    page.goto(web)
    page.select_option("#language", language)
    hint = page.locator("#language-sources").inner_text()
    assert "counts characters" in hint, hint
    page.check("input[name=level][value=A2]")
    page.fill("#length", length)
    if text:
        page.click("summary")
        page.fill("#source_text", text)
    else:
        page.fill("#topic", topic)
    page.click("button[type=submit]")
    page.wait_for_url(ARTICLE_URL, timeout=240_000)  # first job loads the analyzer


@pytest.mark.parametrize(
    ("language", "code", "topic", "text", "toggle"),
    [
        ("Korean", "ko", "김장", "", "Show romanization"),
        ("Japanese", "ja", "熱中症", "", "Show furigana"),
        ("Chinese", "zh", "", OWN_CHINESE, "Show pinyin"),
    ],
)
def test_click_a_word_and_show_readings(
    stack_web: str,
    web_page: BrowserPage,
    screenshots: Path,
    language: str,
    code: str,
    topic: str,
    text: str,
    toggle: str,
) -> None:
    page = web_page.page
    make_reading(page, stack_web, language, "300", topic=topic, text=text)
    assert "characters" in page.locator(".reader-header .meta").inner_text()

    # The clickable words are exactly the engine's tokens of each paragraph.
    spans = [tuple(s) for s in page.evaluate(SPANS)]
    expected = [
        (t.word, t.lemma) for p in page.evaluate(PARAGRAPHS) for t in tokenize(code, normalize(p))
    ]
    assert spans == expected

    # Readings are hidden until asked for, and never part of the text.
    button = page.locator("#ruby-toggle")
    assert button.is_visible() and button.inner_text() == toggle
    before = page.locator(".article-body").inner_text()
    with_reading = page.locator(".article-body span.w[data-r]").first
    assert with_reading.count() == 1
    pseudo = "e => getComputedStyle(e, '::before').content"
    assert with_reading.evaluate(pseudo) in ("none", "normal", "")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    shown = with_reading.evaluate(pseudo)
    assert shown.strip('"') == with_reading.get_attribute("data-r")
    assert page.locator(".article-body").inner_text() == before
    page.screenshot(path=str(screenshots / f"cjk-readings-{code}.png"))

    # Click a word that is not in the vocabulary list: the popover gives its dictionary form.
    word = page.locator(".article-body span.w[data-r]:not(a.vocab *)").nth(2)
    lemma = word.get_attribute("data-l")
    with page.expect_response(lambda r: "/lookup.json?" in r.url) as answered:
        word.click()
    # It says where the word was clicked: the API answers from the stored analysis.
    query = parse_qs(urlparse(answered.value.url).query)
    assert query["article_id"] == [page.locator("#reading").get_attribute("data-article")]
    assert query["sentence_index"] == [word.get_attribute("data-s")]
    assert answered.value.json()["level"] in {"A1", "A2", "B1", "B2", "C1", "C2"}
    popover = page.locator("#word-popover")
    assert popover.is_visible()
    looking = "() => !document.querySelector('#word-popover .wp-meaning').textContent"
    page.wait_for_function(looking + ".includes('Looking')", timeout=90_000)
    assert popover.locator(".wp-word").inner_text() == word.inner_text()
    assert popover.locator(".wp-level").inner_text() in {"A1", "A2", "B1", "B2", "C1", "C2"}
    meaning = popover.locator(".wp-meaning").inner_text()
    assert meaning  # an entry, or plainly "No dictionary on this server has this word yet."
    assert popover.locator(".wp-sentence").inner_text()
    assert word.inner_text() in popover.locator(".wp-sentence").inner_text()
    if lemma != word.inner_text():
        assert lemma in popover.locator(".wp-lemma").inner_text()
    page.screenshot(path=str(screenshots / f"cjk-popover-{code}.png"))
