"""Nothing lost between the commit and the push: Redis dies after `POST /generate` recorded
the job and before it pushed the message, comes back empty (no append-only file), and the
job still runs — once, with no operator step."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from opad.bootstrap import build_services
from opad.db.models import Job
from tests.conftest import RedisServer, make_settings
from tests.processes import Stack, base_env, wait_until

BODY = {"language": "English", "level": "B1", "length": 100, "topic": "parks"}


def test_redis_lost_between_commit_and_push_the_job_still_succeeds(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    barrier = tmp_path / "pause"
    env = base_env(
        tmp_path,
        REDIS_URL=redis_server.url,
        OPAD_ENGINE="noop",
        OPAD_NOOP_SECONDS="0.2",
        OPAD_ENQUEUE_GRACE="2",
        OPAD_LEASE_SECONDS="2",
        OPAD_TEST_PAUSE=f"enqueue:after_commit={barrier}",
    )
    stack = Stack(env=env, data_dir=tmp_path)
    services = build_services(make_settings(tmp_path, REDIS_URL=redis_server.url))
    try:
        stack.migrate()
        stack.start_api()
        answer: dict[str, httpx.Response] = {}
        post = threading.Thread(
            target=lambda: answer.update(
                resp=httpx.post(f"{stack.api_url}/generate", json=BODY, timeout=60)
            )
        )
        post.start()
        wait_until(lambda: Path(f"{barrier}.reached").exists(), 60, "the commit")
        redis_server.stop()  # the job is committed; its push has not happened
        Path(f"{barrier}.go").touch()
        post.join(60)
        resp = answer["resp"]
        # Accepted: the job is recorded and will run; nothing for the learner to redo.
        assert resp.status_code == 202, resp.text
        job_id = resp.json()["job_id"]
        with services.db.session() as session:
            job = session.get(Job, job_id)
            assert job is not None and job.status == "queued" and job.attempts == 0

        redis_server.start()  # empty: no append-only file, no snapshot
        assert redis_server.client().llen("opad:jobs") == 0
        started = time.monotonic()
        worker = stack.start("worker")

        def succeeded() -> bool:
            got = httpx.get(f"{stack.api_url}/jobs/{job_id}", timeout=10)
            return got.status_code == 200 and got.json()["status"] == "succeeded"

        wait_until(succeeded, 120, f"job {job_id} to succeed")
        took = time.monotonic() - started
        status = httpx.get(f"{stack.api_url}/jobs/{job_id}", timeout=10).json()
        assert status["attempts"] == 1 and status["progress"] == 100, status
        article = httpx.get(f"{stack.api_url}/articles/{resp.json()['article_id']}", timeout=10)
        assert article.json()["status"] == "ready"
        time.sleep(3)  # more sweeps than the grace period: still pushed only once
        assert worker.output().count("pushed again") == 1, worker.output()
        r = redis_server.client()
        assert r.llen("opad:jobs") == 0 and r.llen("opad:jobs:dead") == 0
        print(f"recovered without an operator in {took:.1f} s (worker start included)")
    finally:
        stack.stop()
        services.close()
