"""Nothing stuck, nothing left behind (issue 29): real workers against a private Redis that
loses its data, a content folder that cannot be written, duplicate messages, a stop.

Each test reproduces one fault the issue reported; the fault's number is in its name.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import select

from opad.db.models import Job, PendingDeletion
from opad.jobs.records import job_payload
from opad.services.recovery import LOST_ERROR, LOST_MESSAGE
from tests.e2e.cluster import Cluster
from tests.processes import OPAD, wait_until

CLUSTER_ENV = {"OPAD_CLEANUP_INTERVAL": "0.5"}

pytestmark = pytest.mark.slow

BODY = {"language": "English", "level": "B1", "length": 100}


@contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """The folder cannot be changed, even by root (the tests run as root): the immutable
    attribute, as a read-only or full disk would refuse writes."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def articles_folder(cluster: Cluster) -> Path:
    return cluster.stack.data_dir / "content" / "articles"


def wait_running(cluster: Cluster, jobs: list[dict[str, str]]) -> None:
    for job in jobs:
        cluster.wait_status(job["job_id"], "running", timeout=30)


def test_1_runs_redis_lost_with_their_worker_are_queued_again_once(cluster: Cluster) -> None:
    first = cluster.worker(OPAD_NOOP_SECONDS="30")
    jobs = [cluster.submit(topic=f"lost {n}") for n in range(4)]
    wait_running(cluster, jobs)
    cluster.redis.flushdb()  # a restart without its data, a failover, a FLUSHDB
    first.stop(signal.SIGKILL)
    lost_at = time.monotonic()
    cluster.worker(OPAD_NOOP_SECONDS="0.2")
    for job in jobs:
        cluster.wait_status(job["job_id"], "succeeded", timeout=45)
    took = time.monotonic() - lost_at
    for job in jobs:
        row = cluster.job_row(job["job_id"])
        # The lost run spent no attempt; the record says it was recovered once.
        assert (row.status, row.attempts, row.recoveries) == ("succeeded", 1, 1)
        assert cluster.succeeded_lines(job["job_id"]) == 1
    print(f"\n4 runs lost with Redis's data and their worker: all done {took:.1f} s later")


def test_1_a_live_worker_keeps_its_runs_when_redis_loses_its_data(cluster: Cluster) -> None:
    worker = cluster.worker(OPAD_NOOP_SECONDS="4")
    jobs = [cluster.submit(topic=f"flushed {n}") for n in range(2)]
    wait_running(cluster, jobs)
    cluster.redis.flushdb()
    for job in jobs:
        cluster.wait_status(job["job_id"], "succeeded", timeout=30)
        row = cluster.job_row(job["job_id"])
        # Told apart from a newer run taking over: the same run finished, once.
        assert (row.attempts, row.recoveries) == (1, 0)
        assert cluster.succeeded_lines(job["job_id"]) == 1
    assert "Redis lost its run's fence" in worker.output()


def test_1_a_run_lost_twice_fails_in_the_learners_terms(cluster: Cluster) -> None:
    job = cluster.submit(topic="lost twice")
    for lost in range(2):
        worker = cluster.worker(OPAD_NOOP_SECONDS="30")

        def running(recoveries: int = lost) -> bool:
            row = cluster.job_row(job["job_id"])
            return (row.status, row.recoveries) == ("running", recoveries)

        wait_until(running, 30, f"run {lost + 1}")
        cluster.redis.flushdb()
        worker.stop(signal.SIGKILL)
        cluster.workers.remove(worker)
    cluster.worker(OPAD_NOOP_SECONDS="0.2")
    done = cluster.wait_status(job["job_id"], "failed", timeout=45)
    assert done["message"] == LOST_MESSAGE and done["error"] == LOST_ERROR
    dead = [json.loads(d) for d in cluster.redis.lrange("opad:jobs:dead", 0, -1)]
    assert [d["error"] for d in dead if d["job_id"] == job["job_id"]] == [LOST_ERROR]
    # Its place under the learner's cap is free: nothing of theirs is live any more.
    with cluster.services.db.session() as session:
        assert session.scalar(select(Job.status).where(Job.id == job["job_id"])) == "failed"


