"""A new learner's first pages in Chromium (fake API): library filters and paging that
say the right thing, a favicon, and a home page that tells what the engine really does."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import BrowserPage, WebClient
from .fake_api import FakeApi

pytestmark = pytest.mark.browser


def _library_text(page: Any) -> str:
    return page.locator("main").inner_text()


@pytest.mark.parametrize(
    ("query", "problem", "kept"),
    [
        ("language=Klingon", "OPAD has no language called “Klingon”", "every language"),
        ("level=Z9", "“Z9” is not a level (levels go from A1 to C2)", "every level"),
        ("status=finished", "“finished” is not a reading status", "any status"),
        ("level=Z9&status=nope", "“nope” is not a reading status", "every level"),
    ],
)
def test_unknown_filter_is_explained_and_the_list_still_shows(
    fake_web: str, fake: FakeApi, web_page: BrowserPage, query: str, problem: str, kept: str
) -> None:
    fake.add_article(title="Bees in the city")
    page = web_page.page
    response = page.goto(f"{fake_web}/library?{query}")
    assert response is not None and response.status == 200
    alert = page.locator("#filter-problems")
    assert problem in alert.inner_text() and kept in alert.inner_text()
    # Still a usable page: the reading is listed and the filter form works.
    assert page.locator(".library-title").all_inner_texts() == ["Bees in the city"]
    page.select_option("#filter-level", "B1")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**/library?*level=B1*")
    assert page.locator("#filter-problems").count() == 0
    assert page.locator(".library-title").all_inner_texts() == ["Bees in the city"]


def test_filter_values_in_another_case_or_as_a_code_are_understood(
    fake_web: str, fake: FakeApi, web_page: BrowserPage
) -> None:
    fake.add_article(title="Ready one", status="ready", level="B1", language="German")
    fake.add_article(title="Draft one", status="draft", level="B1", language="German")
    page = web_page.page
    page.goto(f"{fake_web}/library?status=Ready&level=b1&language=de")
    assert page.locator("#filter-problems").count() == 0
    assert page.locator(".library-title").all_inner_texts() == ["Ready one"]
    # The form shows the filters as understood.
    assert page.locator("#filter-status").input_value() == "ready"
    assert page.locator("#filter-level").input_value() == "B1"
    assert page.locator("#filter-language").input_value() == "German"


def test_page_beyond_the_last_says_so_and_links_back(
    fake_web: str, fake: FakeApi, web_page: BrowserPage
) -> None:
    for n in range(25):
        fake.add_article(title=f"Reading {n}")
    page = web_page.page
    page.goto(f"{fake_web}/library?page=999")
    text = _library_text(page)
    assert "There is no page 999: this list has 2 pages." in text
    assert "page 999 of 2" not in text and "No readings here yet" not in text
    page.click("#library-empty a")
    page.wait_for_url("**/library?page=2")
    assert page.locator(".library-title").count() == 5
    assert "page 2 of 2" in page.locator("#library-count").inner_text()
    # A page number past anything the API accepts is the same case, not an error.
    page.goto(f"{fake_web}/library?page=99999999999999")
    assert "this list has 2 pages" in _library_text(page)


def test_no_match_and_empty_library_say_different_things(
    fake_web: str, fake: FakeApi, web_page: BrowserPage
) -> None:
    page = web_page.page
    page.goto(f"{fake_web}/library")
    assert "No readings here yet. Make your first one." in _library_text(page)

    fake.add_article(title="English one", level="B1")
    page.goto(f"{fake_web}/library?level=C2")
    text = _library_text(page)
    assert "No readings match these filters. Show all readings." in text
    assert "No readings here yet" not in text
    assert "0 readings match these filters" in page.locator("#library-count").inner_text()
    page.click("#library-empty a")
    page.wait_for_url("**/library")
    assert page.locator(".library-title").all_inner_texts() == ["English one"]


def test_every_page_has_a_favicon_and_no_request_fails(
    fake_web: str, fake: FakeApi, web_page: BrowserPage
) -> None:
    article = fake.add_article()
    failures: list[str] = []
    page = web_page.page
    page.on("response", lambda r: failures.append(r.url) if r.status >= 400 else None)
    for path in ("/", "/library", f"/articles/{article['id']}"):
        page.goto(fake_web + path)
        href = page.locator("link[rel=icon]").get_attribute("href")
        assert href and href.startswith("/static/favicon.svg")
        icon = page.request.get(fake_web + href)
        assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert failures == []
    # Tools and old browsers ask /favicon.ico without reading the page.
    assert httpx.get(f"{fake_web}/favicon.ico").headers["content-type"] == "image/svg+xml"


@pytest.mark.parametrize(
    ("meta", "says", "never"),
    [
        (
            {"engine": "offline", "uses_llm": False, "finds_news": False},
            "It does not search the news or use an AI model",
            "searches recent news",
        ),
        (
            {"engine": "crew", "uses_llm": True, "finds_news": True},
            "OPAD searches recent news on the topic and an AI language model rewrites",
            "does not search the news",
        ),
        (
            # A renamed leveling engine: the wording follows what it does, not its name.
            {"engine": "leveler", "uses_llm": False, "finds_news": False},
            "from its own small library on your topic",
            "searches recent news",
        ),
        (None, "OPAD makes a reading on the topic", "searches recent news"),
    ],
)
def test_home_page_says_what_the_active_engine_does(
    fake_web: str,
    fake: FakeApi,
    web_page: BrowserPage,
    meta: dict[str, Any] | None,
    says: str,
    never: str,
) -> None:
    fake.meta = meta
    page = web_page.page
    page.goto(fake_web)
    summary = " ".join(page.locator("#engine-summary").inner_text().split())
    assert says in summary and never not in summary
    assert ("GET", "/meta") in fake.requests


def test_library_without_javascript_or_browser_never_answers_500(
    client: WebClient, fake: FakeApi
) -> None:
    fake.add_article()
    for query in (
        "status=Ready",
        "level=Z9",
        "language=Klingon",
        "page=999",
        "page=-1",
        "page=abc",
        "language=%00",
        "level=" + "x" * 5000,
    ):
        resp = client.get(f"/library?{query}")
        assert resp.status_code == 200, (query, resp.text[:300])
