"""The daily reading in the web (issue 31): the plan form on /daily (errors named in the
learner's terms), "Today's paragraph" on the home page once a worker's tick has made the
reading, opening it counts for the streak, and the feed address made on the page works.
The real API, a real in-process worker (leveler engine, its daily tick), SQLite."""

from __future__ import annotations

import re
from collections.abc import Iterator

import feedparser
import httpx
import pytest

from opad.api.app import create_app as create_api
from opad.bootstrap import Services
from opad.engines.leveler import LevelerEngine
from opad.settings import Settings
from opad.web.app import create_app as create_web
from opad.worker.runner import Worker
from tests.processes import ServerThread, wait_until
from tests.zones import midday_zone

from .conftest import WebClient


@pytest.fixture
def web(services: Services) -> Iterator[WebClient]:
    services.settings.daily_tick_seconds = 0.3
    with ServerThread(create_api(services.settings, services)) as api:
        services.settings.api_url = api.url
        web_app = create_web(Settings(_env_file=None, OPAD_API_URL=api.url))  # type: ignore[call-arg]
        with ServerThread(web_app) as server, WebClient(base_url=server.url, timeout=30) as client:
            yield client


@pytest.mark.parametrize("services", ["sqlite"], indirect=True)
def test_a_plan_made_on_the_page_brings_todays_paragraph(
    services: Services, web: WebClient
) -> None:
    home = web.get("/").text
    assert "Set a daily plan" in home and "Today's paragraph" not in home

    form = {
        "language": "German",
        "level": "A2",
        "length": "80",
        "topics": "Park, Essen",
        "at_time": "25:61",
        "time_zone": "UTC",
        "coverage": "95",
        "active": "on",
    }
    bad = web.post("/daily/plans", data=form)
    assert bad.status_code == 422
    assert "Ready by: " in bad.text and 'id="at_time-error"' in bad.text
    # Due all day (00:00 less the lead) where it is midday: the worker's tick makes it at once.
    noon = {"at_time": "00:00", "time_zone": midday_zone()}
    saved = web.post("/daily/plans", data={**form, **noon}, follow_redirects=False)
    assert saved.status_code == 303
    page = web.get("/daily").text
    assert 'data-language="German"' in page and "A2, 80 words, 95% of words known" in page

    worker = Worker(services, LevelerEngine(services.settings), services.settings, concurrency=1)
    worker.start()
    try:
        wait_until(
            lambda: 'data-status="ready"' in web.get("/").text, 90, "today's reading to be ready"
        )
    finally:
        worker.stop()
    home = web.get("/").text
    assert "Today's paragraph" in home
    link = re.search(r'href="(/daily/open/[0-9a-f-]+)">([^<]+)</a>', home)
    assert link, home
    opened = web.get(link.group(1), follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"].startswith("/articles/")
    home = web.get("/").text
    assert "1 day in a row" in home and "✓ read" in home
    # The plan asked for 95% known words; with no saved words yet it says it chose by level.
    reader = web.get(opened.headers["location"]).text
    assert 'id="coverage"' in reader and "you have saved 0 words" in reader

    made = web.post("/daily/feed").text
    url = re.search(r'<code id="feed-url">([^<]+)</code>', made)
    assert url, made
    parsed = feedparser.parse(httpx.get(url.group(1)).text)
    assert not parsed.bozo and [e.title for e in parsed.entries] == [link.group(2).strip()]


@pytest.mark.parametrize("services", ["sqlite"], indirect=True)
def test_the_daily_form_offers_languages_as_the_home_form_and_refuses_one_with_no_texts(
    services: Services, web: WebClient
) -> None:
    """The first visit: English selected (not Arabic, the first alphabetically), each
    language marked as on the home form ("your own text only" for Arabic); a plan in a
    language with no texts is refused, the error by the language field."""
    page = web.get("/daily").text
    options = dict(re.findall(r'<option value="([^"]+)"( selected)?>', page))
    assert options["English"] == " selected", page
    assert [name for name, chosen in options.items() if chosen] == ["English"]
    assert "A new daily plan" in page
    home = web.get("/").text
    for name in ("Arabic", "German", "Japanese"):
        label = re.search(rf'<option value="{name}"[^>]*>([^<]+)</option>', page)
        home_label = re.search(rf'<option value="{name}"[^>]*>([^<]+)</option>', home)
        assert label and home_label and label.group(1) == home_label.group(1), name
    assert "Arabic — العربية (your own text only)" in page
    assert "German — Deutsch (library)" in page

    form = {"language": "Arabic", "level": "B1", "length": "150", "topics": "everyday life",
            "at_time": "07:00", "time_zone": "", "coverage": "95", "active": "on"}  # fmt: skip
    refused = web.post("/daily/plans", data=form)
    assert refused.status_code == 422
    assert 'id="language-error"' in refused.text
    assert "Language: there are no texts in Arabic" in refused.text
    assert 'data-language="Arabic"' not in web.get("/daily").text
    # The defaults as the page offers them are accepted.
    saved = web.post("/daily/plans", data={**form, "language": "English"}, follow_redirects=False)
    assert saved.status_code == 303


@pytest.mark.parametrize("services", ["sqlite"], indirect=True)
def test_the_daily_form_starts_with_the_language_of_the_newest_reading(
    services: Services, web: WebClient
) -> None:
    made = web.post(
        "/generate", data={"language": "German", "level": "A2", "length": "80", "topic": "Park"},
        follow_redirects=False,
    )  # fmt: skip
    assert made.status_code == 303, made.text
    page = web.get("/daily").text
    assert re.search(r'<option value="German" selected>', page), page
    # Once the plan exists the heading says so when the plan is opened.
    plan = {"language": "German", "level": "A2", "length": "80", "topics": "Park",
            "at_time": "07:00", "active": "on"}  # fmt: skip
    saved = web.post("/daily/plans", data=plan, follow_redirects=False)
    assert saved.status_code == 303
    assert "Your plan in German" in web.get("/daily?language=German").text
