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
    # Due all day (00:00 less the lead): the worker's tick makes it at once.
    saved = web.post("/daily/plans", data={**form, "at_time": "00:00"}, follow_redirects=False)
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