def test_2_a_full_redis_refuses_new_jobs_with_503_naming_redis(cluster: Cluster) -> None:
    for n in range(20):
        cluster.redis.set(f"filler:{n}", "x" * 100_000)
    used = int(cluster.redis.info("memory")["used_memory"])
    # noeviction (the default) and less room than the data takes: every write is refused.
    cluster.redis.config_set("maxmemory", used // 2)
    try:
        with pytest.raises(redis.exceptions.OutOfMemoryError):
            cluster.redis.set("one more", "x")
        resp = httpx.post(f"{cluster.api}/generate", json={"topic": "full", **BODY}, timeout=10)
        assert resp.status_code == 503, resp.text
        assert "Redis is full" in resp.json()["detail"]
        ready = httpx.get(f"{cluster.api}/health/ready", timeout=10)
        assert ready.status_code == 503 and "maxmemory" in ready.json()["checks"]["redis"]["error"]
    finally:
        cluster.redis.config_set("maxmemory", 0)
        for key in cluster.redis.scan_iter("filler:*"):
            cluster.redis.delete(key)


def test_2_an_eviction_policy_is_reported_at_start_in_ready_and_in_doctor(
    cluster: Cluster,
) -> None:
    cluster.redis.config_set("maxmemory-policy", "allkeys-lru")
    try:
        ready = httpx.get(f"{cluster.api}/health/ready", timeout=10).json()
        assert any("maxmemory-policy" in w for w in ready["checks"]["redis"]["warnings"])
        doctor = subprocess.run(
            [*OPAD, "doctor"],
            env=cluster.stack.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert doctor.returncode == 1, doctor.stdout + doctor.stderr
        assert "redis: PROBLEM" in doctor.stdout and "maxmemory-policy" in doctor.stdout
        worker = cluster.worker()
        assert "maxmemory-policy is allkeys-lru" in worker.output().replace("`", "")
    finally:
        cluster.redis.config_set("maxmemory-policy", "noeviction")
    ready = httpx.get(f"{cluster.api}/health/ready", timeout=10).json()
    assert ready["checks"]["redis"]["warnings"] == []


def test_3_a_delete_while_the_content_folder_is_unwritable_finishes_later(
    cluster: Cluster,
) -> None:
    cluster.worker(OPAD_NOOP_SECONDS="0")
    job = cluster.submit(topic="to delete")
    cluster.wait_status(job["job_id"], "succeeded")
    folder = articles_folder(cluster) / job["article_id"]
    assert (folder / "article.md").exists()
    with unwritable(articles_folder(cluster)):
        resp = httpx.delete(f"{cluster.api}/articles/{job['article_id']}", timeout=10)
        assert resp.status_code == 204, resp.text

        def refused_twice() -> bool:  # the delete's own try, then the cleanup loop's
            with cluster.services.db.session() as session:
                pending = session.scalars(select(PendingDeletion)).all()
                assert [p.article_id for p in pending] == [job["article_id"]]
                return pending[0].attempts >= 2 and bool(pending[0].last_error)

        wait_until(refused_twice, 10, "the cleanup loop to try again")
        assert folder.exists()
    wait_until(lambda: not folder.exists(), 10, "the deletion to finish once it can")

    def none_pending() -> bool:  # the folder goes first, then its row (another transaction)
        with cluster.services.db.session() as session:
            return session.scalars(select(PendingDeletion)).all() == []

    wait_until(none_pending, 10, "the pending deletion's row to go")


def test_5_a_storage_outage_is_waited_out_without_spending_attempts(cluster: Cluster) -> None:
    cluster.worker(OPAD_NOOP_SECONDS="0.2")
    warm = cluster.submit(topic="warm")
    cluster.wait_status(warm["job_id"], "succeeded")
    with unwritable(articles_folder(cluster)):
        jobs = [cluster.submit(topic=f"outage {n}") for n in range(2)]
        # Longer than three retries at OPAD_RETRY_BASE_SECONDS=0.2 used to take.
        time.sleep(5)
        for job in jobs:
            assert cluster.status(job["job_id"])["status"] == "running"
    for job in jobs:
        done = cluster.wait_status(job["job_id"], "succeeded", timeout=60)
        assert done["attempts"] == 1


def test_5_an_outage_past_the_wait_fails_naming_the_store(cluster: Cluster) -> None:
    cluster.worker(OPAD_NOOP_SECONDS="0.2", OPAD_OUTAGE_WAIT_MINUTES="0.05")
    warm = cluster.submit(topic="warm")
    cluster.wait_status(warm["job_id"], "succeeded")
    with unwritable(articles_folder(cluster)):
        job = cluster.submit(topic="long outage")
        done = cluster.wait_status(job["job_id"], "failed", timeout=60)
    assert done["attempts"] == 1
    assert "the content store was unavailable for 0.05 min" in done["error"]
    dead = [json.loads(d) for d in cluster.redis.lrange("opad:jobs:dead", 0, -1)]
    errors = [d["error"] for d in dead if d["job_id"] == job["job_id"]]
    assert len(errors) == 1 and "the content store was unavailable" in errors[0]


def test_6_a_duplicate_message_of_a_running_job_starts_no_second_run(cluster: Cluster) -> None:
    worker = cluster.worker(OPAD_NOOP_SECONDS="3")
    job = cluster.submit(topic="pushed twice")
    cluster.wait_status(job["job_id"], "running")
    with cluster.services.db.session() as session:
        row = session.get(Job, job["job_id"])
        assert row is not None
        payload = json.dumps(job_payload(row))
    cluster.redis.lpush("opad:jobs", payload)
    done = cluster.wait_status(job["job_id"], "succeeded")
    assert done["attempts"] == 1 and cluster.job_row(job["job_id"]).fence == 1
    assert cluster.succeeded_lines(job["job_id"]) == 1
    assert "a duplicate message" in worker.output()
    assert cluster.redis.llen("opad:jobs") == 0 and cluster.processing_total() == 0


def test_7_a_stopping_worker_claims_nothing_new(cluster: Cluster) -> None:
    worker = cluster.worker(OPAD_NOOP_SECONDS="0.2")
    worker.proc.send_signal(signal.SIGTERM)
    time.sleep(0.05)
    job = cluster.submit(topic="after the stop")
    assert worker.proc.wait(30) == 0, worker.output()
    cluster.workers.remove(worker)
    row = cluster.job_row(job["job_id"])
    assert (row.status, row.fence, row.attempts) == ("queued", 0, 0)
    assert cluster.redis.llen("opad:jobs") == 1
    cluster.worker(OPAD_NOOP_SECONDS="0.2")
    assert cluster.wait_status(job["job_id"], "succeeded")["attempts"] == 1
