"""The Generate form says, per language, where texts come from (in Chromium, fake API)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .fake_api import FakeApi

pytestmark = pytest.mark.browser


def test_form_names_the_sources_of_each_language(fake_web: str, fake: FakeApi) -> None:
    html = httpx.get(fake_web + "/").text
    assert ">English (news, library)</option>" in html
    assert "German — Deutsch (library)</option>" in html
    assert "Portuguese — português (your own text only)</option>" in html
    # The default language's sources are said under the menu without any script.
    assert "Texts in English come from recent news or the OPAD library" in html


def test_choosing_a_language_updates_the_hint_and_offers_own_text(
    fake_web: str, fake: FakeApi, web_page: Any
) -> None:
    page = web_page.page
    page.goto(fake_web)
    hint = page.locator("#language-sources")
    assert "recent news or the OPAD library" in hint.inner_text()
    assert page.locator("details.own-text").get_attribute("open") is None
    page.select_option("#language", "German")
    assert hint.inner_text() == (
        "Texts in German come from the OPAD library (news is off) — or bring your own."
    )
    page.select_option("#language", "Portuguese")
    assert "No texts in Portuguese to choose from yet" in hint.inner_text()
    assert page.locator("details.own-text").get_attribute("open") is not None
    # A topic alone is refused, next to the topic, in the learner's words; nothing queued.
    page.fill("#topic", "futebol")
    page.click("button[type=submit]")
    assert "no Portuguese texts to choose from yet" in page.locator("#topic-error").inner_text()
    assert fake.jobs == {}
    # The learner's own text goes through.
    page.select_option("#language", "Portuguese")
    page.fill("#source_text", "Hoje o sol brilha sobre a cidade e as crianças brincam no parque.")
    page.click("button[type=submit]")
    page.wait_for_url("**/jobs/*")
    assert len(fake.jobs) == 1
