"""Retries and dead letters, a Redis restart mid-run, and a soak with random kills."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from opad.db.models import Article, Job
from tests.conftest import RedisServer
from tests.e2e.cluster import Cluster
from tests.processes import wait_until

ARTICLE_HTML = (
    "<html><head><title>Parks grow</title></head><body><article><h1>Parks grow</h1>"
    + "".join(
        f"<p>The city opened park number {n}. Children play there every day. "
        "Families walk under the old trees in the evening.</p>"
        for n in range(12)
    )
    + "</article></body></html>"
)


class FlakySite:
    """A local web page that answers 503 until told to recover."""

    def __init__(self) -> None:
        self.healthy = False
        self.hits = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                site.hits += 1
                body = ARTICLE_HTML.encode() if site.healthy else b"busy"
                self.send_response(200 if site.healthy else 503)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        # 127.0.0.2: a loopback address the cluster allows (OPAD_FETCH_ALLOW_NETWORKS), as an
        # operator would allow an intranet; everything else private stays refused.
        self.server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self.server.server_port}/news/parks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[FlakySite]:
    s = FlakySite()
    yield s
    s.close()


def test_transient_failures_retry_with_backoff_then_dead_letter_then_retry_by_hand(
    tmp_path: Path, redis_server: RedisServer, site: FlakySite
) -> None:
    cluster = Cluster(
        tmp_path,
        redis_server,
        OPAD_ENGINE="offline",
        OPAD_MAX_ATTEMPTS="3",
        OPAD_FETCH_ALLOW_NETWORKS="127.0.0.2/32",
    )
    try:
        cluster.worker()
        job = cluster.submit(source_url=site.url, topic=None)
        seen: list[str] = []

        def ended() -> bool:
            status = cluster.status(job["job_id"])
            if not seen or seen[-1] != status["message"]:
                seen.append(status["message"])
            return bool(status["status"] == "failed")

        wait_until(ended, 60, "the job to fail for good")
        status = cluster.status(job["job_id"])
        # One look when the API vetted the URL, then one fetch per attempt.
        assert status["attempts"] == 3 and site.hits == 1 + 3
        assert "gave up after 3 attempts" in status["error"] and "HTTP 503" in status["error"]
        assert sum("Retrying in" in m for m in seen) >= 1, seen
        dead = subprocess.run(
            [sys.executable, "-m", "opad", "jobs", "dead"],
            env=cluster.stack.env,
            capture_output=True,
            text=True,
        )
        assert job["job_id"] in dead.stdout and "attempts=3" in dead.stdout

        site.healthy = True
        retry = subprocess.run(
            [sys.executable, "-m", "opad", "jobs", "retry", job["job_id"]],
            env=cluster.stack.env,
            capture_output=True,
            text=True,
        )
        assert retry.returncode == 0, retry.stderr
        done = cluster.wait_status(job["job_id"], "succeeded")
        assert done["attempts"] == 1
        assert cluster.redis.llen("opad:jobs:dead") == 0
        content = httpx.get(f"{cluster.api}/articles/{job['article_id']}/content").text
        assert "Parks grow" in content and site.url in content
        missing = subprocess.run(
            [sys.executable, "-m", "opad", "jobs", "retry", "nope"],
            env=cluster.stack.env,
            capture_output=True,
            text=True,
        )
        assert missing.returncode == 1 and "no dead letter" in missing.stderr
    finally:
        cluster.close()


def test_redis_restart_mid_run_loses_nothing(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis", appendonly=True)
    server.start()
    cluster = Cluster(tmp_path, server, OPAD_NOOP_SECONDS="1")
    try:
        cluster.worker(OPAD_WORKER_CONCURRENCY="2")
        jobs = [cluster.submit() for _ in range(8)]
        wait_until(
            lambda: any(cluster.status(j["job_id"])["status"] == "running" for j in jobs),
            20,
            "a running job",
        )
        server.stop()
        start = time.monotonic()
        resp = httpx.post(
            f"{cluster.api}/generate",
            json={"language": "en", "level": "A1", "length": 100, "topic": "x"},
        )
        assert resp.status_code == 503 and resp.json()["error"] == "queue unavailable"
        assert time.monotonic() - start < 2
        time.sleep(2)
        server.start()  # same folder: the AOF brings the queue back
        for job in jobs:
            cluster.wait_status(job["job_id"], "succeeded", timeout=60)
        with cluster.services.db.session() as session:
            assert all(session.get(Job, j["job_id"]).status == "succeeded" for j in jobs)  # type: ignore[union-attr]
        assert cluster.processing_total() == 0
    finally:
        cluster.close()
        server.stop()


def _worker_id(service: object) -> str:
    for line in service.output().splitlines():  # type: ignore[attr-defined]
        if " ready: " in line:
            return line.split("worker ", 1)[1].split(" ready")[0]
    return ""


def test_soak_random_kills_lose_and_duplicate_nothing(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    cluster = Cluster(tmp_path, redis_server, OPAD_NOOP_SECONDS="0.5", OPAD_MAX_ATTEMPTS="10")
    rng = random.Random(7)
    kills: list[tuple[float, list[str]]] = []
    try:
        jobs = [cluster.submit(topic=f"soak {n}") for n in range(300)]
        workers = [cluster.worker() for _ in range(3)]
        for w in workers:
            wait_until(lambda w=w: bool(_worker_id(w)), 30, "a worker to start")
        started = time.monotonic()
        deadline = started + 240

        def remaining() -> int:
            with cluster.services.db.session() as session:
                return sum(
                    1
                    for j in jobs
                    if session.get(Job, j["job_id"]).status != "succeeded"  # type: ignore[union-attr]
                )

        while remaining() and time.monotonic() < deadline and len(kills) < 8:
            time.sleep(rng.uniform(0.5, 2.0))
            victim = rng.randrange(len(workers))
            held = cluster.services.queue.processing(_worker_id(workers[victim]))
            workers[victim].stop(signal.SIGKILL)
            kills.append((time.time(), [json.loads(m)["job_id"] for m in held]))
            workers[victim] = cluster.worker(live=False)
        wait_until(lambda: remaining() == 0, 120, "every soak job to succeed")
        elapsed = time.monotonic() - started
        recoveries = []
        with cluster.services.db.session() as session:
            for j in jobs:
                job = session.get(Job, j["job_id"])
                article = session.get(Article, j["article_id"])
                assert job is not None and job.status == "succeeded"
                assert article is not None and article.status == "ready"
                assert cluster.services.store.get_markdown(j["article_id"])
            for at, held in kills:
                ends = [session.get(Job, h).finished_at.timestamp() for h in held]  # type: ignore[union-attr]
                if ends:
                    recoveries.append(max(ends) - at)
        # A worker killed right after its commit never logs its success, hence ≤ 1.
        duplicated = [j["job_id"] for j in jobs if cluster.succeeded_lines(j["job_id"]) > 1]
        assert not duplicated
        wait_until(lambda: cluster.processing_total() == 0, 20, "empty processing lists")
        assert len(kills) >= 3 and sum(len(h) for _, h in kills) >= 1
        print(
            f"\nsoak: 300 jobs, 3 workers, {len(kills)} kills "
            f"({sum(len(h) for _, h in kills)} jobs in hand), 0 lost, 0 duplicated, "
            f"{elapsed:.1f} s; recovery after a kill: max {max(recoveries, default=0):.1f} s"
        )
    finally:
        cluster.close()
