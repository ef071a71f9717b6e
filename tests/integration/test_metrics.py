"""Metrics: the worker's counters move with its jobs; the API reports the queue's sizes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from opad.api.app import create_app
from opad.bootstrap import Services, build_services
from opad.db.migrate import upgrade
from opad.engines.base import (
    EngineError,
    GenerationRequest,
    GenerationResult,
    ProgressFn,
    Source,
    Usage,
)
from opad.inputs import ArticleCreate
from opad.metrics import WORKER_REGISTRY
from opad.queue.protocol import DEAD_KEY, DELAYED_KEY, QUEUE_KEY, processing_key
from opad.services.articles import create_and_enqueue
from opad.services.jobs import cancel_job
from opad.users import LOCAL_USER_ID
from opad.worker.runner import Worker
from tests.conftest import RedisServer, make_settings
from tests.integration.test_worker import final_status
from tests.processes import ServerThread, wait_until

BODY = {"language": "English", "level": "B1", "length": 100, "topic": "parks"}


class ScriptedEngine:
    """Does what the topic says: "ok" (with token usage), "flaky" (transient error), "slow"."""

    name = "scripted"

    def generate(self, request: GenerationRequest, progress: ProgressFn) -> GenerationResult:
        if request.topic == "flaky":
            raise EngineError("upstream 503", transient=True)
        if request.topic == "slow":
            for step in range(200):
                progress(10 + step // 4, "working…")
                time.sleep(0.05)
        return GenerationResult(
            title="t",
            markdown="# t\n\nbody",
            source=Source(name="s"),
            usage=Usage(model="test/model-x", prompt_tokens=120, completion_tokens=30),
        )


def sample(name: str, labels: dict[str, str] | None = None) -> float:
    return WORKER_REGISTRY.get_sample_value(name, labels or {}) or 0.0


COUNTERS = [
    "opad_worker_jobs_started_total",
    "opad_worker_jobs_succeeded_total",
    "opad_worker_jobs_failed_total",
    "opad_worker_jobs_retried_total",
    "opad_worker_jobs_cancelled_total",
]


@pytest.fixture
def worker(services: Services) -> Iterator[Worker]:
    services.settings.retry_base_seconds = 0.05
    services.settings.retry_max_seconds = 0.05
    services.settings.max_attempts = 2
    w = Worker(services, ScriptedEngine(), services.settings, concurrency=2)  # type: ignore[arg-type]
    w.start()
    yield w
    w.stop()


def submit(services: Services, topic: str) -> str:
    return create_and_enqueue(
        services, ArticleCreate.model_validate({**BODY, "topic": topic}), LOCAL_USER_ID
    )["job_id"]


def test_worker_counters_move_with_jobs(services: Services, worker: Worker) -> None:
    before = {name: sample(name) for name in COUNTERS}
    tokens = sample("opad_llm_tokens_total", {"model": "test/model-x", "kind": "prompt"})
    durations = sample("opad_worker_job_duration_seconds_count", {"outcome": "succeeded"})

    assert final_status(services, submit(services, "ok"))["status"] == "succeeded"
    flaky = final_status(services, submit(services, "flaky"))
    assert flaky["status"] == "failed" and "gave up after 2 attempts" in str(flaky["error"])
    slow = submit(services, "slow")
    started = before["opad_worker_jobs_started_total"]
    wait_until(lambda: sample("opad_worker_jobs_started_total") == started + 4, 10, "a start")
    cancel_job(services.db, services.queue, slow)
    cancelled = before["opad_worker_jobs_cancelled_total"]
    wait_until(lambda: sample("opad_worker_jobs_cancelled_total") > cancelled, 10, "a cancel")

    moved = {name: sample(name) - before[name] for name in COUNTERS}
    assert moved == {
        "opad_worker_jobs_started_total": 4,  # ok, flaky twice, slow
        "opad_worker_jobs_succeeded_total": 1,
        "opad_worker_jobs_failed_total": 1,
        "opad_worker_jobs_retried_total": 1,
        "opad_worker_jobs_cancelled_total": 1,
    }
    assert sample("opad_llm_tokens_total", {"model": "test/model-x", "kind": "prompt"}) == (
        tokens + 120
    )
    assert sample("opad_worker_job_duration_seconds_count", {"outcome": "succeeded"}) == (
        durations + 1
    )


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(text: str) -> Samples:
    """Exposition text → {(sample name, sorted labels): value}."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_api_metrics_report_requests_enqueues_and_queue_sizes(services: Services) -> None:
    r = services.queue.redis
    r.zadd(DELAYED_KEY, {"a": 1, "b": 2})
    r.lpush(DEAD_KEY, "x")
    r.sadd("opad:workers", "w1")
    r.lpush(processing_key("w1"), "m1", "m2", "m3")
    with (
        ServerThread(create_app(services.settings, services)) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        before = scrape(client.get("/metrics").text)
        assert client.post("/generate", json=BODY).status_code == 202
        assert client.get("/jobs/nope").status_code == 404
        resp = client.get("/metrics")
    assert resp.headers["content-type"].startswith("text/plain")
    after = scrape(resp.text)

    def moved(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert moved("opad_api_jobs_enqueued_total") == 1
    assert moved("opad_http_requests_total", method="POST", route="/generate", status="202") == 1
    assert (
        moved("opad_http_requests_total", method="GET", route="/jobs/{job_id}", status="404") == 1
    )
    gauges = {name: after[(name, ())] for name, _ in after if name.startswith("opad_queue")}
    assert gauges == {
        "opad_queue_depth": r.llen(QUEUE_KEY),
        "opad_queue_delayed": 2,
        "opad_queue_dead_letters": 1,
        "opad_queue_processing": 3,
    }
    assert after[("opad_workers_registered", ())] == 1 and after[("opad_redis_up", ())] == 1


def test_api_metrics_when_redis_is_down(tmp_path: Path, redis_server: RedisServer) -> None:
    svc = build_services(make_settings(tmp_path, REDIS_URL=redis_server.url))
    upgrade(svc.db.engine)
    try:
        with ServerThread(create_app(svc.settings, svc)) as server:
            redis_server.stop()
            resp = httpx.get(f"{server.url}/metrics", timeout=10)
    finally:
        svc.close()
    assert resp.status_code == 200
    values = scrape(resp.text)
    assert values[("opad_redis_up", ())] == 0
    assert not any(name.startswith("opad_queue") for name, _ in values)
