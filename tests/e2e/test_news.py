"""The whole stack reads news (local feeds): api + worker processes with OPAD_NEWS=on and
OPAD_ENGINE=offline (the leveler's old name), on the machine's PostgreSQL and Redis."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.databases import emptied
from tests.e2e.helpers import follow
from tests.integration.test_news import ELEPHANTS, FUSSBALL, OLD_ELEPHANTS
from tests.integration.test_worker_news import assert_on_topic_and_new
from tests.news_site import NewsSite
from tests.processes import Stack, base_env, free_port


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as s:
        s.article("new", "Elephants return to Kenya's plains", ELEPHANTS, "2026-11-20")
        s.article("old", "Kenya's elephants in the drought", OLD_ELEPHANTS, "2025-10-01")
        s.article("fussball", "Frauenfußball wächst in ganz Deutschland", FUSSBALL, "2026-11-25")
        s.feed("/en.rss", ["old", "new"], kind="rss", lang="en")
        s.feed("/de.atom", ["fussball"], kind="atom", lang="de")
        yield s


@pytest.fixture
def news_stack(
    tmp_path: Path, pg_url: str, machine_redis_url: str, site: NewsSite
) -> Iterator[Stack]:

    emptied(pg_url)
    env = base_env(
        tmp_path,
        DATABASE_URL=pg_url,
        REDIS_URL=machine_redis_url,
        OPAD_NEWS="on",
        OPAD_RSS_FEEDS=f"en={site.url}/en.rss,de={site.url}/de.atom",
        OPAD_FETCH_ALLOW_NETWORKS="127.0.0.1/32",
    )
    s = Stack(env=env, data_dir=tmp_path)
    s.migrate()
    s.start_api()
    s.start("worker")
    yield s
    s.stop()


def reading(api: str, body: dict[str, object]) -> tuple[dict, dict]:  # type: ignore[type-arg]
    accepted = httpx.post(f"{api}/generate", json=body, timeout=10)
    assert accepted.status_code == 202, accepted.text
    status, _ = follow(api, accepted.json()["job_id"], timeout=120)
    assert status["status"] == "succeeded", status
    return status, httpx.get(f"{api}/articles/{accepted.json()['article_id']}", timeout=10).json()


@pytest.mark.slow
def test_news_readings_end_to_end(news_stack: Stack, site: NewsSite) -> None:
    api = news_stack.api_url
    by_code = {lang["code"]: lang["sources"] for lang in httpx.get(f"{api}/languages").json()}
    # Only what OPAD_RSS_FEEDS names: it replaces the shipped list (no Spanish feed here).
    assert by_code["en"] == ["news", "library", "text"] and by_code["es"] == ["library", "text"]
    assert by_code["pt"] == ["text"]
    refused = httpx.post(
        f"{api}/generate", json={"language": "pt", "level": "A1", "length": 100, "topic": "mar"}
    )
    assert refused.status_code == 422 and refused.json()["fields"][0]["field"] == "topic"

    body = {"language": "English", "level": "B1", "length": 60, "topic": "elephants in Kenya"}
    status, article = reading(api, body)
    assert_on_topic_and_new(status["message"])
    assert article["source"]["url"] == site.page_url("new")
    _, again = reading(api, body)
    assert again["source"]["url"] == site.page_url("old")  # not the same article twice

    status, german = reading(api, {**body, "language": "de", "topic": "Fußball"})
    assert german["source"]["url"] == site.page_url("fussball")

    status, off = reading(api, {**body, "topic": "volcanoes in Iceland"})
    assert "No text on this topic (“volcanoes in Iceland”); the closest is" in status["message"]
    assert any(w.startswith("No text on this topic") for w in off["warnings"])


@pytest.mark.slow
def test_doctor_checks_the_news(tmp_path: Path, site: NewsSite) -> None:
    env = base_env(tmp_path, OPAD_NEWS="on", OPAD_RSS_FEEDS=f"en={site.url}/en.rss")
    env["OPAD_API_PORT"] = str(free_port())  # nothing runs there: set up, not running
    out = subprocess.run(
        [sys.executable, "-m", "opad", "doctor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "engine: leveler" in out.stdout and f"{site.url}/en.rss: 2 entries" in out.stdout
    assert "news: ok — " in out.stdout, out.stdout + out.stderr
    assert out.stdout.splitlines()[-1].startswith("verdict: NOT running — the setup is ready")
    dead = base_env(tmp_path, OPAD_NEWS="on", OPAD_RSS_FEEDS="en=http://127.0.0.1:9/feed.xml")
    out = subprocess.run(
        [sys.executable, "-m", "opad", "doctor"],
        env=dead,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1 and "news: PROBLEM" in out.stdout
