"""GET /languages says where readings come from; a topic with nothing to read is a 422."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from opad.api.app import create_app
from opad.bootstrap import Services
from opad.queue.protocol import QUEUE_KEY
from tests.processes import ServerThread

TOPIC_ONLY = {"language": "Portuguese", "level": "A2", "length": 200, "topic": "futebol"}


@pytest.fixture
def client(services: Services) -> Iterator[httpx.Client]:
    with (
        ServerThread(create_app(services.settings, services)) as server,
        httpx.Client(base_url=server.url, timeout=10) as c,
    ):
        yield c


def queued(services: Services) -> int:
    return int(services.queue.redis.llen(QUEUE_KEY))


def test_languages_list_their_sources(client: httpx.Client, services: Services) -> None:
    by_code = {lang["code"]: lang for lang in client.get("/languages").json()}
    assert by_code["de"]["sources"] == ["library", "text"]
    assert by_code["pt"]["sources"] == ["text"]
    assert all("text" in lang["sources"] for lang in by_code.values())
    services.settings.news = True  # OPAD_NEWS=on: the shipped feeds for en, de, es, fr
    by_code = {lang["code"]: lang for lang in client.get("/languages").json()}
    assert by_code["fr"]["sources"] == ["news", "library", "text"]
    assert by_code["pt"]["sources"] == ["text"]


@pytest.mark.parametrize("path", ["/generate", "/articles"])
def test_topic_only_in_a_language_without_texts_is_refused_before_any_job(
    client: httpx.Client, services: Services, path: str
) -> None:
    resp = client.post(path, json=TOPIC_ONLY)
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["fields"][0]["field"] == "topic"
    assert "no Portuguese texts to choose from yet" in body["fields"][0]["message"]
    assert "paste a text of your own" in body["detail"]
    assert queued(services) == 0
    assert client.get("/articles").json()["total"] == 0


def test_own_text_or_news_in_that_language_is_accepted(
    client: httpx.Client, services: Services
) -> None:
    own = client.post("/generate", json={**TOPIC_ONLY, "source_text": "Olá. Hoje está sol."})
    assert own.status_code == 202, own.text
    # The operator adds a Portuguese feed: the same topic-only request is now accepted.
    services.settings.news = True
    services.settings.rss_feeds = "pt=https://example.invalid/rss"
    assert client.post("/generate", json=TOPIC_ONLY).status_code == 202
    assert queued(services) == 2


def test_try_again_on_an_article_that_can_no_longer_be_served(
    client: httpx.Client, services: Services
) -> None:
    services.settings.news = True
    services.settings.rss_feeds = "pt=https://example.invalid/rss"
    article = client.post("/articles", json=TOPIC_ONLY).json()
    services.settings.rss_feeds = ""  # the feed is gone again
    resp = client.post(f"/articles/{article['id']}/generate")
    assert resp.status_code == 422
    assert resp.json()["fields"][0]["field"] == "topic"
    assert queued(services) == 0
