"""A warm worker (OPAD_WORKER_WARM) prepares its languages' word data and the job path's
statements before its first claim, changes no job doing so, and then makes readings
(issue 32: a fresh worker's first job in a language spent seconds loading word data)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from opad.bootstrap import Services
from opad.db.models import Job
from opad.engines.leveler import LevelerEngine
from opad.inputs import ArticleCreate
from opad.services.articles import create_and_enqueue
from opad.users import LOCAL_USER_ID
from opad.worker.process import JobProcessor
from tests.conftest import RedisServer
from tests.processes import Stack, base_env, wait_until

TEXT = (
    "Die Stadt hat am Samstag einen neuen Park eröffnet. Viele Familien sind zum See "
    "gegangen. Die Kinder haben am Brunnen gespielt. Der Bürgermeister hat den Helfern "
    "gedankt. Am Abend gab es Musik und Essen für alle im Park."
)


def test_preparing_the_statements_changes_no_job(services: Services) -> None:
    accepted = create_and_enqueue(
        services, ArticleCreate(language="German", level="B1", length=60, source_text=TEXT),
        LOCAL_USER_ID,
    )  # fmt: skip

    def recorded() -> tuple[object, ...]:
        with services.db.session() as session:
            job = session.get(Job, accepted["job_id"])
            assert job is not None
            return (job.status, job.attempts, job.fence, job.started_at, job.message)

    before, live = recorded(), services.queue.read_status(accepted["job_id"])
    processor = JobProcessor(services, LevelerEngine(services.settings), 3)
    processor.prepare_statements()
    processor.prepare_statements()  # twice: still nothing
    assert recorded() == before and before[0] == "queued"
    assert services.queue.read_status(accepted["job_id"]) == live


def test_a_warm_worker_prepares_then_makes_readings(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    env = base_env(tmp_path, REDIS_URL=redis_server.url, OPAD_ENGINE="leveler",
                   OPAD_WORKER_WARM="German")  # fmt: skip
    stack = Stack(env, tmp_path)
    stack.migrate()
    stack.start_api()
    worker = stack.start("worker")
    try:
        # Prepared before its first claim: the log says so before the worker is ready.
        wait_until(lambda: "ready" in worker.output(), 180, "the warm worker to be ready")
        log = worker.output()
        assert "word data of de prepared" in log, log[-2000:]
        assert log.index("word data of de prepared") < log.index("ready")
        body = {"language": "German", "level": "B1", "length": 60, "source_text": TEXT}
        job = httpx.post(f"{stack.api_url}/generate", json=body, timeout=30).json()["job_id"]

        def done() -> bool:
            state = httpx.get(f"{stack.api_url}/jobs/{job}", timeout=10).json()["status"]
            assert state != "failed", json.dumps(state)
            return bool(state == "succeeded")

        wait_until(done, 120, "the job to succeed")
    finally:
        stack.stop()
