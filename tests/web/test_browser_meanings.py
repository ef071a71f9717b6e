"""Issue 26 in Chromium against the real stack: a dictionary installed while the API runs
(an index built here from a small dictd file, as `opad dictionaries add` builds them), a
German reading, the verb's meaning for *gingen*, *Straße* for a headline's STRASSE, and a
word's state set in one click from the popover (new / learning 1–4 / known / ignore)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from opad.dictionaries.install import CATALOG, index_debian
from tests.language.test_dictionaries import GEHEN_NOUN, GEHEN_VERB, write_dictd

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE_URL = re.compile(r"/articles/[0-9a-f-]+$")
TEXT = (
    "Am Abend gingen wir durch die Stadt. Die Stadt war still und dunkel. Wir gingen lange "
    "und sprachen nicht viel. Dann sahen wir ein Schild: DIE STRASSE IST GESPERRT. Also "
    "gingen wir zurück nach Hause und tranken zum Beispiel einen Tee."
)
ENTRIES = [
    ("Gehen", GEHEN_NOUN),
    ("gehen", GEHEN_VERB),
    ("Straße", "Straße /ʃtʁˈaːsə/ <fem, n, sg>\nstreet <n>, road <n>\n"),
    ("Strass", "Strass /ʃtʁˈas/ <masc, n, sg>\nrhinestones <n>\n"),
    ("Stadt", "Stadt /ʃtat/ <fem, n, sg>\ntown <n>, city <n>\n"),
    ("zum Beispiel", "zum Beispiel\nfor example\n"),
]


def install_german(data_dir: Path, tmp_path: Path) -> Path:
    dictd = tmp_path / "dictd"
    dictd.mkdir()
    write_dictd(dictd, "freedict-deu-eng", ENTRIES)
    item = next(d for d in CATALOG if d.package == "dict-freedict-deu-eng")
    info = index_debian(
        item,
        dictd / "freedict-deu-eng.index",
        dictd / "freedict-deu-eng.dict.dz",
        data_dir / "dictionaries",
    )
    return info.path


def wait_status(page: Any, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('#word-popover .wp-status').textContent.includes(t)", arg=text
    )


def open_word(page: Any, selector: str) -> Any:
    page.locator(selector).first.click()
    popover = page.locator("#word-popover")
    # The API's first lookup loads the language's analyzer (seconds on a busy machine): the
    # popover then says it has no answer after 3 s, and shows the meaning when it comes.
    page.wait_for_function(
        """() => { const t = document.querySelector('#word-popover .wp-meaning').textContent;
                   return !t.includes('Looking') && !t.includes('No answer after'); }""",
        timeout=60_000,
    )
    return popover


def test_meanings_and_one_click_states(
    stack: Any, stack_web: str, web_page: BrowserPage, screenshots: Path, tmp_path: Path
) -> None:
    # Installed while the API runs (no restart); removed after, for the stack's other tests.
    index = install_german(stack.data_dir, tmp_path)
    try:
        check_reader(stack_web, web_page.page, screenshots)
    finally:
        index.unlink()


def check_reader(stack_web: str, page: Any, screenshots: Path) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        walk_reader(stack_web, page, screenshots)
    finally:
        assert not errors, errors


def walk_reader(stack_web: str, page: Any, screenshots: Path) -> None:
    page.goto(stack_web)
    page.select_option("#language", "German")
    page.check("input[name=level][value=A2]")
    page.fill("#length", "150")
    page.click("summary")
    page.fill("#source_text", TEXT)
    page.click("button[type=submit]")
    page.wait_for_url(ARTICLE_URL, timeout=90_000)

    popover = open_word(page, ".article-body span.w:text-is('gingen')")
    assert popover.locator(".wp-meaning").inner_text() == "go"  # the verb, not "walking"
    source = popover.locator(".wp-source")
    assert source.inner_text() == "Dictionary: FreeDict (German–English)"
    assert "FreeDict German–English" in (source.get_attribute("title") or "")  # the files
    assert popover.locator(".wp-note").is_hidden()
    page.screenshot(path=str(screenshots / "meaning-verb.png"))

    # One click sets a learning stage; the button shows it pressed, the word recolours.
    popover.get_by_role("button", name="stage 3").click()
    wait_status(page, "learning 3")
    word = page.locator(".article-body span.w:text-is('gingen')").first
    assert "s-learning-3" in (word.get_attribute("class") or "")
    assert popover.get_by_role("button", name="stage 3").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")

    # Opened again, the popover shows the saved state pressed; "Known" changes it.
    popover = open_word(page, ".article-body span.w:text-is('gingen')")
    assert popover.get_by_role("button", name="stage 3").get_attribute("aria-pressed") == "true"
    popover.get_by_role("button", name="Known").click()
    wait_status(page, "known")
    assert "s-known" in (word.get_attribute("class") or "")
    assert popover.get_by_role("button", name="Known").get_attribute("aria-pressed") == "true"
    assert popover.get_by_role("button", name="stage 3").get_attribute("aria-pressed") == "false"
    page.keyboard.press("Escape")

    # A headline's capitals: STRASSE is Straße, not Strass.
    popover = open_word(page, ".article-body span.w:text-is('STRASSE')")
    assert popover.locator(".wp-meaning").inner_text() == "street, road"
    popover.get_by_role("button", name="New", exact=True).click()
    wait_status(page, "new")
    strasse = page.locator(".article-body span.w:text-is('STRASSE')").first
    assert "s-new" in (strasse.get_attribute("class") or "")
    # Ignored, so that the stack's other tests do not meet it in their reviews.
    popover.get_by_role("button", name="Ignore").click()
    wait_status(page, "ignored")
    assert "s-ignored" in (strasse.get_attribute("class") or "")
    page.keyboard.press("Escape")

    # A phrase: "zum" and the next word, looked up and saved as one item.
    popover = open_word(page, ".article-body span.w:text-is('zum')")
    popover.get_by_role("button", name="Add the next word").click()
    page.wait_for_function(
        "() => document.querySelector('#word-popover .wp-meaning').textContent === 'for example'"
    )
    assert popover.locator(".wp-word").inner_text() == "zum Beispiel"
    assert page.locator(".article-body span.w.sel").count() == 2
    popover.get_by_role("button", name="Learning").click()
    wait_status(page, "learning 1")
    popover.get_by_role("button", name="Ignore").click()  # out of the other tests' reviews
    wait_status(page, "ignored")
    page.goto(f"{stack_web}/words?state=ignored")
    assert page.locator(".word-item", has_text="zum Beispiel").count() == 1
