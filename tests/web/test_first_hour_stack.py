"""A new learner's first hour in Chromium against the real stack (opad api + worker + web):
offline API docs, languages by name, the engine described as it is, library filters."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.processes import Stack

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _offline(page: Any) -> list[str]:
    """Abort every request that leaves this machine (as on a machine without internet);
    returns the list the aborted URLs are recorded in."""
    outside: list[str] = []

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return outside


def test_api_docs_work_without_internet(stack: Stack, web_page: BrowserPage) -> None:
    page = web_page.page
    outside = _offline(page)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(stack.api_url + "/docs")
    page.locator(".swagger-ui .info .title").filter(has_text="OPAD API").wait_for()
    page.locator(".opblock-summary-path", has_text="/generate").first.wait_for()
    page.locator(".opblock-summary-path", has_text="/meta").first.wait_for()
    assert outside == [] and failed == []


def test_languages_by_name_in_the_api_and_the_form(
    stack: Stack, stack_web: str, web_page: BrowserPage
) -> None:
    names = [lang["name"] for lang in httpx.get(f"{stack.api_url}/languages").json()]
    assert names == sorted(names, key=str.casefold)
    assert names.index("Danish") < names.index("Dutch") < names.index("German")
    assert names.index("German") < names.index("Greek")
    page = web_page.page
    page.goto(stack_web)
    # An option reads "German — Deutsch (library)": the English name comes first.
    shown = [
        re.sub(r" \(.*\)$", "", text.split(" — ")[0])
        for text in page.locator("#language option").all_inner_texts()
    ]
    assert shown == names
    page.goto(f"{stack_web}/library")
    library = page.locator("#filter-language option").all_inner_texts()
    assert library[1:] == names


def test_home_page_describes_the_offline_engine(
    stack: Stack, stack_web: str, web_page: BrowserPage
) -> None:
    assert httpx.get(f"{stack.api_url}/meta").json() == {
        "engine": "leveler",
        "uses_llm": False,
        "finds_news": False,
    }
    page = web_page.page
    page.goto(stack_web)
    summary = page.locator("#engine-summary")
    assert summary.get_attribute("data-engine") == "leveling"
    assert "does not search the news" in summary.inner_text()


@pytest.mark.parametrize(
    "query", ["status=Ready", "level=Z9", "language=Klingon", "page=999", "status=finished"]
)
def test_library_filters_against_the_real_api(
    stack_web: str, web_page: BrowserPage, query: str
) -> None:
    page = web_page.page
    response = page.goto(f"{stack_web}/library?{query}")
    assert response is not None and response.status == 200
    text = page.locator("main").inner_text()
    assert "Internal Server Error" not in text
    if query in ("level=Z9", "language=Klingon", "status=finished"):
        assert page.locator("#filter-problems").is_visible()
    else:
        assert page.locator("#filter-problems").count() == 0
    page.click(".filters button[type=submit]")  # the form still works
    page.wait_for_url("**/library?*")


def test_form_errors_say_what_to_do(stack_web: str, web_page: BrowserPage) -> None:
    page = web_page.page
    page.goto(stack_web)
    page.fill("#topic", "")
    page.click("button[type=submit]")
    topic_error = page.locator("#topic-error").inner_text()
    assert topic_error == "Give a topic, or paste a text or give the address of a page to adapt."
    if not page.locator("#source_url").is_visible():
        page.click("details.own-text summary")
    page.fill("#source_url", "https://no-such-host.invalid/story")
    page.click("button[type=submit]")
    url_error = page.locator("#source_url-error").inner_text()
    assert "no web site called no-such-host.invalid was found" in url_error
    shown = " ".join(page.locator(".field-error, #form-errors").all_inner_texts())
    assert "Errno" not in shown and "source_text" not in shown and "source_url" not in shown
