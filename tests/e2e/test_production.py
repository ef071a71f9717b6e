"""The production backends end to end: PostgreSQL, the machine's Redis and an S3 server,
with JSON logs and metrics, over real processes — and what happens when S3 goes down."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import redis

from opad.queue.protocol import DEAD_KEY
from tests.conftest import MACHINE_REDIS_URL
from tests.databases import emptied
from tests.e2e.helpers import follow
from tests.integration.test_metrics import Samples, scrape
from tests.processes import Service, Stack, base_env, free_port, http_ok, wait_until
from tests.s3 import S3Server

BODY = {"language": "German", "level": "B1", "length": 150, "topic": "Windkraft"}


@dataclass
class Prod:
    stack: Stack
    s3: S3Server
    bucket: str
    worker: Service
    worker_metrics: str
    redis_url: str

    def api(self, path: str) -> str:
        return f"{self.stack.api_url}{path}"


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory, pg_url: str) -> Iterator[Prod]:
    """api + worker on PostgreSQL, the machine's Redis and a bucket; JSON logs, metrics on.
    One stack for the module: starting one is the slow part (the tests share nothing else
    than counters they read as differences)."""

    machine_redis_url = MACHINE_REDIS_URL or pytest.fail("OPAD_TEST_REDIS_URL is not set")
    redis.Redis.from_url(machine_redis_url).flushdb()
    emptied(pg_url)
    tmp_path = tmp_path_factory.mktemp("prod")
    s3_server = S3Server()
    s3_server.start()
    bucket = s3_server.new_bucket()
    port = free_port()
    env = base_env(
        tmp_path,
        DATABASE_URL=pg_url,
        REDIS_URL=machine_redis_url,
        OPAD_LOG_FORMAT="json",
        OPAD_WORKER_METRICS_PORT=str(port),
        OPAD_MAX_ATTEMPTS="2",
        OPAD_RETRY_BASE_SECONDS="0.3",
        OPAD_RETRY_MAX_SECONDS="0.3",
        OPAD_S3_TIMEOUT="2",
        # A finished reading waits out a store outage (no attempt spent) this long, then
        # fails naming it: 3 s here, so the test sees the end of the wait.
        OPAD_OUTAGE_WAIT_MINUTES="0.05",
        **s3_server.env(bucket, "prod"),
    )
    stack = Stack(env=env, data_dir=tmp_path)
    stack.migrate()
    stack.start_api()
    worker = stack.start("worker")
    metrics_url = f"http://127.0.0.1:{port}/metrics"
    try:
        wait_until(lambda: http_ok(metrics_url), 30, "the worker's metrics")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{worker.output()}") from None
    yield Prod(stack, s3_server, bucket, worker, metrics_url, machine_redis_url)
    stack.stop()
    s3_server.stop()


def generate(prod: Prod) -> tuple[dict[str, object], list[tuple[str, int, str]], str]:
    resp = httpx.post(prod.api("/generate"), json=BODY, timeout=10)
    assert resp.status_code == 202, resp.text
    status, seen = follow(prod.stack.api_url, resp.json()["job_id"])
    return status, seen, resp.json()["article_id"]


def json_lines(service: Service) -> list[dict[str, object]]:
    """Every line the process wrote, each parsed as JSON (fails on any other line)."""
    out = []
    for line in service.output().splitlines():
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError:
                raise AssertionError(f"not a JSON log line: {line!r}") from None
    return out


def test_pipeline_on_s3_with_metrics_and_json_logs(prod: Prod) -> None:
    api_before = scrape(httpx.get(prod.api("/metrics"), timeout=5).text)
    worker_before = scrape(httpx.get(prod.worker_metrics, timeout=5).text)

    status, _, article_id = generate(prod)
    assert status["status"] == "succeeded", status
    content = httpx.get(prod.api(f"/articles/{article_id}/content"), timeout=5)
    assert content.status_code == 200 and content.text.startswith("# ")
    detail = httpx.get(prod.api(f"/articles/{article_id}"), timeout=5).json()
    assert detail["vocabulary"] and detail["source"]["name"]

    # The content is in the bucket, under the prefix; nothing on the local disk.
    folder = f"prod/articles/{article_id}"
    assert [k for k in prod.s3.keys(prod.bucket) if article_id in k] == [
        f"{folder}/article.md",
        f"{folder}/reading.json",  # the analyzed text (docs/reading.md)
        f"{folder}/result.json",
    ]
    assert not (prod.stack.data_dir / "content").exists()

    # The counters moved: the API's and the worker's.
    api_after = scrape(httpx.get(prod.api("/metrics"), timeout=5).text)
    worker_after = scrape(httpx.get(prod.worker_metrics, timeout=5).text)

    def moved(after: Samples, before: Samples, name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert moved(api_after, api_before, "opad_api_jobs_enqueued_total") == 1
    assert (
        moved(
            api_after,
            api_before,
            "opad_http_requests_total",
            method="POST",
            route="/generate",
            status="202",
        )
        == 1
    )
    assert api_after[("opad_redis_up", ())] == 1
    for name in ("opad_worker_jobs_started_total", "opad_worker_jobs_succeeded_total"):
        assert moved(worker_after, worker_before, name) == 1, name
    assert (
        moved(
            worker_after,
            worker_before,
            "opad_worker_job_duration_seconds_count",
            outcome="succeeded",
        )
        == 1
    )

    # Deleting the article deletes its objects.
    assert httpx.delete(prod.api(f"/articles/{article_id}"), timeout=5).status_code == 204
    assert not [k for k in prod.s3.keys(prod.bucket) if article_id in k]

    # JSON logs: every line of both processes; the worker's lines about the job carry it.
    api_lines = json_lines(prod.stack.services[0])
    assert any(str(line["message"]).startswith("API ready") for line in api_lines)
    about_job = [line for line in json_lines(prod.worker) if line.get("job_id") == status["id"]]
    messages = [str(line["message"]) for line in about_job]
    assert any("running" in m for m in messages) and any("succeeded" in m for m in messages)
    for line in about_job:
        assert line["article_id"] == article_id and {"time", "level", "logger"} <= set(line)
        if "running" in str(line["message"]) or "succeeded" in str(line["message"]):
            assert line["attempt"] == 1


def test_s3_down_is_waited_out_then_fails_naming_it_and_readiness_says_so(prod: Prod) -> None:
    status, _, ready_article = generate(prod)
    assert status["status"] == "succeeded"
    worker_before = scrape(httpx.get(prod.worker_metrics, timeout=5).text)

    prod.s3.stop()
    start = time.monotonic()
    ready = httpx.get(prod.api("/health/ready"), timeout=10)
    assert time.monotonic() - start < 3
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["store"]["status"] == "down" and "Could not connect" in checks["store"]["error"]
    assert checks["redis"]["status"] == "ok" and checks["database"]["status"] == "ok"
    # Reading stored content names the store, as a 503.
    content = httpx.get(prod.api(f"/articles/{ready_article}/content"), timeout=10)
    assert content.status_code == 503 and content.json()["error"] == "store unavailable"

    status, seen, article_id = generate(prod)
    assert status["status"] == "failed", status
    error = str(status["error"])
    # Not the job's fault: no attempt spent on the outage, and the error names it.
    prefix = "could not save the result: the content store was unavailable for 0.05 min ("
    assert error.startswith(prefix), error
    assert "Could not connect to the endpoint URL" in error
    assert not any(message.startswith("Retrying in") for _, _, message in seen), seen
    assert status["attempts"] == 1
    dead = [json.loads(e) for e in redis.Redis.from_url(prod.redis_url).lrange(DEAD_KEY, 0, -1)]
    assert [d["job_id"] for d in dead] == [status["id"]]
    detail = httpx.get(prod.api(f"/articles/{article_id}"), timeout=5).json()
    assert detail["status"] == "failed"

    worker_after = scrape(httpx.get(prod.worker_metrics, timeout=5).text)
    for name, more in (("opad_worker_jobs_retried_total", 0), ("opad_worker_jobs_failed_total", 1)):
        key = (name, ())
        assert worker_after.get(key, 0) - worker_before.get(key, 0) == more, name

    # S3 back: ready again, and the content stored before is still there.
    prod.s3.start()
    assert httpx.get(prod.api("/health/ready"), timeout=10).status_code == 200
    assert httpx.get(prod.api(f"/articles/{ready_article}/content"), timeout=5).status_code == 200
