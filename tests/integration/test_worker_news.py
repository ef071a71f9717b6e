"""The worker and the leveler on news: a learner is not served the same article twice, and
an off-topic text says so in the job's final message. Feeds are local (tests/news_site.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
import regex as re

from opad.bootstrap import Services
from opad.db.models import Article
from opad.engines.leveler import LevelerEngine
from opad.engines.origins import canonical_url
from opad.inputs import ArticleCreate
from opad.queue.protocol import QUEUE_KEY
from opad.services.articles import create_and_enqueue
from opad.users import LOCAL_USER_ID, SYSTEM_USER_ID
from opad.worker.runner import Worker
from tests.integration.test_news import ELEPHANTS, OLD_ELEPHANTS
from tests.integration.test_worker import final_status
from tests.news_site import NewsSite

ELEPHANTS_IN_KENYA = ArticleCreate(
    language="English", level="B1", length=60, topic="elephants in Kenya"
)


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as s:
        s.article("new", "Elephants return to Kenya's plains", ELEPHANTS, "2026-11-20")
        s.article("old", "Kenya's elephants in the drought", OLD_ELEPHANTS, "2025-10-01")
        s.feed("/en.atom", ["old", "new"], kind="atom", lang="en")
        yield s


@pytest.fixture
def worker(services: Services, site: NewsSite) -> Iterator[Worker]:
    settings = services.settings
    settings.news = True
    settings.rss_feeds = f"en={site.url}/en.atom"
    settings.fetch_allow_networks = "127.0.0.1/32"
    settings.news_timeout_seconds = 5
    w = Worker(services, LevelerEngine(settings), settings, concurrency=1)
    w.start()
    yield w
    w.stop()


def origin(services: Services, article_id: str) -> str | None:
    """The page the reading was made from, as recorded for "already read": its canonical
    URL (http and https alike, so written https; opad.engines.origins.canonical_url)."""
    with services.db.session() as session:
        article = session.get(Article, article_id)
        assert article is not None
        return article.origin_url


def assert_on_topic_and_new(message: str) -> None:
    """The job ended on the topic with a page not read before (a 60-word reading from these
    short pages may also say that the source's sentences could not be fitted closer)."""
    assert message.startswith("Completed"), message
    assert "topic" not in message and "already" not in message, message


def run(services: Services, body: ArticleCreate, owner: str = LOCAL_USER_ID) -> tuple[str, dict]:
    accepted = create_and_enqueue(services, body, owner)
    status = final_status(services, accepted["job_id"], timeout=90)
    assert status["status"] == "succeeded", status
    return accepted["article_id"], status


def test_same_learner_gets_another_article_then_is_told(
    services: Services, worker: Worker, site: NewsSite
) -> None:
    first, status = run(services, ELEPHANTS_IN_KENYA)
    assert origin(services, first) == canonical_url(site.page_url("new"))  # the freshest
    assert_on_topic_and_new(status["message"])
    second, status = run(services, ELEPHANTS_IN_KENYA)
    assert origin(services, second) == canonical_url(site.page_url("old"))
    assert_on_topic_and_new(status["message"])
    third, status = run(services, ELEPHANTS_IN_KENYA)
    assert origin(services, third) == canonical_url(site.page_url("new"))
    assert "already have a reading made from this text" in str(status["message"])
    # Another learner (a protocol job owned by the system user) starts with the freshest.
    job_id, article_id = str(uuid.uuid4()), str(uuid.uuid4())
    inputs = ELEPHANTS_IN_KENYA.model_dump(exclude_none=True)
    services.queue.redis.lpush(
        QUEUE_KEY, json.dumps({"job_id": job_id, "article_id": article_id, "inputs": inputs})
    )
    assert final_status(services, job_id, timeout=90)["status"] == "succeeded"
    with services.db.session() as session:
        assert session.get(Article, article_id).owner_id == SYSTEM_USER_ID  # type: ignore[union-attr]
    assert origin(services, article_id) == canonical_url(site.page_url("new"))


def test_off_topic_text_is_named_in_the_final_message(services: Services, worker: Worker) -> None:
    article_id, status = run(
        services, ArticleCreate(language="English", level="A2", length=100, topic="volcanoes")
    )
    message = str(status["message"])
    assert message.startswith("Completed, with a warning: No text on this topic (“volcanoes”)")
    assert "the closest is “" in message
    # Notices are sentences, one after the other: never glued by "; " (issue 33).
    assert not re.search(r"; \p{Lu}", message), message
    detail_warnings = json.loads(services.store.get_result(article_id) or "{}")["warnings"]
    assert any(w.startswith("No text on this topic") for w in detail_warnings)
    assert all(w[0].isupper() and w.endswith((".", "”", ")")) for w in detail_warnings)
