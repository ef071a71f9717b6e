"""The worker against a real Redis and database, with the real offline engine."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from opad.bootstrap import Services
from opad.db.models import Article, Job
from opad.engines.leveler import LevelerEngine
from opad.inputs import ArticleCreate
from opad.queue.protocol import DEAD_KEY, QUEUE_KEY, processing_key
from opad.services.articles import create_and_enqueue, delete_article
from opad.users import LOCAL_USER_ID
from opad.worker.runner import Worker
from tests.processes import wait_until


@pytest.fixture
def worker(services: Services) -> Iterator[Worker]:
    w = Worker(services, LevelerEngine(services.settings), services.settings, concurrency=2)
    w.start()
    yield w
    w.stop()


def final_status(services: Services, job_id: str, timeout: float = 30) -> dict[str, object]:
    """Wait for a terminal status at opad:job:{id}."""
    holder: dict[str, object] = {}

    def done() -> bool:
        holder.update(services.queue.read_status(job_id) or {})
        return holder.get("status") in ("succeeded", "failed", "cancelled")

    wait_until(done, timeout, f"job {job_id} to end")
    return holder


def test_job_runs_to_success_and_is_recorded(services: Services, worker: Worker) -> None:
    accepted = create_and_enqueue(
        services,
        ArticleCreate(language="French", level="A2", length=200, topic="parcs"),
        LOCAL_USER_ID,
    )
    status = final_status(services, accepted["job_id"])
    assert status["status"] == "succeeded" and status["progress"] == 100
    # "Completed!", or with the leveler's honest warning when the text reads above A2
    # (what this test checks is the job's record, not the leveling: tests/language).
    assert status["message"].startswith("Completed") and status["attempts"] == 1
    with services.db.session() as session:
        article = session.get(Article, accepted["article_id"])
        job = session.get(Job, accepted["job_id"])
        assert article is not None and job is not None
        assert article.status == "ready" and article.title and article.word_count
        assert job.status == "succeeded" and job.finished_at and job.started_at
    assert (services.store.get_markdown(accepted["article_id"]) or "").startswith("# ")
    result = json.loads(services.store.get_result(accepted["article_id"]) or "{}")
    assert result["vocabulary"] and "markdown" not in result
    assert services.queue.redis.llen(processing_key(worker.id)) == 0


def test_protocol_only_job_creates_its_article(services: Services, worker: Worker) -> None:
    job_id, article_id = str(uuid.uuid4()), str(uuid.uuid4())
    services.queue.redis.lpush(
        QUEUE_KEY,
        json.dumps(
            {
                "job_id": job_id,
                "article_id": article_id,
                "created_at": "2026-01-01T00:00:00Z",
                "inputs": {"language": "English", "level": "B2", "length": "150", "topic": "space"},
                "producer": "a plain script",  # extra fields are allowed
            }
        ),
    )
    assert final_status(services, job_id)["status"] == "succeeded"
    with services.db.session() as session:
        article = session.get(Article, article_id)
        assert article is not None and article.status == "ready" and article.level == "B2"
        assert article.latest_job_id == job_id


def test_invalid_inputs_fail_with_the_reason(services: Services, worker: Worker) -> None:
    job_id = str(uuid.uuid4())
    services.queue.redis.lpush(
        QUEUE_KEY,
        json.dumps(
            {
                "job_id": job_id,
                "article_id": str(uuid.uuid4()),
                "inputs": {"language": "English", "level": "Q7", "length": 150, "topic": "x"},
            }
        ),
    )
    status = final_status(services, job_id)
    assert status["status"] == "failed" and "level" in str(status["error"])


def test_malformed_message_is_dead_lettered(services: Services, worker: Worker) -> None:
    services.queue.redis.lpush(QUEUE_KEY, "{not json")
    wait_until(lambda: services.queue.redis.llen(DEAD_KEY) == 1, 10, "a dead letter")
    entry = json.loads(services.queue.redis.lindex(DEAD_KEY, 0) or "{}")
    assert entry["payload"] == "{not json" and "malformed" in entry["error"]


def test_engine_failure_fails_the_job_and_the_article(services: Services, worker: Worker) -> None:
    accepted = create_and_enqueue(
        services,
        ArticleCreate(language="Italian", level="B1", length=100, topic="calcio"),
        LOCAL_USER_ID,
    )
    status = final_status(services, accepted["job_id"])
    assert status["status"] == "failed" and "no texts in Italian" in str(status["error"])
    with services.db.session() as session:
        article = session.get(Article, accepted["article_id"])
        assert article is not None and article.status == "failed"


def test_deleted_article_is_not_resurrected(services: Services) -> None:
    accepted = create_and_enqueue(
        services,
        ArticleCreate(language="German", level="B1", length=100, topic="Park"),
        LOCAL_USER_ID,
    )
    delete_article(services, accepted["article_id"])  # before any worker runs
    w = Worker(services, LevelerEngine(services.settings), services.settings, concurrency=1)
    w.start()
    try:
        status = final_status(services, accepted["job_id"])
    finally:
        w.stop()
    assert status["status"] == "cancelled"
    with services.db.session() as session:
        assert session.get(Article, accepted["article_id"]) is None
    assert services.store.get_markdown(accepted["article_id"]) is None


def test_stop_hands_unclaimed_work_back(services: Services) -> None:
    w = Worker(services, LevelerEngine(services.settings), services.settings, concurrency=1)
    services.queue.redis.lpush(processing_key(w.id), json.dumps({"job_id": "x"}))
    w.stop()
    assert services.queue.depth() == 1
